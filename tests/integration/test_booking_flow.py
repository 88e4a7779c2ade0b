"""A client's booking request, written through the rules, is confirmed or
rejected by the real trigger, and the ledger, appointment and mail agree."""

from __future__ import annotations

from support import emulator
from support.world import a_future_day, add_customer, at, seed, wait_for_sheet, wait_for_status


def request_doc(uid, start, provider="dr-ada", type_id="consult", **extra):
    return {"customerId": uid, "providerId": provider, "appointmentTypeId": type_id, "start": start,
            "status": "pending", "createdAt": emulator.SERVER_TIME, **extra}


def test_a_customer_rest_write_is_confirmed_with_appointment_sheet_and_mail(db, clean_firestore, new_user):
    uid, token, _ = new_user()
    seed(db)
    add_customer(db, uid)
    day = a_future_day()
    start = at(day, 10)
    assert wait_for_sheet(db, "dr-ada", day, lambda s: start in s["available"]["consult"])

    resp = emulator.rest_create("bookingRequests/req-1", request_doc(uid, start), token)
    assert resp.status_code == 200, resp.text
    request = wait_for_status(db, "bookingRequests/req-1")

    assert request["status"] == "confirmed"
    assert request["appointmentId"] == "req-1"
    appointment = db.document("appointments/req-1").get().to_dict()
    assert appointment["status"] == "confirmed"
    assert appointment["start"] == start
    assert appointment["end"] == at(day, 10, 30)
    assert appointment["customerId"] == uid
    assert appointment["cancellableUntil"] == at(day, 8)
    sheet = wait_for_sheet(db, "dr-ada", day)
    assert start not in sheet["available"]["consult"]
    assert at(day, 10, 30) in sheet["available"]["consult"]
    assert [b["appointmentId"] for b in sheet["booked"]] == ["req-1"]
    mail = db.document("mail/req-1-confirmed").get().to_dict()
    assert mail["to"] == f"{uid.lower()}@example.com"
    ics = mail["message"]["attachments"][0]["content"]
    assert "UID:req-1@booking.firebaseapp" in ics
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in ics


def test_a_request_for_a_taken_slot_is_rejected_slot_taken(db, clean_firestore, new_user):
    first, token1, _ = new_user()
    second, token2, _ = new_user()
    seed(db)
    add_customer(db, first)
    add_customer(db, second)
    day = a_future_day()
    start = at(day, 11)
    wait_for_sheet(db, "dr-ada", day)

    assert emulator.rest_create("bookingRequests/a", request_doc(first, start), token1).status_code == 200
    assert wait_for_status(db, "bookingRequests/a")["status"] == "confirmed"
    assert emulator.rest_create("bookingRequests/b", request_doc(second, start), token2).status_code == 200
    rejected = wait_for_status(db, "bookingRequests/b")

    assert rejected["status"] == "rejected"
    assert rejected["reason"] == "slot_taken"
    assert not db.document("appointments/b").get().exists


def test_a_customer_cancel_under_the_rules_releases_the_slot(db, clean_firestore, new_user):
    uid, token, _ = new_user()
    seed(db)
    add_customer(db, uid)
    day = a_future_day()
    start = at(day, 12)
    wait_for_sheet(db, "dr-ada", day)
    emulator.rest_create("bookingRequests/c1", request_doc(uid, start), token)
    assert wait_for_status(db, "bookingRequests/c1")["status"] == "confirmed"

    resp = emulator.rest_patch("appointments/c1", {"status": "cancelled", "cancelReason": "ill"}, token)
    assert resp.status_code == 200, resp.text

    sheet = wait_for_sheet(db, "dr-ada", day, lambda s: start in s["available"]["consult"])
    assert sheet is not None and sheet["booked"] == []
    appointment = db.document("appointments/c1").get().to_dict()
    assert appointment["cancelledBy"] == uid
    assert appointment["cancelReason"] == "ill"
    assert db.document("mail/c1-cancelled").get().exists
