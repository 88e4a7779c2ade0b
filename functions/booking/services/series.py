"""Book a series (a request with a recurrence) all at once, exactly.

Every occurrence is planned into one `Working`, each against its own day
with the single booking's checks (`planning.plan`: notice and horizon, open
hours, time off, other blocks and buffers, daily limits, the customer's
cap), so the series' own earlier occurrences count against its later ones
too. One commit then writes every occurrence, conditioned on every sheet it
read, the customer's ledger and the request: two series (or a series and a
single booking) that touch one sheet cannot both win, and a lost round is
planned again from fresh reads (the same backoff as a single booking).

By default one occurrence that cannot be booked rejects the whole request,
naming the first such occurrence and its reason; `onConflict: "skip"` books
the others and lists the skipped ones on the request. Occurrence ids derive
from the request's (`recurrence.occurrence_id`) and the request is updated
in the same batch, so a re-delivered event books the series once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from booking.domain.appointments import Appointment
from booking.domain.booking_requests import BookingRequest, Reason, RequestStatus
from booking.domain.models import BookedBlock
from booking.domain.recurrence import OnConflict, occurrence_id, occurrences
from booking.domain.zones import local_date, local_label
from booking.services.booking import Outcome, _already_processed, _new_request_doc, _reject
from booking.services.notifications import series_confirmation_mail
from booking.services.parties import load_parties
from booking.services.planning import Parties, Rejection, new_appointment, outside_window, plan, request_fields
from booking.services.ports import BookingDocuments, Commit, Store
from booking.services.retry import Backoff, settle
from booking.services.sheet_loader import SheetLoader
from booking.services.working import Working

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Missed:
    """An occurrence that could not be booked."""

    index: int  # from 1
    start: datetime
    reason: Reason
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "reason": self.reason.value, "message": self.message}


@dataclass(frozen=True)
class SeriesOutcome(Outcome):
    """`appointment` is the first booked occurrence; `appointments` all of them."""

    appointments: tuple[Appointment, ...] = ()
    skipped: tuple[Missed, ...] = ()
    failed: Missed | None = None  # the occurrence that rejected the whole series


def book_series(
    store: Store,
    request: BookingRequest,
    *,
    now: datetime,
    request_version: Any = None,
    create_request: bool = False,
    backoff: Backoff | None = None,
    enforce_cap: bool = True,
) -> SeriesOutcome:
    """Confirm every occurrence of `request` in one commit, or reject it
    (`create_request`, `request_version`, `backoff`, `enforce_cap`: as
    `booking.book`). Out of time: pending, and the re-drive retries."""
    if request.recurrence is None:
        raise ValueError("book_series needs a request with a recurrence")
    try:
        parties, docs = load_parties(store, request, now)
    except Rejection as rejection:
        return _rejected(store, request, rejection, now, request_version, create_request, None, None)

    def lost(round_no: int) -> SeriesOutcome | None:
        if not create_request and _already_processed(store, request.id):
            return replayed_series(store, request.id)
        log.info("series conflict, retrying", extra={"requestId": request.id, "round": round_no})
        return None

    # The first round plans with what was read up front; a lost one reads afresh.
    outcome, rounds = settle(backoff, lambda round_no: _attempt(
        store, request, parties, now, request_version, create_request, round_no, enforce_cap,
        docs if round_no == 1 else None), lost)
    if outcome is None:
        log.warning("series ran out of time after %d rounds; the re-drive will retry", rounds,
                    extra={"requestId": request.id})
        return SeriesOutcome(RequestStatus.PENDING, rounds=rounds)
    return outcome


def _attempt(store: Store, request: BookingRequest, parties: Parties, now: datetime, request_version: Any,
             create_request: bool, round_no: int, enforce_cap: bool,
             read_ahead: BookingDocuments | None) -> SeriesOutcome:
    recurrence = request.recurrence
    assert recurrence is not None  # book_series checked
    tz = parties.provider.time_zone
    appt_type = parties.appointment_type
    starts = occurrences(request.start, tz, recurrence)
    loader = SheetLoader(store, parties.provider)
    # Every occurrence's own day in one read; neighbours only when a block reaches them.
    loader.load(sorted({local_date(tz, s) for s in starts if outside_window(appt_type, s, now, tz) is None}))
    work = Working(store, loader)
    if read_ahead is not None:
        work.preload(request.customer_id, read_ahead.ledger, read_ahead.settings)

    booked: list[Appointment] = []
    skipped: list[Missed] = []
    for index, start in enumerate(starts, 1):
        one = replace(request, id=occurrence_id(request.id, index), start=start, recurrence=None)
        planned = outside_window(appt_type, start, now, tz) or plan(work, one, appt_type, None, now,
                                                                     enforce=enforce_cap)
        if not isinstance(planned, BookedBlock):
            # None: a sheet already holds this id. The series commits with its
            # request, so either this is a stale delivery (the rejection's
            # commit, conditioned on the request's version, fails and the
            # stored outcome is replayed) or another request's appointment
            # carries the same id: either way the slot is not free for us.
            refusal = planned or Rejection(Reason.SLOT_TAKEN)
            missed = Missed(index, start, refusal.reason, refusal.message)
            if recurrence.on_conflict is OnConflict.REJECT:
                return _rejected(store, request, _whole(missed, recurrence.count, tz), now, request_version,
                                 create_request, parties, work, missed)
            skipped.append(missed)
            continue
        booked.append(replace(new_appointment(one, parties, planned, now), request_id=request.id,
                              series_id=request.id, series_index=index))
    if not booked:
        return _rejected(store, request, _whole(skipped[0], recurrence.count, tz), now, request_version,
                         create_request, parties, work, skipped[0], skipped)

    commit = Commit(create_appointments=booked)
    fields = request_fields(RequestStatus.CONFIRMED, now, work.settings(), appointmentId=booked[0].id,
                            seriesId=request.id, appointmentIds=[a.id for a in booked],
                            skipped=[m.to_dict() for m in skipped])
    if create_request:
        commit.requests.append((request.id, {**_new_request_doc(request, now), **fields}, None))
    else:
        commit.requests.append((request.id, fields, request_version))
    if parties.customer.email:
        # One mail for the series, listing every date, with each occurrence's invitation.
        commit.mails.append((f"{request.id}-confirmed",
                             series_confirmation_mail(booked, skipped_starts=[m.start for m in skipped],
                                                      customer=parties.customer, settings=work.settings(),
                                                      now=now)))
    commit.sheets = work.changed_sheets()
    commit.customer_ledgers = work.ledger_writes()
    store.commit(commit)
    return SeriesOutcome(RequestStatus.CONFIRMED, booked[0], rounds=round_no, appointments=tuple(booked),
                         skipped=tuple(skipped))


def _whole(missed: Missed, count: int, tz: str) -> Rejection:
    return Rejection(missed.reason, f"Occurrence {missed.index} of {count} ({local_label(tz, missed.start)}): "
                                    f"{missed.message}")


def _rejected(store: Store, request: BookingRequest, rejection: Rejection, now: datetime, request_version: Any,
              create_request: bool, parties: Parties | None, work: Working | None, missed: Missed | None = None,
              skipped: list[Missed] | None = None) -> SeriesOutcome:
    extra = {"failedOccurrence": missed.to_dict()} if missed else {}
    outcome = _reject(store, request, rejection, now, request_version, create_request,
                      parties.customer if parties else None, work.settings() if work else None, extra=extra)
    if outcome.replayed:
        return replayed_series(store, request.id)
    return SeriesOutcome(outcome.status, reason=outcome.reason, message=outcome.message, replayed=outcome.replayed,
                         failed=missed, skipped=tuple(skipped or ()))


def replayed_series(store: Store, request_id: str) -> SeriesOutcome:
    """What an earlier delivery (or a racing re-drive) decided, as stored."""
    found = store.request(request_id)
    data = found.value if found else {}
    if data.get("status") == RequestStatus.CONFIRMED.value:
        booked = tuple(a for a in (store.appointment(i) for i in data.get("appointmentIds", [])) if a is not None)
        return SeriesOutcome(RequestStatus.CONFIRMED, booked[0] if booked else None, replayed=True,
                             appointments=booked)
    reason = data.get("reason")
    return SeriesOutcome(RequestStatus.REJECTED, reason=Reason(reason) if reason in Reason.__members__.values()
                         else None, message=str(data.get("message", "")), replayed=True)
