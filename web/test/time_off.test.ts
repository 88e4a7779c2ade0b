// Time off on the working-hours page (src/time_off.ts): local dates and times
// in the provider's zone, which is not the browser's (these run in
// Europe/Berlin), turned into instants across DST changes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  feedStatusText, feedUrl, holiday, meeting, orderTimeOff, spanOf, spanText, wallOf, zonedInstant, type TimeOffItem,
} from "../src/time_off.js";

const NY = "America/New_York";
const LONDON = "Europe/London";
const LORD_HOWE = "Australia/Lord_Howe";
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("a local date and time in the provider's zone names one instant", () => {
  test("either side of New York's spring change, 14:00 is 19:00Z then 18:00Z", () => {
    assert.equal(iso(zonedInstant("2027-03-13", "14:00", NY)), "2027-03-13T19:00:00.000Z");
    assert.equal(iso(zonedInstant("2027-03-15", "14:00", NY)), "2027-03-15T18:00:00.000Z");
  });

  test("a time the clocks skip (02:30 on 14 March 2027 in New York) moves forward by the jump, to 03:30 EDT", () => {
    assert.equal(iso(zonedInstant("2027-03-14", "02:30", NY)), "2027-03-14T07:30:00.000Z");
  });

  test("a time shown twice (01:30 on 7 November 2027 in New York) is its first occurrence, in EDT", () => {
    assert.equal(iso(zonedInstant("2027-11-07", "01:30", NY)), "2027-11-07T05:30:00.000Z");
  });

  test("Lord Howe's half-hour change: 01:45 on 4 April 2027 is first at +11; 02:15 on 3 October is skipped to 02:45 +11", () => {
    assert.equal(iso(zonedInstant("2027-04-04", "01:45", LORD_HOWE)), "2027-04-03T14:45:00.000Z");
    assert.equal(iso(zonedInstant("2027-10-03", "02:15", LORD_HOWE)), "2027-10-02T15:45:00.000Z");
  });

  test("the wall clock of an instant in a zone is the inverse, whatever the browser's zone", () => {
    assert.deepEqual(wallOf(at("2027-11-07T06:30:00Z"), NY), { date: "2027-11-07", time: "01:30" });
    assert.deepEqual(wallOf(at("2027-03-28T23:30:00Z"), LONDON), { date: "2027-03-29", time: "00:30" });
  });
});

describe("adding a meeting", () => {
  test("a meeting is sent as the two instants of its local times", () => {
    assert.deepEqual(meeting({ date: "2027-03-15", from: "14:00", to: "15:30", title: " Staff meeting " }, NY), {
      body: { start: "2027-03-15T18:00:00.000Z", end: "2027-03-15T19:30:00.000Z", title: "Staff meeting" }, errors: [],
    });
  });

  test("an end before the start runs past midnight, here across the spring change: 22:00 to 04:00 is five hours", () => {
    assert.deepEqual(meeting({ date: "2027-03-13", from: "22:00", to: "04:00", title: "Night shift" }, NY).body, {
      start: "2027-03-14T03:00:00.000Z", end: "2027-03-14T08:00:00.000Z", title: "Night shift",
    });
  });

  test("a span that the clock change empties is refused, not sent reversed", () => {
    assert.deepEqual(meeting({ date: "2027-03-14", from: "02:30", to: "03:15", title: "Gone" }, NY), {
      body: null, errors: ["That time does not exist on this date (the clocks change)."],
    });
  });

  test("missing title, date and times are all named at once", () => {
    assert.deepEqual(meeting({ date: "", from: "14:00", to: "", title: "  " }, NY).errors, [
      "Enter a title (only staff and admins see it).", "Choose the meeting's date.", "Enter both times (HH:MM).",
    ]);
    assert.deepEqual(meeting({ date: "2027-02-30", from: "10:00", to: "10:00", title: "x" }, NY).errors, [
      "Choose the meeting's date.", "The start and end times must differ.",
    ]);
  });
});

describe("adding a holiday", () => {
  test("a holiday is whole days, sent as dates for the backend to read in the provider's zone", () => {
    assert.deepEqual(holiday({ from: "2027-12-24", to: "2028-01-02", title: "Winter break" }), {
      body: { allDay: true, startDate: "2027-12-24", endDate: "2028-01-02", title: "Winter break" }, errors: [],
    });
  });

  test("a last day before the first, or a span of 400 days or more, is refused", () => {
    assert.deepEqual(holiday({ from: "2027-12-24", to: "2027-12-23", title: "x" }).errors, ["The last day is before the first day."]);
    assert.deepEqual(holiday({ from: "2027-01-01", to: "2028-02-05", title: "x" }).errors, ["Time off lasts at most 400 days."]);
    assert.equal(holiday({ from: "2027-01-01", to: "2028-02-04", title: "x" }).errors.length, 0);
  });
});

