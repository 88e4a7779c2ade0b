"""The frequent safety net: finish what a lost or timed-out trigger left.

Python Firestore triggers are never retried, and a booking may run out of
its time budget under heavy contention. Every few minutes this re-drives
booking requests still pending a minute after they were written, and
finishes cancels whose block is still held, so a customer's answer and a
reopened slot never wait for the daily sweep.

Nothing can block the queue: every re-drive of a request first records
the attempt on it (a precondition on the version read makes two re-drives
of one request impossible), and a request that has used up its attempts
is rejected with `processing_failed`. So the oldest pending requests
always leave the head of the queue within `MAX_ATTEMPTS` runs, whatever
they contain.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from booking.domain.booking_requests import Reason
from booking.services.booking import process_request, reject_invalid
from booking.services.cancel import finish_cancel
from booking.services.ports import Commit, Conflict, Store
from booking.services.retry import Backoff

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=1)
MAX_ATTEMPTS = 3
BATCH = 100
# Less than a trigger's budget: one contended request must not use up the
# run that many others are waiting for.
ROUND_BUDGET_SECONDS = 10.0


@dataclass
class RedriveReport:
    requests: dict[str, str] = field(default_factory=dict)  # id -> outcome status
    released: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def redrive(store: Store, *, now: datetime, stale_after: timedelta = STALE_AFTER, limit: int = BATCH,
            backoff: Backoff | None = None, report: RedriveReport | None = None) -> RedriveReport:
    report = report if report is not None else RedriveReport()
    for request_id, data, version in store.pending_requests(now - stale_after, limit):
        with isolated(report.errors, f"request {request_id}"):
            status = _redrive_request(store, request_id, data, version, now, backoff)
            if status is not None:
                report.requests[request_id] = status
    for appointment_id in store.unreleased_cancels(limit):
        with isolated(report.errors, f"appointment {appointment_id}"):
            if finish_cancel(store, appointment_id, now=now, backoff=backoff) is not None:
                report.released.append(appointment_id)
    return report


def _attempts(data: dict) -> int:
    value = data.get("attempts")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _redrive_request(store: Store, request_id: str, data: dict, version: object, now: datetime,
                     backoff: Backoff | None) -> str | None:
    attempts = _attempts(data)
    if attempts >= MAX_ATTEMPTS:
        message = f"We could not process this booking request after {attempts} attempts. Please try again."
        return reject_invalid(store, request_id, message, now=now, request_version=version,
                              reason=Reason.PROCESSING_FAILED).status
    try:
        store.commit(Commit(requests=[(request_id, {"attempts": attempts + 1, "lastAttemptAt": now}, version)]))
    except Conflict:
        return None  # processed or re-driven by someone else meanwhile
    fresh = store.request(request_id)
    if fresh is None:
        return None
    outcome = process_request(store, request_id, fresh.value, version=fresh.version, now=now,
                              backoff=backoff or Backoff(budget_seconds=ROUND_BUDGET_SECONDS))
    return outcome.status


@contextlib.contextmanager
def isolated(errors: dict[str, str], what: str) -> Iterator[None]:
    """A safety net must not be stopped by one bad item: whatever one item
    raises is logged with its traceback and recorded, and the run goes on
    with the next."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - deliberately broad, see above
        log.exception("safety-net item failed", extra={"item": what})
        errors[what] = f"{type(error).__name__}: {error}"
