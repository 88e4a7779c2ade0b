"""The daily upkeep, fanned out: one task per provider instead of one loop.

The daily job (`daily`) re-drives what is still pending once more, then
enqueues one named task per active provider on the `upkeep` queue. Each
task (`run_upkeep_task`) does one provider's share of what the old
single-invocation sweep did: a full recompute of its sheets to its horizon
(which also drops blocks of appointments cancelled while their trigger was
lost), the release of those cancels, then the "any provider" view of its
days. So the job's own cost grows with the number of providers only by one
enqueue each, and every task is bounded by one provider's horizon.

A task's name is derived from the provider and the UTC date of the run, so
a second daily run on the same day enqueues nothing new while Cloud Tasks
remembers the name (it answers "already exists", which is a success). A
task that runs twice anyway (a retry, or a run after the name was
forgotten) repeats nothing harmful: the recompute writes only sheets that
differ and a released cancel is finished once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from booking.domain.ids import is_document_id
from booking.domain.reminders import task_id_for
from booking.services.cancel import finish_cancel
from booking.services.ports import QueueError, Store, TaskQueue
from booking.services.recompute import recompute_provider
from booking.services.redrive import RedriveReport, isolated, redrive
from booking.services.type_slots import sync_provider_view

log = logging.getLogger(__name__)

# The daily job's re-drive looks at requests older than the frequent one does,
# and at more of them: it is the last net of the day.
STALE_AFTER = timedelta(minutes=2)
REDRIVE_LIMIT = 500


@dataclass
class UpkeepReport:
    """One provider's upkeep."""

    provider_id: str
    sheets_written: int = 0
    released: list[str] = field(default_factory=list)  # cancels whose block this run released
    view_written: int | None = None  # view documents written; None: not synced (the recompute refused)
    error: str | None = None  # the recompute refused (e.g. an invalid availability)


@dataclass
class DailyReport(RedriveReport):
    enqueued: list[str] = field(default_factory=list)  # provider ids
    failed: dict[str, str] = field(default_factory=dict)  # provider id -> why the queue refused


def upkeep_task_id(provider_id: str, day: date) -> str:
    """The Cloud Tasks name of a provider's upkeep on a UTC date."""
    return task_id_for(f"upkeep-{provider_id}-{day.isoformat()}")


def upkeep_provider(store: Store, provider_id: str, *, now: datetime) -> UpkeepReport:
    """One provider's daily upkeep (what a task does, and what `sweep` does
    for every provider in one go). A recompute that keeps conflicting raises
    `Conflict`: the task fails and Cloud Tasks runs it again later."""
    report = UpkeepReport(provider_id)
    result = recompute_provider(store, provider_id, now=now)
    report.sheets_written = result.written
    report.error = result.error
    for appointment_id in result.released:
        finish_cancel(store, appointment_id, now=now)
        report.released.append(appointment_id)
    if result.error is None:
        report.view_written = _sync_view(store, provider_id, result.sheet_days, now)
    return report


def _sync_view(store: Store, provider_id: str, days: list[date], now: datetime) -> int:
    # The stores implement the view's port (TypeSlotViews) beside Store.
    return sync_provider_view(store, store, provider_id, days, now=now)


def enqueue_upkeep(store: Store, queue: TaskQueue, *, now: datetime,
                   report: DailyReport | None = None) -> DailyReport:
    """One task per active provider, due now, named for today (UTC). A queue
    refusal for one provider is recorded and the others still go: that
    provider is kept current by its triggers until tomorrow's run."""
    report = report if report is not None else DailyReport()
    day = now.astimezone(UTC).date()
    for provider in store.providers():
        if not provider.active:
            continue
        try:
            queue.enqueue(upkeep_task_id(provider.id, day), {"providerId": provider.id, "date": day.isoformat()},
                          now)
        except QueueError as error:
            report.failed[provider.id] = str(error)
            continue
        report.enqueued.append(provider.id)
    return report


def daily(store: Store, queue: TaskQueue, *, now: datetime) -> DailyReport:
    """The daily job's own work: the re-drive once more, then the fan-out."""
    report = DailyReport()
    redrive(store, now=now, stale_after=STALE_AFTER, limit=REDRIVE_LIMIT, report=report)
    with isolated(report.errors, "enqueue upkeep"):
        enqueue_upkeep(store, queue, now=now, report=report)
    return report


class InvalidTask(ValueError):
    """A payload no upkeep task of ours would carry; retrying cannot help."""


def provider_of(payload: Any) -> str:
    provider_id = payload.get("providerId") if isinstance(payload, dict) else None
    if not isinstance(provider_id, str) or not is_document_id(provider_id):
        raise InvalidTask(f"no valid providerId in {payload!r}"[:200])
    return provider_id


def run_upkeep_task(store: Store, payload: Any, *, now: datetime) -> UpkeepReport:
    """The task function's work. Raises `InvalidTask` for a payload that
    names no provider (the entry point logs it and lets the task go)."""
    return upkeep_provider(store, provider_of(payload), now=now)
