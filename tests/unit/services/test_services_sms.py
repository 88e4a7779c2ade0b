"""Reminder text messages in the Twilio extension's format: to in E.164, a
short body with the business, the type and the local time (the provider's,
and the customer's where their clock reads otherwise), within 320 characters."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import pytest
from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.models import MAX_NAME, Customer
from booking.domain.settings import MAX_BUSINESS_NAME, BookingSettings
from booking.services.sms import MAX_BODY, reminder_sms

SETTINGS = BookingSettings(business_name="Praxis Nord", app_url="https://book.example.com", sms_reminders=True)
NOW = datetime(2026, 1, 11, 9, 0, tzinfo=UTC)
GRACE = Customer(id="cust-grace", name="Grace Hopper", email="grace@example.com", phone="+44 20 7946 0958")


def appointment(**changes) -> Appointment:
    fields = dict(
        id="req-1", provider_id="dr-ada", customer_id="cust-grace", appointment_type_id="consult",
        start=datetime(2026, 1, 12, 9, 0, tzinfo=UTC), end=datetime(2026, 1, 12, 9, 30, tzinfo=UTC),
        block_start=datetime(2026, 1, 12, 9, 0, tzinfo=UTC), block_end=datetime(2026, 1, 12, 9, 30, tzinfo=UTC),
        status=AppointmentStatus.CONFIRMED, request_id="req-1", time_zone="Europe/Berlin",
        cancellable_until=datetime(2026, 1, 12, 7, 0, tzinfo=UTC), customer_name="Grace Hopper",
        provider_name="Dr. Ada Lovelace", type_name="Consultation",
    )
    fields.update(changes)
    return Appointment(**fields)


def test_a_reminder_is_a_twilio_message_to_the_e164_number_with_the_provider_time():
    message = reminder_sms(appointment(), GRACE.model_copy(update={"time_zone": None}), 1440, SETTINGS, NOW)

    assert message == {
        "to": "+442079460958",
        "body": "Praxis Nord: reminder of your Consultation with Dr. Ada Lovelace on Mon 12 Jan 2026 at 10:00 "
                "Berlin time. Change or cancel: https://book.example.com/#/appointments",
        "appointmentId": "req-1",
        "kind": "reminder",
        "beforeMinutes": 1440,
        "expiresAt": datetime(2026, 4, 11, 9, 0, tzinfo=UTC),  # kept 90 days, as mail
    }


def test_the_customer_own_time_follows_when_their_clock_reads_otherwise():
    london = GRACE.model_copy(update={"time_zone": "Europe/London"})

    body = reminder_sms(appointment(), london, 120, SETTINGS, NOW)["body"]

    assert body == ("Praxis Nord: reminder of your Consultation with Dr. Ada Lovelace on Mon 12 Jan 2026 at 10:00 "
                    "Berlin time (09:00 London time). Change or cancel: https://book.example.com/#/appointments")


def test_the_customer_own_date_is_given_when_it_is_another_day_there():
    new_york = GRACE.model_copy(update={"time_zone": "America/New_York"})
    early = appointment(start=datetime(2026, 1, 12, 4, 30, tzinfo=UTC))

    body = reminder_sms(early, new_york, 120, BookingSettings(), NOW)["body"]

    assert body == ("Bookings: reminder of your Consultation with Dr. Ada Lovelace on Mon 12 Jan 2026 at 05:30 "
                    "Berlin time (Sun 11 Jan 23:30 New York time).")


def test_another_zone_with_the_same_clock_is_not_repeated():
    paris = GRACE.model_copy(update={"time_zone": "Europe/Paris"})

    body = reminder_sms(appointment(), paris, 120, BookingSettings(), NOW)["body"]

    assert body == "Bookings: reminder of your Consultation with Dr. Ada Lovelace on Mon 12 Jan 2026 at 10:00 Berlin time."


def test_the_longest_names_fit_in_two_segments_without_the_link():
    longest_zone = max(zoneinfo.available_timezones(), key=lambda z: len(z.rsplit("/", 1)[-1]))
    long_name = "Ñ" * MAX_NAME
    customer = GRACE.model_copy(update={"time_zone": longest_zone})
    settings = BookingSettings(business_name="B" * MAX_BUSINESS_NAME, app_url="https://book.example.com")

    body = reminder_sms(appointment(type_name=long_name, provider_name=long_name, time_zone="Pacific/Kiritimati"),
                        customer, 1440, settings, NOW)["body"]

    assert len(body) <= MAX_BODY
    assert body.startswith("B" * 57 + "...: reminder of your " + "Ñ" * 57 + "... with " + "Ñ" * 57 + "... on ")
    assert "https://" not in body


def test_names_on_several_lines_become_one():
    body = reminder_sms(appointment(type_name="Check\nup"), GRACE, 60, BookingSettings(), NOW)["body"]

    assert body.startswith("Bookings: reminder of your Check up with ")


def test_a_customer_without_a_phone_gets_no_message():
    with pytest.raises(ValueError, match="customer cust-grace has no phone number"):
        reminder_sms(appointment(), GRACE.model_copy(update={"phone": None}), 60, SETTINGS, NOW)
