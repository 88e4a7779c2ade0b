"""Client-chosen ids that used to poison the backend: a 1,496-byte request id
made the trigger write `mail/<id>-confirmed` past Firestore's 1,500-byte
limit (InvalidArgument, request pending for ever); `" "` and `"trail "` were
mangled on their way to the trigger. The rules now refuse such ids, and a
request made with one through the admin SDK or the console (which bypass
the rules) ends `rejected` with `invalid_request` and no mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from booking.services.booking import process_request
from booking.services.sweep import sweep
from booking.store.clients import db as firestore_client
from booking.store.firestore_store import FirestoreStore
from google.cloud import firestore
from support import emulator
from support.world import a_future_day, at, seed

DAY = a_future_day(6)
POISONED = ["x" * 1496, "x" * 1400, "x" * 129, " ", "trail "]  # 1,496: the reported attack
RULE = "1 to 128 characters, each a letter A-Z or a-z, a digit, '_' or '-' (not __like_this__)"


@pytest.fixture
def world(db, clean_firestore):
    seed(db, customers=("cust-1",))
    return db


def client_request(uid: str) -> dict:
    return {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": at(DAY, 10),
            "status": "pending", "createdAt": emulator.SERVER_TIME}


@pytest.mark.parametrize("request_id", POISONED)
def test_the_rules_refuse_a_request_whose_id_is_outside_the_alphabet(world, new_user, request_id):
    uid, token, _ = new_user()

    refused = emulator.rest_create(f"bookingRequests/{request_id}", client_request(uid), token)
    accepted = emulator.rest_create("bookingRequests/safe-id_1", client_request(uid), token)

    assert refused.status_code == 403, refused.text
    assert accepted.status_code == 200, accepted.text
    assert [d.id for d in world.collection("bookingRequests").stream()] == ["safe-id_1"]


def admin_created(db, request_id: str):
    """A request written with the admin client, triggers off, so that the
    call below is the only one to process it."""
    emulator.set_background_triggers(False)
    try:
        ref = db.document(f"bookingRequests/{request_id}")
        ref.set({"customerId": "cust-1", "providerId": "dr-ada", "appointmentTypeId": "consult",
                 "start": at(DAY, 10), "status": "pending", "createdAt": firestore.SERVER_TIMESTAMP})
    finally:
        emulator.set_background_triggers(True)
    return ref.get()


@pytest.mark.parametrize("request_id", POISONED)
def test_a_request_made_with_the_admin_sdk_under_a_poisoned_id_is_rejected_as_invalid(world, request_id):
    snapshot = admin_created(world, request_id)
    assert snapshot.id == request_id

    outcome = process_request(FirestoreStore(firestore_client()), request_id, snapshot.to_dict(),
                              version=snapshot.update_time, now=datetime.now(UTC))

    assert (outcome.status, outcome.reason.value, outcome.replayed) == ("rejected", "invalid_request", False)
    stored = world.document(f"bookingRequests/{request_id}").get().to_dict()
    assert (stored["status"], stored["reason"], stored["message"]) == (
        "rejected", "invalid_request", f"the request id must be {RULE}")
    assert list(world.collection("mail").stream()) == []
    assert list(world.collection("appointments").stream()) == []


def test_the_sweep_settles_a_poisoned_pending_request_instead_of_leaving_it_pending(world):
    request_id = "x" * 1400
    admin_created(world, request_id)

    report = sweep(FirestoreStore(firestore_client()), now=datetime.now(UTC) + timedelta(minutes=3))

    assert report.requests == {request_id: "rejected"}
    assert world.document(f"bookingRequests/{request_id}").get().to_dict()["reason"] == "invalid_request"
    assert list(world.collection("mail").stream()) == []
