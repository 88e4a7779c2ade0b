"""The Trigger Email extension's report on a mail, written as the extension
writes it (an update of `delivery` on `mail/{id}`), reaches the real
trigger: a failed confirmation ends on its appointment's `notifications`."""

from __future__ import annotations

from datetime import UTC, datetime

from support import emulator
from support.world import a_future_day, add_customer, at, seed, wait_for, wait_for_sheet, wait_for_status

GAVE_UP = datetime(2026, 1, 6, 11, 59, tzinfo=UTC)


def booked(db, new_user, request_id: str) -> None:
    uid, token, _ = new_user()
    seed(db)
    add_customer(db, uid)
    day = a_future_day()
    start = at(day, 10)
    assert wait_for_sheet(db, "dr-ada", day, lambda s: start in s["available"]["consult"])
    resp = emulator.rest_create(f"bookingRequests/{request_id}", {
        "customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
        "status": "pending", "createdAt": emulator.SERVER_TIME}, token)
    assert resp.status_code == 200, resp.text
    assert wait_for_status(db, f"bookingRequests/{request_id}")["status"] == "confirmed"


def test_a_confirmation_the_extension_could_not_deliver_is_recorded_on_the_appointment(db, clean_firestore,
                                                                                       new_user):
    booked(db, new_user, "d1")
    mail = db.document("mail/d1-confirmed")
    # what the extension writes while it works, then when the SMTP server refuses
    mail.update({"delivery": {"state": "PROCESSING", "attempts": 0}})
    mail.update({"delivery": {"state": "ERROR", "attempts": 1, "endTime": GAVE_UP,
                              "error": "Invalid login: 535 Authentication failed"}})

    recorded = wait_for(lambda: db.document("appointments/d1").get().to_dict().get("notifications"))

    assert recorded == [{"mailId": "d1-confirmed", "kind": "confirmed", "state": "ERROR",
                         "error": "Invalid login: 535 Authentication failed", "at": GAVE_UP}]
    appointment = db.document("appointments/d1").get().to_dict()
    assert appointment["status"] == "confirmed"
