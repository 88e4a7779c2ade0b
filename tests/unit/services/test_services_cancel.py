"""cancel (on someone's behalf) and finish_cancel (after a client set the status)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from booking.domain.refusals import Refusal
from booking.services.cancel import cancel, finish_cancel
from booking.store import paths
from fake_store import CUSTOMER_ID, NOW, PROVIDER_ID, from_scratch, seeded, submit, utc

MON = date(2026, 1, 12)
TEN_BERLIN = utc(2026, 1, 12, 9)
LATER = utc(2026, 1, 6, 12, 0)

CANCEL_ICS = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//firebase-booking//appointments//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "METHOD:CANCEL\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY:Consultation with Dr. Ada Lovelace\r\n"
    "DTSTART:20260112T090000Z\r\n"
    "DTEND:20260112T093000Z\r\n"
    "DTSTAMP:20260106T120000Z\r\n"
    "UID:req-1@booking.firebaseapp\r\n"
    "SEQUENCE:1\r\n"
    "ATTENDEE;CN=\"Grace Hopper\";PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=FAL\r\n"
    " SE:mailto:grace@example.com\r\n"
    "ORGANIZER;CN=Bookings:mailto:noreply@booking.invalid\r\n"
    "STATUS:CANCELLED\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def booked():
    store = seeded()
    assert submit(store, "req-1", TEN_BERLIN).status == "confirmed"
    assert submit(store, "req-2", utc(2026, 1, 12, 13), customer="cust-alan").status == "confirmed"
    store.counts.clear()
    return store


def block_ids(store, day=MON):
    return [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, day).blocks]


def test_cancel_releases_the_block_and_records_who_when_and_why():
    store = booked()
    outcome = cancel(store, "req-1", now=LATER, by="cust-grace", reason="sick")

    assert (outcome.released, outcome.rounds) == (True, 1)
    assert block_ids(store) == ["req-2"]
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)
    assert utc(2026, 1, 12, 9) in store.stored_sheet(PROVIDER_ID, MON).available["consult"]
    doc = store.doc(paths.APPOINTMENTS, "req-1")
    assert {k: doc[k] for k in ("status", "cancelledAt", "cancelledBy", "cancelReason", "updatedAt")} == {
        "status": "cancelled", "cancelledAt": LATER, "cancelledBy": "cust-grace", "cancelReason": "sick",
        "updatedAt": LATER,
    }
    assert doc["history"] == [
        {"at": NOW, "status": "confirmed", "by": "cust-grace"},
        {"at": LATER, "status": "cancelled", "by": "cust-grace"},
    ]
    assert outcome.appointment.status.value == "cancelled"


def test_cancel_costs_five_reads_and_three_writes_in_one_commit():
    store = booked()
    cancel(store, "req-1", now=LATER, by="cust-grace")
    # appointment, provider, customer, settings (the mail's business name and
    # organizer), sheet; sheet, appointment, mail
    assert store.counts == {"reads": 5, "writes": 3, "commits": 1}


def test_cancel_mails_the_customer_an_ics_with_method_cancel():
    store = booked()
    cancel(store, "req-1", now=LATER, by="cust-grace", reason="sick")
    mail = store.doc(paths.MAIL, "req-1-cancelled")
    assert (mail["to"], mail["kind"], mail["appointmentId"]) == ("grace@example.com", "cancelled", "req-1")
    assert mail["message"]["subject"] == "Cancelled: Consultation on Monday 12 January 2026, 10:00 (Europe/Berlin)"
    assert mail["message"]["text"] == (
        "Hello Grace Hopper,\n"
        "your Consultation with Dr. Ada Lovelace at Bookings is cancelled.\n"
        "It was: Monday 12 January 2026, 10:00–10:30 (Europe/Berlin)\n"
        "Reason: sick\n"
        "The attached file removes it from your calendar.\n"
        "\n"
        "Bookings"
    )
    assert mail["message"]["attachments"] == [{
        "filename": "cancel.ics", "content": CANCEL_ICS,
        "contentType": "text/calendar; charset=utf-8; method=CANCEL",
    }]


def test_a_second_cancel_changes_nothing():
    store = booked()
    cancel(store, "req-1", now=LATER, by="cust-grace")
    after_first = store.snapshot()
    store.counts.clear()

    outcome = cancel(store, "req-1", now=LATER + timedelta(hours=1), by="admin")

    assert (outcome.released, outcome.rounds) == (False, 0)
    assert store.snapshot() == after_first
    assert store.counts["writes"] == 0


def test_a_customer_cannot_cancel_after_the_cutoff():
    store = booked()
    # 120 minutes' cutoff: cancellable until 07:00Z
    with pytest.raises(Refusal) as refused:
        cancel(store, "req-1", now=utc(2026, 1, 12, 7, 0), by="cust-grace")
    assert refused.value.code == "cutoff_passed"
    assert block_ids(store) == ["req-1", "req-2"]
    assert store.doc(paths.APPOINTMENTS, "req-1")["status"] == "confirmed"


def test_a_customer_can_cancel_one_minute_before_the_cutoff():
    store = booked()
    assert cancel(store, "req-1", now=utc(2026, 1, 12, 6, 59), by="cust-grace").released


def test_an_admin_may_cancel_past_the_cutoff():
    store = booked()
    outcome = cancel(store, "req-1", now=utc(2026, 1, 12, 8, 0), by="admin", enforce_cutoff=False)
    assert outcome.released
    assert block_ids(store) == ["req-2"]


def test_cancelling_an_unknown_appointment_is_refused_as_not_found():
    with pytest.raises(Refusal) as refused:
        cancel(booked(), "ghost", now=LATER, by="admin")
    assert refused.value.code == "not_found"


def test_cancelling_a_completed_appointment_is_an_invalid_transition():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "completed"})
    with pytest.raises(Refusal) as refused:
        cancel(store, "req-1", now=LATER, by="admin", enforce_cutoff=False)
    assert refused.value.code == "invalid_transition"


def test_a_cancel_reason_longer_than_500_characters_is_refused():
    with pytest.raises(Refusal) as refused:
        cancel(booked(), "req-1", now=LATER, by="cust-grace", reason="x" * 501)
    assert refused.value.code == "invalid_request"


def test_cancel_retries_when_the_sheet_changed_meanwhile():
    store = booked()
    store.before_commit.append(lambda: store.touch(paths.SLOTS, "dr-ada_2026-01-12"))
    outcome = cancel(store, "req-1", now=LATER, by="cust-grace")
    assert (outcome.released, outcome.rounds) == (True, 2)
    assert block_ids(store) == ["req-2"]
    assert store.ids(paths.MAIL).count("req-1-cancelled") == 1


def test_cancel_racing_a_booking_of_the_same_day_keeps_the_new_block():
    store = booked()
    store.before_commit.append(lambda: submit(store, "req-3", utc(2026, 1, 12, 14), customer="cust-alan"))
    outcome = cancel(store, "req-1", now=LATER, by="cust-grace")
    assert (outcome.released, outcome.rounds) == (True, 2)
    assert block_ids(store) == ["req-2", "req-3"]
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_a_cancel_racing_another_cancel_releases_once_and_reports_the_appointment_cancelled():
    store = booked()
    store.before_commit.append(lambda: cancel(store, "req-1", now=LATER, by="admin", reason="closed"))

    outcome = cancel(store, "req-1", now=LATER, by="cust-grace", reason="sick")

    assert block_ids(store) == ["req-2"]
    assert store.doc(paths.APPOINTMENTS, "req-1")["cancelledBy"] == "admin"
    assert store.ids(paths.MAIL).count("req-1-cancelled") == 1
    assert outcome.released is False


def test_the_loser_of_a_cancel_race_is_told_the_appointment_is_cancelled():
    store = booked()
    store.before_commit.append(lambda: cancel(store, "req-1", now=LATER, by="admin", reason="closed"))
    outcome = cancel(store, "req-1", now=LATER, by="cust-grace", reason="sick")
    assert outcome.appointment.status.value == "cancelled"


def test_finish_cancel_releases_the_block_a_customer_cancelled_under_the_rules():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "cancelled", "cancelReason": "moving away"})

    outcome = finish_cancel(store, "req-1", now=LATER)

    assert outcome.released
    assert block_ids(store) == ["req-2"]
    doc = store.doc(paths.APPOINTMENTS, "req-1")
    assert {k: doc[k] for k in ("status", "cancelledAt", "cancelledBy", "cancelReason", "updatedAt")} == {
        "status": "cancelled", "cancelledAt": LATER, "cancelledBy": "cust-grace",
        "cancelReason": "moving away", "updatedAt": LATER,
    }
    assert doc["history"][-1] == {"at": LATER, "status": "cancelled", "by": "cust-grace"}
    mail = store.doc(paths.MAIL, "req-1-cancelled")
    assert mail["message"]["attachments"][0]["content"] == CANCEL_ICS
    assert "\nReason: moving away\n" in mail["message"]["text"]


def test_finish_cancel_twice_changes_nothing_the_second_time():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "cancelled"})
    finish_cancel(store, "req-1", now=LATER)
    after_first = store.snapshot()

    outcome = finish_cancel(store, "req-1", now=LATER + timedelta(minutes=1))

    assert outcome.released is False
    assert store.snapshot() == after_first


def test_finish_cancel_ignores_an_appointment_that_is_not_cancelled():
    store = booked()
    before = store.snapshot()
    assert finish_cancel(store, "req-1", now=LATER) is None
    assert finish_cancel(store, "ghost", now=LATER) is None
    assert store.snapshot() == before


def test_cancel_works_after_the_provider_document_was_deleted():
    store = booked()
    store.delete(paths.PROVIDERS, PROVIDER_ID)
    outcome = cancel(store, "req-1", now=LATER, by="admin")
    assert outcome.released
    assert block_ids(store) == ["req-2"]


def test_a_phone_the_backend_cannot_parse_does_not_stop_a_cancel_or_its_mail():
    store = seeded()
    assert submit(store, "r1", utc(2026, 1, 12, 9)).status == "confirmed"
    store.patch(paths.CUSTOMERS, CUSTOMER_ID, {"phone": "call me after 5"})
    store.patch(paths.APPOINTMENTS, "r1", {"status": "cancelled"})

    finish_cancel(store, "r1", now=NOW)

    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, date(2026, 1, 12)).blocks] == []
    assert store.doc(paths.MAIL, "r1-cancelled") is not None
