"""Half-open intervals of time, ``[start, end)``, on the UTC timeline.

Every range is aware and normalised to UTC on construction, so two ranges
compare and hash by the instants they cover, whatever zone built them. Half-
open ranges make adjacency exact: ``[9:00, 10:00)`` and ``[10:00, 11:00)``
touch without overlapping, which is how back-to-back appointments must
behave.

The functions below all return new sorted lists of disjoint ranges, with
overlapping *and* adjacent pieces joined (``merge``), so their results can be
fed into one another freely.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["Range", "merge", "subtract", "intersect", "clip", "to_utc"]


def _utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"Range.{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"Range.{name} must be timezone-aware, got naive {value!r}")
    if value.tzinfo is UTC:
        return value
    return value.astimezone(UTC)


@dataclass(frozen=True, order=True, slots=True)
class Range:
    """A half-open interval ``[start, end)`` of aware UTC instants."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        start = _utc(self.start, "start")
        end = _utc(self.end, "end")
        if not start < end:
            raise ValueError(f"Range start must be before end, got {start.isoformat()} .. {end.isoformat()}")
        # frozen dataclass: normalising the stored values needs object.__setattr__
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: Range) -> bool:
        """True when the two ranges share at least one instant (touching is not overlapping)."""
        return self.start < other.end and other.start < self.end

    def contains(self, item: datetime | Range) -> bool:
        """An instant ``start <= t < end``, or a whole range inside this one."""
        if isinstance(item, Range):
            return self.start <= item.start and item.end <= self.end
        return self.start <= item < self.end

    def __contains__(self, item: datetime | Range) -> bool:
        return self.contains(item)

    def __repr__(self) -> str:
        return f"Range({self.start.isoformat()} .. {self.end.isoformat()})"


def to_utc(value: datetime) -> datetime:
    """An aware datetime as UTC; naive datetimes are refused, never guessed."""
    return _utc(value, "value")


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sort ranges and join the overlapping and adjacent ones."""
    ordered = sorted(ranges)
    out: list[Range] = []
    for r in ordered:
        if out and r.start <= out[-1].end:
            if r.end > out[-1].end:
                out[-1] = Range(out[-1].start, r.end)
        else:
            out.append(r)
    return out


def subtract(ranges: Iterable[Range], cut: Range | Iterable[Range]) -> list[Range]:
    """The parts of ``ranges`` not covered by ``cut`` (one range or several)."""
    cuts = merge([cut] if isinstance(cut, Range) else cut)
    out: list[Range] = []
    for r in merge(ranges):
        start = r.start
        for c in cuts:
            if c.end <= start:
                continue
            if c.start >= r.end:
                break
            if c.start > start:
                out.append(Range(start, c.start))
            start = max(start, c.end)
            if start >= r.end:
                break
        if start < r.end:
            out.append(Range(start, r.end))
    return out


def intersect(a: Iterable[Range], b: Iterable[Range]) -> list[Range]:
    """The instants covered by both lists."""
    left, right = merge(a), merge(b)
    out: list[Range] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i].start, right[j].start)
        end = min(left[i].end, right[j].end)
        if start < end:
            out.append(Range(start, end))
        # advance whichever finishes first; the other may still meet the next one
        if left[i].end <= right[j].end:
            i += 1
        else:
            j += 1
    return out


def clip(ranges: Iterable[Range], window: Range) -> list[Range]:
    """The parts of ``ranges`` inside ``window``."""
    return intersect(ranges, [window])
