// Time off and calendar feeds for the working-hours page, without DOM or
// Firebase: local dates and times in a provider's zone turned into instants
// (across DST changes), the list's order and wording, and the bodies the
// REST API takes. Everything that depends on "now" or a locale takes it.

export interface TimeOffItem {
  id: string;
  providerIds?: string[];
  allProviders?: boolean;
  start?: Date | null;
  end?: Date | null;
  allDay?: boolean;
  startDate?: string | null;
  endDate?: string | null;
  title?: string;
  source?: "manual" | "feed";
}

export interface Wall { date: string; time: string }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;
/** The backend refuses longer spans (domain/time_off.py MAX_SPAN). */
export const MAX_SPAN_DAYS = 400;
export const MAX_TITLE = 200;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `ms`, in milliseconds (east positive). */
export function offsetAt(ms: number, zone: string): number {
  let f = offsetFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    offsetFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The wall-clock date and time an instant shows in `zone`. */
export function wallOf(instant: Date, zone: string): Wall {
  const shifted = new Date(instant.getTime() + offsetAt(instant.getTime(), zone));
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export const isTime = (text: string) => TIME.test(text);

/** `date` plus `days` calendar days (plain dates, no zone involved). */
export function addDaysIso(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The instant a local date and time in `zone` names. A time the clocks skip
 * (02:30 when they jump from 02:00 to 03:00) moves forward by the jump, and
 * a time they show twice (the hour after the clocks go back) is its first
 * occurrence, as calendar apps do.
 */
export function zonedInstant(date: string, time: string, zone: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offsets in force a day either side: at most one change lies between.
  const before = wall - offsetAt(wall - DAY_MS, zone);
  const after = wall - offsetAt(wall + DAY_MS, zone);
  const shows = (t: number) => t + offsetAt(t, zone) === wall;
  const fits = [before, after].filter(shows);
  if (fits.length) return new Date(Math.min(...fits));
  return new Date(before);
}

/** The instants a time off takes from a provider in `zone` (whole days: midnight to midnight there). */
export function spanOf(item: TimeOffItem, zone: string): { start: Date; end: Date } | null {
  if (item.allDay) {
    if (!item.startDate || !item.endDate || !isDate(item.startDate) || !isDate(item.endDate)) return null;
    return {
      start: zonedInstant(item.startDate, "00:00", zone),
      end: zonedInstant(addDaysIso(item.endDate, 1), "00:00", zone),
    };
  }
  if (!item.start || !item.end) return null;
  return { start: item.start, end: item.end };
}

/** Current and upcoming time off first (soonest first), then the past (latest first); unreadable docs last. */
export function orderTimeOff(items: TimeOffItem[], zone: string, now: Date): { item: TimeOffItem; past: boolean }[] {
  const rows = items.map((item) => ({ item, span: spanOf(item, zone) }));
  const key = (r: (typeof rows)[number]) => (r.span ? (r.span.end > now ? 0 : 1) : 2);
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka - kb;
    if (!a.span || !b.span) return a.item.id.localeCompare(b.item.id);
    const diff = ka === 0 ? a.span.start.getTime() - b.span.start.getTime() : b.span.start.getTime() - a.span.start.getTime();
    return diff || a.item.id.localeCompare(b.item.id);
  });
  return rows.map((r) => ({ item: r.item, past: r.span !== null && r.span.end <= now }));
}

function dayText(date: string, locale: string | undefined, withYear: boolean): string {
  // Noon UTC of a plain date shows that date in UTC whatever the locale.
  const at = new Date(`${date}T12:00:00Z`);
  return new Intl.DateTimeFormat(locale, {
    timeZone: "UTC", weekday: "short", day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}),
  }).format(at);
}

/** "Tue 12 Jan 2027, 14:00–15:30" in the provider's zone; a span over midnight names both days. */
export function spanText(item: TimeOffItem, zone: string, locale?: string): string {
  if (item.allDay) {
    if (!item.startDate || !item.endDate) return "Unreadable dates";
    const days = item.startDate === item.endDate
      ? dayText(item.startDate, locale, true)
      : `${dayText(item.startDate, locale, item.startDate.slice(0, 4) !== item.endDate.slice(0, 4))} – ${dayText(item.endDate, locale, true)}`;
    return `${days} (whole day${item.startDate === item.endDate ? "" : "s"})`;
  }
  if (!item.start || !item.end) return "Unreadable times";
  const a = wallOf(item.start, zone);
  const b = wallOf(item.end, zone);
  if (a.date === b.date) return `${dayText(a.date, locale, true)}, ${a.time}–${b.time}`;
  // An end at local midnight belongs to the day before ("until 24:00").
  if (b.time === "00:00" && addDaysIso(a.date, 1) === b.date) return `${dayText(a.date, locale, true)}, ${a.time}–24:00`;
  return `${dayText(a.date, locale, true)}, ${a.time} – ${dayText(b.date, locale, true)}, ${b.time}`;
}

