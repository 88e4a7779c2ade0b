"""iCalendar (RFC 5545) files for appointments.

Times are written in UTC (`...Z`), which every calendar converts to its
user's zone without needing a VTIMEZONE block. The UID is stable per
appointment, so a CANCEL (or a later update, with a higher SEQUENCE)
replaces the event the customer already imported.
"""

from __future__ import annotations

from datetime import UTC, datetime

from booking.domain.appointments import Appointment, AppointmentStatus

PRODID = "-//firebase-booking//appointments//EN"
UID_DOMAIN = "booking.firebaseapp"


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


_CONTROL = {c: None for c in range(32) if c not in (9, 10)}  # TAB and LF survive


def _escape(text: str) -> str:
    """TEXT value escaping. Notes come from clients: a bare CR or another
    control character would break the line structure (or inject lines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on lines starting with a space."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def calendar_for(appointment: Appointment, *, now: datetime, method: str = "REQUEST") -> str:
    cancelled = method == "CANCEL" or appointment.status is AppointmentStatus.CANCELLED
    summary = appointment.type_name or "Appointment"
    if appointment.provider_name:
        summary += f" with {appointment.provider_name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else method}",
        "BEGIN:VEVENT",
        f"UID:{appointment.id}@{UID_DOMAIN}",
        # SEQUENCE must grow for an update to win over the earlier copy.
        f"SEQUENCE:{1 if cancelled else 0}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(appointment.start)}",
        f"DTEND:{_stamp(appointment.end)}",
        f"SUMMARY:{_escape(summary)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if appointment.notes:
        lines.append(f"DESCRIPTION:{_escape(appointment.notes)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    folded = [part for line in lines for part in _fold(line)]
    return "\r\n".join(folded) + "\r\n"
