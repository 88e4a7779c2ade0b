"""Erasing a customer's personal data on request (GDPR art. 17), in bounded,
resumable steps driven by the job `erasures/{customerId}`.

Each run reads the job, does at most `max_batches` steps of at most
`batch_size` documents, and saves the job after each step, conditioned on
the version it read: two runs at once cannot both advance it, and a run
that dies between a step's writes and the job's save leaves the step to be
done again, which changes nothing the second time (every step looks for
what is still to do). The frequent re-drive resumes unfinished jobs, so an
erasure too large for one request, or cut short by a crash, ends within
minutes. What each phase does: `booking.domain.privacy.ErasurePhase`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from booking.domain.booking_requests import MESSAGES, Reason
from booking.domain.privacy import (
    ERASED_REASON,
    ErasureJob,
    ErasurePhase,
    Requester,
    anonymised_appointment,
    anonymised_request,
)
from booking.domain.refusals import Refusal
from booking.services.cancel import cancel
from booking.services.ports import Conflict, Store, Versioned

log = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_BATCHES = 10
# The rejection of a request still pending when its customer is erased: the
# booking path would reject it the same way once the profile is gone.
ERASED_REJECTION = {"reason": Reason.UNKNOWN_CUSTOMER.value, "message": MESSAGES[Reason.UNKNOWN_CUSTOMER]}


class Accounts(Protocol):
    def end_account(self, uid: str) -> bool:
        """Revoke its sessions and delete it; False when there was none."""


class ErasureStore(Store, Protocol):
    def erasure_job(self, customer_id: str) -> Versioned | None: ...  # value: ErasureJob
    def save_erasure_job(self, job: ErasureJob, version: Any) -> Any: ...  # None: create; the new version
    def unfinished_erasures(self, limit: int) -> list[str]: ...
    def customer_profile(self, customer_id: str) -> dict[str, Any] | None: ...
    def upcoming_confirmed_of(self, customer_id: str, now: datetime, limit: int) -> list[str]: ...
    def documents_of(self, kind: str, customer_id: str, *, after: str | None,
                     limit: int) -> list[tuple[str, dict[str, Any], Any]]: ...
    def outbox_about(self, field: str, ids: list[str]) -> list[tuple[str, str, dict[str, Any]]]: ...
    def outbox_to(self, kind: str, address: str, limit: int) -> list[tuple[str, str, dict[str, Any]]]: ...
    def apply_erasure(self, updates: list[tuple[str, str, dict[str, Any], Any]],
                      deletes: list[tuple[str, str]]) -> None: ...
    def delete_profile(self, customer_id: str) -> bool: ...


def _count_deleted(job: ErasureJob, deletes: list[tuple[str, str]]) -> ErasureJob:
    return job.counted(mails=sum(k == "mail" for k, _ in deletes),
                       messages=sum(k == "message" for k, _ in deletes))


def _account(store: ErasureStore, accounts: Accounts, job: ErasureJob, now: datetime, size: int) -> ErasureJob:
    ended = accounts.end_account(job.customer_id)
    return job.counted(accounts=int(ended)).advanced(now=now)


def _cancel(store: ErasureStore, accounts: Accounts, job: ErasureJob, now: datetime, size: int) -> ErasureJob:
    """Through the normal cancel path: the slots reopen, staff see the
    reason, and the appointments trigger withdraws the reminders."""
    ids = store.upcoming_confirmed_of(job.customer_id, now, size)
    cancelled = 0
    for appointment_id in ids:
        try:
            cancel(store, appointment_id, now=now, by=job.requested_by.uid, reason=ERASED_REASON,
                   enforce_cutoff=False, notify=False)
            cancelled += 1
        except Refusal:
            continue  # no longer confirmed: marked or cancelled meanwhile
    return job.counted(cancelled=cancelled).advanced(now=now, finished=len(ids) < size)


def _anonymiser(store: ErasureStore, kind: str, now: datetime) -> Callable[[dict[str, Any]], dict[str, Any]]:
    if kind == "appointment":
        return anonymised_appointment
    expires_at = store.booking_settings().request_expiry(now)
    return lambda data: anonymised_request(data, now=now, rejection=ERASED_REJECTION, expires_at=expires_at)


def _paged(kind: str, about: str, count: str):
    def step(store: ErasureStore, accounts: Accounts, job: ErasureJob, now: datetime, size: int) -> ErasureJob:
        page = store.documents_of(kind, job.customer_id, after=job.cursor, limit=size)
        anonymise = _anonymiser(store, kind, now)
        updates = [(kind, doc_id, changes, version) for doc_id, data, version in page
                   if (changes := anonymise(data))]
        deletes = [(k, i) for k, i, _ in store.outbox_about(about, [doc_id for doc_id, _, _ in page])]
        store.apply_erasure(updates, deletes)
        cursor = page[-1][0] if page else job.cursor
        # every document of theirs the phase went through (a rerun of a page
        # after a crash counts it again; the audit says "at least")
        return (_count_deleted(job, deletes).counted(**{count: len(page)})
                .advanced(now=now, cursor=cursor, finished=len(page) < size))
    return step


def _outbox(store: ErasureStore, accounts: Accounts, job: ErasureJob, now: datetime, size: int) -> ErasureJob:
    """Mail and texts addressed to the profile's e-mail or phone (those
    about an appointment or request of theirs sent to an earlier address go
    with it in a later phase)."""
    profile = store.customer_profile(job.customer_id) or {}
    found = []
    for kind, field in (("mail", "email"), ("message", "phone")):
        address = profile.get(field)
        if isinstance(address, str) and address:
            found += store.outbox_to(kind, address, size)
    deletes = [(k, i) for k, i, _ in found[:size]]
    store.apply_erasure([], deletes)
    return _count_deleted(job, deletes).advanced(now=now, finished=len(found) < size)


def _profile(store: ErasureStore, accounts: Accounts, job: ErasureJob, now: datetime, size: int) -> ErasureJob:
    return job.counted(profiles=int(store.delete_profile(job.customer_id))).advanced(now=now)


STEPS = {
    ErasurePhase.ACCOUNT: _account,
    ErasurePhase.CANCEL: _cancel,
    ErasurePhase.APPOINTMENTS: _paged("appointment", "appointmentId", "appointments"),
    ErasurePhase.REQUESTS: _paged("request", "requestId", "requests"),
    ErasurePhase.OUTBOX: _outbox,
    ErasurePhase.PROFILE: _profile,
}


def erase(store: ErasureStore, accounts: Accounts, customer_id: str, *, now: datetime, by: Requester,
          batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES) -> ErasureJob:
    """Start the customer's erasure (or go on with it) and run up to
    `max_batches` steps; the job as it then stands (`state` done or
    running). A finished job is returned as it is: erasing again changes
    nothing, and the audit record keeps who asked first."""
    found = store.erasure_job(customer_id)
    if found is None:
        job = ErasureJob(customer_id=customer_id, requested_at=now, requested_by=by, updated_at=now)
        try:
            version = store.save_erasure_job(job, None)
        except Conflict:
            found = store.erasure_job(customer_id)  # someone started it a moment ago
            if found is None:
                raise
            job, version = found.value, found.version
    else:
        job, version = found.value, found.version
    return _run(store, accounts, job, version, now=now, batch_size=batch_size, max_batches=max_batches)


def _run(store: ErasureStore, accounts: Accounts, job: ErasureJob, version: Any, *, now: datetime,
         batch_size: int, max_batches: int) -> ErasureJob:
    if job.phase is ErasurePhase.DONE:
        return job
    job = replace(job, runs=job.runs + 1)
    for _ in range(max_batches):
        if job.phase is ErasurePhase.DONE:
            break
        try:
            after = STEPS[job.phase](store, accounts, job, now, batch_size)
        except Conflict:
            log.info("erasure step met a concurrent write; retrying",
                     extra={"customerId": job.customer_id, "phase": job.phase.value})
            continue
        try:
            version = store.save_erasure_job(after, version)
        except Conflict:
            # Another run is at it: it saves its own progress.
            log.info("erasure job advanced by another run", extra={"customerId": job.customer_id})
            latest = store.erasure_job(job.customer_id)
            return latest.value if latest is not None else after
        job = after
    log.info("erasure run", extra={"customerId": job.customer_id, "phase": job.phase.value, "counts": job.counts})
    return job


def resume_erasures(store: ErasureStore, accounts: Accounts, *, now: datetime, limit: int = 20,
                    batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES) -> list[ErasureJob]:
    """Go on with every unfinished erasure (cut short by a crash, or too
    large for the request that started it), each for one run."""
    resumed = []
    for customer_id in store.unfinished_erasures(limit):
        found = store.erasure_job(customer_id)
        if found is None:
            continue
        resumed.append(_run(store, accounts, found.value, found.version, now=now,
                            batch_size=batch_size, max_batches=max_batches))
    return resumed
