"""Calendar invitations for appointments: iTIP (RFC 5546) over iCalendar
(RFC 5545), written by the `icalendar` library (escaping, folding).

One event per appointment's whole life: the UID is the first booking's id
and stays through every reschedule (`Appointment.calendar_uid`), each move
one SEQUENCE higher, so a mail client moves the event it has instead of
adding a second. A cancel is METHOD:CANCEL with the same UID at the next
SEQUENCE. Times are UTC (`...Z`): every calendar shows them in its user's
zone without a VTIMEZONE block.
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.models import Customer
from booking.domain.settings import BookingSettings

PRODID = "-//firebase-booking//appointments//EN"
UID_DOMAIN = "booking.firebaseapp"
ICS_TYPE = "text/calendar; charset=utf-8"

# Notes and names come from clients. The library escapes what RFC 5545
# escapes, but other control characters (a BEL, a NUL) are not TEXT at all
# and some calendars refuse the whole file over one: drop them.
_CONTROL = {c: None for c in (*range(32), 127) if c not in (9, 10, 13)}


def _clean(text: str) -> str:
    return text.translate(_CONTROL)


def method_for(appointment: Appointment) -> str:
    return "CANCEL" if appointment.status is AppointmentStatus.CANCELLED else "REQUEST"


def ics_type(method: str) -> str:
    """The MIME type mail clients look for to offer "add" / "remove"."""
    return f"{ICS_TYPE}; method={method}"


def uid_of(appointment: Appointment) -> str:
    return f"{appointment.calendar_uid or appointment.id}@{UID_DOMAIN}"


def sequence_of(appointment: Appointment) -> int:
    """The cancel must outrank the last REQUEST the customer received."""
    bump = 1 if appointment.status is AppointmentStatus.CANCELLED else 0
    return appointment.calendar_sequence + bump


def summary_of(appointment: Appointment) -> str:
    summary = appointment.type_name or "Appointment"
    return f"{summary} with {appointment.provider_name}" if appointment.provider_name else summary


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name.strip():
        address.params["CN"] = _clean(name).replace("\r", " ").replace("\n", " ").strip()
    address.params.update(params)
    return address


def invitation(appointment: Appointment, customer: Customer | None, settings: BookingSettings,
               *, now: datetime) -> str:
    """The .ics for `appointment` as it stands: REQUEST while booked (or
    after it was held), CANCEL once cancelled. Without a customer profile
    (deleted) there is no ATTENDEE; the event still updates by its UID."""
    method = method_for(appointment)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", uid_of(appointment))
    event.add("sequence", sequence_of(appointment))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", vText(_clean(summary_of(appointment))))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", _address(settings.organizer_email, settings.business_name))
    if customer is not None and customer.email:
        event.add("attendee", _address(customer.email, customer.name, ROLE="REQ-PARTICIPANT",
                                       PARTSTAT="ACCEPTED", RSVP="FALSE"))
    if appointment.notes:
        event.add("description", vText(_clean(appointment.notes)))
    if settings.my_appointments_url:
        event.add("url", settings.my_appointments_url)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def attachment(appointment: Appointment, customer: Customer | None, settings: BookingSettings,
               *, now: datetime) -> dict[str, str]:
    """The Trigger Email attachment (nodemailer's fields) carrying the invitation."""
    method = method_for(appointment)
    return {
        "filename": "cancel.ics" if method == "CANCEL" else "appointment.ics",
        "content": invitation(appointment, customer, settings, now=now),
        "contentType": ics_type(method),
    }
