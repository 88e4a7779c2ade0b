"""The appointment and its lifecycle: statuses, the allowed moves, and the
record each move makes (with its history entry).

A confirmed appointment ends in exactly one of ``cancelled``, ``completed``
or ``no_show``; those three are final (a mistaken mark is corrected by an
admin editing the document, not by a transition). Staying in the same
status is not a transition, so ``can_transition(s, s)`` is false: callers
treat a repeated request as an idempotent no-op before asking.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

MAX_CANCEL_REASON = 500


class AppointmentStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


TERMINAL_STATUSES = frozenset({AppointmentStatus.CANCELLED, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW})

_ALLOWED: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    AppointmentStatus.CONFIRMED: TERMINAL_STATUSES,
    AppointmentStatus.CANCELLED: frozenset(),
    AppointmentStatus.COMPLETED: frozenset(),
    AppointmentStatus.NO_SHOW: frozenset(),
}


def can_transition(old: AppointmentStatus | str, new: AppointmentStatus | str) -> bool:
    """Whether an appointment may move from ``old`` to ``new`` (unknown values: no)."""
    try:
        return AppointmentStatus(new) in _ALLOWED[AppointmentStatus(old)]
    except ValueError:
        return False


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
    # The time off its block (with buffers) meets: it stays booked, flagged
    # for the business to sort out (services/time_off.py keeps it true).
    time_off_conflicts: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    # Messages that did not reach the customer, as the mail extension reported
    # them ({mailId, kind, state, error, at}; services/delivery.py), so staff see it.
    notifications: list[dict[str, Any]] = field(default_factory=list)
    # Whether the day sheets still hold its block: true from booking until
    # a cancel's release, so "cancelled but still held" finds exactly the
    # releases a lost trigger left undone. None on records that predate it.
    held: bool | None = None
    # Its calendar identity (RFC 5545 UID and SEQUENCE): a reschedule keeps
    # the UID of the appointment it moves, one higher, so the customer's
    # calendar moves the event instead of adding a second. "" means its id.
    calendar_uid: str = ""
    calendar_sequence: int = 0
    # One occurrence of a series booked at once (services/series.py): the
    # series' request id and this occurrence's place in it, from 1.
    series_id: str | None = None
    series_index: int | None = None

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
