"""Completed and no-show appointments hold their block: the time was used,
and a visit marked done early must not reopen its slot to a booking that
would overlap a customer still in the room. The status-change trigger never
releases them, and the full recompute (the sweep's) agrees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from booking.services.recompute import recompute_provider
from booking.services.sweep import sweep
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, TYPE_ID, from_scratch, seeded, submit, utc

MON = date(2026, 1, 12)
MON_10 = utc(2026, 1, 12, 9)  # 10:00 in Berlin


def booked_and_marked(status: str):
    store = seeded()
    assert submit(store, "visit", MON_10).status == "confirmed"
    sweep(store, now=NOW)  # every sheet of the horizon exists
    store.patch(paths.APPOINTMENTS, "visit", {"status": status, "updatedAt": NOW})
    return store


@pytest.mark.parametrize("status", ["completed", "no_show"])
def test_the_sweep_keeps_the_block_of_a_completed_or_no_show_appointment_and_releases_nothing(status):
    store = booked_and_marked(status)

    report = sweep(store, now=NOW + timedelta(hours=1))

    assert report.released == []
    assert report.errors == {}
    monday = store.stored_sheet(PROVIDER_ID, MON)
    assert [b.appointment_id for b in monday.blocks] == ["visit"]
    assert MON_10 not in monday.available[TYPE_ID]
    assert store.doc(paths.APPOINTMENTS, "visit")["status"] == status
    assert monday == from_scratch(store, PROVIDER_ID, MON)


def test_a_recompute_writes_nothing_when_only_a_status_moved_to_completed():
    store = booked_and_marked("completed")
    store.counts.clear()

    report = recompute_provider(store, PROVIDER_ID, now=NOW)

    assert (report.written, report.released) == (0, [])
    assert store.counts["writes"] == 0


def test_a_sheet_built_after_the_visit_was_marked_done_holds_its_block():
    store = booked_and_marked("no_show")
    store.delete(paths.SLOTS, f"{PROVIDER_ID}_{MON.isoformat()}")

    report = recompute_provider(store, PROVIDER_ID, now=NOW)

    assert report.released == []
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["visit"]


def test_held_blocks_between_finds_confirmed_completed_and_no_show_but_not_cancelled():
    store = seeded()
    for n, status in enumerate(["confirmed", "completed", "no_show", "cancelled"]):
        assert submit(store, status, MON_10 + timedelta(hours=n)).status == "confirmed"
        store.patch(paths.APPOINTMENTS, status, {"status": status})

    found = store.held_blocks_between(PROVIDER_ID, MON_10, MON_10 + timedelta(hours=4))

    assert [(a.id, a.status.value) for a in found] == [
        ("confirmed", "confirmed"), ("completed", "completed"), ("no_show", "no_show")]


def test_a_cancelled_appointment_whose_trigger_was_lost_is_still_released_by_the_sweep():
    store = booked_and_marked("cancelled")

    report = sweep(store, now=NOW + timedelta(hours=1))

    assert report.released == ["visit"]
    assert store.stored_sheet(PROVIDER_ID, MON).blocks == ()
