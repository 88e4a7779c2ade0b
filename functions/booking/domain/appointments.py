"""Appointment statuses, their allowed changes, and booking rejection codes.

A confirmed appointment ends in exactly one of ``cancelled``, ``completed``
or ``no_show``; those three are final (a mistaken mark is corrected by an
admin editing the document, not by a transition). Staying in the same
status is not a transition, so ``can_transition(s, s)`` is false: callers
treat a repeated request as an idempotent no-op before asking.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AppointmentStatus", "Reason", "can_transition", "TERMINAL_STATUSES"]


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


class Reason(StrEnum):
    """Why a booking request was rejected: the codes of the client contract (docs/design.md)."""

    INVALID_REQUEST = "invalid_request"
    UNKNOWN_PROVIDER = "unknown_provider"
    PROVIDER_INACTIVE = "provider_inactive"
    UNKNOWN_TYPE = "unknown_type"
    TYPE_INACTIVE = "type_inactive"
    TYPE_NOT_OFFERED = "type_not_offered"
    NOT_ON_SLOT = "not_on_slot"
    OUTSIDE_AVAILABILITY = "outside_availability"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    SLOT_TAKEN = "slot_taken"
    LIMIT_REACHED = "limit_reached"
    UNKNOWN_CUSTOMER = "unknown_customer"
    NOT_RESCHEDULABLE = "not_reschedulable"
    TOO_MANY_UPCOMING = "too_many_upcoming"
    PROCESSING_FAILED = "processing_failed"
