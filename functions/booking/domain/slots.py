"""Bookable start times, per provider-local day.

Rules (the README's "Scheduling rules"), and how they are read
here:

* **Free stretches.** Open hours minus booked blocks. A candidate's own block
  ``[start - before, end + after)`` must not overlap a booked block, so a
  stretch that follows a block starts at that block's end plus the
  candidate's before-buffer, and one that precedes a block must let the
  appointment end by the block's start minus the after-buffer. A stretch that
  starts or ends at the edge of open hours has no such margin: buffers may
  fall outside open hours (but never onto another booking, even one lying
  outside open hours).
* **Grid.** Each stretch's first start is its earliest possible start
  rounded up to the alignment step, counted from the top of the
  *provider-local* hour (so in Asia/Kolkata, +05:30, hourly slots sit at
  :30 UTC). The step is the largest of 60, 30, 20, 15, 10, 5 minutes that
  divides the slot interval; with none (a 7-minute interval) there is no
  rounding. Later starts step by the slot interval in elapsed time, so a
  grid running through a DST change keeps its spacing (hourly slots from
  00:00 on a spring-forward night: 00:00, 01:00, 03:00, ...).
* **Fit.** The whole appointment lies inside one open range; ending exactly
  at its end is allowed.
* **Capacity.** Bookings of one type at one start share its capacity (group
  sessions). A start that already holds ``n < capacity`` bookings of the
  type stays offered, whatever the grid now is, as long as the appointment
  still fits in open hours and its block meets no *other* booking.
* **Time off** (``time_off``) is taken out of the open hours, and, like a
  booking, it may not meet a candidate's buffers either. It counts towards
  no type's capacity or daily limit.
* **Daily limit.** When the confirmed appointments of the type starting on
  the provider-local date number at least ``daily_limit``, the type offers
  nothing that day.
* **Days.** A start belongs to the provider-local date it falls on. Open
  hours crossing midnight are laid out as one range (the grid does not
  restart at midnight) and split by date afterwards; ``day_open(d)`` hence
  takes the schedules of ``d - 1``, ``d`` and ``d + 1``.
* **Notice and horizon** never move the grid. ``filter_bookable`` keeps the
  starts inside the window of ``booking_window`` (both bounds included).

Everything here is a pure function of its arguments. Internally instants are
integer epoch seconds, which keeps a 90-day horizon cheap to compute.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from math import ceil, floor
from zoneinfo import ZoneInfo

from .booking_window import bookable_bounds
from .models import AppointmentType, Availability, BookedBlock
from .open_hours import wall_to_ranges
from .ranges import Range, merge
from .zones import day_start, utc_offset_seconds, zone

__all__ = [
    "alignment_step",
    "available_by_type",
    "bookable_starts",
    "day_open",
    "day_reach",
    "day_starts",
    "filter_bookable",
    "local_day_window",
    "slots_for_dates",
]

_STEPS = (60, 30, 20, 15, 10, 5)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FAR = 1 << 62
_ONE_DAY = timedelta(days=1)


def alignment_step(interval_minutes: int) -> int | None:
    """Minutes to round a stretch's first start to, or None for no rounding."""
    for step in _STEPS:
        if interval_minutes % step == 0:
            return step
    return None


def local_day_window(tz: str | ZoneInfo, d: date) -> Range:
    """Provider-local ``d`` from its first instant to the next date's first instant (23 h or 25 h on DST days)."""
    return Range(day_start(tz, d), day_start(tz, d + _ONE_DAY))


def day_open(availability: Availability, tz: str | ZoneInfo, d: date) -> list[Range]:
    """Merged open ranges, from the schedules of ``d - 1`` .. ``d + 1``, that overlap ``d`` (unclipped)."""
    z = zone(tz)
    overrides = availability.override_index()
    pieces: list[Range] = []
    for day in (d - _ONE_DAY, d, d + _ONE_DAY):
        pieces.extend(wall_to_ranges(availability.intervals_on(day, overrides), z, day))
    window = local_day_window(z, d)
    return [r for r in merge(pieces) if r.overlaps(window)]


def _max_buffers(types: Iterable[AppointmentType]) -> tuple[int, int]:
    before = after = 0
    for t in types:
        before = max(before, t.buffer_before_minutes)
        after = max(after, t.buffer_after_minutes)
    return before, after


def day_reach(tz: str | ZoneInfo, d: date, open: Sequence[Range], types: Iterable[AppointmentType]) -> Range:
    """Everything day ``d``'s starts can depend on: its window and its open ranges widened by the largest buffers.

    Any booked block that can affect ``d``'s starts overlaps this range, so a
    day document that keeps every block overlapping it is complete.
    """
    window = local_day_window(tz, d)
    before, after = _max_buffers(types)
    start, end = window.start, window.end
    for r in open:
        start = min(start, r.start - timedelta(minutes=before))
        end = max(end, r.end + timedelta(minutes=after))
    return Range(start, end)


