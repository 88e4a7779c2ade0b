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
malformed, a reschedule) is left alone: its own trigger answers it with
the precise reason.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from booking.domain.models import BookedBlock
from booking.domain.records import BookingRequest, InvalidRequest, RequestStatus, parse_request
from booking.domain.zones import day_start, local_date
from booking.services.notifications import confirmation_mail
from booking.services.planning import Parties, new_appointment, outside_window, plan, request_fields
from booking.services.ports import Commit, InvalidDocument, Store
from booking.services.working import Working

log = logging.getLogger(__name__)

# Each companion writes four documents (appointment, request, mail, ledger);
# a Firestore commit takes at most 500.
MAX_COMPANIONS = 40


def add_companions(work: Working, commit: Commit, request: BookingRequest, parties: Parties,
                   now: datetime) -> int:
    """Plans the other pending requests of `request`'s provider-day into
    `work` and `commit`; returns how many."""
    provider = parties.provider
    day = local_date(provider.time_zone, request.start)
    found = work.store.pending_requests_between(
        provider.id, day_start(provider.time_zone, day), day_start(provider.time_zone, day + timedelta(days=1)),
        MAX_COMPANIONS + 1)
    types = {t.id: t for t in work.loader.types()}
    added = 0
    for request_id, data, version in found:
        if request_id == request.id or added >= MAX_COMPANIONS:
            continue
        companion = _bookable(work.store, request_id, data, parties, types, now)
        if companion is None:
            continue
        other, other_parties = companion
        block = plan(work, other, other_parties.appointment_type, None, now, enforce=True)
        if not isinstance(block, BookedBlock):
            continue  # already held, or it does not fit: its own trigger says why
        appointment = new_appointment(other, other_parties, block, now)
        commit.create_appointments.append(appointment)
        commit.requests.append((request_id, request_fields(RequestStatus.CONFIRMED, now, appointmentId=request_id),
                                version))
        commit.mails.append((f"{request_id}-confirmed", confirmation_mail(appointment, other_parties.customer, now)))
        added += 1
    if added:
        log.info("booked companions in one commit", extra={"requestId": request.id, "companions": added})
    return added


def _bookable(store: Store, request_id: str, data: dict, parties: Parties, types: dict,
              now: datetime) -> tuple[BookingRequest, Parties] | None:
    """The companion and its parties, when it is a plain new booking of this
    provider that passes every check needing no sheet; else None."""
    try:
        other = parse_request(request_id, data)
    except InvalidRequest:
        return None
    appt_type = types.get(other.appointment_type_id)
    if (other.reschedule_of is not None or other.provider_id != parties.provider.id or appt_type is None
            or not appt_type.active or appt_type.id not in parties.provider.type_ids
            or outside_window(appt_type, other.start, now) is not None):
        return None
    try:
        customer = store.customer(other.customer_id)
    except InvalidDocument:
        return None
    if customer is None:
        return None
    return other, Parties(customer, parties.provider, appt_type)
