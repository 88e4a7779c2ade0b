// The booking screen's week model (src/week.ts). `npm test` runs these with
// TZ=Europe/Berlin: the browser's zone in these cases; the providers' sheets
// hold instants, some written for a provider in London.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ANY_PROVIDER, bookingRoute, canGoBack, initialWeek, keepProvider, keepType, parseDay, rescheduleWeek,
  sheetIds, sheetsOfView, shiftWeek, shownProviders, slotsByDay, viewIds, weekDays, type Sheet,
} from "../src/week.js";

const at = (iso: string) => new Date(iso);
const local = (y: number, m: number, d: number) => new Date(y, m - 1, d);
const starts = (...isos: string[]) => isos.map((iso) => ({ toMillis: () => Date.parse(iso) }));
const keys = (days: Map<string, unknown>) => [...days.keys()];

// Wednesday 17 March 2027, noon in Berlin; the week after holds the switch
// to summer time (Sunday 28 March, 02:00 -> 03:00).
const NOW = at("2027-03-17T12:00:00+01:00");
const THIS_WEEK = local(2027, 3, 15);
const NEXT_WEEK = local(2027, 3, 22);
const NAMES: Record<string, string> = { ada: "Ada Lovelace", bob: "Bob Babbage", cy: "Cyril Adams" };
const nameOf = (id: string) => NAMES[id] ?? id;
const TYPE = { id: "consult", minNoticeMinutes: 60, horizonDays: 60 };

function week(sheets: Record<string, Sheet | null>, overrides: Partial<Parameters<typeof slotsByDay>[0]> = {}) {
  const map = new Map(Object.entries(sheets));
  return slotsByDay({ week: NEXT_WEEK, type: TYPE, watched: map.keys(), sheets: map, now: NOW, nameOf, ...overrides });
}

test("the tests run in the zone they are written for", () => {
  assert.equal(local(2027, 1, 1).getTimezoneOffset(), -60);
  assert.equal(local(2027, 7, 1).getTimezoneOffset(), -120);
});

describe("which week is shown", () => {
  test("a week parameter opens the Monday of that week", () => {
    assert.deepEqual(initialWeek("2027-03-25", NOW), NEXT_WEEK);
  });

  test("a missing, malformed or past week parameter opens the current week", () => {
    for (const text of [null, "", "25.03.2027", "2027-3-25", "2027-03-01"]) {
      assert.deepEqual(initialWeek(text, NOW), THIS_WEEK, String(text));
    }
  });

  test("today's own date counts as begun, and still opens this week", () => {
    assert.equal(parseDay("2027-03-17", NOW), null);
    assert.deepEqual(initialWeek("2027-03-17", NOW), THIS_WEEK);
  });

  test("weeks move by calendar weeks, Monday midnight to Monday midnight across a clock change", () => {
    const after = shiftWeek(NEXT_WEEK, 1);
    assert.deepEqual(after, local(2027, 3, 29));
    assert.equal(after.getHours(), 0);
    assert.equal(after.getTime() - NEXT_WEEK.getTime(), 167 * 3_600_000);
    assert.deepEqual(shiftWeek(after, -1), NEXT_WEEK);
  });

  test("the view cannot go back past the current week", () => {
    assert.equal(canGoBack(THIS_WEEK, NOW), false);
    assert.equal(canGoBack(NEXT_WEEK, NOW), true);
  });

  test("rescheduling opens the week of the appointment being moved, unless a week was asked for or it is past", () => {
    const appointment = at("2027-04-07T10:00:00+02:00");
    assert.deepEqual(rescheduleWeek(THIS_WEEK, null, appointment, NOW), local(2027, 4, 5));
    assert.deepEqual(rescheduleWeek(THIS_WEEK, "2027-03-22", appointment, NOW), THIS_WEEK);
    assert.deepEqual(rescheduleWeek(THIS_WEEK, null, at("2027-03-01T10:00:00+01:00"), NOW), THIS_WEEK);
  });

  test("the seven days run Monday to Sunday and mark today and the days already past", () => {
    const days = weekDays(THIS_WEEK, NOW);
    assert.deepEqual(days.map((d) => d.key), [
      "2027-03-15", "2027-03-16", "2027-03-17", "2027-03-18", "2027-03-19", "2027-03-20", "2027-03-21",
    ]);
    assert.deepEqual(days.map((d) => d.today), [false, false, true, false, false, false, false]);
    assert.deepEqual(days.map((d) => d.past), [true, true, false, false, false, false, false]);
  });
});