# --- the computation, on epoch seconds ------------------------------------


def _sec_floor(dt: datetime) -> int:
    return floor((dt - _EPOCH).total_seconds())


def _sec_ceil(dt: datetime) -> int:
    return ceil((dt - _EPOCH).total_seconds())


def _instant(seconds: int) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


@dataclass(slots=True)
class _Block:
    type_id: str
    start: int  # the appointment's start
    block_start: int
    block_end: int


@dataclass(slots=True)
class _Day:
    zone: ZoneInfo
    window_start: int
    window_end: int
    open: list[tuple[int, int]]
    blocks: list[_Block]
    busy: list[tuple[int, int]]  # merged blocks and time off, plus a sentinel
    time_off: list[tuple[int, int]]


def _prepare(tz: str | ZoneInfo, d: date, open: Iterable[Range], blocks: Iterable[BookedBlock],
             window: Range | None = None, time_off: Iterable[Range] = ()) -> _Day:
    z = zone(tz)
    window = window or local_day_window(z, d)
    # Rounding inwards for open hours and outwards for blocks can only ever
    # offer less, never a start that overlaps something.
    open_s = [(_sec_ceil(r.start), _sec_floor(r.end)) for r in merge(open)]
    prepared = [
        _Block(b.type_id, _sec_floor(b.start), _sec_floor(b.block.start), _sec_ceil(b.block.end)) for b in blocks
    ]
    away = [(_sec_floor(r.start), _sec_ceil(r.end)) for r in time_off]
    busy: list[tuple[int, int]] = []
    for start, end in sorted([(b.block_start, b.block_end) for b in prepared] + away):
        if busy and start <= busy[-1][1]:
            if end > busy[-1][1]:
                busy[-1] = (busy[-1][0], end)
        else:
            busy.append((start, end))
    busy.append((_FAR, _FAR))
    return _Day(z, _sec_floor(window.start), _sec_floor(window.end), open_s, prepared, busy, away)


def _first_change(z: ZoneInfo, lo: int, hi: int) -> int:
    """The first second in ``(lo, hi]`` whose UTC offset differs from ``lo``'s."""
    base = utc_offset_seconds(z, lo)
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if utc_offset_seconds(z, mid) == base:
            lo = mid
        else:
            hi = mid
    return hi


def _align_up(t: int, step: int, z: ZoneInfo) -> int:
    """The first instant at or after ``t`` whose local wall time is a multiple of ``step`` seconds past the hour."""
    offset = utc_offset_seconds(z, t)
    candidate = t + (-(t + offset)) % step
    if candidate == t or utc_offset_seconds(z, candidate) == offset:
        return candidate
    # The offset changed on the way (a DST transition inside one step):
    # align on the new offset from the transition on.
    change = _first_change(z, t, candidate)
    new_offset = utc_offset_seconds(z, change)
    return change + (-(change + new_offset)) % step


