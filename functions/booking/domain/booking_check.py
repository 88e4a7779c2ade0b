"""Checking one requested start against a provider-day.

The check accepts a start exactly when ``slots`` offers it (``day_starts``
then ``filter_bookable``); it is computed that way, so the two cannot drift
apart. Only the *reason* for a refusal is worked out separately, by asking
in this order (the first that applies wins):

1. ``too_soon``     - before ``now + min notice`` (``booking_window``);
2. ``too_far``      - after ``now + horizon_days * 24 h`` (``booking_window``);
3. ``outside_availability`` - the appointment ``[start, start + duration)``
   is not inside one open range, or it or its buffers meet the provider's
   time off (time off is taken out of the open hours);
4. ``limit_reached`` - the type's daily limit is used up that local date;
5. ``slot_taken``   - the candidate's block overlaps a booked block (a full
   group session included);
6. ``not_on_slot``  - free and inside open hours, but not a start of the
   grid of its free stretch (off-grid, or seconds that are not zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .booking_requests import Reason
from .booking_window import window_refusal
from .models import AppointmentType, BookedBlock
from .ranges import Range, to_utc
from .slots import day_starts, filter_bookable
from .zones import local_date, local_label, zone

__all__ = ["Accepted", "Rejected", "check_booking", "day_of"]


@dataclass(frozen=True, slots=True)
class Accepted:
    """The start is bookable; ``block`` is what to add to the day document(s)."""

    block: BookedBlock

    @property
    def start(self) -> datetime:
        return self.block.start

    @property
    def end(self) -> datetime:
        return self.block.end


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: Reason
    message: str


def day_of(tz: str | ZoneInfo, start: datetime) -> date:
    """The provider-local date an instant falls on: the day document that decides it."""
    return local_date(tz, start)


def check_booking(
    *,
    tz: str | ZoneInfo,
    day: date,
    open: Sequence[Range],
    appt_type: AppointmentType,
    blocks: Iterable[BookedBlock],
    start: datetime,
    now: datetime,
    appointment_id: str,
    time_off: Sequence[Range] = (),
) -> Accepted | Rejected:
    """Accept ``start`` for ``appt_type`` on provider-local ``day``, or say why not.

    ``open``, ``blocks`` and ``time_off`` are day ``day``'s open ranges,
    booked blocks and time off, as stored in its day document. Raises ``ValueError`` for a naive
    ``start``/``now`` or a ``start`` that is not on ``day`` (caller bugs, not
    bad requests: use ``day_of`` to pick the day).
    """
    z = zone(tz)
    start = to_utc(start)
    now = to_utc(now)
    if day_of(z, start) != day:
        raise ValueError(f"{start.isoformat()} is on {day_of(z, start)} in {z.key}, not {day}")
    blocks = list(blocks)

    offered = filter_bookable(day_starts(z, day, open, appt_type, blocks, time_off), appt_type, now)
    if start in offered:
        return Accepted(BookedBlock.for_appointment(appointment_id, appt_type, start))
    return _reason(z, day, open, appt_type, blocks, list(time_off), start, now)


def _reason(
    z: ZoneInfo,
    day: date,
    open: Sequence[Range],
    t: AppointmentType,
    blocks: list[BookedBlock],
    time_off: list[Range],
    start: datetime,
    now: datetime,
) -> Rejected:
    outside = window_refusal(t, start, now, z)
    if outside is not None:
        return Rejected(*outside)

    end = start + t.duration
    if not any(r.start <= start and end <= r.end for r in open):
        return Rejected(Reason.OUTSIDE_AVAILABILITY, f"{local_label(z, start)} to {local_label(z, end)} is outside the provider's open hours")
    candidate = Range(start - t.buffer_before, end + t.buffer_after)
    if any(span.overlaps(candidate) for span in time_off):
        return Rejected(Reason.OUTSIDE_AVAILABILITY, f"the provider is away at {local_label(z, start)} to {local_label(z, end)} (or during its buffers)")

    if t.daily_limit is not None:
        same_day = sum(1 for b in blocks if b.type_id == t.id and day_of(z, b.start) == day)
        if same_day >= t.daily_limit:
            return Rejected(Reason.LIMIT_REACHED, f"{t.name} is limited to {t.daily_limit} per day and {day.isoformat()} is full")

    sharing = [b for b in blocks if b.type_id == t.id and b.start == start]
    others = [b for b in blocks if not (b.type_id == t.id and b.start == start)]
    if len(sharing) >= t.capacity or any(b.block.overlaps(candidate) for b in others):
        return Rejected(Reason.SLOT_TAKEN, f"{local_label(z, start)} is already booked")

    return Rejected(Reason.NOT_ON_SLOT, f"{local_label(z, start)} is not one of the offered start times for {t.name}")
