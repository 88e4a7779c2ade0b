"""Request and response bodies of time off and calendar feeds (camelCase).

A body names no provider under `/providers/{id}/time-off` (the path does)
and never `source` or `createdBy` (the server sets `manual` and the caller's
uid); the closures' bodies under `/time-off` name `providerIds` or
`allProviders`. Either is then validated as the domain's `TimeOff`, whose
checks (one form, end after start, at most 400 days) answer 422.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from booking.api.schemas import page_of, sane_instant
from booking.domain.models import Id
from booking.domain.time_off import MAX_PROVIDERS, MAX_TITLE

# The rules repeat both (isCalendarFeed); tests/unit/domain/test_rules_limits_parity.py
# holds them together. An https URL whose host is a plain name or address:
# no credentials, no whitespace.
MAX_FEED_URL = 2048
FEED_URL_PATTERN = "^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#].*)?$"
_FEED_URL = re.compile(FEED_URL_PATTERN)

_CONFIG = dict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
MEETING = {"start": "2026-05-05T14:00:00+01:00", "end": "2026-05-05T15:30:00+01:00", "title": "Staff meeting"}
HOLIDAY = {"allDay": True, "startDate": "2026-08-03", "endDate": "2026-08-14", "title": "Summer holiday"}


class TimeOffIn(BaseModel):
    """A provider's time off: `start` and `end` (instants with an offset), or
    `allDay: true` with `startDate` .. `endDate` (inclusive, the provider's
    local days). PUT replaces the whole time off."""

    model_config = ConfigDict(**_CONFIG, json_schema_extra={"examples": [MEETING, HOLIDAY]})

    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    all_day: bool = False
    start_date: date | None = None
    end_date: date | None = Field(default=None, description="The last day off (inclusive).")
    title: str = Field(default="", max_length=MAX_TITLE, description="Private: customers never see it.")

    @field_validator("start", "end")
    @classmethod
    def _sane(cls, value: datetime | None) -> datetime | None:
        return value if value is None else sane_instant(value)


class TimeOffCreate(TimeOffIn):
    """A new time off; `id` is optional (a random one when left out)."""

    id: Id | None = None


class ClosureIn(TimeOffIn):
    """Time off of several providers (`providerIds`) or of the whole business
    (`allProviders: true`), admins only. Whole days (`allDay`) are each
    provider's own local days."""

    model_config = ConfigDict(**_CONFIG, json_schema_extra={"examples": [
        {"allProviders": True, "allDay": True, "startDate": "2026-12-25", "endDate": "2026-12-26",
         "title": "Christmas"}]})

    provider_ids: list[Id] = Field(default_factory=list, max_length=MAX_PROVIDERS)
    all_providers: bool = False


class ClosureCreate(ClosureIn):
    id: Id | None = None


class TimeOffOut(BaseModel):
    """A stored time off (instants in UTC; whole days as dates)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    id: str
    provider_ids: list[str] = Field(default_factory=list)
    all_providers: bool = False
    start: datetime | None = None
    end: datetime | None = None
    all_day: bool = False
    start_date: date | None = None
    end_date: date | None = None
    title: str = ""
    source: str = "manual"
    created_by: str | None = None


class TimeOffWritten(TimeOffOut):
    """The time off as stored, and the booked appointments it overlaps now:
    they stay booked, flagged with `timeOffConflicts`."""

    conflicts: list[str] = Field(default_factory=list, description="Ids of the appointments it overlaps.")


TimeOffPage = page_of(TimeOffOut, "TimeOffPage")


class CalendarFeedIn(BaseModel):
    """A provider's iCalendar feed: the calendar's secret address in iCal format."""

    model_config = ConfigDict(**_CONFIG, json_schema_extra={"examples": [
        {"url": "https://calendar.google.com/calendar/ical/abc%40group.calendar.google.com/private-0123/basic.ics"}]})

    url: str = Field(max_length=MAX_FEED_URL)

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not _FEED_URL.fullmatch(value):
            raise ValueError("must be an https URL (https://host/path), without credentials or spaces")
        return value


class FeedStatus(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    state: str | None = None  # ok | error
    checked_at: datetime | None = None
    imported_at: datetime | None = None
    events: int | None = None
    error: str | None = None


class CalendarFeedOut(BaseModel):
    """The feed's URL and its last import (null until the first poll, every 15 minutes)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    provider_id: str
    url: str
    status: FeedStatus | None = None