describe("the list of time off", () => {
  const meetingAt = (id: string, start: string, end: string, extra: Partial<TimeOffItem> = {}): TimeOffItem =>
    ({ id, start: at(start), end: at(end), title: id, source: "manual", ...extra });

  test("whole days run from midnight to midnight in the provider's zone: London's spring-change day is 23 hours", () => {
    const span = spanOf({ id: "h", allDay: true, startDate: "2027-03-28", endDate: "2027-03-28" }, LONDON);
    assert.deepEqual(span && [iso(span.start), iso(span.end)], ["2027-03-28T00:00:00.000Z", "2027-03-28T23:00:00.000Z"]);
  });

  test("current and upcoming time off comes first, soonest first; then the past, latest first; unreadable docs last", () => {
    const now = at("2027-03-10T12:00:00Z");
    const items: TimeOffItem[] = [
      meetingAt("past-old", "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"),
      meetingAt("later", "2027-03-20T09:00:00Z", "2027-03-20T10:00:00Z"),
      { id: "broken", allDay: true, startDate: "2027-13-01", endDate: "2027-13-02" },
      meetingAt("past-recent", "2027-03-09T09:00:00Z", "2027-03-09T10:00:00Z"),
      meetingAt("running-now", "2027-03-10T11:00:00Z", "2027-03-10T13:00:00Z"),
      { id: "holiday", allDay: true, startDate: "2027-03-15", endDate: "2027-03-16", source: "feed" },
    ];
    assert.deepEqual(orderTimeOff(items, LONDON, now).map((r) => [r.item.id, r.past]), [
      ["running-now", false], ["holiday", false], ["later", false],
      ["past-recent", true], ["past-old", true], ["broken", false],
    ]);
  });

  test("spans are worded in the provider's zone, naming both days when they cross midnight", () => {
    const text = (item: TimeOffItem, zone = NY) => spanText(item, zone, "en-GB");
    assert.equal(text(meetingAt("a", "2027-03-15T18:00:00Z", "2027-03-15T19:30:00Z")), "Mon, 15 Mar 2027, 14:00–15:30");
    assert.equal(text(meetingAt("b", "2027-03-14T03:00:00Z", "2027-03-14T08:00:00Z")), "Sat, 13 Mar 2027, 22:00 – Sun, 14 Mar 2027, 04:00");
    assert.equal(text(meetingAt("c", "2027-03-15T22:00:00Z", "2027-03-16T04:00:00Z")), "Mon, 15 Mar 2027, 18:00–24:00");
    assert.equal(text({ id: "d", allDay: true, startDate: "2027-12-24", endDate: "2028-01-02" }), "Fri, 24 Dec 2027 – Sun, 2 Jan 2028 (whole days)");
    assert.equal(text({ id: "e", allDay: true, startDate: "2027-12-24", endDate: "2027-12-24" }), "Fri, 24 Dec 2027 (whole day)");
    assert.equal(text({ id: "f", allDay: true, startDate: "2027-07-01", endDate: "2027-07-14" }), "Thu 1 Jul – Wed, 14 Jul 2027 (whole days)");
  });
});

describe("the calendar feed", () => {
  test("only https addresses are taken; a webcal:// link is the same address over https", () => {
    assert.deepEqual(feedUrl(" webcal://p01-caldav.icloud.com/published/2/abc "), { url: "https://p01-caldav.icloud.com/published/2/abc", error: null });
    assert.deepEqual(feedUrl("https://calendar.google.com/calendar/ical/x%40gmail.com/private-abc/basic.ics"),
      { url: "https://calendar.google.com/calendar/ical/x%40gmail.com/private-abc/basic.ics", error: null });
    assert.deepEqual(feedUrl("http://example.com/cal.ics"), { url: null, error: "The address must start with https://." });
    assert.deepEqual(feedUrl("calendar please"), { url: null, error: "That is not a web address." });
    assert.deepEqual(feedUrl(""), { url: null, error: "Paste the calendar's secret iCal address." });
  });

  test("the last check is spelled out with its time in the provider's zone", () => {
    const checkedAt = at("2027-03-15T18:05:00Z");
    assert.equal(feedStatusText(null, NY), "Not checked yet: feeds are read every 15 minutes.");
    assert.equal(feedStatusText({ state: "ok", checkedAt, events: 12 }, NY, "en-GB"), "OK: 12 events imported, checked Mon, 15 Mar 2027, 14:05.");
    assert.equal(feedStatusText({ state: "ok", checkedAt, events: 1 }, NY, "en-GB"), "OK: 1 event imported, checked Mon, 15 Mar 2027, 14:05.");
    assert.equal(
      feedStatusText({ state: "error", checkedAt, importedAt: at("2027-03-15T17:50:00Z"), error: "HTTP 404." }, NY, "en-GB"),
      "Error at Mon, 15 Mar 2027, 14:05: HTTP 404. The busy time imported Mon, 15 Mar 2027, 13:50 is kept.");
  });
});
