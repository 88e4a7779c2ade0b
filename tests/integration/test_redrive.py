"""The frequent re-drive on the real Firestore emulator: a request or a
cancel whose trigger never ran is finished by the next run (scheduled
functions never fire in the emulator, so the test calls the service the
scheduled function calls, with the clock moved on by a run's interval)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from booking.services.redrive import redrive
from booking.store.firestore_store import FirestoreStore
from support import emulator
from support.concurrency import own_store, process_stored, triggers_off
from support.invariants import assert_sheets_match_scratch
from support.world import a_future_day, add_customer, at, seed, wait_for_sheet

DAY = a_future_day(4)
NEXT_RUN = timedelta(minutes=2)


def _request(uid, start):
    return {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
            "status": "pending", "createdAt": emulator.SERVER_TIME}


@pytest.fixture
def customer(db, clean_firestore, new_user):
    """(uid, ID token) of a customer of the seeded world, whose sheets exist."""
    seed(db)
    wait_for_sheet(db, "dr-ada", DAY)
    uid, token, _ = new_user()
    add_customer(db, uid)
    return uid, token


def test_a_request_whose_trigger_never_ran_is_confirmed_by_the_next_run(db, customer):
    uid, token = customer
    with triggers_off():
        assert emulator.rest_create("bookingRequests/lost", _request(uid, at(DAY, 10)), token).status_code == 200

    report = redrive(FirestoreStore(db), now=datetime.now(UTC) + NEXT_RUN)

    assert report.requests == {"lost": "confirmed"}
    stored = db.document("bookingRequests/lost").get().to_dict()
    assert (stored["status"], stored["attempts"]) == ("confirmed", 1)
    assert db.document("appointments/lost").get().to_dict()["status"] == "confirmed"
    assert_sheets_match_scratch(db, "dr-ada")


def test_a_customers_cancel_whose_trigger_never_ran_reopens_the_slot_on_the_next_run(db, customer):
    uid, token = customer
    with triggers_off():
        assert emulator.rest_create("bookingRequests/visit", _request(uid, at(DAY, 10)), token).status_code == 200
        assert process_stored(own_store(), "visit").status == "confirmed"
        assert emulator.rest_patch("appointments/visit", {"status": "cancelled"}, token).status_code == 200
    assert at(DAY, 10) not in wait_for_sheet(db, "dr-ada", DAY)["available"]["consult"]

    report = redrive(FirestoreStore(db), now=datetime.now(UTC) + NEXT_RUN)

    assert report.released == ["visit"]
    assert at(DAY, 10) in wait_for_sheet(db, "dr-ada", DAY)["available"]["consult"]
    appointment = db.document("appointments/visit").get().to_dict()
    assert (appointment["held"], appointment["cancelledBy"]) == (False, uid)
    assert_sheets_match_scratch(db, "dr-ada")
