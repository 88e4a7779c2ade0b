"""Coalescing a burst: a contended booking also confirms the other pending
requests of its provider-day in its own commit.

Every booking of one provider-day writes the same day sheet, and one
document takes one write at a time. When a booking has lost a round, it
reads the other pending requests for that day and plans each that fits
into the same commit, so a burst of a hundred settles in a few commits
instead of a hundred. Each companion's request update is conditioned on
the version read: if its own trigger (or another coalescing booking)
answered it first, this commit fails and is planned again from fresh
reads. A companion that does not fit (taken, over its customer's cap,
malformed, a reschedule, a series) is left alone: its own trigger answers it with
the precise reason.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from booking.domain.models import AppointmentType, BookedBlock
from booking.domain.booking_requests import BookingRequest, InvalidRequest, parse_request, RequestStatus
from booking.domain.zones import day_start, local_date
from booking.services.notifications import confirmation_mail
from booking.services.planning import Parties, new_appointment, outside_window, plan, request_fields
from booking.services.ports import Commit, Store
from booking.services.sheet_loader import SheetLoader
from booking.services.working import Working

log = logging.getLogger(__name__)

# Each companion writes four documents (appointment, request, mail, ledger);
# a Firestore commit takes at most 500.
MAX_COMPANIONS = 40
YIELD_ROUNDS = 7  # with the default backoff, about 1.5 s of stepping back


def _day_bounds(request: BookingRequest, parties: Parties) -> tuple[datetime, datetime]:
    tz = parties.provider.time_zone
    day = local_date(tz, request.start)
    return day_start(tz, day), day_start(tz, day + timedelta(days=1))


def coalesces(parties: Parties, round_no: int) -> bool:
    """Whether this booking gathers the pending requests of its day into its
    commit: after a lost round, or from the first for a group session
    (capacity > 1), whose seats hundreds may book within one second. There,
    single commits would keep the one sheet busy and starve the leader's
    larger commit, which takes longer to plan (measured: 10 instances
    booking 200 seats one by one left the first requests pending after
    their 40 s)."""
    return round_no > 1 or parties.appointment_type.capacity > 1


def yields_to_leader(store: Store, loader: SheetLoader, request: BookingRequest, parties: Parties,
                     round_no: int) -> bool:
    """Whether this booking should step back for a round: only the burst's
    leader (its earliest pending request) coalesces, so that a hundred
    writers do not each read and plan the whole burst only to collide. The
    leader's instance may be slow or gone, so a booking stops yielding
    after `YIELD_ROUNDS` rounds and coalesces itself. A start no longer
    offered is not waited for: the plan refuses it without writing the
    sheet, so the overflow of a full class is answered at once."""
    if not coalesces(parties, round_no) or round_no > YIELD_ROUNDS or not _offered(loader, request, parties):
        return False
    first = store.pending_requests_between(parties.provider.id, *_day_bounds(request, parties), 1)
    # A series books alone and never gathers companions: no leader to wait for.
    return bool(first) and first[0][0] != request.id and "recurrence" not in first[0][1]


def _offered(loader: SheetLoader, request: BookingRequest, parties: Parties) -> bool:
    # The loader keeps what it read for this round's plan: no extra read.
    day = local_date(parties.provider.time_zone, request.start)
    sheet, _ = loader.load([day])[day]
    return request.start in sheet.available.get(request.appointment_type_id, ())


def add_companions(work: Working, commit: Commit, request: BookingRequest, parties: Parties,
                   now: datetime) -> int:
    """Plans the other pending requests of `request`'s provider-day into
    `work` and `commit`; returns how many."""
    found = [hit for hit in work.store.pending_requests_between(parties.provider.id, *_day_bounds(request, parties),
                                                                MAX_COMPANIONS + 1) if hit[0] != request.id]
    if not found:
        return 0  # alone: a lone group booking reads nothing more
    types = {t.id: t for t in work.loader.types()}
    candidates = [c for c in (_candidate(request_id, data, version, parties, types, now)
                              for request_id, data, version in found) if c]
    customer_ids = [other.customer_id for other, _, _ in candidates[:MAX_COMPANIONS]]
    customers = work.store.customers(customer_ids)
    work.prefetch_ledgers(customer_ids)
    added = 0
    for other, appt_type, version in candidates[:MAX_COMPANIONS]:
        customer = customers.get(other.customer_id)
        if customer is None:
            continue
        other_parties = Parties(customer, parties.provider, appt_type)
        block = plan(work, other, appt_type, None, now, enforce=True)
        if not isinstance(block, BookedBlock):
            continue  # already held, or it does not fit: its own trigger says why
        appointment = new_appointment(other, other_parties, block, now)
        commit.create_appointments.append(appointment)
        commit.requests.append((other.id, request_fields(RequestStatus.CONFIRMED, now, work.settings(),
                                                          appointmentId=other.id),
                                version))
        commit.mails.append((f"{other.id}-confirmed", confirmation_mail(appointment, customer, work.settings(), now)))
        added += 1
    if added:
        log.info("booked companions in one commit", extra={"requestId": request.id, "companions": added})
    return added


def _candidate(request_id: str, data: dict, version: Any, parties: Parties, types: dict,
               now: datetime) -> tuple[BookingRequest, AppointmentType, Any] | None:
    """The companion, its type and the version read, when it is a plain new
    booking of this provider that passes every check needing no sheet."""
    try:
        other = parse_request(request_id, data)
    except InvalidRequest:
        return None
    appt_type = types.get(other.appointment_type_id)
    if (other.reschedule_of is not None or other.recurrence is not None or other.provider_id != parties.provider.id or appt_type is None
            or not appt_type.active or appt_type.id not in parties.provider.type_ids
            or outside_window(appt_type, other.start, now) is not None):
        return None
    return other, appt_type, version
