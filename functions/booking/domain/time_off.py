"""Time off: spans in which a provider takes no appointments.

A time off belongs to one provider, to a list of them, or to all of them (a
business closure). It is either a span between two instants, or whole local
days (``allDay`` with inclusive ``startDate`` .. ``endDate``), which each
provider reads in their own zone: a closure on 25 December means 25 December
where each provider works, so it is a different UTC span for each of them.

Time off acts like a booking made by nobody: a candidate appointment *and
its buffers* must not overlap it (``slots`` and ``booking_check``), so a
meeting from 14:00 refuses a 13:30 consultation whose 15-minute after-buffer
runs to 14:15. It is never counted towards a type's capacity or daily limit.

The title is private: customers see only the slots that time off leaves.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import Field, model_validator

from .models import Id, _Model
from .ranges import Range, to_utc
from .zones import day_start

__all__ = ["MAX_PROVIDERS", "MAX_SPAN", "MAX_TITLE", "TimeOff", "TimeOffSource"]

# The security rules repeat these sizes for client writes;
# tests/unit/domain/test_rules_limits_parity.py holds the two together.
MAX_TITLE = 200
MAX_PROVIDERS = 50
# Long enough for any leave or renovation, short enough that a typo in a year
# (2062 for 2026) is refused instead of silently closing decades.
MAX_SPAN = timedelta(days=400)


class TimeOffSource(StrEnum):
    MANUAL = "manual"
    FEED = "feed"


class TimeOff(_Model):
    id: Id
    provider_ids: list[Id] = Field(default_factory=list, max_length=MAX_PROVIDERS)
    all_providers: bool = False
    start: datetime | None = None
    end: datetime | None = None
    all_day: bool = False
    start_date: date | None = None
    end_date: date | None = None  # inclusive
    title: str = Field(default="", max_length=MAX_TITLE)
    source: TimeOffSource = TimeOffSource.MANUAL
    created_by: str | None = Field(default=None, max_length=128)

    @model_validator(mode="after")
    def _one_form(self) -> TimeOff:
        if self.all_providers == bool(self.provider_ids):
            raise ValueError("give either providerIds or allProviders: true")
        if len(set(self.provider_ids)) != len(self.provider_ids):
            raise ValueError("providerIds: each provider once")
        if self.all_day:
            if self.start is not None or self.end is not None:
                raise ValueError("an allDay time off has startDate and endDate, not start and end")
            if self.start_date is None or self.end_date is None:
                raise ValueError("an allDay time off needs startDate and endDate")
            if self.end_date < self.start_date:
                raise ValueError("endDate is before startDate")
            if self.end_date - self.start_date >= MAX_SPAN:
                raise ValueError(f"a time off lasts at most {MAX_SPAN.days} days")
            return self
        if self.start_date is not None or self.end_date is not None:
            raise ValueError("startDate and endDate need allDay: true")
        if self.start is None or self.end is None:
            raise ValueError("a time off needs start and end (or allDay with dates)")
        self.start, self.end = to_utc(self.start), to_utc(self.end)
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start > MAX_SPAN:
            raise ValueError(f"a time off lasts at most {MAX_SPAN.days} days")
        return self

    def applies_to(self, provider_id: str) -> bool:
        return self.all_providers or provider_id in self.provider_ids

    def span_in(self, tz: str) -> Range:
        """The UTC span this time off takes from a provider working in ``tz``:
        whole days run from the first local midnight to the one after the
        last day, so a DST day is 23 or 25 hours of it."""
        if self.all_day:
            assert self.start_date is not None and self.end_date is not None
            return Range(day_start(tz, self.start_date), day_start(tz, self.end_date + timedelta(days=1)))
        assert self.start is not None and self.end is not None
        return Range(self.start, self.end)


def span_for(time_off: TimeOff | None, provider_id: str, tz: str) -> Range | None:
    """The span ``time_off`` takes from this provider, or None if it is not theirs."""
    if time_off is None or not time_off.applies_to(provider_id):
        return None
    return time_off.span_in(tz)
