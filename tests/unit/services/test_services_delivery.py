"""A mail the Trigger Email extension could not deliver ends on its
appointment's `notifications`, once per mail, conditioned on the version read."""

from __future__ import annotations

from datetime import UTC, datetime

from booking.services.delivery import Recorded, mail_delivery_changed
from booking.services.retry import Backoff
from booking.store import paths
from fake_store import NOW, seeded, submit, utc

LATER = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)
GAVE_UP = datetime(2026, 1, 6, 11, 59, tzinfo=UTC)


def booked():
    store = seeded()
    assert submit(store, "r1", utc(2026, 1, 12, 9)).status == "confirmed"
    return store


def failed(mail_id: str = "r1-confirmed", **delivery) -> dict:
    mail = dict(booked_mail(mail_id))
    mail["delivery"] = {"state": "ERROR", "error": "550 5.1.1 mailbox unavailable", "attempts": 1,
                        "endTime": GAVE_UP, **delivery}
    return mail


def booked_mail(mail_id: str) -> dict:
    return {"to": "grace@example.com", "message": {"subject": "Confirmed"}, "appointmentId": "r1",
            "kind": mail_id.split("-", 1)[1]}


def notifications(store) -> list:
    return store.doc(paths.APPOINTMENTS, "r1").get("notifications")


def test_an_error_is_recorded_on_the_appointment_with_what_the_mail_was_for():
    store = booked()

    outcome = mail_delivery_changed(store, "r1-confirmed", failed(), now=LATER)

    assert (outcome.result, outcome.appointment_id) == (Recorded.RECORDED, "r1")
    assert notifications(store) == [{"mailId": "r1-confirmed", "kind": "confirmed", "state": "ERROR",
                                     "error": "550 5.1.1 mailbox unavailable", "at": GAVE_UP}]


def test_a_redelivered_event_records_the_same_mail_once():
    store = booked()
    mail_delivery_changed(store, "r1-confirmed", failed(), now=LATER)
    before = store.snapshot()

    again = mail_delivery_changed(store, "r1-confirmed", failed(error="421 try later"), now=LATER)

    assert again.result is Recorded.ALREADY
    assert store.snapshot() == before


def test_a_second_failed_mail_is_added_after_the_first():
    store = booked()
    mail_delivery_changed(store, "r1-confirmed", failed(), now=LATER)

    mail_delivery_changed(store, "r1-cancelled", failed("r1-cancelled", endTime=None, error=None), now=LATER)

    assert [(n["mailId"], n["kind"], n["error"], n["at"]) for n in notifications(store)] == [
        ("r1-confirmed", "confirmed", "550 5.1.1 mailbox unavailable", GAVE_UP),
        ("r1-cancelled", "cancelled", None, LATER)]


def test_success_and_progress_are_not_recorded():
    store = booked()
    before = store.snapshot()

    for state in ("PENDING", "PROCESSING", "SUCCESS"):
        outcome = mail_delivery_changed(store, "r1-confirmed", failed(state=state), now=LATER)
        assert outcome.result is Recorded.NOT_FAILED
    assert mail_delivery_changed(store, "r1-confirmed", booked_mail("r1-confirmed"), now=LATER).result \
        is Recorded.NOT_FAILED
    assert mail_delivery_changed(store, "r1-confirmed", None, now=LATER).result is Recorded.NOT_FAILED
    assert store.snapshot() == before


def test_a_mail_about_no_appointment_is_ignored():
    store = booked()
    rejection = {"to": "grace@example.com", "requestId": "r9", "kind": "rejected",
                 "delivery": {"state": "ERROR", "error": "bounced"}}
    before = store.snapshot()

    assert mail_delivery_changed(store, "r9-rejected", rejection, now=LATER).result is Recorded.NO_APPOINTMENT
    assert mail_delivery_changed(store, "x", {**rejection, "appointmentId": "gone"}, now=LATER).result \
        is Recorded.NO_APPOINTMENT
    assert mail_delivery_changed(store, "x", {**rejection, "appointmentId": "../r1"}, now=LATER).result \
        is Recorded.NO_APPOINTMENT
    assert store.snapshot() == before


def test_a_change_between_read_and_write_is_kept_and_the_record_read_again():
    store = booked()
    # another mail's failure is recorded while this one is
    other = {"mailId": "r1-reminder-1440-1768208400", "kind": "reminder", "state": "ERROR", "error": "bounced",
             "at": GAVE_UP}
    store.before_commit.append(lambda: store.patch(paths.APPOINTMENTS, "r1", {"notifications": [other]}))

    outcome = mail_delivery_changed(store, "r1-confirmed", failed(), now=LATER, backoff=Backoff(sleep=lambda _: None))

    assert outcome.result is Recorded.RECORDED
    assert [n["mailId"] for n in notifications(store)] == ["r1-reminder-1440-1768208400", "r1-confirmed"]


def test_a_long_error_is_cut_to_its_first_500_characters():
    store = booked()

    mail_delivery_changed(store, "r1-confirmed", failed(error="x" * 2000), now=LATER)

    assert notifications(store)[0]["error"] == "x" * 500


def test_the_appointment_reads_back_with_its_notifications():
    store = booked()
    mail_delivery_changed(store, "r1-confirmed", failed(), now=NOW)

    assert store.appointment("r1").notifications == notifications(store)