export interface Checked<T> { body: T | null; errors: string[] }

export interface MeetingBody { start: string; end: string; title: string }
export interface HolidayBody { allDay: true; startDate: string; endDate: string; title: string }

function titleProblems(title: string): string[] {
  if (!title.trim()) return ["Enter a title (only staff and admins see it)."];
  if (title.length > MAX_TITLE) return [`The title is longer than ${MAX_TITLE} characters.`];
  return [];
}

/**
 * A meeting on `date` from `from` to `to`, local times in `zone`. Like the
 * weekly hours, an end before the start runs past midnight into the next day.
 */
export function meeting(input: { date: string; from: string; to: string; title: string }, zone: string): Checked<MeetingBody> {
  const errors = titleProblems(input.title);
  if (!isDate(input.date)) errors.push("Choose the meeting's date.");
  if (!isTime(input.from) || !isTime(input.to)) errors.push("Enter both times (HH:MM).");
  else if (input.from === input.to) errors.push("The start and end times must differ.");
  if (errors.length) return { body: null, errors };
  const endDate = input.to < input.from ? addDaysIso(input.date, 1) : input.date;
  const start = zonedInstant(input.date, input.from, zone);
  const end = zonedInstant(endDate, input.to, zone);
  if (end <= start) return { body: null, errors: ["That time does not exist on this date (the clocks change)."] };
  return { body: { start: start.toISOString(), end: end.toISOString(), title: input.title.trim() }, errors: [] };
}

/** Whole days `from` to `to` inclusive, each read in the provider's zone by the backend. */
export function holiday(input: { from: string; to: string; title: string }): Checked<HolidayBody> {
  const errors = titleProblems(input.title);
  if (!isDate(input.from)) errors.push("Choose the first day.");
  if (!isDate(input.to)) errors.push("Choose the last day.");
  if (errors.length) return { body: null, errors };
  if (input.to < input.from) return { body: null, errors: ["The last day is before the first day."] };
  const days = (Date.parse(input.to) - Date.parse(input.from)) / DAY_MS;
  if (days >= MAX_SPAN_DAYS) return { body: null, errors: [`Time off lasts at most ${MAX_SPAN_DAYS} days.`] };
  return { body: { allDay: true, startDate: input.from, endDate: input.to, title: input.title.trim() }, errors: [] };
}

/**
 * The feed address as the backend takes it: https only. Apple and Outlook
 * also hand out `webcal://` links, which are the same address over https.
 */
export function feedUrl(text: string): { url: string | null; error: string | null } {
  let value = text.trim();
  if (!value) return { url: null, error: "Paste the calendar's secret iCal address." };
  if (/^webcal:\/\//i.test(value)) value = `https://${value.slice("webcal://".length)}`;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return { url: null, error: "That is not a web address." };
  }
  if (parsed.protocol !== "https:") return { url: null, error: "The address must start with https://." };
  if (value.length > 2048) return { url: null, error: "The address is longer than 2048 characters." };
  return { url: value, error: null };
}

export interface FeedStatus {
  state?: "ok" | "error";
  checkedAt?: Date | null;
  importedAt?: Date | null;
  events?: number;
  error?: string | null;
}

/** The feed's last check in words: the state is spelled out, never shown by colour alone. */
export function feedStatusText(status: FeedStatus | null | undefined, zone: string, locale?: string): string {
  if (!status || !status.state) return "Not checked yet: feeds are read every 15 minutes.";
  const when = (d: Date | null | undefined) => {
    if (!d) return "an unknown time";
    const w = wallOf(d, zone);
    return `${dayText(w.date, locale, true)}, ${w.time}`;
  };
  if (status.state === "ok") {
    const n = status.events ?? 0;
    return `OK: ${n} event${n === 1 ? "" : "s"} imported, checked ${when(status.checkedAt)}.`;
  }
  const kept = status.importedAt ? ` The busy time imported ${when(status.importedAt)} is kept.` : "";
  return `Error at ${when(status.checkedAt)}: ${(status.error || "unknown error").replace(/\.$/, "")}.${kept}`;
}
