"""The mails, word for word: a provider in Europe/Berlin, a customer whose
profile says America/New_York; subject, text and escaped HTML."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.models import Customer
from booking.domain.settings import BookingSettings
from booking.services.notifications import (
    cancellation_mail,
    confirmation_mail,
    reminder_mail,
    rescheduled_mail,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SETTINGS = BookingSettings(business_name="Praxis Nord", app_url="https://book.example.com/",
                           organizer_email="desk@praxis.example")
ZOE = Customer(id="zoe", name="Zoë Ångström-Ødegård", email="zoe@example.com", time_zone="America/New_York")
# Tuesday 10 March 2026, 15:00 in Berlin: New York is on summer time since
# 8 March, Berlin not yet, so the two are five hours apart, not six.
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def appointment(**changes) -> Appointment:
    fields = dict(
        id="a-2", provider_id="dr-l", customer_id="zoe", appointment_type_id="check",
        start=START, end=START + timedelta(minutes=45), block_start=START, block_end=START + timedelta(minutes=45),
        status=AppointmentStatus.CONFIRMED, request_id="a-2", time_zone="Europe/Berlin",
        cancellable_until=START - timedelta(hours=2), customer_name="Zoë Ångström-Ødegård",
        provider_name="Dr. Łukasz Żółkiewski", type_name="Check-up", calendar_uid="a-1", calendar_sequence=1,
    )
    fields.update(changes)
    return Appointment(**fields)


def test_the_confirmation_states_both_zones_the_business_and_the_link():
    mail = confirmation_mail(appointment(), ZOE, SETTINGS, NOW)

    assert (mail["to"], mail["kind"], mail["appointmentId"]) == ("zoe@example.com", "confirmed", "a-2")
    message = mail["message"]
    assert message["subject"] == "Confirmed: Check-up on Tuesday 10 March 2026, 15:00 (Europe/Berlin)"
    assert message["text"] == (
        "Hello Zoë Ångström-Ødegård,\n"
        "your Check-up with Dr. Łukasz Żółkiewski at Praxis Nord is confirmed.\n"
        "When: Tuesday 10 March 2026, 15:00–15:45 (Europe/Berlin)\n"
        "Your time: Tuesday 10 March 2026, 10:00–10:45 (America/New_York)\n"
        "The attached invitation adds it to your calendar.\n"
        "\n"
        "Your appointments: https://book.example.com/#/appointments\n"
        "\n"
        "Praxis Nord"
    )
    assert message["html"] == (
        "<p>Hello Zoë Ångström-Ødegård,</p>"
        "<p>your Check-up with Dr. Łukasz Żółkiewski at Praxis Nord is confirmed.</p>"
        "<p>When: Tuesday 10 March 2026, 15:00–15:45 (Europe/Berlin)</p>"
        "<p>Your time: Tuesday 10 March 2026, 10:00–10:45 (America/New_York)</p>"
        "<p>The attached invitation adds it to your calendar.</p>"
        "<p><a href=\"https://book.example.com/#/appointments\">Your appointments</a></p>"
        "<p>Praxis Nord</p>"
    )
    assert [a["contentType"] for a in message["attachments"]] == ["text/calendar; charset=utf-8; method=REQUEST"]


def test_the_move_says_now_and_was_in_both_zones():
    was = appointment(id="a-1", start=START - timedelta(days=1), end=START - timedelta(days=1, minutes=-45),
                      calendar_sequence=0)
    mail = rescheduled_mail(appointment(rescheduled_from="a-1"), was, ZOE, SETTINGS, NOW)

    assert (mail["kind"], mail["appointmentId"], mail["rescheduledFrom"]) == ("rescheduled", "a-2", "a-1")
    assert mail["message"]["subject"] == "Moved: Check-up to Tuesday 10 March 2026, 15:00 (Europe/Berlin)"
    assert mail["message"]["text"].splitlines()[:7] == [
        "Hello Zoë Ångström-Ødegård,",
        "your Check-up with Dr. Łukasz Żółkiewski at Praxis Nord has moved.",
        "Now: Tuesday 10 March 2026, 15:00–15:45 (Europe/Berlin)",
        "Your time: Tuesday 10 March 2026, 10:00–10:45 (America/New_York)",
        "Was: Monday 9 March 2026, 15:00–15:45 (Europe/Berlin)",
        "Your time: Monday 9 March 2026, 10:00–10:45 (America/New_York)",
        "The attached invitation moves it in your calendar.",
    ]
    assert "method=REQUEST" in mail["message"]["attachments"][0]["contentType"]


def test_the_cancel_gives_the_reason_and_attaches_the_cancel():
    cancelled = replace(appointment(), status=AppointmentStatus.CANCELLED, cancel_reason="Praxis closed <today>")
    mail = cancellation_mail(cancelled, ZOE, SETTINGS, NOW)

    assert (mail["kind"], mail["appointmentId"]) == ("cancelled", "a-2")
    assert mail["message"]["subject"] == "Cancelled: Check-up on Tuesday 10 March 2026, 15:00 (Europe/Berlin)"
    assert mail["message"]["text"].splitlines()[1:6] == [
        "your Check-up with Dr. Łukasz Żółkiewski at Praxis Nord is cancelled.",
        "It was: Tuesday 10 March 2026, 15:00–15:45 (Europe/Berlin)",
        "Your time: Tuesday 10 March 2026, 10:00–10:45 (America/New_York)",
        "Reason: Praxis closed <today>",
        "The attached file removes it from your calendar.",
    ]
    assert "<p>Reason: Praxis closed &lt;today&gt;</p>" in mail["message"]["html"]
    assert mail["message"]["attachments"][0]["contentType"] == "text/calendar; charset=utf-8; method=CANCEL"


def test_the_reminder_says_how_far_off_it_is_and_carries_no_invitation():
    mail = reminder_mail(appointment(), ZOE, 1440, SETTINGS, START - timedelta(hours=24))

    assert (mail["to"], mail["kind"], mail["appointmentId"], mail["beforeMinutes"]) == (
        "zoe@example.com", "reminder", "a-2", 1440)
    assert mail["message"]["subject"] == "Reminder: Check-up on Tuesday 10 March 2026, 15:00 (Europe/Berlin)"
    assert mail["message"]["text"] == (
        "Hello Zoë Ångström-Ødegård,\n"
        "a reminder: your Check-up with Dr. Łukasz Żółkiewski at Praxis Nord is in 24 hours.\n"
        "When: Tuesday 10 March 2026, 15:00–15:45 (Europe/Berlin)\n"
        "Your time: Tuesday 10 March 2026, 10:00–10:45 (America/New_York)\n"
        "\n"
        "Your appointments: https://book.example.com/#/appointments\n"
        "\n"
        "Praxis Nord"
    )
    assert "attachments" not in mail["message"]


def test_a_late_reminder_says_the_time_actually_left():
    texts = [reminder_mail(appointment(), ZOE, 120, SETTINGS, START - left)["message"]["text"].splitlines()[1]
             for left in (timedelta(hours=2), timedelta(minutes=61), timedelta(hours=1), timedelta(minutes=1),
                          timedelta(days=2))]
    assert [t.rsplit(" is ", 1)[1] for t in texts] == [
        "in 2 hours.", "in 61 minutes.", "in 1 hour.", "in 1 minute.", "in 2 days."]


def test_one_zone_only_when_the_customer_has_none_or_the_providers():
    for zone in (None, "Europe/Berlin"):
        text = confirmation_mail(appointment(), ZOE.model_copy(update={"time_zone": zone}), SETTINGS, NOW)[
            "message"]["text"]
        assert "Your time" not in text and "When: Tuesday 10 March 2026, 15:00–15:45 (Europe/Berlin)" in text


def test_names_from_clients_and_the_console_are_escaped_in_the_html_and_no_link_without_an_app_url():
    settings = BookingSettings(business_name="Smith & <Sons>")
    eve = Customer(id="eve", name='Eve <script>alert("x")</script>', email="eve@example.com")
    message = confirmation_mail(appointment(provider_name="O'Brien & Co"), eve, settings, NOW)["message"]

    assert message["html"].startswith(
        "<p>Hello Eve &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,</p>"
        "<p>your Check-up with O&#x27;Brien &amp; Co at Smith &amp; &lt;Sons&gt; is confirmed.</p>")
    assert message["html"].endswith("<p>Smith &amp; &lt;Sons&gt;</p>")
    assert "<a " not in message["html"] and "Your appointments" not in message["text"]
