"""The slot ledger: one `DaySheet` per provider and provider-local day.

A sheet holds everything needed to check a booking and recompute the day's
bookable starts without reading anything else: the open ranges, the types'
slot-relevant settings, and every booked block that overlaps the day's
*reach* (the span any candidate block of that day can occupy: the local day
widened by open ranges that cross midnight and by the largest buffers).

Because a sheet holds every block overlapping its reach, checking a
candidate against that one sheet is complete. A new block is written into
every sheet whose reach it overlaps; each sheet stores its neighbours'
reach edges so a booking knows, from one read, whether it must touch the
next or previous day too (only near midnight).

Time off is kept the same way: each sheet holds, clipped to its reach, the
spans of every time off that overlaps it (`TimeOffSpan`, with the time
off's id so one change can be replaced in place), and its starts are cut
around them.

Pure: reading and writing sheets is `booking.services.sheet_loader`'s job.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from .appointments import Appointment
from .models import AppointmentType, Availability, BookedBlock, Provider
from .ranges import Range
from .slots import available_by_type, day_open, day_reach
from .zones import local_date

# Only what changes the slot grid; names and prices stay out of the ledger.
SPEC_FIELDS = (
    "duration_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "slot_interval_minutes",
    "capacity",
    "daily_limit",
)


def sheet_id(provider_id: str, day: date) -> str:
    return f"{provider_id}_{day.isoformat()}"


# The ledger keeps no type names; a type id may be longer than a Name.
SPEC_NAME = "ledger"


def type_spec(appt_type: AppointmentType) -> AppointmentType:
    """The type reduced to what the ledger keeps."""
    return AppointmentType(
        id=appt_type.id,
        name=SPEC_NAME,
        **{name: getattr(appt_type, name) for name in SPEC_FIELDS},
    )


@dataclass(frozen=True, order=True)
class TimeOffSpan:
    """The part of one time off that a sheet holds (clipped to its reach)."""

    start: datetime
    end: datetime
    time_off_id: str

    @property
    def range(self) -> Range:
        return Range(self.start, self.end)


def spans_in(reach: Range, spans: Iterable[tuple[str, Range]]) -> tuple[TimeOffSpan, ...]:
    """The spans a sheet with this reach keeps, clipped to it, in one
    canonical order so that equal sheets compare (and store) equal."""
    kept = []
    for time_off_id, span in spans:
        if span.overlaps(reach):
            kept.append(TimeOffSpan(max(span.start, reach.start), min(span.end, reach.end), time_off_id))
    return tuple(sorted(set(kept)))


@dataclass(frozen=True)
class DaySheet:
    provider_id: str
    day: date
    time_zone: str
    open: tuple[Range, ...]
    reach: Range
    prev_reach_end: datetime
    next_reach_start: datetime
    types: dict[str, AppointmentType]
    blocks: tuple[BookedBlock, ...] = ()
    available: dict[str, list[datetime]] = field(default_factory=dict)
    time_off: tuple[TimeOffSpan, ...] = ()

    @property
    def id(self) -> str:
        return sheet_id(self.provider_id, self.day)

    def holds(self, appointment_id: str) -> bool:
        return any(b.appointment_id == appointment_id for b in self.blocks)

    def with_block(self, block: BookedBlock) -> DaySheet:
        if self.holds(block.appointment_id):
            return self
        return _recomputed(replace(self, blocks=ordered_blocks((*self.blocks, block))))

    def without(self, appointment_id: str) -> DaySheet:
        kept = tuple(b for b in self.blocks if b.appointment_id != appointment_id)
        return _recomputed(replace(self, blocks=kept))

    def with_time_off(self, time_off_id: str, span: Range | None) -> DaySheet:
        """This sheet with time off `time_off_id` replaced by `span` (None: removed)."""
        kept = [(s.time_off_id, s.range) for s in self.time_off if s.time_off_id != time_off_id]
        if span is not None:
            kept.append((time_off_id, span))
        spans = spans_in(self.reach, kept)
        if spans == self.time_off:
            return self
        return _recomputed(replace(self, time_off=spans))

    def time_off_over(self, block: Range) -> set[str]:
        """The ids of the time off this sheet holds that `block` meets."""
        return {s.time_off_id for s in self.time_off if s.range.overlaps(block)}

    def neighbours_for(self, block: Range) -> list[date]:
        """The adjacent days whose reach `block` also overlaps."""
        days = []
        if block.start < self.prev_reach_end:
            days.append(self.day - timedelta(days=1))
        if block.end > self.next_reach_start:
            days.append(self.day + timedelta(days=1))
        return days


def ordered_blocks(blocks: Iterable[BookedBlock]) -> tuple[BookedBlock, ...]:
    """One canonical order, so equal ledgers compare (and store) equal."""
    return tuple(sorted(blocks, key=lambda b: (b.block.start, b.appointment_id)))


def _recomputed(sheet: DaySheet) -> DaySheet:
    available = available_by_type(
        sheet.time_zone, sheet.day, list(sheet.open), list(sheet.types.values()), sheet.blocks,
        [s.range for s in sheet.time_off],
    )
    return replace(sheet, available=available)


def offered_types(provider: Provider, types: Iterable[AppointmentType]) -> list[AppointmentType]:
    offered = set(provider.type_ids)
    return [t for t in types if t.id in offered and t.active]


def _reach(tz: str, day: date, availability: Availability | None, types: list[AppointmentType]) -> tuple[list[Range], Range]:
    open_ranges = day_open(availability, tz, day) if availability is not None else []
    return open_ranges, day_reach(tz, day, open_ranges, types)


def build_sheet(
    provider: Provider,
    availability: Availability | None,
    types: Iterable[AppointmentType],
    day: date,
    blocks: Iterable[BookedBlock],
    time_off: Iterable[tuple[str, Range]] = (),
) -> DaySheet:
    """A sheet computed from scratch; `blocks` and `time_off` (id, span) may
    be supersets (only what overlaps the day's reach is kept). An inactive
    provider, or one without availability, gets a sheet with no open hours
    and no slots."""
    return build_sheets(provider, availability, types, [day], blocks, time_off)[day]


def build_sheets(
    provider: Provider,
    availability: Availability | None,
    types: Iterable[AppointmentType],
    days: list[date],
    blocks: Iterable[BookedBlock],
    time_off: Iterable[tuple[str, Range]] = (),
) -> dict[date, DaySheet]:
    """`build_sheet` for many days, sharing the work: each date's hours are
    resolved once (not for each of its three neighbours) and blocks are
    found by bisection, which is what keeps a 90-day recompute cheap."""
    # Days are keyed, and wall-clock hours read, in the provider's zone.
    tz = provider.time_zone
    specs = [type_spec(t) for t in offered_types(provider, types)] if provider.active else []
    usable = availability if provider.active else None
    reaches: dict[date, tuple[list[Range], Range]] = {}

    def reach_of(d: date) -> tuple[list[Range], Range]:
        if d not in reaches:
            reaches[d] = _reach(tz, d, usable, specs)
        return reaches[d]

    ordered = sorted(set(blocks), key=lambda b: b.block.start)
    starts = [b.block.start for b in ordered]
    longest = max((b.block.duration for b in ordered), default=timedelta(0))
    away = list(time_off)
    result = {}
    for day in days:
        open_ranges, reach = reach_of(day)
        lo = bisect.bisect_left(starts, reach.start - longest)
        hi = bisect.bisect_left(starts, reach.end)
        sheet = DaySheet(
            provider_id=provider.id,
            day=day,
            time_zone=tz,
            open=tuple(open_ranges),
            reach=reach,
            prev_reach_end=reach_of(day - timedelta(days=1))[1].end,
            next_reach_start=reach_of(day + timedelta(days=1))[1].start,
            types={t.id: t for t in specs},
            blocks=ordered_blocks(b for b in ordered[lo:hi] if b.block.overlaps(reach)),
            time_off=spans_in(reach, away),
        )
        result[day] = _recomputed(sheet)
    return result


def block_of(appointment: Appointment) -> BookedBlock:
    """The block an appointment holds in the ledger."""
    return BookedBlock(
        appointment_id=appointment.id,
        type_id=appointment.appointment_type_id,
        start=appointment.start,
        end=appointment.end,
        block=held_range(appointment),
    )


def held_range(appointment: Appointment) -> Range:
    """What the ledger holds for an appointment: its stored block, which
    stays right even if someone edits its start in the console."""
    return Range(appointment.block_start, appointment.block_end)


def days_under(tz: str, span: Range) -> list[date]:
    """The provider-local dates `span` covers some instant of: a block is
    stored at least in the sheets of these days."""
    first = local_date(tz, span.start)
    last = local_date(tz, span.end - timedelta(microseconds=1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
