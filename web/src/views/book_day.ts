// The free times one day at a time (the phone layout): a strip of the
// week's days that stays at the top while the page scrolls, with the week's
// arrows in it, and the open day's starts as morning / afternoon / evening.
import { h, replace } from "../dom";
import { addDays, formatDayLong, formatDayShort, formatRange, weekStart } from "../time";
import { dayToOpen, groupByPart, nextFreeDay } from "../day_strip";
import { canGoBack, shiftWeek, weekDays, type Day } from "../week";
import { slotButton, weekEmpty, type Times } from "./book_week";

export interface DayChoice {
  /** The day the customer tapped, or null. */
  picked: string | null;
  /** The date the link asked for, or null. */
  from: string | null;
  onPick: (key: string) => void;
}

export function drawDayStrip(strip: HTMLElement, panel: HTMLElement, t: Times, choice: DayChoice): void {
  const days = weekDays(t.week, t.now);
  const open = dayToOpen({ days, slots: t.days, picked: choice.picked, from: choice.from });
  const back = canGoBack(t.week, t.now);
  replace(strip,
    h("div", { class: "strip-head" },
      h("button", {
        class: "btn ghost small", type: "button", disabled: !back, "aria-label": "Previous week",
        onclick: () => t.moveTo(shiftWeek(t.week, -1)),
      }, "‹"),
      h("h3", { class: "week-label", id: "week-label", "aria-live": "polite" }, formatRange(t.week, addDays(t.week, 6))),
      back ? h("button", { class: "btn ghost small", type: "button", onclick: () => t.moveTo(weekStart(t.now)) }, "Today") : null,
      h("button", {
        class: "btn ghost small", type: "button", "aria-label": "Next week",
        onclick: () => t.moveTo(shiftWeek(t.week, 1)),
      }, "›")),
    h("div", { class: "strip-days", role: "group", "aria-label": "Days of the week" },
      days.map((d) => dayButton(d, t, d.key === open, choice.onPick))));
  drawDay(panel, days.find((d) => d.key === open)!, days, t, choice);
}

function dayButton(d: Day, t: Times, open: boolean, onPick: (key: string) => void): HTMLButtonElement {
  const count = t.days.get(d.key)?.length ?? 0;
  const known = count > 0 || !t.loading;
  // Named by what it shows plus words for screen readers ("Tue 1 December,
  // 5 free times"), never a label that differs from the visible text
  // (WCAG 2.5.3: a voice user says what they see).
  const month = d.date.toLocaleString(undefined, { month: "long" });
  return h("button", {
    class: `strip-day${d.today ? " today" : ""}${count ? " free" : ""}`, type: "button",
    disabled: d.past, "aria-pressed": open ? "true" : "false", dataset: { day: d.key },
    onclick: () => onPick(d.key),
  },
    h("span", { class: "dow" }, formatDayShort(d.date)), " ",
    h("span", { class: "num" }, String(d.date.getDate())),
    h("span", { class: "sr-only" }, ` ${month}, `),
    count
      ? [h("span", { class: "mark" }, String(count)), h("span", { class: "sr-only" }, count === 1 ? " free time" : " free times")]
      : known
        ? [h("span", { class: "mark", "aria-hidden": "true" }, "–"), h("span", { class: "sr-only" }, "no free times")]
        : h("span", { class: "mark", "aria-hidden": "true" }));
}

function drawDay(panel: HTMLElement, day: Day, days: Day[], t: Times, choice: DayChoice): void {
  const slots = t.days.get(day.key) ?? [];
  const label = formatDayLong(day.date);
  const title = h("h3", { class: "day-title", id: "day-title" }, label);
  if (t.loading && !slots.length) {
    replace(panel, title, h("span", { class: "skeleton", "aria-hidden": "true" }));
    return;
  }
  if (!slots.length) {
    const next = nextFreeDay(days, t.days, day.key);
    const weekHasTimes = days.some((d) => (t.days.get(d.key)?.length ?? 0) > 0);
    replace(panel, title,
      weekHasTimes
        ? h("div", { class: "empty" },
            h("p", null, "No free times on this day."),
            next ? h("button", { class: "btn", type: "button", onclick: () => choice.onPick(next.key) },
              `Next free day: ${formatDayShort(next.date)} ${next.date.getDate()}`)
              : h("button", { class: "btn", type: "button", onclick: () => t.moveTo(shiftWeek(t.week, 1)) }, "Try next week"))
        : weekEmpty(t));
    return;
  }
  replace(panel, title,
    groupByPart(slots).map((g) => h("section", { class: "part", "aria-labelledby": `part-${g.part}` },
      h("h4", { id: `part-${g.part}` }, g.label, h("span", { class: "part-count" }, ` · ${g.slots.length}`)),
      h("div", { class: "slot-grid" }, g.slots.map((s) => slotButton(s, label, t.pick))))));
}
