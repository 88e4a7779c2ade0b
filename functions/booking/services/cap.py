"""The per-customer cap on the booking path: read the customer's ledger and
the business setting, admit the new appointment or say why not. The rule
itself is `booking.domain.customer_cap`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.domain.appointments import AppointmentStatus
from booking.domain.customer_cap import CapSettings, Held, admit, upcoming
from booking.domain.models import AppointmentType
from booking.services.ports import Store


def reserve(store: Store, customer_id: str, appointment_id: str, start: datetime, appt_type: AppointmentType,
            now: datetime, *, moving: str | None, enforce: bool) -> tuple[tuple[str, dict[str, Held], Any], str | None]:
    """(ledger write for the commit: customer id, entries, version read), and
    the refusal message when the cap refuses (then nothing is to be written)."""
    found = store.customer_ledger(customer_id)
    entries = upcoming(found.value if found else {}, now, moving=moving)
    settings = CapSettings(store.max_upcoming_per_customer(), appt_type.max_upcoming_per_customer)

    def still_confirmed(held_id: str) -> bool:
        appointment = store.appointment(held_id)
        return appointment is not None and appointment.status is AppointmentStatus.CONFIRMED

    kept, refusal = admit(entries, appointment_id, Held(start, appt_type.id), settings, still_confirmed,
                          enforce=enforce)
    return (customer_id, kept, found.version if found else None), refusal
