// The free times as a week (the desktop layout): a bar to move between
// weeks and seven columns of starts. views/book_day.ts is the phone's.
import { h, replace } from "../dom";
import { addDays, formatDayLong, formatDayNum, formatDayShort, formatRange, formatTime, weekStart } from "../time";
import { canGoBack, shiftWeek, weekDays, type Slot } from "../week";

/** What both layouts draw from: the shown week's free starts at `now`. */
export interface Times {
  week: Date;
  now: Date;
  /** Day key -> that day's free starts, earliest first. */
  days: ReadonlyMap<string, Slot[]>;
  loading: boolean;
  pick: (slot: Slot) => void;
  moveTo: (week: Date) => void;
}

export function slotButton(slot: Slot, dayLabel: string, pick: (slot: Slot) => void): HTMLButtonElement {
  const others = slot.providers.length > 1 ? `, ${slot.providers.length} providers free` : "";
  return h("button", {
    class: "slot", type: "button",
    dataset: { start: slot.start.toISOString(), providers: slot.providers.join(",") },
    "aria-label": `${formatTime(slot.start)}, ${dayLabel}${others}`,
    onclick: () => pick(slot),
  }, formatTime(slot.start));
}

/** The week's range between "Previous" and "Next" (and "Today" once moved away from it). */
export function drawWeekBar(el: HTMLElement, t: Times): void {
  const back = canGoBack(t.week, t.now);
  replace(el,
    h("button", {
      class: "btn ghost", type: "button", disabled: !back, "aria-label": "Previous week",
      onclick: () => t.moveTo(shiftWeek(t.week, -1)),
    }, "‹ Previous"),
    h("h3", { class: "week-label", id: "week-label", "aria-live": "polite" }, formatRange(t.week, addDays(t.week, 6))),
    h("div", { class: "weekbar-right" },
      back ? h("button", { class: "btn ghost", type: "button", onclick: () => t.moveTo(weekStart(t.now)) }, "Today") : null,
      h("button", {
        class: "btn ghost", type: "button", "aria-label": "Next week",
        onclick: () => t.moveTo(shiftWeek(t.week, 1)),
      }, "Next ›")));
}

/** Seven columns, one per day, each listing its free starts. */
export function drawWeekGrid(el: HTMLElement, t: Times): void {
  let total = 0;
  const columns = weekDays(t.week, t.now).map(({ date: day, key, today, past }) => {
    const slots = t.days.get(key) ?? [];
    total += slots.length;
    const label = formatDayLong(day);
    return h("div", {
      class: `day${today ? " today" : ""}${past ? " past" : ""}${slots.length ? "" : " none"}`,
      role: "group", "aria-label": label, dataset: { day: key },
    },
      h("div", { class: "day-head" },
        h("span", { class: "dow" }, formatDayShort(day)),
        h("span", { class: "date" }, formatDayNum(day)),
        h("span", { class: "count" }, slots.length ? `${slots.length} free` : "")),
      h("div", { class: "day-slots" },
        t.loading && !slots.length
          ? h("span", { class: "skeleton", "aria-hidden": "true" })
          : slots.length
            ? slots.map((s) => slotButton(s, label, t.pick))
            : h("span", { class: "no-slots" }, past ? "—" : "No free times")));
  });
  replace(el,
    h("div", { class: "week-grid" }, columns),
    !t.loading && total === 0 ? weekEmpty(t) : null);
}

export function weekEmpty(t: Times): HTMLElement {
  return h("div", { class: "empty week-empty" },
    h("p", null, "No free times this week."),
    h("button", { class: "btn", type: "button", onclick: () => t.moveTo(shiftWeek(t.week, 1)) }, "Try next week"));
}
