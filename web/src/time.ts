// Dates in the browser's own time zone (the week view) and in a provider's.
export const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

const DAY_MS = 86_400_000;

/** Local midnight of the Monday of the week holding `d`. */
export function weekStart(d: Date): Date {
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const shift = (start.getDay() + 6) % 7; // Monday = 0
  start.setDate(start.getDate() - shift);
  return start;
}

export function addDays(d: Date, days: number): Date {
  const next = new Date(d);
  next.setDate(next.getDate() + days);
  return next;
}

/** YYYY-MM-DD of a local calendar day. */
export function dayKey(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, "0");
  const day = String(d.getDate()).padStart(2, "0");
  return `${y}-${m}-${day}`;
}

/** The ISO dates (calendar strings) from `from` to `to` inclusive. */
export function isoDates(from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let d = new Date(from); d <= to; d = addDays(d, 1)) out.push(dayKey(d));
  return out;
}

export function sameDay(a: Date, b: Date): boolean {
  return dayKey(a) === dayKey(b);
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(options: Intl.DateTimeFormatOptions, zone?: string): Intl.DateTimeFormat {
  const key = JSON.stringify([options, zone]);
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
    fmtCache.set(key, f);
  }
  return f;
}

export const formatTime = (d: Date, zone?: string) => fmt({ hour: "2-digit", minute: "2-digit" }, zone).format(d);
export const formatDayShort = (d: Date) => fmt({ weekday: "short" }).format(d);
export const formatDayNum = (d: Date) => fmt({ day: "numeric", month: "short" }).format(d);
export const formatDayLong = (d: Date, zone?: string) =>
  fmt({ weekday: "long", day: "numeric", month: "long", year: "numeric" }, zone).format(d);
export const formatDateTime = (d: Date, zone?: string) =>
  fmt({ weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }, zone).format(d);

export function formatRange(from: Date, to: Date): string {
  const sameYear = from.getFullYear() === to.getFullYear();
  const a = fmt(sameYear ? { day: "numeric", month: "short" } : { day: "numeric", month: "short", year: "numeric" }).format(from);
  const b = fmt({ day: "numeric", month: "short", year: "numeric" }).format(to);
  return `${a} – ${b}`;
}

export function zoneLabel(zone: string): string {
  try {
    const parts = new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: "short" }).formatToParts(new Date());
    const name = parts.find((p) => p.type === "timeZoneName")?.value;
    return name ? `${zone.replace(/_/g, " ")} (${name})` : zone;
  } catch {
    return zone;
  }
}

export function minutesBetween(a: Date, b: Date): number {
  return Math.round((b.getTime() - a.getTime()) / 60000);
}

export function relativeDays(d: Date, now = new Date()): number {
  return Math.floor((weekStart(d).getTime() - weekStart(now).getTime()) / (7 * DAY_MS));
}
