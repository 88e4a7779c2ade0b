"""A provider's open hours as UTC ranges.

Each local date contributes the intervals of its override if it has one,
else of its weekday. Wall times are resolved through ``zoneinfo`` for that
very date, so daylight-saving days come out right: a 09:00-17:00 day is 8 h
on any date, while 00:00-06:00 lasts 5 h on a spring-forward night and 7 h
on a fall-back night.

DST policy (see ``zones``): a wall time inside a spring-forward gap means the
first instant after the gap; an ambiguous fall-back time means its first
occurrence. An interval whose both ends fall in the same gap (02:00-02:30 on
the New York spring-forward night) is empty and contributes nothing.

Intervals crossing midnight belong to the date they start on: Monday's
22:00-02:00 ends at Tuesday 02:00 local. Results here are *unclipped* to
the local day; ``slots`` decides which starts belong to which date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .models import Availability, WallInterval
from .ranges import Range, merge
from .zones import resolve_local, zone

__all__ = ["open_intervals", "open_ranges", "wall_to_ranges"]


def wall_to_ranges(intervals: list[WallInterval], tz: str | ZoneInfo, local_date: date) -> list[Range]:
    """UTC ranges of wall intervals read on ``local_date`` in ``tz`` (empty ones dropped)."""
    z = zone(tz)
    midnight = datetime(local_date.year, local_date.month, local_date.day)
    out: list[Range] = []
    for interval in intervals:
        start = resolve_local(midnight + timedelta(minutes=interval.start_minute), z)
        end = resolve_local(midnight + timedelta(minutes=interval.end_minute), z)
        if start < end:
            out.append(Range(start, end))
    return out


def open_intervals(availability: Availability, tz: str | ZoneInfo, local_date: date) -> list[Range]:
    """The open UTC ranges that ``local_date``'s schedule contributes (sorted, merged, unclipped)."""
    return merge(wall_to_ranges(availability.intervals_on(local_date), tz, local_date))


def open_ranges(availability: Availability, tz: str | ZoneInfo, first: date, last: date) -> list[Range]:
    """Merged open ranges contributed by the schedules of ``first`` .. ``last`` inclusive."""
    overrides = availability.override_index()
    z = zone(tz)
    pieces: list[Range] = []
    d = first
    while d <= last:
        pieces.extend(wall_to_ranges(availability.intervals_on(d, overrides), z, d))
        d += timedelta(days=1)
    return merge(pieces)
