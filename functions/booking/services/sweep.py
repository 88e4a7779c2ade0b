"""The daily safety net: Python Firestore triggers are never retried, so
requests a failed trigger left pending are processed again here, blocks of
appointments cancelled without their trigger are released, and each
provider's sheets are extended to its horizon as days pass."""

from __future__ import annotations

import logging
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
        outcome = process_request(store, request_id, data, version=version, now=now)
        report.requests[request_id] = outcome.status
    for provider in store.providers():
        if not provider.active:
            continue
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
