"""Outbox documents in the Firebase "Trigger Email" extension's format:
`{to, message: {subject, text, html, attachments?}}` plus our own fields
(`appointmentId`, `kind`) that say what each mail was.

Every time is written in the provider's zone (where the appointment takes
place) and, when the customer's profile names another zone, in theirs too.
Confirmations, moves and cancels carry the invitation (services/ics.py)
that adds, moves or removes the one calendar event of the appointment.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from booking.domain.appointments import Appointment
from booking.domain.models import Customer
from booking.domain.settings import EXPIRES_AT, BookingSettings
from booking.services.ics import attachment

_LINK_TEXT = "Your appointments"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a stored zone the runtime lacks: still say when, in UTC


def _day(local: datetime) -> str:
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"  # no leading zero on the day


def _at(instant: datetime, zone: str) -> str:
    return f"{_day(instant.astimezone(_zone(zone)))} ({zone})"


def _span(start: datetime, end: datetime, zone: str) -> str:
    tz = _zone(zone)
    first, last = start.astimezone(tz), end.astimezone(tz)
    until = f"{last:%H:%M}" if last.date() == first.date() else _day(last)
    return f"{_day(first)}–{until} ({zone})"


def _customer_zone(appointment: Appointment, customer: Customer) -> str | None:
    zone = customer.time_zone
    return zone if zone and zone != appointment.time_zone else None


def _when_lines(appointment: Appointment, customer: Customer, start: datetime, end: datetime,
                label: str = "When") -> list[str]:
    lines = [f"{label}: {_span(start, end, appointment.time_zone)}"]
    theirs = _customer_zone(appointment, customer)
    if theirs:
        lines.append(f"Your time: {_span(start, end, theirs)}")
    return lines


def _what(appointment: Appointment) -> str:
    what = appointment.type_name or "appointment"
    return f"{what} with {appointment.provider_name}" if appointment.provider_name else what


def _message(subject: str, lines: list[str], settings: BookingSettings,
             attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Text and HTML say the same; everything from clients or the console
    is escaped in the HTML. An empty line separates paragraphs."""
    link = settings.my_appointments_url
    text = [*lines]
    paragraphs = [f"<p>{html.escape(line)}</p>" if line else "" for line in lines]
    if link:
        text += ["", f"{_LINK_TEXT}: {link}"]
        paragraphs.append(f'<p><a href="{html.escape(link, quote=True)}">{_LINK_TEXT}</a></p>')
    text += ["", settings.business_name]
    paragraphs.append(f"<p>{html.escape(settings.business_name)}</p>")
    message: dict[str, Any] = {"subject": subject, "text": "\n".join(text), "html": "".join(paragraphs)}
    if attachments:
        message["attachments"] = attachments
    return message


def _mail(customer: Customer, appointment: Appointment, kind: str, message: dict[str, Any],
          settings: BookingSettings, now: datetime, **extra: Any) -> dict[str, Any]:
    return {"to": customer.email, "message": message, "appointmentId": appointment.id, "kind": kind,
            EXPIRES_AT: settings.mail_expiry(now), **extra}


def confirmation_mail(appointment: Appointment, customer: Customer, settings: BookingSettings,
                      now: datetime) -> dict[str, Any]:
    lines = [
        f"Hello {customer.name},",
        f"your {_what(appointment)} at {settings.business_name} is confirmed.",
        *_when_lines(appointment, customer, appointment.start, appointment.end),
        "The attached invitation adds it to your calendar.",
    ]
    subject = f"Confirmed: {appointment.type_name or 'appointment'} on {_at(appointment.start, appointment.time_zone)}"
    invite = attachment(appointment, customer, settings, now=now)
    return _mail(customer, appointment, "confirmed", _message(subject, lines, settings, [invite]), settings, now)


def series_confirmation_mail(booked: list[Appointment], *, skipped_starts: list[datetime], customer: Customer,
                             settings: BookingSettings, now: datetime) -> dict[str, Any]:
    """A series' one confirmation: every date, and one invitation per
    occurrence (each is its own calendar event, cancelled or moved alone)."""
    first = booked[0]
    lines = [
        f"Hello {customer.name},",
        f"your {len(booked)} {_what(first)} appointments at {settings.business_name} are confirmed:",
        *(line for a in booked for line in _when_lines(a, customer, a.start, a.end, f"{a.series_index}")),
    ]
    if skipped_starts:
        lines.append("Not booked (not free): " + "; ".join(_at(s, first.time_zone) for s in skipped_starts))
    lines.append("The attached invitations add them to your calendar.")
    subject = f"Confirmed: {len(booked)} × {first.type_name or 'appointment'} from {_at(first.start, first.time_zone)}"
    invites = [attachment(a, customer, settings, now=now) for a in booked]
    return _mail(customer, first, "series_confirmed", _message(subject, lines, settings, invites), settings, now,
                 seriesId=first.series_id)


