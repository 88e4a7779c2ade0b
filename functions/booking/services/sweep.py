"""The whole daily upkeep in one invocation: the re-drive once more, then
every active provider's upkeep (`booking.services.upkeep.upkeep_provider`)
one after another.

The deployed daily job no longer runs this: it fans the providers out as
tasks (`booking.services.upkeep.daily`), because a loop over hundreds of
providers does not finish inside one function's time limit. This stays
for tests, benchmarks and seeding scripts that want the same end state
in-process, with one report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from booking.services.ports import Store
from booking.services.redrive import RedriveReport, isolated, redrive
from booking.services.upkeep import REDRIVE_LIMIT, STALE_AFTER, upkeep_provider


@dataclass
class SweepReport(RedriveReport):
    sheets_written: dict[str, int] = field(default_factory=dict)


def sweep(store: Store, *, now: datetime, stale_after: timedelta = STALE_AFTER,
          limit: int = REDRIVE_LIMIT) -> SweepReport:
    report = SweepReport()
    redrive(store, now=now, stale_after=stale_after, limit=limit, report=report)
    for provider in store.providers():
        if not provider.active:
            continue
        with isolated(report.errors, f"provider {provider.id}"):
            done = upkeep_provider(store, provider.id, now=now)
            report.sheets_written[provider.id] = done.sheets_written
            if done.error:
                report.errors[provider.id] = done.error
            report.released.extend(a for a in done.released if a not in report.released)
    return report
