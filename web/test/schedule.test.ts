// The schedule page's model (src/schedule.ts): columns in the provider's
// zone, which is not the browser's (these run in Europe/Berlin).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  actionsFor, boxOf, columnsOf, dayBounds, freeStarts, hourSpan, parseDate, shiftDate, todayIn, viewDates,
} from "../src/schedule.js";

const NY = "America/New_York";
const LONDON = "Europe/London";
const at = (iso: string) => new Date(iso);
const stamp = (iso: string) => ({ toMillis: () => Date.parse(iso) });

describe("the days a view shows", () => {
  test("a week view runs Monday to Sunday around the chosen date", () => {
    assert.deepEqual(viewDates("week", "2027-03-17"),
      ["2027-03-15", "2027-03-16", "2027-03-17", "2027-03-18", "2027-03-19", "2027-03-20", "2027-03-21"]);
    assert.deepEqual(viewDates("week", "2027-03-21")[0], "2027-03-15");
    assert.deepEqual(viewDates("day", "2027-03-17"), ["2027-03-17"]);
  });

  test("moving steps a day in the day view and a week in the week view, across months", () => {
    assert.equal(shiftDate("day", "2027-02-28", 1), "2027-03-01");
    assert.equal(shiftDate("week", "2027-03-03", -1), "2027-02-24");
  });

  test("columns are each day's providers in order", () => {
    assert.deepEqual(columnsOf(["2027-03-15", "2027-03-16"], ["a", "b"]), [
      { providerId: "a", date: "2027-03-15" }, { providerId: "b", date: "2027-03-15" },
      { providerId: "a", date: "2027-03-16" }, { providerId: "b", date: "2027-03-16" },
    ]);
  });

  test("only real dates are taken from the address", () => {
    assert.equal(parseDate("2027-02-29"), null);
    assert.equal(parseDate("2028-02-29"), "2028-02-29");
    assert.equal(parseDate("tomorrow"), null);
  });
});

describe("blocks sit at the provider's wall-clock time", () => {
  test("09:00-09:30 in New York is 540 minutes down its column, whatever the browser's zone", () => {
    assert.deepEqual(boxOf({ start: at("2027-03-17T13:00:00Z"), end: at("2027-03-17T13:30:00Z") }, "2027-03-17", NY),
      { top: 540, height: 30 });
  });

  test("a span from the previous evening is clipped to the column's midnight", () => {
    assert.deepEqual(boxOf({ start: at("2027-03-16T22:00:00Z"), end: at("2027-03-17T01:00:00Z") }, "2027-03-17", LONDON),
      { top: 0, height: 60 });
  });

  test("a span on another day is not in the column", () => {
    assert.equal(boxOf({ start: at("2027-03-18T09:00:00Z"), end: at("2027-03-18T10:00:00Z") }, "2027-03-17", LONDON), null);
  });

  test("New York's spring-forward day is 23 hours long", () => {
    const { start, end } = dayBounds("2027-03-14", NY);
    assert.equal((end.getTime() - start.getTime()) / 3_600_000, 23);
  });

  test("the grid spans 8 to 18 at least, widened to every block in whole hours", () => {
    assert.deepEqual(hourSpan([]), [8, 18]);
    assert.deepEqual(hourSpan([{ top: 7 * 60 + 30, height: 60 }, { top: 18 * 60, height: 45 }]), [7, 19]);
  });

  test("today is the provider's date, not the browser's", () => {
    assert.equal(todayIn(NY, at("2027-03-17T03:00:00Z")), "2027-03-16");
  });
});

describe("what the desk can book and do", () => {
  test("free starts are the sheet's for the type, after now, earliest first", () => {
    const available = { consult: [stamp("2027-03-17T10:00:00Z"), stamp("2027-03-17T09:00:00Z"), stamp("2027-03-17T08:00:00Z")] };
    assert.deepEqual(freeStarts(available, "consult", at("2027-03-17T08:00:00Z")).map((d) => d.toISOString()),
      ["2027-03-17T09:00:00.000Z", "2027-03-17T10:00:00.000Z"]);
    assert.deepEqual(freeStarts(available, "other", at("2027-03-17T08:00:00Z")), []);
  });

  test("a confirmed appointment is moved or cancelled before its start, and marked once it has begun", () => {
    const start = at("2027-03-17T09:00:00Z");
    assert.deepEqual(actionsFor("confirmed", start, at("2027-03-17T08:59:00Z")), { reschedule: true, cancel: true, mark: false });
    assert.deepEqual(actionsFor("confirmed", start, at("2027-03-17T09:00:00Z")), { reschedule: false, cancel: true, mark: true });
    assert.deepEqual(actionsFor("no_show", start, at("2027-03-18T09:00:00Z")), { reschedule: false, cancel: false, mark: false });
  });
});
