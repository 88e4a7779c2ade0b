"""Book an appointment from a booking request: the one routine every path
(trigger, REST, callable, sweep) goes through.

Optimistic concurrency (docs/design.md): read without a transaction,
check in memory with the domain code, commit one batch in which every
write that depends on a read (sheets, the appointment a reschedule moves,
the request, the customer's ledger) is conditioned on the version read;
on a conflict, pause and read again. Under a burst, the earliest pending
request of the provider-day confirms the others with it (companions.py).
The appointment's id is the request's id, so a re-delivered event finds
its own block already on the sheet and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from booking.domain.appointments import Appointment
from booking.domain.booking_requests import (
    MESSAGES,
    BookingRequest,
    InvalidRequest,
    parse_request,
    Reason,
    RequestStatus,
)
from booking.domain.ledger import held_range
from booking.domain.models import Customer
from booking.domain.settings import BookingSettings
from booking.domain.zones import local_date
from booking.services.companions import add_companions, coalesces, yields_to_leader
from booking.services.notifications import booked_mail, rejection_mail
from booking.services.parties import load_parties, with_previous
from booking.services.planning import (
    Parties,
    Rejection,
    new_appointment,
    outside_window,
    plan,
    request_fields,
)
from booking.services.ports import BookingDocuments, Commit, Conflict, Store
from booking.services.retry import Backoff
from booking.services.sheet_loader import SheetLoader
from booking.services.working import Working

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: RequestStatus  # pending: out of time for now; the re-drive retries
    appointment: Appointment | None = None
    reason: Reason | None = None
    message: str = ""
    rounds: int = 0
    replayed: bool = False  # an earlier delivery already did the work
    batched: int = 0  # other pending requests this commit confirmed too


def _new_request_doc(request: BookingRequest, now: datetime) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "customerId": request.customer_id,
        "providerId": request.provider_id,
        "appointmentTypeId": request.appointment_type_id,
        "start": request.start,
        "createdAt": now,
    }
    if request.notes is not None:
        doc["notes"] = request.notes
    if request.reschedule_of is not None:
        doc["rescheduleOf"] = request.reschedule_of
    if request.recurrence is not None:
        doc["recurrence"] = request.recurrence.to_dict()
        doc["onConflict"] = request.recurrence.on_conflict.value
    return doc


def book(
    store: Store,
    request: BookingRequest,
    *,
    now: datetime,
    request_version: Any = None,
    create_request: bool = False,
    backoff: Backoff | None = None,
    enforce_cap: bool = True,
    enforce_notice: bool = True,
    mail_refusal: bool = True,
) -> Outcome:
    """Confirm or reject `request`. With `create_request` the request
    document is written by this commit (REST and callable bookings);
    otherwise it exists and is updated only if still at `request_version`.
    A lost round (another writer changed a sheet or the appointment being
    moved) is retried after a jittered pause until `backoff`'s time budget
    is spent; then the outcome is "pending" and the re-drive takes over.
    `enforce_cap` false: an admin or staff booking on a customer's behalf
    may exceed the customer's cap (the booking still counts towards it).
    `enforce_notice` false: staff or an admin booking on a customer's
    behalf may book a start inside the type's minimum notice (a walk-in
    now); the start must still be on the grid and not in the past.
    `mail_refusal` false: a refusal mails nobody (the waitlist books
    starts the customer did not pick; a refused entry just waits on)."""
    try:
        parties, docs = load_parties(store, request, now)
    except Rejection as rejection:
        return _reject(store, request, rejection, now, request_version, create_request, None)
    read_ahead: BookingDocuments | None = docs  # the first round plans with what was read up front
    if not enforce_notice:
        # The notice is read from the type by the window check and by the
        # slot filter alike, so a type without notice lifts it for both.
        parties = replace(parties, appointment_type=parties.appointment_type.model_copy(
            update={"min_notice_minutes": 0}))

    round_no = 0
    for round_no in (backoff or Backoff()).rounds():
        loader = SheetLoader(store, parties.provider)
        try:
            return _attempt(store, loader, request, parties, now, request_version, create_request, round_no,
                            enforce_cap, read_ahead, mail_refusal)
        except Conflict:
            read_ahead = None  # a lost round starts again from fresh reads
            if not create_request and _already_processed(store, request.id):
                return _replayed(store, request)
            log.info("booking conflict, retrying", extra={"requestId": request.id, "round": round_no})
    log.warning("booking ran out of time after %d rounds; the re-drive will retry", round_no,
                extra={"requestId": request.id})
    return Outcome(RequestStatus.PENDING, rounds=round_no)


def _already_processed(store: Store, request_id: str) -> bool:
    found = store.request(request_id)
    return found is None or found.value.get("status") != RequestStatus.PENDING.value


def _replayed(store: Store, request: BookingRequest) -> Outcome:
    found = store.request(request.id)
    data = found.value if found else {}
    if data.get("status") == RequestStatus.CONFIRMED.value:
        return Outcome(RequestStatus.CONFIRMED, store.appointment(data.get("appointmentId", request.id)), replayed=True)
    reason = data.get("reason")
    return Outcome(
        RequestStatus.REJECTED,
        reason=Reason(reason) if reason in Reason.__members__.values() else None,
        message=str(data.get("message", "")),
        replayed=True,
    )


def _attempt(
    store: Store,
    loader: SheetLoader,
    request: BookingRequest,
    parties: Parties,
    now: datetime,
    request_version: Any,
    create_request: bool,
    round_no: int,
    enforce_cap: bool = True,
    read_ahead: BookingDocuments | None = None,
    mail_refusal: bool = True,
) -> Outcome:
    told = parties.customer if mail_refusal else None  # who a refusal mails
    tz = parties.provider.time_zone
    early = outside_window(parties.appointment_type, request.start, now, tz=tz)
    if early is not None:
        return _reject(store, request, early, now, request_version, create_request, told)

    # A REST or callable booking is not stored until its commit, so no leader
    # can book it for it: only stored requests step back.
    if (parties.previous is None and not create_request
            and yields_to_leader(store, loader, request, parties, round_no)):
        raise Conflict("stepping back for the burst's leader")
    if parties.previous is not None and round_no > 1:
        # A racing reschedule or cancel may have moved it since round one.
        try:
            parties = with_previous(store, parties, request, now)
        except Rejection as rejection:
            return _reject(store, request, rejection, now, request_version, create_request, told)
    previous = parties.previous

    work = Working(store, loader)
    if read_ahead is not None:
        work.preload(request.customer_id, read_ahead.ledger, read_ahead.settings)
    planned = plan(work, request, parties.appointment_type, previous.id if previous else None, now,
                    enforce=enforce_cap)
    if planned is None:
        return _replayed(store, request)
    if isinstance(planned, Rejection):
        return _reject(store, request, planned, now, request_version, create_request, told,
                       work.settings())
    block = planned
    if previous is not None:
        held = held_range(previous)
        work.touch(local_date(tz, held.start), held)
        work.remove(previous.id)

    commit = Commit()
    appointment = new_appointment(request, parties, block, now)
    commit.create_appointments.append(appointment)
    fields = request_fields(RequestStatus.CONFIRMED, now, work.settings(), appointmentId=appointment.id)
    if create_request:
        commit.requests.append((request.id, {**_new_request_doc(request, now), **fields}, None))
    else:
        commit.requests.append((request.id, fields, request_version))
    if previous is not None:
        moved = previous.moved_to(appointment.id, at=now, by=request.actor)
        commit.appointment_moves.append((previous, moved, parties.previous_version))
    # A move's invitation moves the event: the appointment it replaces gets no cancel mail.
    # A walk-in known only by phone gets no mail at all.
    if parties.customer.email:
        commit.mails.append((f"{appointment.id}-confirmed",
                             booked_mail(appointment, previous, parties.customer, work.settings(), now)))
    batched = 0
    if previous is None and coalesces(parties, round_no):
        # Contended (or a group session): book the other pending requests
        # of this provider-day in the same commit, so a burst settles in a
        # few commits, not one commit per request.
        batched = add_companions(work, commit, request, parties, now)
    commit.sheets = work.changed_sheets()
    commit.customer_ledgers = work.ledger_writes()
    commit.sheet_bases, commit.ledger_bases = work.sheet_bases(), work.ledger_bases()
    store.commit(commit)
    return Outcome(RequestStatus.CONFIRMED, appointment, rounds=round_no, batched=batched)


def _reject(
    store: Store,
    request: BookingRequest,
    rejection: Rejection,
    now: datetime,
    request_version: Any,
    create_request: bool,
    customer: Customer | None,
    settings: BookingSettings | None = None,
    extra: dict[str, Any] | None = None,
) -> Outcome:
    # one more read when the booking had not read the settings yet: the
    # request's and the mail's retention
    settings = settings or store.booking_settings()
    fields = request_fields(RequestStatus.REJECTED, now, settings,
                             reason=rejection.reason.value, message=rejection.message, **(extra or {}))
    commit = Commit()
    if create_request:
        commit.requests.append((request.id, {**_new_request_doc(request, now), **fields}, None))
    else:
        commit.requests.append((request.id, fields, request_version))
    if customer is not None and customer.email:
        commit.mails.append((f"{request.id}-rejected", rejection_mail(customer, request.id, rejection.message,
                                                                         settings, now)))
    try:
        store.commit(commit)
    except Conflict:
        if not create_request:
            return _replayed(store, request)
        raise
    return Outcome(RequestStatus.REJECTED, reason=rejection.reason, message=rejection.message)


def reject_invalid(store: Store, request_id: str, message: str, *, now: datetime, request_version: Any,
                   reason: Reason = Reason.INVALID_REQUEST) -> Outcome:
    """A document that breaks the client contract (or that the booking
    routine could not handle): mark it, never raise."""
    fields = request_fields(RequestStatus.REJECTED, now, store.booking_settings(), reason=reason.value,
                            message=message)
    try:
        store.commit(Commit(requests=[(request_id, fields, request_version)]))
    except Conflict:
        pass  # processed by an earlier delivery, or deleted
    return Outcome(RequestStatus.REJECTED, reason=reason, message=message)


def process_request(store: Store, request_id: str, data: dict[str, Any] | None, *, version: Any,
                    now: datetime, backoff: Backoff | None = None) -> Outcome:
    """A stored request, as a trigger or the re-drive sees it: parse, then
    book. Anything but a pending request is left alone (re-delivery).

    Whatever the booking routine raises ends the request rejected with
    `processing_failed` (logged with its traceback), so no input can leave
    a request pending for ever or make every later re-drive trip on it."""
    if not isinstance(data, dict) or data.get("status") != RequestStatus.PENDING.value:
        if isinstance(data, dict) and data.get("status") in (RequestStatus.CONFIRMED.value,
                                                            RequestStatus.REJECTED.value):
            return Outcome(RequestStatus(data["status"]), replayed=True)
        return reject_invalid(store, request_id, "status must be \"pending\"", now=now, request_version=version)
    try:
        request = parse_request(request_id, data)
    except InvalidRequest as invalid:
        return reject_invalid(store, request_id, str(invalid), now=now, request_version=version)
    try:
        if request.recurrence is not None:
            from booking.services.series import book_series  # it builds on this module

            return book_series(store, request, now=now, request_version=version, backoff=backoff)
        return book(store, request, now=now, request_version=version, backoff=backoff)
    except Exception:  # noqa: BLE001 - deliberately broad, see the docstring
        log.exception("booking request failed unexpectedly", extra={"requestId": request_id})
        return reject_invalid(store, request_id, MESSAGES[Reason.PROCESSING_FAILED], now=now,
                              request_version=version, reason=Reason.PROCESSING_FAILED)
