// Series in the web app: "Repeat weekly for N weeks" in the booking dialog,
// with a preview of every date and whether its provider's day sheet still
// offers it, and the grouping of a series' occurrences in "My appointments".
// The backend books the series all or nothing (or only the free dates when
// asked): the preview informs, the backend decides.
import { doc, getDoc, Timestamp } from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace } from "../dom";
import type { Appointment } from "../data";
import { formatDateTime } from "../time";

export const MIN_WEEKS = 2;
export const MAX_WEEKS = 26;

/** The zone's offset from UTC at `at`, in minutes. */
function offsetMinutes(zone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((wall - at.getTime()) / 60_000);
}

/** Weekly starts at `first`'s wall-clock time in `zone` (the provider's): 15:00 stays 15:00 across DST. */
export function weeklyStarts(first: Date, zone: string, count: number): Date[] {
  const base = offsetMinutes(zone, first);
  return Array.from({ length: count }, (_, i) => {
    const guess = new Date(first.getTime() + i * 7 * 86_400_000);
    return new Date(guess.getTime() + (base - offsetMinutes(zone, guess)) * 60_000);
  });
}

/** The provider-local date of `at`, as day sheets are named (YYYY-MM-DD). */
function localDate(zone: string, at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

async function isOffered(providerId: string, typeId: string, zone: string, start: Date): Promise<boolean> {
  const snap = await getDoc(doc(svc().db, "slots", `${providerId}_${localDate(zone, start)}`));
  const starts = (snap.data()?.available?.[typeId] ?? []) as Timestamp[];
  return starts.some((s) => s.toMillis() === start.getTime());
}

export interface RepeatChoice {
  element: HTMLElement;
  /** What the booking request carries: nothing for a single appointment. */
  fields(): Record<string, unknown>;
}

export function repeatControls(providerId: string, typeId: string, zone: string, start: Date): RepeatChoice {
  const on = h("input", { type: "checkbox", id: "repeat" });
  const weeks = h("input", {
    type: "number", id: "repeat-weeks", min: String(MIN_WEEKS), max: String(MAX_WEEKS), value: "4", disabled: true,
  });
  const skip = h("input", { type: "checkbox", id: "repeat-skip" });
  const skipRow = h("label", { class: "repeat-skip", hidden: true }, skip, " Book only the free dates");
  const preview = h("ul", { id: "repeat-preview", class: "repeat-preview", "aria-live": "polite" });
  let drawn = 0;

  function count(): number {
    const n = Math.round(Number(weeks.value));
    return Math.min(MAX_WEEKS, Math.max(MIN_WEEKS, Number.isFinite(n) ? n : MIN_WEEKS));
  }

  async function draw(): Promise<void> {
    const mine = ++drawn;
    weeks.disabled = !on.checked;
    if (!on.checked) {
      replace(preview);
      skipRow.hidden = true;
      return;
    }
    const starts = weeklyStarts(start, zone, count());
    replace(preview, starts.map((s) => h("li", { dataset: { start: s.toISOString() } }, formatDateTime(s), " · checking…")));
    const free = await Promise.all(starts.map((s) => isOffered(providerId, typeId, zone, s).catch(() => false)));
    if (mine !== drawn) return; // a newer choice redrew meanwhile
    replace(preview, starts.map((s, i) => h("li", { dataset: { start: s.toISOString(), free: String(free[i]) },
      class: free[i] ? "free" : "taken" }, formatDateTime(s), free[i] ? " · free" : " · not free")));
    skipRow.hidden = free.every(Boolean);
    if (skipRow.hidden) skip.checked = false;
  }

  on.addEventListener("change", () => void draw());
  weeks.addEventListener("input", () => void draw());
  const element = h("fieldset", { class: "field repeat" },
    h("legend", null, "Repeat"),
    h("label", null, on, " Repeat weekly for "), weeks, h("label", { for: "repeat-weeks" }, " weeks"),
    preview, skipRow);
  return {
    element,
    fields: () => on.checked
      ? { recurrence: { frequency: "weekly", count: count() }, ...(skip.checked ? { onConflict: "skip" } : {}) }
      : {},
  };
}

/** Upcoming appointments with each series' occurrences gathered under one heading, in date order. */
export function groupedBySeries(items: Appointment[], card: (a: Appointment) => HTMLElement): HTMLElement[] {
  const out: HTMLElement[] = [];
  const groups = new Map<string, HTMLElement>();
  for (const a of items) {
    if (!a.seriesId) {
      out.push(card(a));
      continue;
    }
    let group = groups.get(a.seriesId);
    if (!group) {
      const members = items.filter((b) => b.seriesId === a.seriesId).length;
      group = h("section", { class: "series-group", dataset: { series: a.seriesId },
        "aria-label": `Weekly series, ${members} upcoming` },
        h("h3", { class: "series-title" }, `Series · ${members} upcoming`));
      groups.set(a.seriesId, group);
      out.push(group);
    }
    group.append(card(a));
  }
  return out;
}
