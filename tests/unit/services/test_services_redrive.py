"""The frequent re-drive: nothing stays pending, nothing blocks the queue."""

from __future__ import annotations

from datetime import date, timedelta

from booking.domain.booking_requests import Reason
from booking.services import booking as booking_module
from booking.services.redrive import MAX_ATTEMPTS, redrive
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, request_doc, rounds_only, seeded, submit, utc

MON = date(2026, 1, 12)
A_MINUTE_AGO = NOW - timedelta(minutes=1, seconds=1)


def test_a_request_pending_for_over_a_minute_is_booked_and_its_attempt_recorded():
    store = seeded()
    store.add_request("lost", request_doc(utc(2026, 1, 12, 9), created=A_MINUTE_AGO))
    store.add_request("young", request_doc(utc(2026, 1, 12, 13), created=NOW - timedelta(seconds=59)))

    report = redrive(store, now=NOW, backoff=rounds_only(5))

    assert report.requests == {"lost": "confirmed"}
    lost = store.doc(paths.BOOKING_REQUESTS, "lost")
    assert (lost["status"], lost["attempts"], lost["lastAttemptAt"]) == ("confirmed", 1, NOW)
    assert store.doc(paths.BOOKING_REQUESTS, "young")["status"] == "pending"


def test_a_request_that_ran_out_of_time_is_retried_and_rejected_after_its_last_attempt():
    store = seeded()
    submit(store, "taker", utc(2026, 1, 12, 13))
    store.add_request("contended", request_doc(utc(2026, 1, 12, 9), created=A_MINUTE_AGO))
    # Every round of every attempt loses its sheet to another writer.
    never_wins = lambda: store.touch(paths.SLOTS, f"{PROVIDER_ID}_2026-01-12")  # noqa: E731
    store.before_commit.extend([never_wins] * 100)

    statuses = [redrive(store, now=NOW + timedelta(minutes=2 * n), backoff=rounds_only(3)).requests
                for n in range(MAX_ATTEMPTS + 1)]

    assert statuses == [{"contended": "pending"}] * MAX_ATTEMPTS + [{"contended": "rejected"}]
    stored = store.doc(paths.BOOKING_REQUESTS, "contended")
    assert (stored["status"], stored["reason"], stored["attempts"]) == ("rejected", "processing_failed", 3)
    assert stored["message"] == "We could not process this booking request after 3 attempts. Please try again."


def test_a_request_whose_booking_raises_is_rejected_at_once_and_the_next_one_is_still_booked(monkeypatch):
    store = seeded()
    real_book = booking_module.book

    def explode_on_poison(store_, request, **kwargs):
        if request.id.startswith("poison"):
            raise IndexError("no such thing")
        return real_book(store_, request, **kwargs)

    monkeypatch.setattr(booking_module, "book", explode_on_poison)
    for n in range(150):
        store.add_request(f"poison-{n:03d}", request_doc(utc(2026, 1, 12, 9), created=A_MINUTE_AGO - timedelta(1)))
    store.add_request("legit", request_doc(utc(2026, 1, 12, 13), created=A_MINUTE_AGO))

    first = redrive(store, now=NOW, limit=100, backoff=rounds_only(3))
    second = redrive(store, now=NOW + timedelta(minutes=2), limit=100, backoff=rounds_only(3))

    assert set(first.requests.values()) == {"rejected"} and len(first.requests) == 100
    assert second.requests["legit"] == "confirmed"
    poisoned = store.doc(paths.BOOKING_REQUESTS, "poison-000")
    assert (poisoned["status"], poisoned["reason"]) == ("rejected", Reason.PROCESSING_FAILED.value)
    assert store.ids(paths.MAIL) == ["legit-confirmed"]


def test_a_cancel_whose_trigger_was_lost_is_released_within_one_run():
    store = seeded()
    submit(store, "req-1", utc(2026, 1, 12, 9))
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "cancelled"})  # under the rules; no trigger ran

    report = redrive(store, now=NOW + timedelta(minutes=2), backoff=rounds_only(3))

    assert report.released == ["req-1"]
    assert store.stored_sheet(PROVIDER_ID, MON).blocks == ()
    appointment = store.doc(paths.APPOINTMENTS, "req-1")
    assert (appointment["held"], appointment["cancelledBy"]) == (False, "cust-grace")
    assert redrive(store, now=NOW + timedelta(minutes=4)).released == []


def test_a_completed_appointment_is_not_released():
    store = seeded()
    submit(store, "req-1", utc(2026, 1, 12, 9))
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "completed"})

    assert redrive(store, now=NOW + timedelta(minutes=2)).released == []
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["req-1"]
