"""Cancel an appointment and release its block on the day sheet(s).

Two ways in: a caller asks to cancel (REST, callable: `cancel`), or a
client already set `status: cancelled` under the rules and the update
trigger finishes the job (`finish_cancel`). Both are idempotent: a block
no longer on the sheet and a `cancelledAt` already set mean done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking.domain.appointments import AppointmentStatus
from booking.domain.models import Customer, Provider
from booking.domain.records import MAX_CANCEL_REASON, Appointment
from booking.domain.zones import local_date
from booking.services.notifications import cancellation_mail
from booking.services.ports import Commit, Conflict, InvalidDocument, Store
from booking.services.sheets import SheetLoader, held_range

log = logging.getLogger(__name__)

MAX_ROUNDS = 10


class CancelRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CancelOutcome:
    appointment: Appointment
    released: bool
    rounds: int


def _customer_or_none(store: Store, customer_id: str) -> Customer | None:
    """Who to tell; a missing or broken profile only costs the mail."""
    try:
        return store.customer(customer_id)
    except InvalidDocument:
        log.warning("cancel mail skipped: customer profile invalid", extra={"customerId": customer_id})
        return None


def _provider_for(store: Store, appointment: Appointment) -> Provider:
    provider = store.provider(appointment.provider_id)
    if provider is None:
        # The sheets still exist under the old id; a stand-in keeps the
        # release possible after a provider document was deleted.
        provider = Provider(id=appointment.provider_id, name=appointment.provider_name or appointment.provider_id,
                            time_zone=appointment.time_zone, active=False)
    return provider


def cancel(
    store: Store,
    appointment_id: str,
    *,
    now: datetime,
    by: str,
    reason: str | None = None,
    enforce_cutoff: bool = True,
) -> CancelOutcome:
    """Cancel a confirmed appointment on someone's behalf."""
    if reason is not None and len(reason) > MAX_CANCEL_REASON:
        raise CancelRefused("invalid_request", f"cancelReason must be at most {MAX_CANCEL_REASON} characters")
    appointment = store.appointment(appointment_id)
    if appointment is None:
        raise CancelRefused("not_found", "There is no such appointment.")
    if appointment.status is AppointmentStatus.CANCELLED:
        return CancelOutcome(appointment, released=False, rounds=0)
    if appointment.status is not AppointmentStatus.CONFIRMED:
        raise CancelRefused("invalid_transition", f"A {appointment.status.value} appointment cannot be cancelled.")
    if enforce_cutoff and not appointment.cancellable_at(now):
        raise CancelRefused("cutoff_passed", "It is too late to cancel this appointment.")
    fields = {
        "status": AppointmentStatus.CANCELLED.value,
        "cancelledAt": now,
        "cancelledBy": by,
        "cancelReason": reason,
        "updatedAt": now,
        "history": [*appointment.history, {"at": now, "status": "cancelled", "by": by}],
    }
    return _release(store, appointment, fields, now)


def finish_cancel(store: Store, appointment_id: str, *, now: datetime) -> CancelOutcome | None:
    """The appointment's status was set to cancelled by a client or in the
    console: release its block and record who and when, once."""
    appointment = store.appointment(appointment_id)
    if appointment is None or appointment.status is not AppointmentStatus.CANCELLED:
        return None
    fields: dict[str, Any] = {}
    if appointment.cancelled_at is None:
        by = appointment.cancelled_by or appointment.customer_id
        fields = {
            "cancelledAt": now,
            "cancelledBy": by,
            "updatedAt": now,
            "history": [*appointment.history, {"at": now, "status": "cancelled", "by": by}],
        }
    return _release(store, appointment, fields, now)


_FIELD_ATTRS = {"status": "status", "cancelledAt": "cancelled_at", "cancelledBy": "cancelled_by",
                "cancelReason": "cancel_reason", "updatedAt": "updated_at", "history": "history"}


def _applied(appointment: Appointment, fields: dict[str, Any]) -> Appointment:
    """The appointment as the committed fields left it, without reading it back."""
    values = dict(appointment.__dict__)
    for key, value in fields.items():
        if key in _FIELD_ATTRS:
            values[_FIELD_ATTRS[key]] = AppointmentStatus(value) if key == "status" else value
    return Appointment(**values)


def _release(store: Store, appointment: Appointment, fields: dict[str, Any], now: datetime) -> CancelOutcome:
    provider = _provider_for(store, appointment)
    held = held_range(appointment)
    day = local_date(provider.time_zone, held.start)
    mail_needed = bool(fields)
    customer = _customer_or_none(store, appointment.customer_id) if mail_needed else None
    for round_no in range(1, MAX_ROUNDS + 1):
        loader = SheetLoader(store, provider)
        touched = loader.with_neighbours(day, held)
        commit = Commit()
        for sheet, version in touched.values():
            if sheet.holds(appointment.id):
                commit.sheets.append((sheet.without(appointment.id), version))
        if fields:
            commit.update_appointments.append((appointment.id, fields))
        if mail_needed and customer is not None:
            cancelled = Appointment(**{**appointment.__dict__, "status": AppointmentStatus.CANCELLED,
                                       "cancel_reason": fields.get("cancelReason", appointment.cancel_reason)})
            commit.mails.append((f"{appointment.id}-cancelled", cancellation_mail(cancelled, customer, now)))
        if commit.writes() == 0:
            return CancelOutcome(appointment, released=False, rounds=round_no)
        try:
            store.commit(commit)
        except Conflict:
            fresh = store.appointment(appointment.id)
            if fresh is not None and fresh.cancelled_at is not None and fresh.cancelled_at != appointment.cancelled_at:
                # another delivery or caller finished the cancel meanwhile;
                # only the sheets may still need the release
                appointment, fields, mail_needed = fresh, {}, False
            log.info("cancel conflict, retrying", extra={"appointmentId": appointment.id})
            continue
        return CancelOutcome(_applied(appointment, fields), released=bool(commit.sheets), rounds=round_no)
    raise Conflict(f"could not release {appointment.id} after {MAX_ROUNDS} rounds")
