"""A customer's erasure against the real emulators: their upcoming
appointments are cancelled through the cancel path (the slots reopen), no
document anywhere keeps their name, e-mail or phone, their account and its
tokens stop working, a second run changes nothing, and a run cut short
after its first batch is finished by the next."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from booking.domain.privacy import Requester
from booking.services.erasure import erase, resume_erasures
from booking.store.clients import admin_app
from booking.store.privacy import FirebaseAccounts, FirestorePrivacy
from firebase_admin import auth
from support import emulator
from support.api import call
from support.world import a_future_day, at, seed, wait_for, wait_for_sheet, wait_for_status

NAME = "Grace Hopper"
PHONE = "+442079460958"
OLD_EMAIL = "grace.old@example.org"
OTHER = "Alan Turing"
ADMIN = Requester(uid="admin-1", role="admin")


def past_appointment(uid: str, n: int, status: str, **extra) -> dict:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=10 + n)
    return {
        "providerId": "dr-ada", "customerId": uid, "appointmentTypeId": "consult", "start": start,
        "end": start + timedelta(minutes=30), "blockStart": start, "blockEnd": start + timedelta(minutes=30),
        "status": status, "timeZone": "UTC", "cancellableUntil": start - timedelta(hours=2),
        "customerName": NAME, "providerName": "Dr. Ada Lovelace", "typeName": "Consultation",
        "notes": f"{NAME} prefers mornings, call {PHONE}", "held": status != "cancelled",
        "history": [{"at": start - timedelta(days=3), "status": "confirmed", "by": uid}], **extra,
    }


def request_doc(uid: str, start: datetime, **extra) -> dict:
    return {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
            "status": "pending", "createdAt": emulator.SERVER_TIME, **extra}


def every_document(db) -> dict[str, dict]:
    """Every document of every collection, subcollections included, by path."""
    found: dict[str, dict] = {}

    def walk(collections):
        for collection in collections:
            for ref in collection.list_documents():
                snapshot = ref.get()
                if snapshot.exists:
                    found[ref.path] = snapshot.to_dict()
                walk(ref.collections())

    walk(db.collections())
    # The any-provider view's entries carry the version of the sheet they were
    # read from; a refresh that comes late may move it on with the same starts.
    for path, data in found.items():
        if path.startswith("typeSlots/"):
            for entry in (data.get("sheets") or {}).values():
                entry.pop("version", None)
    return found


def mentions(documents: dict[str, dict], *needles: str) -> list[str]:
    lowered = [n.lower() for n in needles]
    return sorted(path for path, data in documents.items() if any(n in repr(data).lower() for n in lowered))


@pytest.fixture
def grace(db, clean_firestore, new_user):
    """A customer with two upcoming appointments (booked by the trigger,
    with their mails and reminders), five past ones, a pending request, a
    text message and a mail sent to an earlier address; and another
    customer beside her."""
    # no reminders: the Cloud Tasks emulator sends them whenever it gets to
    # them, which would make the number of mails to erase a race
    seed(db, type_fields={"reminders": []})
    uid, token, email = new_user()
    db.document(f"customers/{uid}").set({"name": NAME, "email": email, "phone": PHONE})
    other_uid, other_token, _ = new_user()
    db.document(f"customers/{other_uid}").set({"name": OTHER, "email": "alan@example.com"})
    day = a_future_day()
    assert wait_for_sheet(db, "dr-ada", day, lambda s: len(s["available"].get("consult", [])) == 16)
    upcoming = {"up-1": at(day, 10), "up-2": at(day, 11)}
    for request_id, start in upcoming.items():
        assert emulator.rest_create(f"bookingRequests/{request_id}", request_doc(uid, start, notes=f"for {NAME}"),
                                    token).status_code == 200
        assert wait_for_status(db, f"bookingRequests/{request_id}")["status"] == "confirmed"
    assert emulator.rest_create("bookingRequests/alan-1", request_doc(other_uid, at(day, 12)),
                                other_token).status_code == 200
    assert wait_for_status(db, "bookingRequests/alan-1")["status"] == "confirmed"
    for n, status in enumerate(("completed", "completed", "no_show", "cancelled", "completed")):
        extra = {"cancelReason": f"{NAME} is ill", "cancelledBy": uid} if status == "cancelled" else {}
        db.document(f"appointments/past-{n}").set(past_appointment(uid, n, status, **extra))
    db.document("mail/past-0-confirmed").set({"to": OLD_EMAIL, "appointmentId": "past-0", "kind": "confirmed",
                                              "message": {"subject": "Confirmed", "text": f"Hello {NAME},"}})
    db.document("messages/up-1-reminder").set({"to": PHONE, "body": f"Hi {NAME}", "appointmentId": "up-1",
                                               "kind": "reminder"})
    emulator.set_background_triggers(False)
    try:
        db.document("bookingRequests/pending-1").set(
            request_doc(uid, at(day, 14), notes=f"{NAME}, {PHONE}", createdAt=datetime.now(UTC)))
    finally:
        emulator.set_background_triggers(True)
    emulator.wait_for_functions_idle()
    mails = [p for p in mentions(every_document(db), email, NAME, OLD_EMAIL) if p.startswith("mail/")]
    assert mails == ["mail/past-0-confirmed", "mail/up-1-confirmed", "mail/up-2-confirmed"]
    return {"uid": uid, "token": token, "email": email, "day": day, "upcoming": upcoming}


def now() -> datetime:
    return datetime.now(UTC)


def test_an_erased_customer_leaves_no_trace_and_her_slots_reopen(db, grace):
    job = erase(FirestorePrivacy(db), FirebaseAccounts(admin_app()), grace["uid"], now=now(), by=ADMIN)

    assert job.state.value == "done"
    assert job.counts == {"accounts": 1, "cancelled": 2, "appointments": 7, "requests": 3,
                          "mails": 3, "messages": 1, "profiles": 1}
    day = grace["day"]
    sheet = wait_for_sheet(db, "dr-ada", day, lambda s: at(day, 10) in s["available"]["consult"])
    assert at(day, 11) in sheet["available"]["consult"]
    assert at(day, 12) not in sheet["available"]["consult"]  # the other customer keeps hers
    emulator.wait_for_functions_idle()
    everything = every_document(db)
    assert mentions(everything, NAME, "Grace", grace["email"], PHONE, PHONE[1:], OLD_EMAIL) == []
    cancelled = everything["appointments/up-1"]
    assert (cancelled["status"], cancelled["cancelReason"], cancelled["cancelledBy"], cancelled["held"]) == (
        "cancelled", "customer_erased", "admin-1", False)
    assert cancelled["customerName"] == "" and "notes" not in cancelled
    past = everything["appointments/past-3"]
    assert (past["status"], past["start"], past["providerId"], past["appointmentTypeId"]) == (
        "cancelled", past_appointment(grace["uid"], 3, "cancelled")["start"], "dr-ada", "consult")
    assert "cancelReason" not in past
    pending = everything["bookingRequests/pending-1"]
    assert (pending["status"], pending["reason"], "notes" in pending) == ("rejected", "unknown_customer", False)
    assert pending["expiresAt"] == pending["processedAt"] + timedelta(days=30)
    confirmed = everything["bookingRequests/up-1"]
    assert confirmed["expiresAt"] == confirmed["processedAt"] + timedelta(days=30)
    assert f"customers/{grace['uid']}" not in everything
    assert everything["appointments/alan-1"]["customerName"] == OTHER
    audit = everything[f"erasures/{grace['uid']}"]
    assert (audit["state"], audit["requestedBy"], audit["customerId"]) == (
        "done", {"uid": "admin-1", "role": "admin"}, grace["uid"])
    with pytest.raises(auth.UserNotFoundError):
        auth.get_user(grace["uid"], app=admin_app())
    refused = call("GET", "/appointments/whoami", grace["token"])
    assert (refused.status_code, refused.json()["code"]) == (401, "unauthenticated")


def settled(db) -> dict[str, dict]:
    """Every document once the backend's triggers have finished with them:
    the functions emulator idle for 2 s and nothing changed for 3 s (the
    erasure's writes fire appointment and sheet triggers, run one at a time)."""
    emulator.wait_for_functions_idle(quiet=2.0)
    previous, unchanged = every_document(db), 0
    for _ in range(60):
        if unchanged == 3:
            break
        time.sleep(1)
        current = every_document(db)
        unchanged = unchanged + 1 if current == previous else 0
        previous = current
    return previous


def test_erasing_again_changes_nothing(db, grace):
    first = erase(FirestorePrivacy(db), FirebaseAccounts(admin_app()), grace["uid"], now=now(), by=ADMIN)
    before = settled(db)

    again = erase(FirestorePrivacy(db), FirebaseAccounts(admin_app()), grace["uid"], now=now(),
                  by=Requester(uid="admin-2", role="admin"))
    emulator.wait_for_functions_idle(quiet=2.0)

    assert again == first
    assert every_document(db) == before


class CrashAfterFirstAppointmentBatch(FirestorePrivacy):
    """The process dies once the first batch of appointments is written."""

    def __init__(self, client) -> None:
        super().__init__(client)
        self.appointment_batches = 0

    def apply_erasure(self, updates, deletes) -> None:
        if any(kind == "appointment" for kind, *_ in updates):
            self.appointment_batches += 1
            if self.appointment_batches > 1:
                raise RuntimeError("the instance was shut down")
        super().apply_erasure(updates, deletes)


def test_an_erasure_cut_short_after_its_first_batch_is_finished_by_the_next_run(db, grace):
    crashing = CrashAfterFirstAppointmentBatch(db)
    accounts = FirebaseAccounts(admin_app())
    with pytest.raises(RuntimeError):
        erase(crashing, accounts, grace["uid"], now=now(), by=ADMIN, batch_size=2, max_batches=100)
    halfway = db.document(f"erasures/{grace['uid']}").get().to_dict()
    assert (halfway["state"], halfway["phase"], halfway["counts"]["appointments"]) == ("running", "appointments", 2)
    assert mentions(every_document(db), NAME) != []

    resumed = resume_erasures(FirestorePrivacy(db), accounts, now=now(), batch_size=2, max_batches=100)

    assert [(j.customer_id, j.state.value, j.counts["appointments"], j.counts["cancelled"]) for j in resumed] == [
        (grace["uid"], "done", 7, 2)]
    emulator.wait_for_functions_idle()
    assert mentions(every_document(db), NAME, grace["email"], PHONE, OLD_EMAIL) == []
    assert wait_for(lambda: resume_erasures(FirestorePrivacy(db), accounts, now=now()) == [])
