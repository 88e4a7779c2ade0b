"""Text messages in the Firebase "Send Messages with Twilio" extension's
format: a `messages/{id}` document with `to` (E.164) and `body`, which the
extension sends and then marks with its own `delivery` field.

A reminder's text says when, not how soon ("in 24 hours"): a task may run
late, and the absolute time stays true. It is kept within two concatenated
segments (MAX_BODY characters); what gives way first is the link, then
the length of the names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from booking.domain.appointments import Appointment
from booking.domain.models import Customer
from booking.domain.settings import EXPIRES_AT, BookingSettings

__all__ = ["MAX_BODY", "reminder_sms"]

MAX_BODY = 320
# With three names this long the rest of the text always fits (see the test
# with the longest names the models allow).
_NAME_ROOM = 60


def reminder_sms(appointment: Appointment, customer: Customer, before_minutes: int,
                 settings: BookingSettings, now: datetime) -> dict[str, Any]:
    """The reminder for `customer`'s `appointment` as a `messages/{id}` document.

    `before_minutes` is which reminder this is (kept on the document so a
    failed delivery can say so); the text itself gives the time.
    """
    if not customer.phone:
        raise ValueError(f"customer {customer.id} has no phone number to send a reminder to")
    body = _body(appointment, customer, settings, room=None)
    if len(body) > MAX_BODY:
        body = _body(appointment, customer, settings, room=_NAME_ROOM, link=False)
    return {
        "to": customer.phone,
        "body": body,
        "appointmentId": appointment.id,
        "kind": "reminder",
        "beforeMinutes": before_minutes,
        EXPIRES_AT: settings.mail_expiry(now),
    }


def _body(appointment: Appointment, customer: Customer, settings: BookingSettings, *,
          room: int | None, link: bool = True) -> str:
    business = _short(settings.business_name, room)
    what = _short(appointment.type_name or "appointment", room)
    provider = _short(appointment.provider_name, room)
    with_whom = f" with {provider}" if provider else ""
    text = f"{business}: reminder of your {what}{with_whom} on {_when(appointment, customer)}."
    if link and settings.my_appointments_url:
        text += f" Change or cancel: {settings.my_appointments_url}"
    return text


def _when(appointment: Appointment, customer: Customer) -> str:
    """The start in the provider's zone and, when its clock reads otherwise,
    the customer's."""
    theirs = appointment.start.astimezone(ZoneInfo(appointment.time_zone))
    text = f"{theirs:%a %d %b %Y} at {theirs:%H:%M} {_place(appointment.time_zone)} time"
    if customer.time_zone and customer.time_zone != appointment.time_zone:
        own = appointment.start.astimezone(ZoneInfo(customer.time_zone))
        if _wall(own) != _wall(theirs):
            day = "" if own.date() == theirs.date() else f"{own:%a %d %b} "
            text += f" ({day}{own:%H:%M} {_place(customer.time_zone)} time)"
    return text


def _wall(moment: datetime) -> tuple[Any, ...]:
    return (moment.date(), moment.hour, moment.minute)


def _place(zone: str) -> str:
    # "America/New_York" reads as "New York"; "UTC" stays itself
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _short(text: str, room: int | None) -> str:
    # one line: a name with a line break would split the message oddly
    flat = " ".join(text.split())
    if room is None or len(flat) <= room:
        return flat
    return flat[: room - 3].rstrip() + "..."  # GSM-7 has no ellipsis character
