"""Booking requests: the client contract in code, and the reasons a request
is rejected.

A booking request is what a client app writes; `parse_request` turns it
into a typed `BookingRequest` or refuses it with a message that names the
field, so a malformed document can never crash a trigger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from booking.domain.ids import SAFE_ID_RULE, is_safe_id
from booking.domain.recurrence import MAX_SERIES_REQUEST_ID, InvalidRecurrence, Recurrence, parse_recurrence

MAX_NOTES = 1000


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
    # who asked, when not the customer (staff or an admin on its behalf): the history's `by`
    booked_by: str | None = None
    recurrence: Recurrence | None = None  # a series: services/series.py

    @property
    def actor(self) -> str:
        return self.booked_by or self.customer_id


class InvalidRequest(ValueError):
    """The document breaks the client contract; the message names the field."""


_REQUIRED_IDS = ("customerId", "providerId", "appointmentTypeId")
_CLIENT_FIELDS = {*_REQUIRED_IDS, "start", "status", "createdAt", "notes", "rescheduleOf", "recurrence",
                  "onConflict"}
# The outcome the backend adds to a request (not the admin-edited documents'
# backend fields of `documents`); present when a request is processed again.
_OUTCOME_FIELDS = {"reason", "message", "appointmentId", "processedAt", "expiresAt", "attempts", "lastAttemptAt",
                   "seriesId", "appointmentIds", "skipped", "failedOccurrence"}


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
    recurrence = _recurrence(request_id, data, reschedule_of)
    return BookingRequest(
        id=request_id,
        customer_id=data["customerId"],
        provider_id=data["providerId"],
        appointment_type_id=data["appointmentTypeId"],
        start=start,
        created_at=created_at,
        notes=notes,
        reschedule_of=reschedule_of,
        recurrence=recurrence,
    )


def _recurrence(request_id: str, data: dict[str, Any], reschedule_of: str | None) -> Recurrence | None:
    if "recurrence" not in data:
        if "onConflict" in data:
            raise InvalidRequest("onConflict applies to a series only: send it with recurrence")
        return None
    if reschedule_of is not None:
        raise InvalidRequest("a reschedule moves one appointment: it cannot carry a recurrence")
    if len(request_id) > MAX_SERIES_REQUEST_ID:
        raise InvalidRequest(f"a series request's id must be at most {MAX_SERIES_REQUEST_ID} characters")
    try:
        return parse_recurrence(data["recurrence"], data.get("onConflict"))
    except InvalidRecurrence as invalid:
        raise InvalidRequest(str(invalid)) from invalid
