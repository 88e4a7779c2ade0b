// The booking screen's model, with no DOM and no Firebase: which free starts
// each day of the shown week offers (grouped by calendar day in the
// browser's zone), how the shown week moves, and which service and provider
// stay chosen as the catalogue changes. views/book.ts feeds it the slot
// sheets it listens to and draws what it returns; `now` is always passed in.
//
// Relative imports here name `.js` (TypeScript resolves them to the `.ts`
// file) so that Node's test runner can run the compiled model as it is.
import { addDays, dayKey, isoDates, weekStart } from "./time.js";

export const ANY_PROVIDER = "any";

/** A `slots/{providerId}_{date}` sheet as far as the week needs it: type id -> free starts. */
export interface Sheet {
  providerId: string;
  available?: Record<string, readonly { toMillis(): number }[]>;
}

/** The part of an appointment type that bounds what can be booked now. */
export interface BookingWindow {
  id: string;
  minNoticeMinutes?: number;
  horizonDays?: number;
}

export interface Slot {
  start: Date;
  /** The providers free at this start, in the order of their names. */
  providers: string[];
}

export interface WeekSlots {
  /** Day key (YYYY-MM-DD in the browser's zone) -> that day's starts, earliest first. */
  days: Map<string, Slot[]>;
  /** True while a watched sheet has not answered yet. */
  loading: boolean;
}

export interface Day {
  date: Date;
  key: string;
  today: boolean;
  past: boolean;
}

// The backend's defaults for a type that names no window.
const DEFAULT_NOTICE_MINUTES = 0;
const DEFAULT_HORIZON_DAYS = 60;

/** A `YYYY-MM-DD` local day that has not begun before `now`, else null. */
export function parseDay(text: string | null, now: Date): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? "");
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d < now ? null : d;
}

/** The week a `week=` parameter asks for; the current week when it is missing, malformed or past. */
export function initialWeek(text: string | null, now: Date): Date {
  return weekStart(parseDay(text, now) ?? now);
}

/** When rescheduling with no week asked for, the week of the appointment being moved, if it is still ahead. */
export function rescheduleWeek(week: Date, weekParam: string | null, previousStart: Date, now: Date): Date {
  if (weekParam || previousStart.getTime() <= now.getTime()) return week;
  return weekStart(previousStart);
}

export function shiftWeek(week: Date, weeks: number): Date {
  return addDays(week, 7 * weeks);
}

/** Free times lie ahead, so the week view never goes back past the current week. */
export function canGoBack(week: Date, now: Date): boolean {
  return week.getTime() > weekStart(now).getTime();
}

/** The seven days of a week, marked as today or already past. */
export function weekDays(week: Date, now: Date): Day[] {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const todayKey = dayKey(now);
  return [0, 1, 2, 3, 4, 5, 6].map((i) => {
    const date = addDays(week, i);
    const key = dayKey(date);
    return { date, key, today: key === todayKey, past: date < midnight };
  });
}

/**
 * The slot sheet ids that can hold a start inside the week. A sheet is
 * dated in its provider's zone, which differs from the browser's by less
 * than two days, so two dates either side of the week are enough.
 */
export function sheetIds(providerIds: readonly string[], week: Date): string[] {
  const dates = isoDates(addDays(week, -2), addDays(week, 8));
  return providerIds.flatMap((p) => dates.map((d) => `${p}_${d}`));
}

/** A `typeSlots/{typeId}_{utcDate}` document: every provider's free starts of one type on one UTC date. */
export interface TypeSlotsView {
  sheets?: Record<string, { providerId: string; starts?: readonly { toMillis(): number }[] }>;
}

/**
 * The "any provider" view's document ids that can hold a start inside the
 * week: one per UTC date the week's instants fall on (seven or eight),
 * whatever the number of providers.
 */
