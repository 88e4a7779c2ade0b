"""The per-customer cap on the booking path: admit the new appointment into
the customer's planned ledger, or say why not. The rule itself is
`booking.domain.customer_cap`."""

from __future__ import annotations

from datetime import datetime

from booking.domain.appointments import AppointmentStatus
from booking.domain.customer_cap import CapSettings, Held, admit, upcoming
from booking.domain.models import AppointmentType
from booking.services.working import Working


def reserve(work: Working, customer_id: str, appointment_id: str, start: datetime, appt_type: AppointmentType,
            now: datetime, *, moving: str | None, enforce: bool) -> str | None:
    """None when admitted (the planned ledger then holds the appointment),
    else the refusal message (and nothing is planned)."""
    entries = upcoming(work.ledger(customer_id), now, moving=moving)
    settings = CapSettings(work.max_upcoming(), appt_type.max_upcoming_per_customer)

    def still_confirmed(held_id: str) -> bool:
        if held_id in work.planned:
            return True  # planned into this very commit: not stored yet
        appointment = work.store.appointment(held_id)
        return appointment is not None and appointment.status is AppointmentStatus.CONFIRMED

    kept, refusal = admit(entries, appointment_id, Held(start, appt_type.id), settings, still_confirmed,
                          enforce=enforce)
    if refusal is None:
        work.set_ledger(customer_id, kept)
    return refusal
