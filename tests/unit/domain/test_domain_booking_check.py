"""The booking check: the block to book, or the exact rejection code."""

from datetime import UTC, date, datetime

import pytest
from booking.domain.booking_requests import Reason
from booking.domain.booking_check import Accepted, Rejected, check_booking, day_of
from booking.domain.models import AppointmentType, Availability, BookedBlock
from booking.domain.ranges import Range
from booking.domain.slots import day_open

LONDON = "Europe/London"
MON = date(2026, 1, 12)
NOW = datetime(2026, 1, 11, 12, 0, tzinfo=UTC)
AV = Availability.model_validate({"providerId": "p1", "weekly": {"mon": [{"start": "09:00", "end": "12:00"}]}})


def jan12(h: int, m: int = 0) -> datetime:
    return datetime(2026, 1, 12, h, m, tzinfo=UTC)


def T(id: str = "t", duration: int = 60, **kw) -> AppointmentType:
    return AppointmentType(id=id, name=id.upper(), duration_minutes=duration, **kw)


def check(start: datetime, t: AppointmentType | None = None, blocks=(), now: datetime = NOW, av: Availability = AV):
    day = day_of(LONDON, start)
    return check_booking(
        tz=LONDON, day=day, open=day_open(av, LONDON, day), appt_type=t or T(), blocks=list(blocks), start=start, now=now, appointment_id="req1"
    )


def reason(result) -> Reason:
    assert isinstance(result, Rejected), result
    return result.reason


def test_accepts_an_offered_start_and_returns_its_block():
    t = T(buffer_before_minutes=5, buffer_after_minutes=10)
    result = check(jan12(10), t)
    assert isinstance(result, Accepted)
    assert (result.start, result.end) == (jan12(10), jan12(11))
    assert result.block == BookedBlock("req1", "t", jan12(10), jan12(11), Range(jan12(9, 55), jan12(11, 10)))


def test_too_soon_when_inside_minimum_notice():
    assert reason(check(jan12(9), T(min_notice_minutes=121), now=jan12(7))) == Reason.TOO_SOON
    assert isinstance(check(jan12(9), T(min_notice_minutes=120), now=jan12(7)), Accepted)


def test_past_start_is_too_soon():
    assert reason(check(jan12(9), now=jan12(9, 1))) == Reason.TOO_SOON


def test_too_far_after_the_horizon():
    t = T(horizon_days=1)
    assert isinstance(check(jan12(10), t, now=datetime(2026, 1, 11, 10, 0, tzinfo=UTC)), Accepted)
    assert reason(check(jan12(11), t, now=datetime(2026, 1, 11, 10, 0, tzinfo=UTC))) == Reason.TOO_FAR


@pytest.mark.parametrize("start", [jan12(8), jan12(11, 30), jan12(13), datetime(2026, 1, 13, 10, tzinfo=UTC)])
def test_outside_availability_when_the_appointment_does_not_fit_open_hours(start):
    assert reason(check(start)) == Reason.OUTSIDE_AVAILABILITY


def test_not_on_slot_when_free_but_off_grid():
    assert reason(check(jan12(9, 30))) == Reason.NOT_ON_SLOT
    assert reason(check(jan12(9, 0).replace(second=30))) == Reason.NOT_ON_SLOT


def test_slot_taken_when_overlapping_a_booking():
    blocks = [BookedBlock.for_appointment("a1", T("other", 30), jan12(10))]
    assert reason(check(jan12(10), blocks=blocks)) == Reason.SLOT_TAKEN
    assert reason(check(jan12(9, 30), blocks=blocks)) == Reason.SLOT_TAKEN  # off-grid too, but overlap wins


def test_slot_taken_by_buffers():
    blocks = [BookedBlock.for_appointment("a1", T("other", 60), jan12(10))]
    assert reason(check(jan12(11), T(buffer_before_minutes=5), blocks)) == Reason.SLOT_TAKEN
    assert reason(check(jan12(9), T(buffer_after_minutes=5), blocks)) == Reason.SLOT_TAKEN


def test_limit_reached():
    t = T("t", 30, daily_limit=1)
    blocks = [BookedBlock.for_appointment("a1", t, jan12(9))]
    assert reason(check(jan12(11), t, blocks)) == Reason.LIMIT_REACHED


def test_capacity_three_fills_then_is_taken():
    group = T("group", 60, capacity=3)
    blocks: list[BookedBlock] = []
    for i in range(3):
        result = check(jan12(10), group, blocks)
        assert isinstance(result, Accepted), i
        blocks.append(BookedBlock.for_appointment(f"a{i}", group, jan12(10)))
    assert reason(check(jan12(10), group, blocks)) == Reason.SLOT_TAKEN


def test_messages_are_human_readable():
    result = check(jan12(9, 30))
    assert "09:30" in result.message and "GMT" in result.message


def test_start_on_another_day_is_a_caller_bug():
    with pytest.raises(ValueError):
        check_booking(tz=LONDON, day=date(2026, 1, 13), open=[], appt_type=T(), blocks=[], start=jan12(10), now=NOW, appointment_id="x")


def test_day_of_is_the_provider_local_date():
    instant = datetime(2026, 6, 14, 23, 30, tzinfo=UTC)
    assert day_of("Australia/Sydney", instant) == date(2026, 6, 15)
    assert day_of("America/New_York", instant) == date(2026, 6, 14)
