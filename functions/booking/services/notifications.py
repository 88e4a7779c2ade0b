"""Outbox documents in the Firebase "Trigger Email" extension's format."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from booking.domain.models import Customer
from booking.domain.appointments import Appointment
from booking.services.ics import calendar_for

ICS_TYPE = "text/calendar; charset=utf-8"


def _when(appointment: Appointment, customer: Customer | None) -> str:
    zone = (customer.time_zone if customer and customer.time_zone else None) or appointment.time_zone
    local = appointment.start.astimezone(ZoneInfo(zone))
    return f"{local:%A %d %B %Y, %H:%M} ({zone})"


def _message(subject: str, lines: list[str], attachment: dict[str, Any] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "subject": subject,
        "text": "\n".join(lines),
        "html": "".join(f"<p>{html.escape(line)}</p>" for line in lines),
    }
    if attachment:
        message["attachments"] = [attachment]
    return message


def confirmation_mail(appointment: Appointment, customer: Customer, now: datetime) -> dict[str, Any]:
    ics = calendar_for(appointment, now=now, method="REQUEST")
    lines = [
        f"Hello {customer.name},",
        f"your {appointment.type_name or 'appointment'} with {appointment.provider_name or 'us'} "
        f"is confirmed for {_when(appointment, customer)}.",
        "The attached calendar file adds it to your calendar.",
    ]
    return {
        "to": customer.email,
        "message": _message(
            f"Confirmed: {appointment.type_name or 'appointment'} on {_when(appointment, customer)}",
            lines,
            {"filename": "appointment.ics", "content": ics, "contentType": f"{ics_type('REQUEST')}"},
        ),
        "appointmentId": appointment.id,
        "kind": "confirmed",
    }


def cancellation_mail(appointment: Appointment, customer: Customer, now: datetime) -> dict[str, Any]:
    ics = calendar_for(appointment, now=now, method="CANCEL")
    lines = [
        f"Hello {customer.name},",
        f"your {appointment.type_name or 'appointment'} on {_when(appointment, customer)} is cancelled.",
    ]
    if appointment.cancel_reason:
        lines.append(f"Reason: {appointment.cancel_reason}")
    return {
        "to": customer.email,
        "message": _message(
            f"Cancelled: {appointment.type_name or 'appointment'} on {_when(appointment, customer)}",
            lines,
            {"filename": "cancel.ics", "content": ics, "contentType": ics_type("CANCEL")},
        ),
        "appointmentId": appointment.id,
        "kind": "cancelled",
    }


def rejection_mail(customer: Customer, request_id: str, message: str) -> dict[str, Any]:
    lines = [f"Hello {customer.name},", "we could not book your appointment:", message]
    return {
        "to": customer.email,
        "message": _message("We could not book your appointment", lines),
        "requestId": request_id,
        "kind": "rejected",
    }


def ics_type(method: str) -> str:
    return f"{ICS_TYPE}; method={method}"
