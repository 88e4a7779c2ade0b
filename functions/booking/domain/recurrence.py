"""Recurring appointments: the occurrences of a series, pure.

A series repeats the first occurrence's *local wall-clock time* in the
provider's zone: 15:00 stays 15:00 across a DST change, so its UTC instant
moves by the change. A wall time that does not exist on an occurrence's day
(spring forward) or exists twice (fall back) resolves by the same policy as
the slot grid (`zones.resolve_local`): the first instant after the gap, the
first of the two.

`monthly_same_weekday` keeps the weekday and its rank in the month (the
second Tuesday); a first occurrence on a fifth weekday, which most months
lack, continues on the last such weekday of each month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from booking.domain.ids import ID_MAX
from booking.domain.zones import resolve_local, zone

MIN_COUNT = 2
# A series is one atomic batch (at most 500 writes): per occurrence an
# appointment and up to three day sheets (its day and two neighbours a
# block near midnight reaches), plus the request, the ledger and one mail:
# 26 * 4 + 3 = 107, far inside, and half a year of weekly sessions.
MAX_COUNT = 26
# Occurrence ids append "-NN" to the request id, and stay within the id alphabet's length.
MAX_SERIES_REQUEST_ID = ID_MAX - 3


class Frequency(StrEnum):
    WEEKLY = "weekly"
    EVERY_2_WEEKS = "every_2_weeks"
    MONTHLY_SAME_WEEKDAY = "monthly_same_weekday"


class OnConflict(StrEnum):
    """What a series does with an occurrence that cannot be booked."""

    REJECT = "reject"  # nothing is booked (the default)
    SKIP = "skip"  # the others are booked; the request reports the skipped ones


@dataclass(frozen=True)
class Recurrence:
    frequency: Frequency
    count: int
    on_conflict: OnConflict = OnConflict.REJECT

    def to_dict(self) -> dict[str, Any]:
        return {"frequency": self.frequency.value, "count": self.count}


class InvalidRecurrence(ValueError):
    """The recurrence breaks the contract; the message names the field."""


def parse_recurrence(value: Any, on_conflict: Any = None) -> Recurrence:
    """`{frequency, count}` as a client writes it, and `onConflict`."""
    if not isinstance(value, dict):
        raise InvalidRecurrence("recurrence must be a map of frequency and count")
    unknown = sorted(set(value) - {"frequency", "count"})
    if unknown:
        raise InvalidRecurrence(f"recurrence has unexpected field(s): {', '.join(map(str, unknown))}")
    if value.get("frequency") not in Frequency.__members__.values():
        raise InvalidRecurrence(f"recurrence.frequency must be one of {', '.join(f.value for f in Frequency)}")
    count = value.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or not MIN_COUNT <= count <= MAX_COUNT:
        raise InvalidRecurrence(f"recurrence.count must be a whole number from {MIN_COUNT} to {MAX_COUNT}")
    if on_conflict is not None and on_conflict not in OnConflict.__members__.values():
        raise InvalidRecurrence(f"onConflict must be one of {', '.join(c.value for c in OnConflict)}")
    return Recurrence(Frequency(value["frequency"]), count, OnConflict(on_conflict or OnConflict.REJECT))


def _nth_weekday(year: int, month: int, weekday: int, rank: int) -> date:
    """The `rank`-th (1..4) `weekday` of the month, or its last one for rank 5."""
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (rank - 1))
    return day if day.month == month else day - timedelta(days=7)


def occurrence_dates(first: date, frequency: Frequency, count: int) -> list[date]:
    if frequency is Frequency.WEEKLY:
        return [first + timedelta(weeks=i) for i in range(count)]
    if frequency is Frequency.EVERY_2_WEEKS:
        return [first + timedelta(weeks=2 * i) for i in range(count)]
    rank = (first.day - 1) // 7 + 1
    dates = []
    for i in range(count):
        year, month = divmod(first.month - 1 + i, 12)
        dates.append(_nth_weekday(first.year + year, month + 1, first.weekday(), rank))
    return dates


def occurrences(first_start: datetime, tz: str, recurrence: Recurrence) -> list[datetime]:
    """The UTC instants of every occurrence, the first one included, each
    at `first_start`'s local wall-clock time in `tz`."""
    if first_start.tzinfo is None:
        raise ValueError("occurrences expects an aware first start")
    local = first_start.astimezone(zone(tz))
    wall = local.replace(tzinfo=None, fold=0)
    return [first_start] + [resolve_local(datetime.combine(d, wall.time()), tz)
                            for d in occurrence_dates(local.date(), recurrence.frequency, recurrence.count)[1:]]


def occurrence_id(series_id: str, index: int) -> str:
    """The appointment id of occurrence `index` (1-based) of series
    `series_id` (the request's id): a re-delivered request derives the same
    ids, so it finds them booked instead of booking twice."""
    return f"{series_id}-{index:02d}"
