"""Booking requests and appointments as records: the client contract in code.

A booking request is what a client app writes; `parse_request` turns it
into a typed `BookingRequest` or refuses it with a message that names the
field, so a malformed document can never crash a trigger.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from booking.domain.appointments import AppointmentStatus, Reason, can_transition
from booking.domain.ids import SAFE_ID_RULE, is_safe_id

MAX_NOTES = 1000
MAX_CANCEL_REASON = 500

MESSAGES: dict[Reason, str] = {
    Reason.INVALID_REQUEST: "The booking request is malformed.",
    Reason.UNKNOWN_PROVIDER: "There is no such provider.",
    Reason.PROVIDER_INACTIVE: "This provider is not taking bookings.",
    Reason.UNKNOWN_TYPE: "There is no such appointment type.",
    Reason.TYPE_INACTIVE: "This appointment type is no longer offered.",
    Reason.TYPE_NOT_OFFERED: "This provider does not offer this appointment type.",
    Reason.NOT_ON_SLOT: "That time is not one of the offered slots.",
    Reason.OUTSIDE_AVAILABILITY: "The provider is not available at that time.",
    Reason.TOO_SOON: "That time is too soon to book.",
    Reason.TOO_FAR: "That time is too far ahead to book.",
    Reason.SLOT_TAKEN: "Sorry, that slot was just taken.",
    Reason.LIMIT_REACHED: "No more appointments of this kind can be booked with this provider that day.",
    Reason.UNKNOWN_CUSTOMER: "Please complete your customer profile before booking.",
    Reason.NOT_RESCHEDULABLE: "That appointment can no longer be rescheduled.",
    Reason.TOO_MANY_UPCOMING: "You already hold as many upcoming appointments as can be booked at once.",
    Reason.PROCESSING_FAILED: "We could not process this booking request. Please try again.",
}


class RequestStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class BookingRequest:
    id: str
    customer_id: str
    provider_id: str
    appointment_type_id: str
    start: datetime
    created_at: datetime | None = None
    notes: str | None = None
    reschedule_of: str | None = None


class InvalidRequest(ValueError):
    """The document breaks the client contract; the message names the field."""


_REQUIRED_IDS = ("customerId", "providerId", "appointmentTypeId")
_CLIENT_FIELDS = {*_REQUIRED_IDS, "start", "status", "createdAt", "notes", "rescheduleOf"}
# The outcome the backend adds to a request (not the admin-edited documents'
# backend fields of `documents`); present when a request is processed again.
_OUTCOME_FIELDS = {"reason", "message", "appointmentId", "processedAt", "attempts", "lastAttemptAt"}


def parse_request(request_id: str, data: dict[str, Any] | None) -> BookingRequest:
    """Raises InvalidRequest naming the first field that breaks the contract.

    The request's own id is checked too: the admin SDK and the console
    bypass the rules, and an id outside the alphabet would make the
    appointment and mail ids derived from it unwritable."""
    if not is_safe_id(request_id):
        raise InvalidRequest(f"the request id must be {SAFE_ID_RULE}")
    if not isinstance(data, dict):
        raise InvalidRequest("the request document is empty")
    unknown = sorted(set(data) - _CLIENT_FIELDS - _OUTCOME_FIELDS)
    if unknown:
        raise InvalidRequest(f"unexpected field(s): {', '.join(unknown)}")
    for name in _REQUIRED_IDS:
        if name not in data:
            raise InvalidRequest(f"{name} is required")
        if not is_safe_id(data[name]):
            raise InvalidRequest(f"{name} must be an id of {SAFE_ID_RULE}")
    start = data.get("start")
    if start is None:
        raise InvalidRequest("start is required")
    if not isinstance(start, datetime) or start.tzinfo is None:
        raise InvalidRequest("start must be a timestamp")
    if start.second or start.microsecond:
        raise InvalidRequest("start must be on a whole minute")
    created_at = data.get("createdAt")
    if created_at is not None and not isinstance(created_at, datetime):
        raise InvalidRequest("createdAt must be a timestamp")
    notes = data.get("notes")
    if notes is not None and (not isinstance(notes, str) or len(notes) > MAX_NOTES):
        raise InvalidRequest(f"notes must be a string of at most {MAX_NOTES} characters")
    reschedule_of = data.get("rescheduleOf")
    if reschedule_of is not None and not is_safe_id(reschedule_of):
        raise InvalidRequest(f"rescheduleOf must be an appointment id of {SAFE_ID_RULE}")
    return BookingRequest(
        id=request_id,
        customer_id=data["customerId"],
        provider_id=data["providerId"],
        appointment_type_id=data["appointmentTypeId"],
        start=start,
        created_at=created_at,
        notes=notes,
        reschedule_of=reschedule_of,
    )


@dataclass
class Appointment:
    """A booked appointment as stored in `appointments/{id}` (id = request id)."""

    id: str
    provider_id: str
    customer_id: str
    appointment_type_id: str
    start: datetime
    end: datetime
    block_start: datetime
    block_end: datetime
    status: AppointmentStatus
    request_id: str
    time_zone: str
    cancellable_until: datetime
    customer_name: str = ""
    provider_name: str = ""
    type_name: str = ""
    notes: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    rescheduled_from: str | None = None
    rescheduled_to: str | None = None
    outside_availability: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)
    # Whether the day sheets still hold its block: true from booking until
    # a cancel's release, so "cancelled but still held" finds exactly the
    # releases a lost trigger left undone. None on records that predate it.
    held: bool | None = None

    def cancellable_at(self, now: datetime) -> bool:
        return self.status is AppointmentStatus.CONFIRMED and now < self.cancellable_until

    # -- the lifecycle: every move returns the new record with its history
    # entry; the allowed moves are `can_transition`'s. A service writes what
    # changed between the two records, conditioned on the version it read.

    @classmethod
    def confirmed(cls, *, at: datetime, by: str, **fields: Any) -> Appointment:
        """A new appointment, booked at `at` by `by`: its block is held."""
        return cls(**fields, status=AppointmentStatus.CONFIRMED, created_at=at, updated_at=at, held=True,
                   history=[history_entry(at, AppointmentStatus.CONFIRMED, by)])

    def cancelled(self, *, at: datetime, by: str, reason: str | None = None) -> Appointment:
        """Cancelled on someone's behalf; the caller releases the block."""
        self._check_move(AppointmentStatus.CANCELLED)
        return replace(self, status=AppointmentStatus.CANCELLED, cancelled_at=at, cancelled_by=by,
                       cancel_reason=reason, updated_at=at, held=False,
                       history=[*self.history, history_entry(at, AppointmentStatus.CANCELLED, by)])

    def moved_to(self, appointment_id: str, *, at: datetime, by: str) -> Appointment:
        """Rescheduled: replaced by `appointment_id`, so cancelled, saying where it went."""
        self._check_move(AppointmentStatus.CANCELLED)
        return replace(self, status=AppointmentStatus.CANCELLED, cancelled_at=at, cancelled_by=by,
                       cancel_reason="rescheduled", rescheduled_to=appointment_id, updated_at=at, held=False,
                       history=[*self.history, history_entry(at, AppointmentStatus.CANCELLED, by,
                                                             note=f"rescheduled to {appointment_id}")])

    def cancel_recorded(self, *, at: datetime) -> Appointment:
        """A client or the console set `status: cancelled` directly: record
        when and by whom (the customer, unless the edit named someone)."""
        if self.status is not AppointmentStatus.CANCELLED or self.cancelled_at is not None:
            raise InvalidTransition(f"nothing to record on a {self.status.value} appointment")
        by = self.cancelled_by or self.customer_id
        return replace(self, cancelled_at=at, cancelled_by=by, updated_at=at,
                       history=[*self.history, history_entry(at, AppointmentStatus.CANCELLED, by)])

    def marked(self, status: AppointmentStatus, *, at: datetime, by: str) -> Appointment:
        """Closed as completed or no_show; the block stays held (the time was used)."""
        if status not in (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW):
            raise InvalidTransition(f"{status.value} is not a mark")
        self._check_move(status)
        return replace(self, status=status, updated_at=at,
                       history=[*self.history, history_entry(at, status, by)])

    def released(self) -> Appointment:
        """The day sheets no longer hold its block."""
        return replace(self, held=False)

    def _check_move(self, to: AppointmentStatus) -> None:
        if not can_transition(self.status, to):
            raise InvalidTransition(f"A {self.status.value} appointment cannot become {to.value}.")


class InvalidTransition(ValueError):
    """The appointment's status does not allow this move."""


def history_entry(at: datetime, status: AppointmentStatus | str, by: str, note: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"at": at, "status": AppointmentStatus(status).value, "by": by}
    if note is not None:
        entry["note"] = note
    return entry


def cancel_deadline(start: datetime, cutoff_minutes: int) -> datetime:
    return start - timedelta(minutes=cutoff_minutes)