def rescheduled_mail(appointment: Appointment, previous: Appointment, customer: Customer,
                     settings: BookingSettings, now: datetime) -> dict[str, Any]:
    """The move, instead of a cancel plus a second confirmation: its
    invitation has the event's UID at a higher SEQUENCE, so the calendar
    moves the event it already has."""
    lines = [
        f"Hello {customer.name},",
        f"your {_what(appointment)} at {settings.business_name} has moved.",
        *_when_lines(appointment, customer, appointment.start, appointment.end, "Now"),
        *_when_lines(appointment, customer, previous.start, previous.end, "Was"),
        "The attached invitation moves it in your calendar.",
    ]
    subject = f"Moved: {appointment.type_name or 'appointment'} to {_at(appointment.start, appointment.time_zone)}"
    invite = attachment(appointment, customer, settings, now=now)
    return _mail(customer, appointment, "rescheduled", _message(subject, lines, settings, [invite]), settings, now,
                 rescheduledFrom=previous.id)


def booked_mail(appointment: Appointment, previous: Appointment | None, customer: Customer,
                settings: BookingSettings, now: datetime) -> dict[str, Any]:
    """A booking's one mail: the move of `previous`, or a confirmation."""
    if previous is not None:
        return rescheduled_mail(appointment, previous, customer, settings, now)
    return confirmation_mail(appointment, customer, settings, now)


def cancellation_mail(appointment: Appointment, customer: Customer, settings: BookingSettings,
                      now: datetime) -> dict[str, Any]:
    """`appointment` is the cancelled record (its invitation is the CANCEL)."""
    lines = [
        f"Hello {customer.name},",
        f"your {_what(appointment)} at {settings.business_name} is cancelled.",
        *_when_lines(appointment, customer, appointment.start, appointment.end, "It was"),
    ]
    if appointment.cancel_reason:
        lines.append(f"Reason: {appointment.cancel_reason}")
    lines.append("The attached file removes it from your calendar.")
    subject = f"Cancelled: {appointment.type_name or 'appointment'} on {_at(appointment.start, appointment.time_zone)}"
    invite = attachment(appointment, customer, settings, now=now)
    return _mail(customer, appointment, "cancelled", _message(subject, lines, settings, [invite]), settings, now)


def _time_left(appointment: Appointment, now: datetime) -> str:
    """How far off it is when the mail is written (a retried task may run
    late: the mail says what is true then, not what was planned)."""
    minutes = max(0, round((appointment.start - now).total_seconds() / 60))
    if minutes >= 2 * 1440 and minutes % 1440 == 0:
        return f"in {minutes // 1440} days"
    if minutes >= 120:
        hours = round(minutes / 60)
        return f"in {hours} hours"
    if minutes == 60:
        return "in 1 hour"
    return f"in {minutes} minute{'s' if minutes != 1 else ''}"


def reminder_mail(appointment: Appointment, customer: Customer, before_minutes: int, settings: BookingSettings,
                  now: datetime) -> dict[str, Any]:
    """A reminder `before_minutes` ahead (the appointment type's setting),
    written at `now`. No invitation: the calendar has the event already."""
    lines = [
        f"Hello {customer.name},",
        f"a reminder: your {_what(appointment)} at {settings.business_name} is {_time_left(appointment, now)}.",
        *_when_lines(appointment, customer, appointment.start, appointment.end),
    ]
    subject = f"Reminder: {appointment.type_name or 'appointment'} on {_at(appointment.start, appointment.time_zone)}"
    return _mail(customer, appointment, "reminder", _message(subject, lines, settings), settings, now,
                 beforeMinutes=before_minutes)


def rejection_mail(customer: Customer, request_id: str, message: str, settings: BookingSettings,
                   now: datetime) -> dict[str, Any]:
    lines = [f"Hello {customer.name},", "we could not book your appointment:", message]
    return {
        "to": customer.email,
        "message": {"subject": "We could not book your appointment", "text": "\n".join(lines),
                    "html": "".join(f"<p>{html.escape(line)}</p>" for line in lines)},
        "requestId": request_id,
        "kind": "rejected",
        EXPIRES_AT: settings.mail_expiry(now),
    }
