"""Series on the REST API and the callables: book one, cancel "this and
following". The same services as a client's series request
(`services.series`, `services.series_cancel`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from collections.abc import Callable
from typing import Any

from booking.api import policies
from booking.api.auth import Principal
from booking.api.errors import ApiError
from booking.api.operations import cancelling
from booking.api.schemas import AppointmentCreate
from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.booking_requests import BookingRequest, RequestStatus
from booking.domain.recurrence import Frequency, OnConflict, Recurrence
from booking.services.cancel import cancel
from booking.services.series import book_series
from booking.services.series_cancel import cancel_following
from booking.store.repository import Repository

# How the caller shows an appointment (the router's `out`: the router imports this module)
Out = Callable[[Appointment], dict[str, Any]]


def _invalid(field: str, message: str) -> ApiError:
    return ApiError("validation_failed", "The request did not validate.", errors=[{"field": field, "message": message}])


def book_series_for(repo: Repository, user: Principal, body: AppointmentCreate, *, now: datetime,
                    out: Out) -> dict[str, Any]:
    """201 with every booked occurrence (SeriesOut), or 409 whose `code` is
    the reason of the first occurrence that failed (`failedOccurrence`).
    The cap does not bind a booking on a customer's behalf; the minimum
    notice binds every series (a walk-in is one appointment, not a series)."""
    if body.recurrence is None:
        raise ValueError("book_series_for needs a recurrence")
    customer_id = body.customer_id or user.uid
    policies.require(policies.may_book_for(user, customer_id, body.provider_id), policies.BOOK_REFUSED)
    request = BookingRequest(
        id=uuid.uuid4().hex, customer_id=customer_id, provider_id=body.provider_id,
        appointment_type_id=body.appointment_type_id, start=body.start, created_at=now, notes=body.notes,
        booked_by=user.uid,
        recurrence=Recurrence(Frequency(body.recurrence.frequency), body.recurrence.count,
                              OnConflict(body.on_conflict or OnConflict.REJECT)),
    )
    outcome = book_series(repo, request, now=now, create_request=True,
                          enforce_cap=policies.cap_applies(user, customer_id))
    if outcome.status is RequestStatus.CONFIRMED:
        return {"seriesId": request.id, "appointments": [out(a) for a in outcome.appointments],
                "skipped": [m.to_dict() for m in outcome.skipped]}
    if outcome.status is RequestStatus.REJECTED:
        reason = outcome.reason.value if outcome.reason else "invalid_request"
        failed = {"failedOccurrence": {"index": outcome.failed.index, "start": outcome.failed.start.isoformat()}
                  } if outcome.failed else {}
        raise ApiError(reason, outcome.message or "The series was refused.", status=409, **failed)
    raise ApiError("busy", "The slots are contended right now; try again.")


def check_on_conflict(body: AppointmentCreate, where: str = "body") -> None:
    if body.on_conflict is not None and body.recurrence is None:
        raise _invalid(f"{where}.onConflict", "applies to a series only: send it with recurrence")


def cancel_scoped(repo: Repository, user: Principal, appointment_id: str, *, scope: str, reason: str | None,
                  now: datetime, out: Out) -> dict[str, Any]:
    """`this` or `following`, by the same rules as a cancel: the customer
    before each occurrence's cutoff, its provider's staff and admins any time."""
    def act(appointment: Appointment, enforce_cutoff: bool) -> dict[str, Any]:
        if scope == "following":
            done = cancel_following(repo, appointment.id, now=now, by=user.uid, reason=reason,
                                    enforce_cutoff=enforce_cutoff)
            return {"appointment": out(done.appointment), "cancelled": list(done.cancelled), "kept": list(done.kept)}
        one = cancel(repo, appointment.id, now=now, by=user.uid, reason=reason, enforce_cutoff=enforce_cutoff)
        was_confirmed = appointment.status is AppointmentStatus.CONFIRMED
        return {"appointment": out(one.appointment), "cancelled": [appointment.id] if was_confirmed else [],
                "kept": []}

    return cancelling(repo, user, appointment_id, act)
