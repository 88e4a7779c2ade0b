"""The daily safety net: Python Firestore triggers are never retried, so
requests a failed trigger left pending are processed again here, blocks of
appointments cancelled without their trigger are released, and each
provider's sheets are extended to its horizon as days pass."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from booking.services.booking import process_request
from booking.services.cancel import finish_cancel
from booking.services.ports import Store
from booking.services.recompute import recompute_provider

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)


@dataclass
class SweepReport:
    requests: dict[str, str] = field(default_factory=dict)  # id -> outcome status
    sheets_written: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    released: list[str] = field(default_factory=list)


def sweep(store: Store, *, now: datetime, stale_after: timedelta = STALE_AFTER, limit: int = 500) -> SweepReport:
    report = SweepReport()
    for request_id, data, version in store.pending_requests(now - stale_after, limit):
        with _isolated(report, f"request {request_id}"):
            report.requests[request_id] = process_request(store, request_id, data, version=version, now=now).status
    for provider in store.providers():
        if not provider.active:
            continue
        with _isolated(report, f"provider {provider.id}"):
            # A full recompute (it writes only sheets that differ) also drops
            # blocks of appointments cancelled while their trigger was lost.
            result = recompute_provider(store, provider.id, now=now)
            report.sheets_written[provider.id] = result.written
            if result.error:
                report.errors[provider.id] = result.error
            for appointment_id in result.released:
                finish_cancel(store, appointment_id, now=now)
                report.released.append(appointment_id)
    return report


@contextlib.contextmanager
def _isolated(report: SweepReport, what: str) -> Iterator[None]:
    """The safety net must not be stopped by one bad item: whatever one
    request or provider raises is logged with its traceback and recorded,
    and the sweep goes on with the next."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - deliberately broad, see above
        log.exception("sweep item failed", extra={"item": what})
        report.errors[what] = f"{type(error).__name__}: {error}"
