"""Planning one booking: the parties it involves, the appointment it makes,
and the check of a request against the sheets and the customer's ledger
planned so far. Shared by the booking routine and by the companions a
contended booking confirms in the same commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking.domain.appointments import Appointment, cancel_deadline
from booking.domain.booking_requests import MESSAGES, BookingRequest, Reason, RequestStatus
from booking.domain.booking_check import Accepted, check_booking
from booking.domain.booking_window import window_refusal
from booking.domain.models import AppointmentType, BookedBlock, Customer, Provider
from booking.domain.refusals import Refusal
from booking.domain.zones import local_date
from booking.domain.settings import EXPIRES_AT, BookingSettings
from booking.services.cap import reserve
from booking.services.working import Working


@dataclass(frozen=True)
class Parties:
    customer: Customer
    provider: Provider
    appointment_type: AppointmentType
    previous: Appointment | None = None
    previous_version: Any = None  # the update time `previous` was read at


class Rejection(Refusal):
    """A booking request refused: its code is the rejection reason."""

    def __init__(self, reason: Reason, message: str | None = None) -> None:
        super().__init__(reason.value, message or MESSAGES[reason])
        self.reason = reason


def new_appointment(request: BookingRequest, parties: Parties, block: BookedBlock, now: datetime) -> Appointment:
    """A reschedule carries on the calendar event of the appointment it
    moves (same UID, next SEQUENCE); a new booking starts its own."""
    appt_type = parties.appointment_type
    previous = parties.previous
    return Appointment.confirmed(
        at=now,
        by=request.actor,
        id=request.id,
        provider_id=parties.provider.id,
        customer_id=request.customer_id,
        appointment_type_id=appt_type.id,
        start=block.start,
        end=block.end,
        block_start=block.block.start,
        block_end=block.block.end,
        request_id=request.id,
        time_zone=parties.provider.time_zone,
        cancellable_until=cancel_deadline(block.start, appt_type.cancel_cutoff_minutes),
        customer_name=parties.customer.name,
        provider_name=parties.provider.name,
        type_name=appt_type.name,
        notes=request.notes,
        rescheduled_from=previous.id if previous else None,
        calendar_uid=(previous.calendar_uid or previous.id) if previous else request.id,
        calendar_sequence=previous.calendar_sequence + 1 if previous else 0,
        # A moved occurrence stays in its series (grouped, and in "this and following").
        series_id=previous.series_id if previous else None,
        series_index=previous.series_index if previous else None,
    )


def request_fields(status: RequestStatus, now: datetime, settings: BookingSettings, **extra: Any) -> dict[str, Any]:
    """A request's outcome; it is kept for the business's retention period from now."""
    return {"status": status.value, "processedAt": now, EXPIRES_AT: settings.request_expiry(now), **extra}


def outside_window(appt_type: AppointmentType, start: datetime, now: datetime,
                   tz: str = "UTC") -> Rejection | None:
    """Notice and horizon first: they need no sheet, and a start centuries
    away must never reach the calendar code. The refusal is the domain's,
    word for word, with the start shown in `tz` (the provider's zone)."""
    outside = window_refusal(appt_type, start, now, tz)
    return Rejection(*outside) if outside is not None else None


def plan(work: Working, request: BookingRequest, appt_type: AppointmentType, moving: str | None,
          now: datetime, *, enforce: bool) -> BookedBlock | Rejection | None:
    """Check `request` against the planned sheets and ledger; when it fits,
    plan its block and ledger entry into `work` and return the block. None:
    a sheet already holds it (an earlier delivery booked it)."""
    tz = work.loader.provider.time_zone
    day = local_date(tz, request.start)
    block = BookedBlock.for_appointment(request.id, appt_type, request.start)
    touched = work.touch(day, block.block)
    if touched[day].holds(request.id):
        return None
    # Every sheet the candidate touches: a sheet's own blocks are complete
    # for its day, and the neighbours cover a block reaching across midnight.
    seen: dict[str, BookedBlock] = {}
    away = set()
    for sheet in touched.values():
        seen.update((b.appointment_id, b) for b in sheet.blocks)
        away.update(s.range for s in sheet.time_off)
    decision = check_booking(
        tz=tz,
        day=day,
        open=list(touched[day].open),
        appt_type=appt_type,
        blocks=[b for b in seen.values() if b.appointment_id != moving],
        start=request.start,
        now=now,
        appointment_id=request.id,
        time_off=sorted(away, key=lambda r: r.start),
    )
    if not isinstance(decision, Accepted):
        return Rejection(decision.reason, decision.message or None)
    refusal = reserve(work, request.customer_id, request.id, request.start, appt_type, now, moving=moving,
                      enforce=enforce)
    if refusal is not None:
        return Rejection(Reason.TOO_MANY_UPCOMING, refusal)
    work.add(block)
    return block
