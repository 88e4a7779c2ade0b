"""Properties of slot computation and the booking check, over random schedules, zones and bookings."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from booking.domain.booking_check import Accepted, Rejected, check_booking, day_of
from booking.domain.models import AppointmentType, Availability, BookedBlock, WallInterval
from booking.domain.ranges import Range
from booking.domain.slots import (
    available_by_type,
    day_open,
    day_reach,
    day_starts,
    filter_bookable,
    local_day_window,
    slots_for_dates,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

ZONES = [
    "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham",
    "America/Santiago", "Australia/Sydney", "UTC",
]
# DST transition dates of the zones above, and ordinary days
DATES = [
    date(2026, 3, 8), date(2026, 11, 1), date(2026, 3, 29), date(2026, 10, 25), date(2026, 10, 4),
    date(2026, 4, 5), date(2026, 9, 27), date(2026, 9, 6), date(2026, 1, 12), date(2026, 6, 15),
]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def wall_intervals(draw):
    start = draw(st.integers(0, 287)) * 5 + draw(st.sampled_from([0, 0, 0, 2]))
    length = draw(st.integers(3, 200)) * 5
    return WallInterval.from_minutes(start, start + length)


@st.composite
def availabilities(draw):
    weekly = {day: draw(st.lists(wall_intervals(), max_size=3)) for day in WEEKDAYS if draw(st.booleans()) or day == "mon"}
    return Availability(provider_id="p", weekly=weekly)


@st.composite
def appointment_types(draw, type_id: str):
    return AppointmentType(
        id=type_id,
        name=type_id,
        duration_minutes=draw(st.sampled_from([5, 15, 20, 30, 35, 45, 50, 60, 90, 120])),
        slot_interval_minutes=draw(st.sampled_from([None, None, 7, 10, 15, 20, 25, 30, 40, 60, 90])),
        buffer_before_minutes=draw(st.sampled_from([0, 0, 5, 10, 15, 30])),
        buffer_after_minutes=draw(st.sampled_from([0, 0, 5, 10, 15, 30])),
        capacity=draw(st.sampled_from([1, 1, 2, 3])),
        daily_limit=draw(st.sampled_from([None, None, None, 1, 2, 4])),
        min_notice_minutes=draw(st.sampled_from([0, 30, 240])),
        horizon_days=draw(st.sampled_from([1, 2, 60])),
    )


@st.composite
def scenarios(draw, arbitrary_blocks: bool = True):
    tz = draw(st.sampled_from(ZONES))
    d = draw(st.sampled_from(DATES)) + timedelta(days=draw(st.integers(-1, 1)))
    av = draw(availabilities())
    types = [draw(appointment_types(f"t{i}")) for i in range(draw(st.integers(1, 3)))]
    blocks: list[BookedBlock] = []
    # Book offered slots on d-1, d and d+1, as the service would.
    for n in range(draw(st.integers(0, 8))):
        day = d + timedelta(days=draw(st.integers(-1, 1)))
        t = draw(st.sampled_from(types))
        offered = day_starts(tz, day, day_open(av, tz, day), t, blocks)
        if offered:
            # prefer joining an existing session now and then, so group sessions fill up
            joinable = [b.start for b in blocks if b.type_id == t.id and b.start in offered]
            pool = joinable if joinable and draw(st.booleans()) else offered
            blocks.append(BookedBlock.for_appointment(f"b{n}", t, draw(st.sampled_from(pool))))
    if arbitrary_blocks and draw(st.booleans()):
        # A block the slot rules did not produce (an admin edit, old hours): everything must still hold.
        window = local_day_window(tz, d)
        start = window.start + timedelta(minutes=draw(st.integers(-120, 1500)))
        length = timedelta(minutes=draw(st.integers(5, 180)))
        blocks.append(BookedBlock("odd", "other", start, start + length, Range(start, start + length)))
    return tz, d, av, types, blocks


def sharing(t: AppointmentType, start: datetime, blocks: list[BookedBlock]) -> list[BookedBlock]:
    return [b for b in blocks if b.type_id == t.id and b.start == start]


@SETTINGS
@given(scenarios())
def test_every_slot_lies_in_open_hours_on_its_date_sorted_and_unique(scenario):
    tz, d, av, types, blocks = scenario
    open_ = day_open(av, tz, d)
    window = local_day_window(tz, d)
    for t in types:
        starts = day_starts(tz, d, open_, t, blocks)
        assert starts == sorted(set(starts))
        for s in starts:
            assert window.contains(s) and day_of(tz, s) == d
            assert any(r.contains(Range(s, s + t.duration)) for r in open_)


@SETTINGS
@given(scenarios())
def test_no_slot_block_overlaps_a_booking_except_shared_capacity(scenario):
    tz, d, av, types, blocks = scenario
    open_ = day_open(av, tz, d)
    for t in types:
        for s in day_starts(tz, d, open_, t, blocks):
            own = Range(s - t.buffer_before, s + t.duration + t.buffer_after)
            shared = sharing(t, s, blocks)
            assert len(shared) < t.capacity
            for b in blocks:
                if b not in shared:
                    assert not b.block.overlaps(own), (s, b)


@SETTINGS
@given(scenarios(), st.data())
def test_booking_an_offered_slot_never_leaves_an_overlapping_offer(scenario, data):
    tz, d, av, types, blocks = scenario
    open_ = day_open(av, tz, d)
    t = data.draw(st.sampled_from(types))
    offered = day_starts(tz, d, open_, t, blocks)
    assume(offered)
    start = data.draw(st.sampled_from(offered))
    new = BookedBlock.for_appointment("new", t, start)
    after = blocks + [new]
    for other in types:
        for s in day_starts(tz, d, open_, other, after):
            own = Range(s - other.buffer_before, s + other.duration + other.buffer_after)
            if other.id == t.id and s == start:
                continue  # joining the same group session
            assert not own.overlaps(new.block), (other.id, s)


@SETTINGS
@given(scenarios(), st.data())
def test_check_accepts_exactly_the_offered_starts(scenario, data):
    tz, d, av, types, blocks = scenario
    open_ = day_open(av, tz, d)
    window = local_day_window(tz, d)
    t = data.draw(st.sampled_from(types))
    offered = day_starts(tz, d, open_, t, blocks)
    now = window.start + timedelta(minutes=data.draw(st.integers(-3000, 1500)))
    bookable = set(filter_bookable(offered, t, now))
    minutes = int(window.duration.total_seconds() // 60)
    candidates = set(offered) | {
        window.start + timedelta(minutes=m) for m in data.draw(st.lists(st.integers(0, minutes - 1), max_size=25))
    }
    for start in candidates:
        result = check_booking(tz=tz, day=d, open=open_, appt_type=t, blocks=blocks, start=start, now=now, appointment_id="x")
        assert isinstance(result, Accepted) == (start in bookable), (start, result)
        if isinstance(result, Rejected) and start in offered:
            assert result.reason in ("too_soon", "too_far")


@SETTINGS
@given(scenarios())
def test_blocks_beyond_the_days_reach_change_nothing(scenario):
    tz, d, av, types, blocks = scenario
    open_ = day_open(av, tz, d)
    reach = day_reach(tz, d, open_, types)
    kept = [b for b in blocks if b.block.overlaps(reach)]
    assert available_by_type(tz, d, open_, types, kept) == available_by_type(tz, d, open_, types, blocks)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_horizon_computation_equals_day_by_day(scenario):
    tz, d, av, types, blocks = scenario
    got = slots_for_dates(av, tz, d - timedelta(days=2), d + timedelta(days=2), types, blocks)
    for day, by_type in got.items():
        assert by_type == available_by_type(tz, day, day_open(av, tz, day), types, blocks)


@SETTINGS
@given(scenarios(arbitrary_blocks=False))
def test_bookings_made_through_offers_never_overlap_each_other(scenario):
    _, _, _, types, blocks = scenario
    by_id = {t.id: t for t in types}
    for i, a in enumerate(blocks):
        for b in blocks[i + 1:]:
            same_session = a.type_id == b.type_id and a.start == b.start
            if not same_session:
                assert not a.block.overlaps(b.block)
    groups = Counter((b.type_id, b.start) for b in blocks)
    assert all(n <= by_id[type_id].capacity for (type_id, _), n in groups.items())