describe("which slot sheets are watched", () => {
  test("each provider's sheets from two days before the week to two days after it", () => {
    const ids = sheetIds(["ada", "bob"], NEXT_WEEK);
    assert.equal(ids.length, 22);
    assert.equal(ids[0], "ada_2027-03-20");
    assert.equal(ids[10], "ada_2027-03-30");
    assert.equal(ids[11], "bob_2027-03-20");
  });
});

describe("the week's free starts", () => {
  test("are grouped by the browser's calendar day, not the provider's", () => {
    // 23:30 in London on Tuesday is 00:30 on Wednesday in Berlin.
    const { days } = week({
      "ada_2027-03-23": { providerId: "ada", available: { consult: starts("2027-03-23T10:00:00Z", "2027-03-23T23:30:00Z") } },
    });
    assert.deepEqual(keys(days), ["2027-03-23", "2027-03-24"]);
    assert.deepEqual(days.get("2027-03-24")!.map((s) => s.start), [at("2027-03-24T00:30:00+01:00")]);
  });

  test("keep only the starts inside the shown week, through its short Sunday", () => {
    const { days } = week({
      "ada_2027-03-21": { providerId: "ada", available: { consult: starts("2027-03-21T22:59:00Z", "2027-03-21T23:00:00Z") } },
      "ada_2027-03-28": { providerId: "ada", available: { consult: starts("2027-03-28T21:30:00Z", "2027-03-28T22:00:00Z") } },
    });
    assert.deepEqual(keys(days), ["2027-03-22", "2027-03-28"]);
    assert.deepEqual(days.get("2027-03-22")!.map((s) => s.start), [at("2027-03-22T00:00:00+01:00")]);
    // 21:30Z is 23:30 summer time on Sunday; 22:00Z is already next Monday.
    assert.deepEqual(days.get("2027-03-28")!.map((s) => s.start), [at("2027-03-28T23:30:00+02:00")]);
  });

  test("leave out starts inside the type's notice and past its horizon", () => {
    const type = { id: "consult", minNoticeMinutes: 120, horizonDays: 5 };
    const now = at("2027-03-22T07:00:00Z");
    const { days } = week({
      "ada_2027-03-22": { providerId: "ada", available: { consult: starts("2027-03-22T08:30:00Z", "2027-03-22T09:00:00Z") } },
      "ada_2027-03-27": { providerId: "ada", available: { consult: starts("2027-03-27T07:00:00Z", "2027-03-27T07:30:00Z") } },
      "ada_2027-03-28": { providerId: "ada", available: { consult: starts("2027-03-28T06:00:00Z") } },
    }, { type, now });
    // The earliest start is now + 2 h and the latest now + 5 days; both ends count.
    assert.deepEqual(keys(days), ["2027-03-22", "2027-03-27"]);
    assert.deepEqual(days.get("2027-03-22")!.map((s) => s.start), [at("2027-03-22T09:00:00Z")]);
    assert.deepEqual(days.get("2027-03-27")!.map((s) => s.start), [at("2027-03-27T07:00:00Z")]);
  });

  test("a type that names no window books from now to sixty days ahead", () => {
    const now = at("2027-01-21T08:00:00+01:00");
    const { days } = week({
      "ada_2027-03-22": { providerId: "ada", available: { consult: starts("2027-03-22T06:59:00Z", "2027-03-22T07:01:00Z") } },
    }, { type: { id: "consult" }, now });
    assert.deepEqual(days.get("2027-03-22")!.map((s) => s.start), [at("2027-03-22T06:59:00Z")]);
  });

  test("show a start several providers offer once, with its providers in name order", () => {
    const start = starts("2027-03-23T09:00:00Z");
    const { days } = week({
      "cy_2027-03-23": { providerId: "cy", available: { consult: start } },
      "ada_2027-03-23": { providerId: "ada", available: { consult: [...start, ...start] } },
      "bob_2027-03-23": { providerId: "bob", available: { consult: start } },
    });
    assert.deepEqual(days.get("2027-03-23"), [{ start: at("2027-03-23T09:00:00Z"), providers: ["ada", "bob", "cy"] }]);
  });

  test("come earliest first within a day", () => {
    const { days } = week({
      "bob_2027-03-23": { providerId: "bob", available: { consult: starts("2027-03-23T15:00:00Z", "2027-03-23T09:00:00Z") } },
      "ada_2027-03-23": { providerId: "ada", available: { consult: starts("2027-03-23T12:00:00Z") } },
    });
    assert.deepEqual(days.get("2027-03-23")!.map((s) => s.start.toISOString()), [
      "2027-03-23T09:00:00.000Z", "2027-03-23T12:00:00.000Z", "2027-03-23T15:00:00.000Z",
    ]);
  });

  test("ignore the free starts of other types", () => {
    const { days } = week({
      "ada_2027-03-23": { providerId: "ada", available: { checkup: starts("2027-03-23T09:00:00Z") } },
    });
    assert.equal(days.size, 0);
  });

  test("are still loading while a watched sheet has not answered, but not for a sheet that does not exist", () => {
    const sheets = new Map<string, Sheet | null>([["ada_2027-03-23", null]]);
    const answered = slotsByDay({ week: NEXT_WEEK, type: TYPE, watched: ["ada_2027-03-23"], sheets, now: NOW, nameOf });
    assert.deepEqual(answered, { days: new Map(), loading: false });
    const waiting = slotsByDay({ week: NEXT_WEEK, type: TYPE, watched: ["ada_2027-03-23", "ada_2027-03-24"], sheets, now: NOW, nameOf });
    assert.equal(waiting.loading, true);
  });
});

