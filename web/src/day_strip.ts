// The phone layout's model: which day of the shown week is open, and how an
// open day's free times are grouped so that a day fits on a screen or two.
// Pure, like ./week: views/book_day.ts draws what these return.
import type { Day, Slot } from "./week.js";

export type DayPart = "morning" | "afternoon" | "evening";

export interface PartGroup {
  part: DayPart;
  label: string;
  slots: Slot[];
}

const PARTS: readonly { part: DayPart; label: string; untilHour: number }[] = [
  { part: "morning", label: "Morning", untilHour: 12 },
  { part: "afternoon", label: "Afternoon", untilHour: 17 },
  { part: "evening", label: "Evening", untilHour: 24 },
];

/** The part of the day a start falls in, by its hour in the browser's zone. */
export function partOf(start: Date): DayPart {
  const hour = start.getHours();
  return PARTS.find((p) => hour < p.untilHour)!.part;
}

/** A day's starts as morning / afternoon / evening, in order, leaving out empty parts. */
export function groupByPart(slots: readonly Slot[]): PartGroup[] {
  return PARTS
    .map(({ part, label }) => ({ part, label, slots: slots.filter((s) => partOf(s.start) === part) }))
    .filter((g) => g.slots.length > 0);
}

/**
 * The day the phone layout opens: the day the customer picked, while it is
 * in the week; otherwise the first day with free times on or after `from`
 * (the date the link asked for), else the week's first day with free times,
 * else the first day that has not passed.
 */
export function dayToOpen(input: {
  days: readonly Day[];
  slots: ReadonlyMap<string, readonly Slot[]>;
  picked: string | null;
  from: string | null;
}): string {
  const { days, slots, picked, from } = input;
  if (picked && days.some((d) => d.key === picked)) return picked;
  const open = days.filter((d) => !d.past);
  const free = (d: Day) => (slots.get(d.key)?.length ?? 0) > 0;
  const later = open.filter((d) => !from || d.key >= from);
  const chosen = later.find(free) ?? open.find(free) ?? later[0] ?? open[0] ?? days[0];
  return chosen.key;
}

/** The first day after `key` in the week with free times, for the "next free day" link. */
export function nextFreeDay(days: readonly Day[], slots: ReadonlyMap<string, readonly Slot[]>, key: string): Day | null {
  return days.find((d) => d.key > key && !d.past && (slots.get(d.key)?.length ?? 0) > 0) ?? null;
}
