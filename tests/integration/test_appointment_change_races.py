"""PUT /appointments/{id}'s status marks on the real Firestore emulator: the
write is conditioned on the version read, so a writer that gets in between
the read and the write makes it fail with 409 `concurrent_update`, and no
history entry is ever lost.

Another writer is played at the exact moment between the read and the
write: a Repository whose write first lets that writer commit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from booking.api.auth import Principal
from booking.api.changes import Change, change_appointment
from booking.api.errors import ApiError
from booking.api.operations import book_for
from booking.store.repository import Repository
from support.world import a_future_day, at, seed, wait_for, wait_for_sheet

CUSTOMER = Principal(uid="cust-grace")
STAFF = Principal(uid="staff-ada", provider_id="dr-ada")
ADMIN = Principal(uid="admin-1", admin=True)


class Interleaved(Repository):
    """Runs `meanwhile` once, just before its first appointment update."""

    def __init__(self, client, meanwhile) -> None:
        super().__init__(client)
        self.meanwhile = meanwhile

    def update_appointment(self, appointment, fields, *, version=None):
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile is not None:
            meanwhile()
        super().update_appointment(appointment, fields, version=version)


def booked(db):
    seed(db, customers=(CUSTOMER.uid,))
    day = a_future_day()
    start = at(day, 10)
    assert wait_for_sheet(db, "dr-ada", day, lambda s: start in s.get("available", {}).get("consult", []))
    return book_for(Repository(db), CUSTOMER, provider_id="dr-ada", appointment_type_id="consult", start=start,
                    customer_id=None, notes=None, now=datetime.now(UTC)).id


def history(db, appointment_id):
    return [(h["status"], h["by"]) for h in db.document(f"appointments/{appointment_id}").get().to_dict()["history"]]


def test_of_two_racing_marks_the_later_write_gets_409_and_the_first_history_entry_stays(db, clean_firestore):
    appointment_id = booked(db)

    def admin_marks_no_show():
        change_appointment(Repository(db), ADMIN, appointment_id, Change(status="no_show"), now=datetime.now(UTC))

    with pytest.raises(ApiError) as refused:
        change_appointment(Interleaved(db, admin_marks_no_show), STAFF, appointment_id, Change(status="completed"),
                           now=datetime.now(UTC))

    assert (refused.value.status, refused.value.code) == (409, "concurrent_update")
    stored = db.document(f"appointments/{appointment_id}").get().to_dict()
    assert stored["status"] == "no_show"
    assert history(db, appointment_id) == [("confirmed", CUSTOMER.uid), ("no_show", ADMIN.uid)]


def test_a_mark_racing_a_notes_edit_is_refused_and_the_notes_stay(db, clean_firestore):
    appointment_id = booked(db)

    def customer_edits_notes():
        change_appointment(Repository(db), CUSTOMER, appointment_id, Change(notes="running late", notes_sent=True),
                           now=datetime.now(UTC))

    with pytest.raises(ApiError) as refused:
        change_appointment(Interleaved(db, customer_edits_notes), STAFF, appointment_id,
                           Change(status="completed"), now=datetime.now(UTC))

    assert (refused.value.status, refused.value.code) == (409, "concurrent_update")
    stored = db.document(f"appointments/{appointment_id}").get().to_dict()
    assert (stored["status"], stored["notes"]) == ("confirmed", "running late")
    assert history(db, appointment_id) == [("confirmed", CUSTOMER.uid)]


def test_a_mark_without_a_race_is_written_once_with_who_did_it(db, clean_firestore):
    appointment_id = booked(db)

    done = change_appointment(Repository(db), STAFF, appointment_id, Change(status="completed"),
                              now=datetime.now(UTC))

    assert done.status.value == "completed"
    assert history(db, appointment_id) == [("confirmed", CUSTOMER.uid), ("completed", STAFF.uid)]
    # the update trigger sees the API's own entry and adds none
    assert not wait_for(lambda: len(history(db, appointment_id)) > 2, timeout=3)