describe("the choices on the screen", () => {
  test("the chosen service stays while it is offered, else the first offered one is chosen", () => {
    assert.equal(keepType(["checkup", "consult"], "consult"), "consult");
    assert.equal(keepType(["checkup", "consult"], "retired"), "checkup");
    assert.equal(keepType(["checkup", "consult"], ""), "checkup");
    assert.equal(keepType([], "consult"), "");
  });

  test("the chosen provider stays while they offer the service, else any provider", () => {
    assert.equal(keepProvider(["ada", "bob"], "bob"), "bob");
    assert.equal(keepProvider(["ada"], "bob"), ANY_PROVIDER);
    assert.equal(keepProvider([], ANY_PROVIDER), ANY_PROVIDER);
  });

  test("the week shows every offering provider for any provider, else only the chosen one", () => {
    const offering = [{ id: "ada" }, { id: "bob" }];
    assert.deepEqual(shownProviders(offering, ANY_PROVIDER), offering);
    assert.deepEqual(shownProviders(offering, "bob"), [{ id: "bob" }]);
    assert.deepEqual(shownProviders(offering, "cy"), []);
  });

  test("the route back after signing in keeps the choices and the week", () => {
    const choice = { typeId: "consult", providerId: ANY_PROVIDER, week: NEXT_WEEK, rescheduleOf: "" };
    assert.equal(bookingRoute(choice), "book?type=consult&provider=any&week=2027-03-22");
    assert.equal(bookingRoute({ ...choice, rescheduleOf: "appt-1" }),
      "book?type=consult&provider=any&week=2027-03-22&rescheduleOf=appt-1");
  });
});

describe("the any-provider view", () => {
  test("a Berlin week is watched in one document per UTC date it touches, whatever the number of providers", () => {
    // Monday 22 March 00:00 in Berlin (CET) is Sunday 23:00 UTC; Sunday 28 March ends at 22:00 UTC (CEST).
    assert.deepEqual(viewIds("consult", NEXT_WEEK), [
      "consult_2027-03-21", "consult_2027-03-22", "consult_2027-03-23", "consult_2027-03-24",
      "consult_2027-03-25", "consult_2027-03-26", "consult_2027-03-27", "consult_2027-03-28",
    ]);
  });

  test("a view document's providers' starts come out like their sheets': once per start, providers in name order", () => {
    const view = sheetsOfView("consult", { sheets: {
      "cy_2027-03-23": { providerId: "cy", starts: starts("2027-03-23T09:00:00Z", "2027-03-23T10:00:00Z") },
      "ada_2027-03-23": { providerId: "ada", starts: starts("2027-03-23T09:00:00Z") },
    } });
    const map = new Map<string, Sheet | Sheet[] | null>([["typeSlots/consult_2027-03-23", view], ["typeSlots/consult_2027-03-24", null]]);
    const { days, loading } = slotsByDay({ week: NEXT_WEEK, type: TYPE, watched: map.keys(), sheets: map, now: NOW, nameOf });
    assert.equal(loading, false);
    assert.deepEqual(days.get("2027-03-23")?.map((s) => [s.start.toISOString(), s.providers]), [
      ["2027-03-23T09:00:00.000Z", ["ada", "cy"]],
      ["2027-03-23T10:00:00.000Z", ["cy"]],
    ]);
  });
});
