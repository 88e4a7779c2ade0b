"""book / process_request: confirming a valid request, and every rejection code."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from booking.domain.booking_requests import BookingRequest, Reason
from booking.domain.models import AppointmentType, Customer
from booking.services.booking import book, process_request
from booking.services.recompute import recompute_provider
from booking.store import paths
from fake_store import (
    CUSTOMER_ID,
    NOW,
    PROVIDER_ID,
    TYPE_ID,
    consult,
    from_scratch,
    request_doc,
    seeded,
    submit,
    utc,
)

MON = date(2026, 1, 12)
TEN_BERLIN = utc(2026, 1, 12, 9)  # Monday 12 January 2026, 10:00 in Berlin

EXPECTED_ICS = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//firebase-booking//appointments//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "METHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY:Consultation with Dr. Ada Lovelace\r\n"
    "DTSTART:20260112T090000Z\r\n"
    "DTEND:20260112T093000Z\r\n"
    "DTSTAMP:20260105T080000Z\r\n"
    "UID:req-1@booking.firebaseapp\r\n"
    "SEQUENCE:0\r\n"
    "ATTENDEE;CN=\"Grace Hopper\";PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=FAL\r\n"
    " SE:mailto:grace@example.com\r\n"
    "ORGANIZER;CN=Bookings:mailto:noreply@booking.invalid\r\n"
    "STATUS:CONFIRMED\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def with_sheets(store):
    """Sheets for the whole horizon exist, as after the provider was set up."""
    recompute_provider(store, PROVIDER_ID, now=NOW)
    store.counts.clear()
    store.changes.clear()
    return store


def rejected(outcome, reason: Reason):
    assert (outcome.status, outcome.reason) == ("rejected", reason), outcome
    return outcome


# -- confirmed -------------------------------------------------------------------


def test_a_valid_request_is_confirmed_with_an_appointment_under_the_request_id():
    store = seeded()
    outcome = submit(store, "req-1", TEN_BERLIN, notes="first visit")

    assert (outcome.status, outcome.rounds, outcome.replayed) == ("confirmed", 1, False)
    assert store.doc(paths.APPOINTMENTS, "req-1") == {
        "providerId": "dr-ada",
        "customerId": "cust-grace",
        "appointmentTypeId": "consult",
        "start": utc(2026, 1, 12, 9, 0),
        "end": utc(2026, 1, 12, 9, 30),
        "blockStart": utc(2026, 1, 12, 8, 50),  # 10 minutes' buffer before
        "blockEnd": utc(2026, 1, 12, 9, 35),  # 5 minutes' buffer after
        "status": "confirmed",
        "requestId": "req-1",
        "timeZone": "Europe/Berlin",
        "cancellableUntil": utc(2026, 1, 12, 7, 0),  # 120 minutes' cutoff
        "customerName": "Grace Hopper",
        "providerName": "Dr. Ada Lovelace",
        "typeName": "Consultation",
        "notes": "first visit",
        "createdAt": utc(2026, 1, 5, 8, 0),
        "updatedAt": utc(2026, 1, 5, 8, 0),
        "outsideAvailability": False,
        "history": [{"at": utc(2026, 1, 5, 8, 0), "status": "confirmed", "by": "cust-grace"}],
        "held": True,  # on the day sheet until a cancel releases it
        "calendarUid": "req-1",  # the UID of its invitations, for its whole life
        "calendarSequence": 0,
    }


def test_a_confirmed_request_gets_status_processed_at_and_appointment_id():
    store = seeded()
    submit(store, "req-1", TEN_BERLIN)
    assert store.doc(paths.BOOKING_REQUESTS, "req-1") == {
        "customerId": "cust-grace",
        "providerId": "dr-ada",
        "appointmentTypeId": "consult",
        "start": utc(2026, 1, 12, 9, 0),
        "createdAt": utc(2026, 1, 5, 7, 59) + timedelta(seconds=55),
        "status": "confirmed",
        "processedAt": utc(2026, 1, 5, 8, 0),
        "expiresAt": utc(2026, 2, 4, 8, 0),  # the default 30 days of retention
        "appointmentId": "req-1",
    }


def test_booking_adds_the_buffered_block_to_the_day_sheet_and_updates_available_starts():
    store = with_sheets(seeded())
    before = store.stored_sheet(PROVIDER_ID, MON)
    assert before.blocks == ()
    assert before.available[TYPE_ID] == [utc(2026, 1, 12, 8, 0) + timedelta(minutes=30 * i) for i in range(16)]

    submit(store, "req-1", TEN_BERLIN)

    sheet = store.doc(paths.SLOTS, "dr-ada_2026-01-12")
    assert sheet["providerId"] == "dr-ada"
    assert sheet["date"] == "2026-01-12"
    assert sheet["timeZone"] == "Europe/Berlin"
    assert sheet["booked"] == [{
        "appointmentId": "req-1", "typeId": "consult",
        "start": utc(2026, 1, 12, 9, 0), "end": utc(2026, 1, 12, 9, 30),
        "blockStart": utc(2026, 1, 12, 8, 50), "blockEnd": utc(2026, 1, 12, 9, 35),
    }]
    # 09:30 and 10:30 local no longer fit beside the block [09:50, 10:35); the
    # stretch after it resumes at 10:35 + 10 minutes' buffer, aligned to 11:00.
    assert sheet["available"] == {"consult": [
        utc(2026, 1, 12, 8, 0),
        utc(2026, 1, 12, 10, 0), utc(2026, 1, 12, 10, 30), utc(2026, 1, 12, 11, 0), utc(2026, 1, 12, 11, 30),
        utc(2026, 1, 12, 12, 0), utc(2026, 1, 12, 12, 30), utc(2026, 1, 12, 13, 0), utc(2026, 1, 12, 13, 30),
        utc(2026, 1, 12, 14, 0), utc(2026, 1, 12, 14, 30), utc(2026, 1, 12, 15, 0), utc(2026, 1, 12, 15, 30),
    ]}
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_a_missing_day_sheet_is_created_by_the_booking_commit():
    store = seeded()
    assert store.ids(paths.SLOTS) == []
    submit(store, "req-1", TEN_BERLIN)
    assert store.ids(paths.SLOTS) == ["dr-ada_2026-01-12"]
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_the_confirmation_mail_goes_to_the_customer_with_an_ics_attachment():
    store = seeded()
    submit(store, "req-1", TEN_BERLIN)
    mail = store.doc(paths.MAIL, "req-1-confirmed")
    assert mail["to"] == "grace@example.com"
    assert mail["kind"] == "confirmed"
    assert mail["appointmentId"] == "req-1"
    assert mail["message"]["subject"] == "Confirmed: Consultation on Monday 12 January 2026, 10:00 (Europe/Berlin)"
    assert mail["message"]["text"] == (
        "Hello Grace Hopper,\n"
        "your Consultation with Dr. Ada Lovelace at Bookings is confirmed.\n"
        "When: Monday 12 January 2026, 10:00–10:30 (Europe/Berlin)\n"
        "The attached invitation adds it to your calendar.\n"
        "\n"
        "Bookings"
    )
    assert mail["message"]["attachments"] == [{
        "filename": "appointment.ics",
        "content": EXPECTED_ICS,
        "contentType": "text/calendar; charset=utf-8; method=REQUEST",
    }]
    assert store.ids(paths.MAIL) == ["req-1-confirmed"]


def test_the_mail_states_the_time_in_the_providers_zone_and_in_the_customers_own_when_it_differs():
    store = seeded()
    store.patch(paths.CUSTOMERS, CUSTOMER_ID, {"timeZone": "America/New_York"})
    submit(store, "req-1", TEN_BERLIN)
    message = store.doc(paths.MAIL, "req-1-confirmed")["message"]
    assert message["subject"] == "Confirmed: Consultation on Monday 12 January 2026, 10:00 (Europe/Berlin)"
    assert message["text"].splitlines()[2:4] == [
        "When: Monday 12 January 2026, 10:00–10:30 (Europe/Berlin)",
        "Your time: Monday 12 January 2026, 04:00–04:30 (America/New_York)",
    ]


def test_a_booking_costs_six_reads_and_five_writes_when_the_sheet_exists():
    store = with_sheets(seeded())
    outcome = submit(store, "req-1", TEN_BERLIN)
    assert outcome.status == "confirmed"
    # customer, provider, type, day sheet, customer's ledger, cap setting;
    # sheet, appointment, request, mail, customer's ledger
    assert store.counts == {"reads": 6, "writes": 5, "commits": 1}


def test_a_booking_that_builds_its_sheet_reads_availability_types_appointments_and_time_off_once_more():
    store = seeded()
    submit(store, "req-1", TEN_BERLIN)
    assert store.counts == {"reads": 10, "writes": 5, "commits": 1}


def test_a_rejection_costs_one_commit_of_request_and_mail():
    store = with_sheets(seeded())
    submit(store, "req-1", TEN_BERLIN)
    store.counts.clear()
    rejected(submit(store, "req-2", TEN_BERLIN, customer="cust-alan"), Reason.SLOT_TAKEN)
    # customer, provider, type, ledger and settings in one batched read (the
    # settings also say how long the rejected request is kept), then the day sheet
    assert store.counts == {"reads": 6, "writes": 2, "commits": 1}


def test_a_rest_booking_writes_its_own_request_document():
    store = seeded()
    request = BookingRequest(id="rest-1", customer_id=CUSTOMER_ID, provider_id=PROVIDER_ID,
                             appointment_type_id=TYPE_ID, start=TEN_BERLIN)
    outcome = book(store, request, now=NOW, create_request=True)
    assert outcome.status == "confirmed"
    assert store.doc(paths.BOOKING_REQUESTS, "rest-1") == {
        "customerId": "cust-grace", "providerId": "dr-ada", "appointmentTypeId": "consult",
        "start": utc(2026, 1, 12, 9, 0), "createdAt": utc(2026, 1, 5, 8, 0),
        "status": "confirmed", "processedAt": utc(2026, 1, 5, 8, 0), "expiresAt": utc(2026, 2, 4, 8, 0),
        "appointmentId": "rest-1",
    }


# -- rejections --------------------------------------------------------------------


def test_the_rejected_request_records_reason_message_and_the_customer_gets_a_mail():
    store = seeded()
    outcome = rejected(submit(store, "req-1", utc(2026, 1, 12, 18)), Reason.OUTSIDE_AVAILABILITY)
    assert outcome.message == ("2026-01-12 19:00 CET to 2026-01-12 19:30 CET is outside the provider's open hours")
    request = store.doc(paths.BOOKING_REQUESTS, "req-1")
    assert {k: request[k] for k in ("status", "reason", "message", "processedAt")} == {
        "status": "rejected", "reason": "outside_availability", "message": outcome.message,
        "processedAt": utc(2026, 1, 5, 8, 0),
    }
    assert "appointmentId" not in request
    assert store.ids(paths.APPOINTMENTS) == []
    mail = store.doc(paths.MAIL, "req-1-rejected")
    assert mail["to"] == "grace@example.com"
    assert mail["kind"] == "rejected"
    assert mail["requestId"] == "req-1"
    assert mail["message"]["text"] == f"Hello Grace Hopper,\nwe could not book your appointment:\n{outcome.message}"


def test_unknown_customer_is_rejected_without_a_mail():
    store = seeded()
    rejected(submit(store, "req-1", TEN_BERLIN, customer="nobody"), Reason.UNKNOWN_CUSTOMER)
    assert store.doc(paths.BOOKING_REQUESTS, "req-1")["message"] == (
        "Please complete your customer profile before booking.")
    assert store.ids(paths.MAIL) == []


def test_unknown_provider():
    rejected(submit(seeded(), "req-1", TEN_BERLIN, provider="dr-nobody"), Reason.UNKNOWN_PROVIDER)


def test_inactive_provider():
    store = seeded(provider_changes={"active": False})
    rejected(submit(store, "req-1", TEN_BERLIN), Reason.PROVIDER_INACTIVE)


def test_unknown_type():
    rejected(submit(seeded(), "req-1", TEN_BERLIN, type_id="massage"), Reason.UNKNOWN_TYPE)


def test_inactive_type():
    store = seeded(types=[consult(active=False)])
    rejected(submit(store, "req-1", TEN_BERLIN), Reason.TYPE_INACTIVE)


def test_type_the_provider_does_not_offer():
    store = seeded()
    store.add_type(AppointmentType(id="massage", name="Massage", duration_minutes=60))
    rejected(submit(store, "req-1", TEN_BERLIN, type_id="massage"), Reason.TYPE_NOT_OFFERED)


def test_too_soon_inside_the_minimum_notice():
    store = seeded()
    # 60 minutes' notice: 08:30Z is 30 minutes after now
    rejected(submit(store, "req-1", utc(2026, 1, 5, 8, 30)), Reason.TOO_SOON)
    assert submit(store, "req-2", utc(2026, 1, 5, 9, 0)).status == "confirmed"  # exactly at the notice


def test_too_far_past_the_horizon():
    store = seeded()
    # horizon 30 days from 2026-01-05 08:00Z: 2026-02-04 08:00Z is the last bookable instant
    rejected(submit(store, "req-1", utc(2026, 2, 4, 8, 30)), Reason.TOO_FAR)
    assert submit(store, "req-2", utc(2026, 2, 4, 8, 0)).status == "confirmed"


def test_outside_availability():
    rejected(submit(seeded(), "req-1", utc(2026, 1, 12, 6)), Reason.OUTSIDE_AVAILABILITY)


def test_an_appointment_running_past_closing_is_outside_availability():
    # 16:45 local + 30 minutes ends after 17:00
    rejected(submit(seeded(), "req-1", utc(2026, 1, 12, 15, 45)), Reason.OUTSIDE_AVAILABILITY)


def test_not_on_slot_for_an_off_grid_start():
    rejected(submit(seeded(), "req-1", utc(2026, 1, 12, 9, 10)), Reason.NOT_ON_SLOT)


def test_slot_taken_by_an_earlier_booking():
    store = seeded()
    assert submit(store, "req-1", TEN_BERLIN).status == "confirmed"
    rejected(submit(store, "req-2", TEN_BERLIN, customer="cust-alan"), Reason.SLOT_TAKEN)


def test_slot_taken_when_only_the_buffers_overlap():
    store = seeded()
    assert submit(store, "req-1", TEN_BERLIN).status == "confirmed"
    # 10:30 local: [10:20, 11:05) meets the block [09:50, 10:35)
    rejected(submit(store, "req-2", utc(2026, 1, 12, 9, 30), customer="cust-alan"), Reason.SLOT_TAKEN)


def test_limit_reached_after_the_daily_limit_of_the_type():
    store = seeded(types=[consult(daily_limit=1)])
    assert submit(store, "req-1", TEN_BERLIN).status == "confirmed"
    rejected(submit(store, "req-2", utc(2026, 1, 12, 13), customer="cust-alan"), Reason.LIMIT_REACHED)
    assert submit(store, "req-3", utc(2026, 1, 13, 13), customer="cust-alan").status == "confirmed"


def test_a_group_session_takes_bookings_up_to_its_capacity():
    store = seeded(types=[consult(capacity=2)])
    assert submit(store, "req-1", TEN_BERLIN).status == "confirmed"
    assert submit(store, "req-2", TEN_BERLIN, customer="cust-alan").status == "confirmed"
    store.add_customer(Customer(id="cust-ada", name="Ada", email="ada@example.com"))
    rejected(submit(store, "req-3", TEN_BERLIN, customer="cust-ada"), Reason.SLOT_TAKEN)
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_not_reschedulable_when_the_original_does_not_exist():
    rejected(submit(seeded(), "req-1", TEN_BERLIN, rescheduleOf="ghost"), Reason.NOT_RESCHEDULABLE)


def test_a_broken_stored_provider_rejects_with_invalid_request_instead_of_crashing():
    store = seeded()
    store.patch(paths.PROVIDERS, PROVIDER_ID, {"timeZone": "Mars/Olympus"})
    outcome = rejected(submit(store, "req-1", TEN_BERLIN), Reason.INVALID_REQUEST)
    assert outcome.message.startswith("Booking is unavailable: a stored setting is invalid (")


# -- process_request: the client contract ---------------------------------------


def invalid(store, request_id, data):
    version = store.add_request(request_id, data)
    outcome = process_request(store, request_id, store.doc(paths.BOOKING_REQUESTS, request_id),
                              version=version, now=NOW)
    rejected(outcome, Reason.INVALID_REQUEST)
    stored = store.doc(paths.BOOKING_REQUESTS, request_id)
    assert (stored["status"], stored["reason"], stored["processedAt"]) == ("rejected", "invalid_request", NOW)
    assert stored["message"] == outcome.message
    assert store.ids(paths.APPOINTMENTS) == []
    return outcome.message


@pytest.mark.parametrize("field", ["customerId", "providerId", "appointmentTypeId"])
def test_a_missing_id_field_is_an_invalid_request_naming_it(field):
    data = request_doc(TEN_BERLIN)
    del data[field]
    assert invalid(seeded(), "req-1", data) == f"{field} is required"


@pytest.mark.parametrize("value", [42, "", "a/b", "x" * 129, None, " ", "trail "])
def test_a_wrong_typed_id_is_an_invalid_request(value):
    assert invalid(seeded(), "req-1", request_doc(TEN_BERLIN, provider=value)) == (
        "providerId must be an id of 1 to 128 characters, each a letter A-Z or a-z, a digit, '_' or '-' "
        "(not __like_this__)")


def test_a_missing_start_is_an_invalid_request():
    data = request_doc(TEN_BERLIN)
    del data["start"]
    assert invalid(seeded(), "req-1", data) == "start is required"


@pytest.mark.parametrize("value", ["2026-01-12T09:00:00Z", 1768208400, {"seconds": 1}])
def test_a_start_that_is_not_a_timestamp_is_an_invalid_request(value):
    assert invalid(seeded(), "req-1", request_doc(value)) == "start must be a timestamp"


def test_a_start_with_seconds_is_an_invalid_request():
    assert invalid(seeded(), "req-1", request_doc(TEN_BERLIN + timedelta(seconds=1))) == (
        "start must be on a whole minute")


@pytest.mark.parametrize("notes", [12, ["a"], {"x": 1}, "n" * 1001])
def test_garbage_notes_are_an_invalid_request(notes):
    assert invalid(seeded(), "req-1", request_doc(TEN_BERLIN, notes=notes)) == (
        "notes must be a string of at most 1000 characters")


def test_notes_of_exactly_1000_characters_are_accepted():
    assert submit(seeded(), "req-1", TEN_BERLIN, notes="n" * 1000).status == "confirmed"


def test_an_unexpected_field_is_an_invalid_request():
    assert invalid(seeded(), "req-1", request_doc(TEN_BERLIN, price=0)) == "unexpected field(s): price"


def test_a_malformed_reschedule_of_is_an_invalid_request():
    assert invalid(seeded(), "req-1", request_doc(TEN_BERLIN, rescheduleOf=7)) == (
        "rescheduleOf must be an appointment id of 1 to 128 characters, each a letter A-Z or a-z, a digit, "
        "'_' or '-' (not __like_this__)")


@pytest.mark.parametrize("status", [None, "confirmd", "cancelled", 1])
def test_a_request_whose_status_is_not_pending_is_an_invalid_request(status):
    data = request_doc(TEN_BERLIN, status=status)
    assert invalid(seeded(), "req-1", data) == 'status must be "pending"'


def test_a_request_without_status_is_an_invalid_request():
    data = request_doc(TEN_BERLIN)
    del data["status"]
    assert invalid(seeded(), "req-1", data) == 'status must be "pending"'


def test_an_already_processed_request_is_left_alone():
    store = seeded()
    data = {**request_doc(TEN_BERLIN), "status": "rejected", "reason": "slot_taken", "message": "x"}
    version = store.add_request("req-1", data)
    before = store.snapshot()
    outcome = process_request(store, "req-1", data, version=version, now=NOW)
    assert (outcome.status, outcome.replayed) == ("rejected", True)
    assert store.snapshot() == before


def test_a_start_centuries_away_is_too_far_and_never_reaches_the_calendar_code():
    store = seeded(tz="Pacific/Kiritimati")

    outcome = submit(store, "far", datetime(9999, 12, 30, 10, 0, tzinfo=UTC))

    assert (outcome.status, outcome.reason) == ("rejected", Reason.TOO_FAR)
