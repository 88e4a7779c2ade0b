// The phone layout's model (src/day_strip.ts), run with TZ=Europe/Berlin like
// the week's tests: parts of the day are hours in the browser's zone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dayToOpen, groupByPart, nextFreeDay, partOf } from "../src/day_strip.js";
import { weekDays, type Slot } from "../src/week.js";

const local = (y: number, m: number, d: number, hh = 0, mm = 0) => new Date(y, m - 1, d, hh, mm);
const slot = (start: Date): Slot => ({ start, providers: ["ada"] });
// Wednesday 17 March 2027, noon in Berlin; the shown week is Monday 15 – Sunday 21.
const NOW = local(2027, 3, 17, 12);
const DAYS = weekDays(local(2027, 3, 15), NOW);
const free = (entries: Record<string, number>) =>
  new Map(Object.entries(entries).map(([key, n]) => [key, Array.from({ length: n }, (_, i) => slot(local(2027, 3, 18, 9 + i)))]));

describe("parts of the day", () => {
  test("a start belongs to the morning until noon, the afternoon until 17:00, then the evening", () => {
    assert.equal(partOf(local(2027, 3, 18, 11, 59)), "morning");
    assert.equal(partOf(local(2027, 3, 18, 12, 0)), "afternoon");
    assert.equal(partOf(local(2027, 3, 18, 16, 45)), "afternoon");
    assert.equal(partOf(local(2027, 3, 18, 17, 0)), "evening");
    assert.equal(partOf(local(2027, 3, 18, 0, 30)), "morning");
  });

  test("the hour is the browser's: 10:30 UTC is the morning before Berlin's switch to summer time and the afternoon after", () => {
    assert.equal(partOf(new Date("2027-03-26T10:30:00Z")), "morning");
    assert.equal(partOf(new Date("2027-03-29T10:30:00Z")), "afternoon");
  });

  test("a day's starts are grouped in order and empty parts are left out", () => {
    const starts = [local(2027, 3, 18, 9), local(2027, 3, 18, 9, 30), local(2027, 3, 18, 18)];
    const groups = groupByPart(starts.map(slot));
    assert.deepEqual(groups.map((g) => [g.label, g.slots.map((s) => s.start.getHours() * 60 + s.start.getMinutes())]),
      [["Morning", [540, 570]], ["Evening", [1080]]]);
  });

  test("a day without starts has no groups", () => {
    assert.deepEqual(groupByPart([]), []);
  });
});

describe("which day the phone layout opens", () => {
  test("the first day with free times from today on, passing over past days and full ones", () => {
    const slots = free({ "2027-03-15": 4, "2027-03-17": 0, "2027-03-19": 2, "2027-03-20": 5 });
    assert.equal(dayToOpen({ days: DAYS, slots, picked: null, from: null }), "2027-03-19");
  });

  test("a date in the link opens that day when it has free times", () => {
    const slots = free({ "2027-03-18": 3, "2027-03-20": 5 });
    assert.equal(dayToOpen({ days: DAYS, slots, picked: null, from: "2027-03-20" }), "2027-03-20");
  });

  test("a date in the link without free times opens the next free day after it", () => {
    const slots = free({ "2027-03-18": 3, "2027-03-21": 1 });
    assert.equal(dayToOpen({ days: DAYS, slots, picked: null, from: "2027-03-19" }), "2027-03-21");
  });

  test("when nothing is free after the link's date, the week's first free day opens", () => {
    const slots = free({ "2027-03-18": 3 });
    assert.equal(dayToOpen({ days: DAYS, slots, picked: null, from: "2027-03-20" }), "2027-03-18");
  });

  test("a day the customer picked stays open even when it has no free times", () => {
    const slots = free({ "2027-03-18": 3 });
    assert.equal(dayToOpen({ days: DAYS, slots, picked: "2027-03-21", from: null }), "2027-03-21");
  });

  test("a picked day outside the shown week is forgotten", () => {
    const slots = free({ "2027-03-19": 3 });
    assert.equal(dayToOpen({ days: DAYS, slots, picked: "2027-03-25", from: null }), "2027-03-19");
  });

  test("a week with no free times opens today, not a past day", () => {
    assert.equal(dayToOpen({ days: DAYS, slots: new Map(), picked: null, from: null }), "2027-03-17");
  });

  test("the next free day skips full days and none is offered past the week's last", () => {
    const slots = free({ "2027-03-18": 2, "2027-03-19": 0, "2027-03-20": 1 });
    assert.equal(nextFreeDay(DAYS, slots, "2027-03-18")?.key, "2027-03-20");
    assert.equal(nextFreeDay(DAYS, slots, "2027-03-20"), null);
  });
});
