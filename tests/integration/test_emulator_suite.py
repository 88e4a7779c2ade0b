"""The emulator suite the other tests stand on is real and wired up."""

from __future__ import annotations

import time

from google.cloud import firestore
from support import emulator


def test_a_document_written_by_the_admin_client_reads_back(db, clean_firestore):
    db.document("appointmentTypes/consult").set({"name": "Consultation", "durationMinutes": 30})

    snapshot = db.document("appointmentTypes/consult").get()

    assert snapshot.exists
    assert snapshot.to_dict() == {"name": "Consultation", "durationMinutes": 30}


def test_the_emulator_enforces_rules_for_clients_but_not_for_the_owner(clean_firestore, new_user):
    uid, token, _ = new_user()
    data = {"customerId": uid, "note": "hello"}

    as_client = emulator.rest_create("auditProbe/client-write", data, token)
    as_owner = emulator.rest_create("auditProbe/owner-write", data, "owner")

    assert as_client.status_code == 403
    assert as_owner.status_code == 200
    assert emulator.rest_get("auditProbe/owner-write", "owner").json()["fields"]["note"] == {
        "stringValue": "hello"
    }
    assert emulator.rest_get("auditProbe/client-write", "owner").status_code == 404


def test_a_created_booking_request_fires_the_python_trigger(db, clean_firestore):
    ref = db.collection("bookingRequests").document("trigger-probe")
    ref.set({"status": "pending", "createdAt": firestore.SERVER_TIMESTAMP})

    deadline = time.monotonic() + 30
    data = ref.get().to_dict()
    while time.monotonic() < deadline and data.get("status") == "pending":
        time.sleep(0.25)
        data = ref.get().to_dict()

    assert data["status"] == "rejected"
    assert data["reason"] == "invalid_request"
    assert data["message"] == "customerId is required"
