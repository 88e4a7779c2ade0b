"""What the REST routers and the callables share: slot search, booking,
rescheduling and cancelling on someone's behalf. Every booking goes through
`booking.services.booking.book`, every cancel through
`booking.services.cancel.cancel`. Errors are `ApiError`s; the callables
translate them into `HttpsError`s."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from collections.abc import Callable
from typing import Any, TypeVar

from booking.api import policies
from booking.api.auth import Principal
from booking.api.errors import ApiError, found_or_404
from booking.api.schemas import FIRST_YEAR, LAST_YEAR
from booking.domain.appointments import Appointment
from booking.domain.booking_requests import BookingRequest, RequestStatus
from booking.domain.models import AppointmentType, Provider
from booking.domain.refusals import Refusal
from booking.domain.search import group_by_local_date
from booking.domain.slots import filter_bookable
from booking.domain.zones import day_start, is_valid_zone, local_date
from booking.services.booking import Outcome, book
from booking.services.cancel import cancel
from booking.services.ports import Conflict, InvalidDocument, Versioned
from booking.services.type_slots import view_starts
from booking.store.repository import Repository

T = TypeVar("T")

MAX_SEARCH_DAYS = 31
DEFAULT_SEARCH_DAYS = 7


# -- slot search ----------------------------------------------------------------


def _invalid(field: str, message: str) -> ApiError:
    return ApiError("validation_failed", "The request did not validate.",
                    errors=[{"field": field, "message": message}])


def search_slots(
    repo: Repository,
    *,
    appointment_type_id: str,
    provider_id: str | None,
    first: date | None,
    last: date | None,
    time_zone: str,
    now: datetime,
    where: str = "query",
) -> dict[str, Any]:
    """Bookable slots of one type from the stored day sheets (never recomputed),
    notice and horizon applied with the type as it is now, grouped by the
    booker's local date in `time_zone`. `first`..`last` are booker dates (at
    most 31 days); without a provider: every active provider offering the type."""
    if not is_valid_zone(time_zone):
        raise _invalid(f"{where}.timeZone", f"unknown IANA time zone {time_zone!r}")
    for name, value in (("from", first), ("to", last)):
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise _invalid(f"{where}.{name}", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}")
    if first is None:
        first = local_date(time_zone, now)
    if last is None:
        last = first + timedelta(days=DEFAULT_SEARCH_DAYS - 1)
    if last < first:
        raise _invalid(f"{where}.to", "must not be before from")
    if (last - first).days + 1 > MAX_SEARCH_DAYS:
        raise _invalid(f"{where}.to", f"the range may span at most {MAX_SEARCH_DAYS} days")
    try:
        window_start = day_start(time_zone, first)
        window_end = day_start(time_zone, last + timedelta(days=1))
    except (OverflowError, ValueError) as error:
        raise _invalid(f"{where}.to", "dates out of range") from error

    appt_type = _type(repo, appointment_type_id)
    items: list[tuple[datetime, datetime, str]] = []
    if provider_id is not None:
        provider = _provider(repo, provider_id)
        if appt_type.active and provider.active and appt_type.id in provider.type_ids:
            items.extend(_provider_slots(repo, provider, appt_type, window_start, window_end, now))
    elif appt_type.active:
        # Any provider: the typeSlots view, one read per UTC date whatever the
        # number of providers. It may lag the sheets by a trigger's delay; the
        # booking checks the provider's own sheet.
        found = view_starts(repo, appt_type.id, window_start, window_end)
        bookable = set(filter_bookable(sorted({s for s, _ in found}), appt_type, now))
        items.extend((s, s + appt_type.duration, p) for s, p in found if s in bookable)
    return {
        "appointmentTypeId": appt_type.id,
        "providerId": provider_id,
        "timeZone": time_zone,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "dates": group_by_local_date(items, time_zone),
    }


def _provider_slots(repo: Repository, provider: Provider, appt_type: AppointmentType,
                    window_start: datetime, window_end: datetime, now: datetime):
    tz = provider.time_zone
    day = local_date(tz, window_start)
    last = local_date(tz, window_end - timedelta(microseconds=1))
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    starts: list[datetime] = []
    for found in repo.sheets(provider.id, days).values():
        if found is None:
            continue
        starts.extend(s for s in found.value.available.get(appt_type.id, []) if window_start <= s < window_end)
    for start in filter_bookable(sorted(set(starts)), appt_type, now):
        yield start, start + appt_type.duration, provider.id


def _type(repo: Repository, type_id: str) -> AppointmentType:
    return found_or_404(lambda: repo.appointment_type(type_id), "appointment type", type_id)


def _provider(repo: Repository, provider_id: str) -> Provider:
    return found_or_404(lambda: repo.provider(provider_id), "provider", provider_id)


# -- booking ----------------------------------------------------------------------


def _booked(outcome: Outcome) -> Appointment:
    if outcome.status is RequestStatus.CONFIRMED and outcome.appointment is not None:
        return outcome.appointment
    if outcome.status is RequestStatus.REJECTED:
        reason = outcome.reason.value if outcome.reason else "invalid_request"
        raise ApiError(reason, outcome.message or "The booking was refused.", status=409, reason=reason)
    raise ApiError("busy", "The slot is contended right now; try again.")


def book_for(
    repo: Repository,
    user: Principal,
    *,
    provider_id: str,
    appointment_type_id: str,
    start: datetime,
    customer_id: str | None,
    notes: str | None,
    now: datetime,
) -> Appointment:
    """Book synchronously: the appointment, or ApiError 409 with the reason code.
    On a customer's behalf (staff for their provider, admins for any) the
    cap and the minimum notice do not bind, and the history names who booked."""
    if customer_id is None:
        customer_id = user.uid
    policies.require(policies.may_book_for(user, customer_id, provider_id), policies.BOOK_REFUSED)
    request = BookingRequest(
        id=uuid.uuid4().hex,
        customer_id=customer_id,
        provider_id=provider_id,
        appointment_type_id=appointment_type_id,
        start=start,
        created_at=now,
        notes=notes,
        booked_by=user.uid,
    )
    return _booked(book(repo, request, now=now, create_request=True,
                        enforce_cap=policies.cap_applies(user, customer_id),
                        enforce_notice=policies.notice_applies(user, customer_id)))


def reschedule(repo: Repository, appointment: Appointment, start: datetime, notes: str | None,
               now: datetime, *, by: str | None = None) -> Appointment:
    """A new booking that replaces `appointment` (the customer's cutoff
    applies; the notice too, for everyone: a move is not a walk-in)."""
    request = BookingRequest(
        id=uuid.uuid4().hex,
        customer_id=appointment.customer_id,
        provider_id=appointment.provider_id,
        appointment_type_id=appointment.appointment_type_id,
        start=start,
        created_at=now,
        notes=notes if notes is not None else appointment.notes,
        reschedule_of=appointment.id,
        booked_by=by,
    )
    return _booked(book(repo, request, now=now, create_request=True))


def readable_versioned(repo: Repository, user: Principal, appointment_id: str) -> Versioned:
    """The appointment (`value`) with the update time it was read at.

    One 404 for an id that names nothing and for one the caller may not
    see: a 403 would tell a stranger which ids exist. For the same reason
    only an admin learns that a stored appointment no longer validates."""
    missing = ApiError("not_found", f"There is no appointment {appointment_id!r}.")
    try:
        found = repo.appointment_versioned(appointment_id)
    except InvalidDocument as invalid:
        if policies.sees_invalid_documents(user):
            raise ApiError("invalid_document", f"The stored appointment is invalid: {invalid}") from invalid
        raise missing from invalid
    if found is None or not policies.may_read_appointment(user, found.value):
        raise missing
    return found


def readable_appointment(repo: Repository, user: Principal, appointment_id: str) -> Appointment:
    return readable_versioned(repo, user, appointment_id).value


def cancelling(repo: Repository, user: Principal, appointment_id: str,
               act: Callable[[Appointment, bool], T]) -> T:
    """`act(appointment, enforce_cutoff)` on an appointment the caller may
    see and cancel; its refusals and lost races as the API answers them."""
    appointment = readable_appointment(repo, user, appointment_id)
    policies.require(policies.may_cancel(user, appointment), policies.CANCEL_REFUSED)
    try:
        return act(appointment, policies.cutoff_applies(user, appointment))
    except Refusal as refused:
        raise ApiError.of(refused) from refused
    except Conflict as conflict:
        raise ApiError("busy", "The appointment is being changed right now; try again.") from conflict


def cancel_for(repo: Repository, user: Principal, appointment_id: str, *, reason: str | None,
               now: datetime) -> Appointment:
    """The customer cancels its own before the cutoff; its provider's staff and admins any time."""
    return cancelling(repo, user, appointment_id, lambda appointment, cutoff: cancel(
        repo, appointment.id, now=now, by=user.uid, reason=reason, enforce_cutoff=cutoff)).appointment
