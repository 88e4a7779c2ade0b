// The schedule page's model, with no DOM and no Firebase: which provider
// days a day or week view shows, where a block sits in a column (minutes
// from the provider's local midnight, so each column is in its provider's
// own zone), the hours the grid spans, which free starts a sheet offers the
// desk, and which actions an appointment allows. `now` is always passed in.
//
// Relative imports name `.js` so Node's test runner can run the compiled file.
import { addDaysIso, wallOf, zonedInstant } from "./time_off.js";

export type ViewKind = "day" | "week";

export interface Column {
  providerId: string;
  /** The provider-local calendar day, YYYY-MM-DD. */
  date: string;
}

export interface Box {
  /** Minutes after the column's local midnight; clipped to the day. */
  top: number;
  height: number;
}

export interface Span { start: Date; end: Date }

const DAY_MINUTES = 24 * 60;

/** The dates a view shows: the day itself, or Monday to Sunday of its week. */
export function viewDates(view: ViewKind, date: string): string[] {
  if (view === "day") return [date];
  const [y, m, d] = date.split("-").map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday = 0
  const monday = addDaysIso(date, -weekday);
  return Array.from({ length: 7 }, (_, i) => addDaysIso(monday, i));
}

/** The date one step (a day or a week) before or after. */
export function shiftDate(view: ViewKind, date: string, direction: -1 | 1): string {
  return addDaysIso(date, direction * (view === "day" ? 1 : 7));
}

/** Columns date-major: each day, then its providers in the given order. */
export function columnsOf(dates: string[], providerIds: string[]): Column[] {
  return dates.flatMap((date) => providerIds.map((providerId) => ({ providerId, date })));
}

/** The instants a provider-local day runs between. */
export function dayBounds(date: string, zone: string): Span {
  return { start: zonedInstant(date, "00:00", zone), end: zonedInstant(addDaysIso(date, 1), "00:00", zone) };
}

/** Minutes after local midnight of `date` that `instant` shows in `zone`, clamped to the day. */
export function minuteOf(instant: Date, date: string, zone: string): number {
  const wall = wallOf(instant, zone);
  if (wall.date < date) return 0;
  if (wall.date > date) return DAY_MINUTES;
  const [hh, mm] = wall.time.split(":").map(Number);
  return hh * 60 + mm;
}

/** Where a span sits in a column, or null when it misses the day. */
export function boxOf(span: Span, date: string, zone: string): Box | null {
  const bounds = dayBounds(date, zone);
  if (span.end <= bounds.start || span.start >= bounds.end) return null;
  const top = minuteOf(span.start, date, zone);
  const bottom = span.end >= bounds.end ? DAY_MINUTES : minuteOf(span.end, date, zone);
  return { top, height: Math.max(bottom - top, 10) };
}

/**
 * The whole hours the grid spans: every box shown, widened to at least
 * `fallback` (8 to 18) so an empty day still reads as a working day.
 */
export function hourSpan(boxes: Box[], fallback: [number, number] = [8, 18]): [number, number] {
  let from = fallback[0] * 60;
  let to = fallback[1] * 60;
  for (const b of boxes) {
    from = Math.min(from, b.top);
    to = Math.max(to, b.top + b.height);
  }
  return [Math.floor(from / 60), Math.min(24, Math.ceil(to / 60))];
}

/** A sheet's free starts of one type that the desk may still book (after `now`, earliest first). */
export function freeStarts(
  available: Record<string, readonly { toMillis(): number }[]> | undefined,
  typeId: string,
  now: Date,
): Date[] {
  return (available?.[typeId] ?? [])
    .map((t) => new Date(t.toMillis()))
    .filter((d) => d.getTime() > now.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
}

export type Status = "confirmed" | "cancelled" | "completed" | "no_show";

export const STATUS_LABELS: Record<Status, string> = {
  confirmed: "Confirmed",
  cancelled: "Cancelled",
  completed: "Completed",
  no_show: "No-show",
};

export interface Actions {
  reschedule: boolean;
  cancel: boolean;
  /** Completed / no-show: only once the start has passed. */
  mark: boolean;
}

/** What the desk may do with an appointment at `now`. */
export function actionsFor(status: Status, start: Date, now: Date): Actions {
  const open = status === "confirmed";
  const started = start.getTime() <= now.getTime();
  return { reschedule: open && !started, cancel: open, mark: open && started };
}

/** The provider-local date `now` falls on, for "Today". */
export function todayIn(zone: string, now: Date): string {
  return wallOf(now, zone).date;
}

/** A `YYYY-MM-DD` parameter, or null when it is not a real date. */
export function parseDate(text: string | null): string | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const [y, m, d] = text.split("-").map(Number);
  const back = new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
  return back === text ? text : null;
}
