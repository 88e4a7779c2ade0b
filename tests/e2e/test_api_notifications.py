"""Staff see through the API that a customer was not reached: a mail the
Trigger Email extension marked ERROR shows on the appointment's `notifications`."""

from __future__ import annotations

from support.api import book, call
from support.world import at, wait_for


def test_a_failed_confirmation_mail_shows_on_the_appointment(world, db):
    booked = book(world, at(world.day, 10))
    assert booked.status_code == 201, booked.text
    appointment_id = booked.json()["id"]
    assert booked.json()["notifications"] == []

    db.document(f"mail/{appointment_id}-confirmed").update(
        {"delivery": {"state": "ERROR", "attempts": 1, "error": "550 5.1.1 mailbox unavailable"}})
    # what staff see, asked until the trigger has recorded it
    shown = wait_for(lambda: call("GET", f"/appointments/{appointment_id}", world.staff.token).json()["notifications"],
                     timeout=60)
    [entry] = shown
    assert {k: entry[k] for k in ("mailId", "kind", "state", "error")} == {
        "mailId": f"{appointment_id}-confirmed", "kind": "confirmed", "state": "ERROR",
        "error": "550 5.1.1 mailbox unavailable"}
    assert entry["at"].endswith("Z")
