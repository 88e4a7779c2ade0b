"""The daily upkeep: each provider's sheets are recomputed in full and
extended to its horizon as days pass, which also drops any block whose
appointment is no longer held (cancelled while its trigger was lost, from
before cancels were marked). It first does the frequent re-drive's work
(`booking.services.redrive`) once more."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from booking.services.cancel import finish_cancel
from booking.services.ports import Store
from booking.services.recompute import recompute_provider
from booking.services.redrive import RedriveReport, isolated, redrive

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)


@dataclass
class SweepReport(RedriveReport):
    sheets_written: dict[str, int] = field(default_factory=dict)


def sweep(store: Store, *, now: datetime, stale_after: timedelta = STALE_AFTER, limit: int = 500) -> SweepReport:
    report = SweepReport()
    # What the frequent re-drive does, once more, then the full recompute.
    redrive(store, now=now, stale_after=stale_after, limit=limit, report=report)
    for provider in store.providers():
        if not provider.active:
            continue
        with isolated(report.errors, f"provider {provider.id}"):
            # A full recompute (it writes only sheets that differ) also drops
            # blocks of appointments cancelled while their trigger was lost.
            result = recompute_provider(store, provider.id, now=now)
            report.sheets_written[provider.id] = result.written
            if result.error:
                report.errors[provider.id] = result.error
            for appointment_id in result.released:
                finish_cancel(store, appointment_id, now=now)
                if appointment_id not in report.released:
                    report.released.append(appointment_id)
    return report