export function viewIds(typeId: string, week: Date): string[] {
  const utcDate = (d: Date) => d.toISOString().slice(0, 10);
  const last = utcDate(new Date(shiftWeek(week, 1).getTime() - 1));
  const ids: string[] = [];
  // UTC days are all 24 hours long: step from the first one's midnight.
  for (let d = new Date(`${utcDate(week)}T00:00:00Z`); utcDate(d) <= last; d = new Date(d.getTime() + 86_400_000)) {
    ids.push(`${typeId}_${utcDate(d)}`);
  }
  return ids;
}

/** A view document as the sheets it was built from (of that one type), for `slotsByDay`. */
export function sheetsOfView(typeId: string, view: TypeSlotsView): Sheet[] {
  return Object.values(view.sheets ?? {}).map((e) => ({ providerId: e.providerId, available: { [typeId]: e.starts ?? [] } }));
}

/**
 * The week's free starts of one type, by day in the browser's zone: only
 * those inside the week and inside the type's booking window (notice and
 * horizon) at `now`; a start several providers offer appears once.
 */
export function slotsByDay(input: {
  week: Date;
  type: BookingWindow;
  /** The sheet ids listened to; one missing from `sheets` has not answered yet. */
  watched: Iterable<string>;
  /** Watched id -> its sheet (or the sheets a view document holds), or null for one that does not exist. */
  sheets: ReadonlyMap<string, Sheet | readonly Sheet[] | null>;
  now: Date;
  nameOf: (providerId: string) => string;
}): WeekSlots {
  const { week, type, sheets, now, nameOf } = input;
  const earliest = now.getTime() + (type.minNoticeMinutes ?? DEFAULT_NOTICE_MINUTES) * 60_000;
  const latest = now.getTime() + (type.horizonDays ?? DEFAULT_HORIZON_DAYS) * 86_400_000;
  const from = week.getTime();
  const to = shiftWeek(week, 1).getTime();
  const byStart = new Map<number, string[]>();
  let loading = false;
  for (const id of input.watched) {
    if (!sheets.has(id)) {
      loading = true;
      continue;
    }
    const found = sheets.get(id);
    if (!found) continue;
    for (const sheet of Array.isArray(found) ? found : [found as Sheet]) {
      for (const ts of sheet.available?.[type.id] ?? []) {
        const ms = ts.toMillis();
        if (ms < from || ms >= to || ms < earliest || ms > latest) continue;
        const list = byStart.get(ms) ?? [];
        if (!list.includes(sheet.providerId)) list.push(sheet.providerId);
        byStart.set(ms, list);
      }
    }
  }
  const days = new Map<string, Slot[]>();
  for (const ms of [...byStart.keys()].sort((a, b) => a - b)) {
    const start = new Date(ms);
    const providers = byStart.get(ms)!.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
    const key = dayKey(start);
    days.set(key, [...(days.get(key) ?? []), { start, providers }]);
  }
  return { days, loading };
}

/** The chosen type while it is still offered, else the first offered one ("" when none is). */
export function keepType(offeredIds: readonly string[], chosen: string): string {
  return offeredIds.includes(chosen) ? chosen : (offeredIds[0] ?? "");
}

/** The chosen provider while it still offers the type, else "any". */
export function keepProvider(offeringIds: readonly string[], chosen: string): string {
  return chosen === ANY_PROVIDER || offeringIds.includes(chosen) ? chosen : ANY_PROVIDER;
}

/** The providers whose free times the week shows: all that offer the type, or the one chosen. */
export function shownProviders<P extends { id: string }>(offering: readonly P[], chosen: string): P[] {
  return chosen === ANY_PROVIDER ? [...offering] : offering.filter((p) => p.id === chosen);
}

/** The booking screen's route for these choices, to come back to after signing in. */
export function bookingRoute(choice: { typeId: string; providerId: string; week: Date; rescheduleOf: string }): string {
  const q = new URLSearchParams({ type: choice.typeId, provider: choice.providerId, week: dayKey(choice.week) });
  if (choice.rescheduleOf) q.set("rescheduleOf", choice.rescheduleOf);
  return `book?${q}`;
}
