"""A completed or no-show appointment keeps its block on the day sheet after
the daily sweep's full recompute, on the real Firestore emulator: the time
was used, so the slot does not reopen and nothing is reported released.

Scheduled functions never fire in the emulator, so the sweep's service
function is run directly, as `daily_sweep` would run it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from booking.api.auth import Principal
from booking.api.changes import Change, change_appointment
from booking.api.operations import book_for
from booking.services.sweep import sweep
from booking.store.firestore_store import FirestoreStore
from booking.store.repository import Repository
from support import emulator
from support.invariants import assert_sheets_match_scratch
from support.world import a_future_day, at, seed, sheet, wait_for, wait_for_sheet

CUSTOMER = Principal(uid="cust-grace")
STAFF = Principal(uid="staff-ada", provider_id="dr-ada")


def booked(db, day, hour):
    start = at(day, hour)
    assert wait_for_sheet(db, "dr-ada", day, lambda s: start in s.get("available", {}).get("consult", []))
    appointment = book_for(Repository(db), CUSTOMER, provider_id="dr-ada", appointment_type_id="consult",
                           start=start, customer_id=None, notes=None, now=datetime.now(UTC))
    return appointment.id, start


def mark_through_the_api(db, appointment_id, status):
    change_appointment(Repository(db), STAFF, appointment_id, Change(status=status), now=datetime.now(UTC))


def mark_in_the_console(db, appointment_id, status):
    db.document(f"appointments/{appointment_id}").update({"status": status})
    # the update trigger records the console's change in the history
    assert wait_for(lambda: (db.document(f"appointments/{appointment_id}").get().to_dict()["history"][-1]
                             .get("status") == status))


@pytest.mark.parametrize("status", ["completed", "no_show"])
@pytest.mark.parametrize("mark", [mark_through_the_api, mark_in_the_console])
def test_the_sweep_keeps_the_block_of_a_marked_appointment_and_releases_nothing(db, clean_firestore, mark,
                                                                                  status):
    seed(db, customers=(CUSTOMER.uid,))
    day = a_future_day()
    appointment_id, start = booked(db, day, 10)
    mark(db, appointment_id, status)

    report = sweep(FirestoreStore(db), now=datetime.now(UTC))

    assert report.released == []
    assert report.errors == {}
    after = sheet(db, "dr-ada", day)
    assert [b["appointmentId"] for b in after["booked"]] == [appointment_id]
    assert start not in after["available"]["consult"]
    assert at(day, 10, 30) in after["available"]["consult"]
    stored = db.document(f"appointments/{appointment_id}").get().to_dict()
    assert (stored["status"], stored.get("cancelledAt")) == (status, None)
    assert assert_sheets_match_scratch(db, "dr-ada") > 1


def test_the_sweep_still_releases_a_cancel_whose_trigger_was_lost(db, clean_firestore):
    seed(db, customers=(CUSTOMER.uid,))
    day = a_future_day()
    appointment_id, start = booked(db, day, 11)
    emulator.set_background_triggers(False)
    try:
        db.document(f"appointments/{appointment_id}").update({"status": "cancelled"})
        report = sweep(FirestoreStore(db), now=datetime.now(UTC))
    finally:
        emulator.set_background_triggers(True)

    assert report.released == [appointment_id]
    after = sheet(db, "dr-ada", day)
    assert after["booked"] == [] and start in after["available"]["consult"]
    assert db.document(f"appointments/{appointment_id}").get().to_dict()["cancelledBy"] == CUSTOMER.uid