def _type_starts(day: _Day, t: AppointmentType) -> list[int]:
    ws, we = day.window_start, day.window_end
    if t.daily_limit is not None:
        booked_today = sum(1 for b in day.blocks if b.type_id == t.id and ws <= b.start < we)
        if booked_today >= t.daily_limit:
            return []
    duration = t.duration_minutes * 60
    before = t.buffer_before_minutes * 60
    after = t.buffer_after_minutes * 60
    interval = t.interval * 60
    step_minutes = alignment_step(t.interval)
    step = step_minutes * 60 if step_minutes else None

    out: list[int] = []
    busy = day.busy
    for open_start, open_end in day.open:
        if open_end <= ws or open_start >= we:
            continue
        # Gap i runs from busy[i-1]'s end to busy[i]'s start; start with the
        # gap after the last block that begins at or before the open range.
        i = bisect.bisect_right(busy, (open_start, _FAR))
        gap_start = busy[i - 1][1] if i > 0 else -_FAR
        while True:
            gap_end = busy[i][0]
            first = max(open_start, gap_start + before)
            last = min(open_end, gap_end - after) - duration
            last = min(last, we - 1)
            if first <= last:
                s = _align_up(first, step, day.zone) if step else first
                if s < ws:
                    s += -(-(ws - s) // interval) * interval
                if s <= last:
                    out.extend(range(s, last + 1, interval))
            if gap_end >= open_end or gap_end >= _FAR:
                break
            gap_start = busy[i][1]
            i += 1

    if t.capacity > 1:
        out.extend(_shared_starts(day, t, duration, before, after))
        return sorted(set(out))
    return out


def _shared_starts(day: _Day, t: AppointmentType, duration: int, before: int, after: int) -> list[int]:
    """Starts of partly booked group sessions of type ``t`` that can take one more booking."""
    groups = Counter(b.start for b in day.blocks if b.type_id == t.id)
    found: list[int] = []
    for s, n in groups.items():
        if n >= t.capacity or not day.window_start <= s < day.window_end:
            continue
        if not any(o0 <= s and s + duration <= o1 for o0, o1 in day.open):
            continue
        lo, hi = s - before, s + duration + after
        if any(
            b.block_start < hi and lo < b.block_end
            for b in day.blocks
            if not (b.type_id == t.id and b.start == s)
        ) or any(a0 < hi and lo < a1 for a0, a1 in day.time_off):
            continue
        found.append(s)
    return found


# --- public API --------------------------------------------------------------


def day_starts(
    tz: str | ZoneInfo,
    d: date,
    open: Sequence[Range],
    appt_type: AppointmentType,
    blocks: Iterable[BookedBlock],
    time_off: Iterable[Range] = (),
) -> list[datetime]:
    """Bookable starts (UTC, sorted, unique) of ``appt_type`` on provider-local date ``d``.

    ``open`` is ``day_open(d)``; ``blocks`` the booked blocks and
    ``time_off`` the spans overlapping ``day_reach(d)`` (more do no harm).
    Notice and horizon are not applied.
    """
    day = _prepare(tz, d, open, blocks, time_off=time_off)
    return [_instant(s) for s in _type_starts(day, appt_type)]


def available_by_type(
    tz: str | ZoneInfo,
    d: date,
    open: Sequence[Range],
    types: Iterable[AppointmentType],
    blocks: Iterable[BookedBlock],
    time_off: Iterable[Range] = (),
) -> dict[str, list[datetime]]:
    """``day_starts`` for every active type, keyed by type id."""
    day = _prepare(tz, d, open, blocks, time_off=time_off)
    return {t.id: [_instant(s) for s in _type_starts(day, t)] for t in types if t.active}


def filter_bookable(starts: Iterable[datetime], appt_type: AppointmentType, now: datetime) -> list[datetime]:
    """Keep the starts inside notice and horizon (``booking_window``)."""
    earliest, latest = bookable_bounds(appt_type, now)
    return [s for s in starts if earliest <= s <= latest]


class _OpenCache:
    """Per-date wall-interval resolution, shared by the three days that read each date."""

    def __init__(self, availability: Availability, z: ZoneInfo) -> None:
        self._availability = availability
        self._overrides = availability.override_index()
        self._zone = z
        self._cache: dict[date, list[Range]] = {}

    def of(self, d: date) -> list[Range]:
        ranges = self._cache.get(d)
        if ranges is None:
            ranges = wall_to_ranges(self._availability.intervals_on(d, self._overrides), self._zone, d)
            self._cache[d] = ranges
        return ranges


def slots_for_dates(
    availability: Availability,
    tz: str | ZoneInfo,
    first: date,
    last: date,
    types: Sequence[AppointmentType],
    blocks: Iterable[BookedBlock],
) -> dict[date, dict[str, list[datetime]]]:
    """``available_by_type(d, day_open(d), ...)`` for every date ``first`` .. ``last``.

    The same result as computing each day on its own, with the work shared:
    wall times are resolved once per date and blocks are found by bisection.
    """
    z = zone(tz)
    cache = _OpenCache(availability, z)
    ordered = sorted(blocks, key=lambda b: b.block.start)
    block_starts = [b.block.start for b in ordered]
    longest = max((b.block.duration for b in ordered), default=timedelta(0))
    before, after = _max_buffers(types)
    widen_before, widen_after = timedelta(minutes=before), timedelta(minutes=after)

    result: dict[date, dict[str, list[datetime]]] = {}
    d = first
    day_begin = day_start(z, d)
    while d <= last:
        day_end = day_start(z, d + _ONE_DAY)
        window = Range(day_begin, day_end)
        pieces = cache.of(d - _ONE_DAY) + cache.of(d) + cache.of(d + _ONE_DAY)
        open = [r for r in merge(pieces) if r.overlaps(window)]
        reach_start = min([day_begin] + [r.start - widen_before for r in open])
        reach_end = max([day_end] + [r.end + widen_after for r in open])
        lo = bisect.bisect_left(block_starts, reach_start - longest)
        hi = bisect.bisect_left(block_starts, reach_end)
        day_blocks = [b for b in ordered[lo:hi] if b.block.end > reach_start]
        day = _prepare(z, d, open, day_blocks, window)
        result[d] = {t.id: [_instant(s) for s in _type_starts(day, t)] for t in types if t.active}
        d += _ONE_DAY
        day_begin = day_end
    return result


def bookable_starts(
    availability: Availability,
    tz: str | ZoneInfo,
    appt_type: AppointmentType,
    first: date,
    last: date,
    blocks: Iterable[BookedBlock],
    now: datetime,
) -> dict[date, list[datetime]]:
    """One type's bookable starts per provider-local date, notice and horizon applied."""
    per_day = slots_for_dates(availability, tz, first, last, [appt_type.model_copy(update={"active": True})], blocks)
    return {d: filter_bookable(by_type[appt_type.id], appt_type, now) for d, by_type in per_day.items()}
