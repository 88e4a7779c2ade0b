"""Recomputing day sheets after admin edits (config_changes -> recompute)."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from booking.services import config_changes
from booking.services.recompute import recompute_provider, sheet_days
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, TYPE_ID, from_scratch, seeded, submit, utc

MON = date(2026, 1, 12)
TUE = date(2026, 1, 13)
FIRST_DAY, LAST_DAY = date(2026, 1, 4), date(2026, 2, 5)  # yesterday .. today + horizon (30) + 1


def booked_with_sheets():
    store = seeded()
    assert submit(store, "mon-10", utc(2026, 1, 12, 9)).status == "confirmed"  # Mon 10:00 local
    assert submit(store, "tue-14", utc(2026, 1, 13, 13), customer="cust-alan").status == "confirmed"
    recompute_provider(store, PROVIDER_ID, now=NOW)
    store.counts.clear()
    store.changes.clear()
    return store


def all_days():
    return [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]


def assert_sheets_equal_a_fresh_build(store):
    stored = store.stored_sheets(PROVIDER_ID)
    assert sorted(stored) == [f"dr-ada_{d.isoformat()}" for d in all_days()]
    for day in all_days():
        assert store.stored_sheet(PROVIDER_ID, day) == from_scratch(store, PROVIDER_ID, day), day


def edit_availability(store, weekly):
    before = store.doc(paths.AVAILABILITY, PROVIDER_ID)
    after = {**copy.deepcopy(before), "weekly": weekly}
    store.put(paths.AVAILABILITY, PROVIDER_ID, after)
    return config_changes.availability_changed(store, PROVIDER_ID, before, store.doc(paths.AVAILABILITY, PROVIDER_ID),
                                               now=NOW)


ALL_WEEK = {d: [{"start": "09:00", "end": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
MONDAY_AFTERNOONS = {**ALL_WEEK, "mon": [{"start": "12:00", "end": "17:00"}]}


def test_sheets_span_yesterday_through_the_horizon_plus_one_day():
    store = seeded()
    report = recompute_provider(store, PROVIDER_ID, now=NOW)
    assert sheet_days(store.provider(PROVIDER_ID), store.appointment_types(), NOW) == all_days()
    assert (report.days, report.written, report.error) == (33, 33, None)
    assert_sheets_equal_a_fresh_build(store)


def test_a_recompute_with_nothing_changed_writes_nothing():
    store = booked_with_sheets()
    report = recompute_provider(store, PROVIDER_ID, now=NOW)
    assert (report.written, report.flagged, report.unflagged) == (0, [], [])
    assert store.counts["writes"] == 0


def test_after_an_availability_change_every_sheet_equals_a_build_from_scratch():
    store = booked_with_sheets()
    report = edit_availability(store, MONDAY_AFTERNOONS)
    assert report.applied
    # the Mondays 2026-01-05 .. 2026-02-02 change: five sheets
    assert report.recomputed[0].written == 5
    assert_sheets_equal_a_fresh_build(store)
    monday = store.stored_sheet(PROVIDER_ID, MON)
    assert [(r.start, r.end) for r in monday.open] == [(utc(2026, 1, 12, 11), utc(2026, 1, 12, 16))]
    assert monday.available[TYPE_ID][0] == utc(2026, 1, 12, 11)
    # the booked block stays on the ledger whatever the hours say
    assert [b.appointment_id for b in monday.blocks] == ["mon-10"]


def test_a_confirmed_appointment_outside_the_new_hours_is_flagged_and_unflagged_when_they_return():
    store = booked_with_sheets()

    narrowed = edit_availability(store, MONDAY_AFTERNOONS)
    assert (narrowed.recomputed[0].flagged, narrowed.recomputed[0].unflagged) == (["mon-10"], [])
    assert store.doc(paths.APPOINTMENTS, "mon-10")["outsideAvailability"] is True
    assert store.doc(paths.APPOINTMENTS, "tue-14")["outsideAvailability"] is False

    restored = edit_availability(store, ALL_WEEK)
    assert (restored.recomputed[0].flagged, restored.recomputed[0].unflagged) == ([], ["mon-10"])
    assert store.doc(paths.APPOINTMENTS, "mon-10")["outsideAvailability"] is False
    assert_sheets_equal_a_fresh_build(store)


def test_invalid_availability_is_not_applied_and_the_verdict_is_recorded_on_the_document():
    store = booked_with_sheets()
    sheets_before = store.snapshot()["slots"]

    report = edit_availability(store, {"mon": [{"start": "25:00", "end": "26:00"}]})

    message = ("weekly.mon.0.start: Value error, expected a wall-clock time HH:MM between 00:00 and 23:59, "
               "got '25:00'; weekly.mon.0.end: Value error, expected a wall-clock time HH:MM between 00:00 "
               "and 24:00, got '26:00'")
    assert (report.applied, report.error, report.recomputed) == (False, message, [])
    assert store.doc(paths.AVAILABILITY, PROVIDER_ID)["validation"] == {
        "ok": False, "errors": [message], "checkedAt": NOW,
    }
    assert store.snapshot()["slots"] == sheets_before
    assert store.doc(paths.APPOINTMENTS, "mon-10")["outsideAvailability"] is False


def test_an_availability_in_another_zone_than_the_providers_is_not_applied():
    store = booked_with_sheets()
    sheets_before = store.snapshot()["slots"]
    before = store.doc(paths.AVAILABILITY, PROVIDER_ID)
    after = {**before, "timeZone": "Europe/London"}
    store.put(paths.AVAILABILITY, PROVIDER_ID, after)

    report = config_changes.availability_changed(store, PROVIDER_ID, before, after, now=NOW)

    assert (report.applied, report.error) == (
        False, "timeZone: must be the provider's zone (Europe/Berlin) or left out; hours are read in the "
               "provider's zone")
    assert store.doc(paths.AVAILABILITY, PROVIDER_ID)["validation"]["ok"] is False
    assert store.snapshot()["slots"] == sheets_before


def test_a_fixed_availability_records_an_ok_verdict_once():
    store = booked_with_sheets()
    edit_availability(store, {"mon": [{"start": "25:00", "end": "26:00"}]})
    report = edit_availability(store, MONDAY_AFTERNOONS)
    assert report.applied
    assert store.doc(paths.AVAILABILITY, PROVIDER_ID)["validation"] == {"ok": True, "errors": [], "checkedAt": NOW}


def test_the_write_of_the_verdict_itself_is_ignored():
    store = booked_with_sheets()
    before = store.doc(paths.AVAILABILITY, PROVIDER_ID)
    after = {**before, "validation": {"ok": True, "errors": [], "checkedAt": NOW}, "updatedAt": NOW}
    store.put(paths.AVAILABILITY, PROVIDER_ID, after)
    snapshot = store.snapshot()
    store.counts.clear()

    report = config_changes.availability_changed(store, PROVIDER_ID, before, after, now=NOW)

    assert (report.applied, report.error, report.recomputed) == (False, None, [])
    assert store.snapshot() == snapshot
    assert store.counts == {}


def test_an_unchanged_verdict_is_not_written_again():
    store = booked_with_sheets()
    bad = {"mon": [{"start": "25:00", "end": "26:00"}]}
    edit_availability(store, bad)
    recorded = store.doc(paths.AVAILABILITY, PROVIDER_ID)
    version = store.version(paths.AVAILABILITY, PROVIDER_ID)
    # the admin edits another field; the verdict would be the same
    after = {**recorded, "overrides": []}
    config_changes.availability_changed(store, PROVIDER_ID, recorded, after, now=NOW + timedelta(minutes=1))
    assert store.version(paths.AVAILABILITY, PROVIDER_ID) == version


def test_deactivating_the_provider_closes_every_sheet_and_flags_its_appointments():
    store = booked_with_sheets()
    before = store.doc(paths.PROVIDERS, PROVIDER_ID)
    after = {**before, "active": False}
    store.put(paths.PROVIDERS, PROVIDER_ID, after)

    report = config_changes.provider_changed(store, PROVIDER_ID, before, after, now=NOW)

    assert report.applied
    assert sorted(report.recomputed[0].flagged) == ["mon-10", "tue-14"]
    monday = store.stored_sheet(PROVIDER_ID, MON)
    assert (monday.open, monday.available, [b.appointment_id for b in monday.blocks]) == ((), {}, ["mon-10"])
    assert_sheets_equal_a_fresh_build(store)


def test_changing_a_types_duration_recomputes_the_sheets_of_providers_offering_it():
    store = booked_with_sheets()
    before = store.doc(paths.APPOINTMENT_TYPES, TYPE_ID)
    after = {**before, "durationMinutes": 60, "slotIntervalMinutes": 60}
    store.put(paths.APPOINTMENT_TYPES, TYPE_ID, after)

    report = config_changes.appointment_type_changed(store, TYPE_ID, before, after, now=NOW)

    assert report.applied and [r.provider_id for r in report.recomputed] == [PROVIDER_ID]
    assert_sheets_equal_a_fresh_build(store)
    # hourly now: 09:00 .. 16:00 local on a free day (Wednesday 14 January)
    wed = store.stored_sheet(PROVIDER_ID, date(2026, 1, 14))
    assert wed.available[TYPE_ID] == [utc(2026, 1, 14, 8 + i) for i in range(8)]


def test_an_invalid_type_edit_is_not_applied():
    store = booked_with_sheets()
    sheets_before = store.snapshot()["slots"]
    before = store.doc(paths.APPOINTMENT_TYPES, TYPE_ID)
    after = {**before, "durationMinutes": 0}
    store.put(paths.APPOINTMENT_TYPES, TYPE_ID, after)
    report = config_changes.appointment_type_changed(store, TYPE_ID, before, after, now=NOW)
    assert (report.applied, report.error) == (False, "durationMinutes: Input should be greater than or equal to 1")
    assert store.doc(paths.APPOINTMENT_TYPES, TYPE_ID)["validation"]["errors"] == [report.error]
    assert store.snapshot()["slots"] == sheets_before


def test_a_recompute_racing_a_booking_never_drops_its_block():
    store = booked_with_sheets()
    store.put(paths.AVAILABILITY, PROVIDER_ID, {
        **store.doc(paths.AVAILABILITY, PROVIDER_ID), "weekly": MONDAY_AFTERNOONS})
    # a booking on Monday commits between the recompute's reads and its commit
    store.before_commit.append(lambda: submit(store, "mon-15", utc(2026, 1, 12, 14), customer="cust-alan"))

    recompute_provider(store, PROVIDER_ID, now=NOW)

    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["mon-10", "mon-15"]
    assert store.counts["conflicts"] == 1
    assert_sheets_equal_a_fresh_build(store)


def test_recompute_of_an_unknown_provider_reports_it():
    assert recompute_provider(seeded(), "nobody", now=NOW).error == "no such provider"


def test_recompute_with_a_broken_availability_reports_it_and_writes_nothing():
    store = booked_with_sheets()
    store.put(paths.AVAILABILITY, PROVIDER_ID, {"providerId": PROVIDER_ID, "weekly": {"mon": "all day"}})
    before = store.snapshot()["slots"]
    report = recompute_provider(store, PROVIDER_ID, now=NOW)
    assert report.error.startswith("not applied: weekly.mon")
    assert store.snapshot()["slots"] == before


def test_a_provider_without_availability_gets_closed_sheets():
    store = seeded()
    store.delete(paths.AVAILABILITY, PROVIDER_ID)
    recompute_provider(store, PROVIDER_ID, now=NOW)
    assert store.stored_sheet(PROVIDER_ID, MON).open == ()
    assert store.stored_sheet(PROVIDER_ID, MON).available == {TYPE_ID: []}



def test_an_availability_refused_for_its_zone_is_not_applied_by_a_later_recompute():
    store = booked_with_sheets()
    sheets_before = store.snapshot()["slots"]
    before = store.doc(paths.AVAILABILITY, PROVIDER_ID)
    after = {**before, "timeZone": "Europe/London", "weekly": MONDAY_AFTERNOONS}
    store.put(paths.AVAILABILITY, PROVIDER_ID, after)
    assert not config_changes.availability_changed(store, PROVIDER_ID, before, after, now=NOW).applied

    # an unrelated edit of the type (its price) recomputes the provider
    type_before = store.doc(paths.APPOINTMENT_TYPES, TYPE_ID)
    type_after = {**type_before, "price": 60}
    store.put(paths.APPOINTMENT_TYPES, TYPE_ID, type_after)
    config_changes.appointment_type_changed(store, TYPE_ID, type_before, type_after, now=NOW)

    assert store.snapshot()["slots"] == sheets_before
