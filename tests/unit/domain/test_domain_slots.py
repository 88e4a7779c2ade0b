"""Bookable starts with literal expected instants (computed by hand, not by the code under test)."""

from datetime import UTC, date, datetime

import pytest
from booking.domain.models import AppointmentType, Availability, BookedBlock
from booking.domain.ranges import Range
from booking.domain.slots import (
    alignment_step,
    available_by_type,
    bookable_starts,
    day_open,
    day_reach,
    day_starts,
    filter_bookable,
    slots_for_dates,
)

LONDON = "Europe/London"  # UTC+0 in January: local times equal UTC there
NY = "America/New_York"
MON = date(2026, 1, 12)


def U(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def jan12(h: int, m: int = 0) -> datetime:
    return U(2026, 1, 12, h, m)


def T(id: str = "t", duration: int = 60, **kw) -> AppointmentType:
    return AppointmentType(id=id, name=id.upper(), duration_minutes=duration, **kw)


def hours(weekly: dict, overrides: list | None = None) -> Availability:
    return Availability.model_validate({"providerId": "p1", "weekly": weekly, "overrides": overrides or []})


def iv(start: str, end: str) -> dict:
    return {"start": start, "end": end}


def starts(av: Availability, tz: str, d: date, t: AppointmentType, blocks=()) -> list[datetime]:
    return day_starts(tz, d, day_open(av, tz, d), t, blocks)


def booked(t: AppointmentType, start: datetime, appointment_id: str = "a") -> BookedBlock:
    return BookedBlock.for_appointment(appointment_id, t, start)


WEEKDAY_9_12 = hours({"mon": [iv("09:00", "12:00")], "tue": [iv("09:00", "12:00")]})


@pytest.mark.parametrize(
    ("interval", "step"),
    [(60, 60), (120, 60), (90, 30), (45, 15), (20, 20), (35, 5), (50, 10), (25, 5), (7, None), (1, None), (40, 20)],
)
def test_alignment_step_is_largest_divisor_from_the_list(interval, step):
    assert alignment_step(interval) == step


class TestDesignExample:
    """docs/design.md: after a 10:00 to 10:10 booking, 20-minute slots resume at 10:20 and hourly ones at 11:00."""

    blocks = [booked(T("short", 10), jan12(10, 0))]

    def test_twenty_minute_slots_resume_at_1020(self):
        assert starts(WEEKDAY_9_12, LONDON, MON, T("t20", 20), self.blocks) == [
            jan12(9, 0), jan12(9, 20), jan12(9, 40),
            jan12(10, 20), jan12(10, 40), jan12(11, 0), jan12(11, 20), jan12(11, 40),
        ]

    def test_hourly_slots_resume_at_1100(self):
        assert starts(WEEKDAY_9_12, LONDON, MON, T("t60", 60), self.blocks) == [jan12(9, 0), jan12(11, 0)]


class TestDurationsAndIntervals:
    def test_35_minutes_in_kolkata_step_from_the_open_time(self):
        av = hours({"tue": [iv("09:00", "12:00")]})
        # IST = UTC+05:30: 09:00, 09:35, 10:10, 10:45, 11:20 local
        assert starts(av, "Asia/Kolkata", date(2026, 3, 10), T("t35", 35)) == [
            U(2026, 3, 10, 3, 30), U(2026, 3, 10, 4, 5), U(2026, 3, 10, 4, 40), U(2026, 3, 10, 5, 15), U(2026, 3, 10, 5, 50),
        ]

    def test_50_minutes_does_not_divide_the_window(self):
        assert starts(WEEKDAY_9_12, LONDON, MON, T("t50", 50)) == [jan12(9, 0), jan12(9, 50), jan12(10, 40)]

    def test_interval_shorter_than_duration(self):
        got = starts(WEEKDAY_9_12, LONDON, MON, T("t50", 50, slot_interval_minutes=15))
        assert got == [jan12(9, 0), jan12(9, 15), jan12(9, 30), jan12(9, 45), jan12(10, 0), jan12(10, 15), jan12(10, 30), jan12(10, 45), jan12(11, 0)]

    def test_interval_longer_than_duration(self):
        assert starts(WEEKDAY_9_12, LONDON, MON, T("t30", 30, slot_interval_minutes=90)) == [jan12(9, 0), jan12(10, 30)]

    def test_appointment_may_end_exactly_at_closing(self):
        assert starts(WEEKDAY_9_12, LONDON, MON, T("t180", 180)) == [jan12(9, 0)]
        assert starts(WEEKDAY_9_12, LONDON, MON, T("t181", 181)) == []

    def test_first_start_rounds_up_to_the_top_of_the_local_hour_in_kolkata(self):
        av = hours({"tue": [iv("09:15", "13:00")]})
        # 10:00, 11:00, 12:00 IST
        assert starts(av, "Asia/Kolkata", date(2026, 3, 10), T()) == [U(2026, 3, 10, 4, 30), U(2026, 3, 10, 5, 30), U(2026, 3, 10, 6, 30)]

    def test_chatham_hourly_slots_fall_at_quarter_past_utc(self):
        av = hours({"mon": [iv("08:50", "12:00")]})
        # +12:45: 09:00, 10:00, 11:00 local on Monday 15 June are Sunday 20:15, 21:15, 22:15 UTC
        assert starts(av, "Pacific/Chatham", date(2026, 6, 15), T()) == [U(2026, 6, 14, 20, 15), U(2026, 6, 14, 21, 15), U(2026, 6, 14, 22, 15)]


class TestBuffers:
    def test_candidate_blocks_keep_clear_of_a_buffered_booking(self):
        other = T("other", 30, buffer_before_minutes=10, buffer_after_minutes=15)
        blocks = [booked(other, jan12(10, 0))]  # occupies 09:50-10:45
        t = T("t30", 30, buffer_before_minutes=10, buffer_after_minutes=15)
        # before the block: must end by 09:50 - 15 min; after: start at 10:45 + 10 min, rounded up to :00/:30
        assert starts(WEEKDAY_9_12, LONDON, MON, t, blocks) == [jan12(9, 0), jan12(11, 0), jan12(11, 30)]

    def test_buffers_may_fall_outside_open_hours(self):
        t = T("t60", 60, buffer_before_minutes=30, buffer_after_minutes=30)
        assert starts(WEEKDAY_9_12, LONDON, MON, t) == [jan12(9, 0), jan12(10, 0), jan12(11, 0)]

    def test_buffers_never_reach_a_booking_outside_open_hours(self):
        early = BookedBlock("x", "other", jan12(8, 0), jan12(8, 55), Range(jan12(8, 0), jan12(8, 55)))
        t = T("t60", 60, buffer_before_minutes=10)
        # 09:00 would need 08:50 free; the stretch starts at 08:55 + 10 min -> 09:05 -> 10:00
        assert starts(WEEKDAY_9_12, LONDON, MON, t, [early]) == [jan12(10, 0), jan12(11, 0)]


class TestDaylightSaving:
    def test_new_york_spring_forward_keeps_elapsed_spacing(self):
        av = hours({"sun": [iv("00:00", "06:00")]})
        # 00:00 EST, 01:00 EST, 03:00 EDT, 04:00 EDT, 05:00 EDT
        assert starts(av, NY, date(2026, 3, 8), T()) == [
            U(2026, 3, 8, 5, 0), U(2026, 3, 8, 6, 0), U(2026, 3, 8, 7, 0), U(2026, 3, 8, 8, 0), U(2026, 3, 8, 9, 0),
        ]

    def test_new_york_fall_back_offers_both_one_oclocks(self):
        av = hours({"sun": [iv("00:00", "04:00")]})
        # 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST, 03:00 EST
        assert starts(av, NY, date(2026, 11, 1), T()) == [
            U(2026, 11, 1, 4, 0), U(2026, 11, 1, 5, 0), U(2026, 11, 1, 6, 0), U(2026, 11, 1, 7, 0), U(2026, 11, 1, 8, 0),
        ]

    def test_new_york_nine_to_five_shifts_an_hour_in_utc(self):
        av = hours({"fri": [iv("09:00", "17:00")], "mon": [iv("09:00", "17:00")]})
        assert starts(av, NY, date(2026, 3, 6), T(duration=480)) == [U(2026, 3, 6, 14, 0)]
        assert starts(av, NY, date(2026, 3, 9), T(duration=480)) == [U(2026, 3, 9, 13, 0)]

    def test_london_spring_forward(self):
        av = hours({"sun": [iv("00:00", "04:00")]})
        # 00:00, 00:30 GMT then 02:00 .. 03:30 BST
        assert starts(av, LONDON, date(2026, 3, 29), T(duration=30)) == [
            U(2026, 3, 29, 0, 0), U(2026, 3, 29, 0, 30), U(2026, 3, 29, 1, 0), U(2026, 3, 29, 1, 30), U(2026, 3, 29, 2, 0), U(2026, 3, 29, 2, 30),
        ]

    def test_london_fall_back(self):
        av = hours({"sun": [iv("00:00", "03:00")]})
        # 00:00 BST, 01:00 BST, 01:00 GMT, 02:00 GMT; the first lies on Saturday in UTC
        assert starts(av, LONDON, date(2026, 10, 25), T()) == [U(2026, 10, 24, 23, 0), U(2026, 10, 25, 0, 0), U(2026, 10, 25, 1, 0), U(2026, 10, 25, 2, 0)]

    def test_lord_howe_half_hour_spring_forward(self):
        av = hours({"sun": [iv("00:00", "06:00")]})
        # 00:00, 01:00 LHST (+10:30); the clock jumps 02:00 -> 02:30, so 02:30, 03:30, 04:30 LHDT (+11)
        assert starts(av, "Australia/Lord_Howe", date(2026, 10, 4), T()) == [
            U(2026, 10, 3, 13, 30), U(2026, 10, 3, 14, 30), U(2026, 10, 3, 15, 30), U(2026, 10, 3, 16, 30), U(2026, 10, 3, 17, 30),
        ]

    def test_lord_howe_half_hour_fall_back(self):
        av = hours({"sun": [iv("00:00", "03:00")]})
        # 00:00 LHDT (+11) = 13:00Z; 03:00 LHST (+10:30) = 16:30Z: 3.5 h of hourly slots from 13:00Z
        assert starts(av, "Australia/Lord_Howe", date(2026, 4, 5), T()) == [U(2026, 4, 4, 13, 0), U(2026, 4, 4, 14, 0), U(2026, 4, 4, 15, 0)]

    def test_rounding_across_a_transition_uses_the_new_offset(self):
        av = hours({"sun": [iv("01:50", "06:00")]})
        # 01:50 LHST; 02:00 LHST never shows on the clock (it reads 02:30 LHDT), so the first top of the hour is 03:00 LHDT
        assert starts(av, "Australia/Lord_Howe", date(2026, 10, 4), T()) == [U(2026, 10, 3, 16, 0), U(2026, 10, 3, 17, 0), U(2026, 10, 3, 18, 0)]

    def test_chatham_spring_forward(self):
        av = hours({"sun": [iv("01:00", "06:00")]})
        # 01:00, 02:00 +12:45; 02:45 jumps to 03:45 +13:45, so next 04:00, 05:00 local
        assert starts(av, "Pacific/Chatham", date(2026, 9, 27), T()) == [
            U(2026, 9, 26, 12, 15), U(2026, 9, 26, 13, 15), U(2026, 9, 26, 14, 15), U(2026, 9, 26, 15, 15),
        ]


class TestMidnight:
    night = hours({"mon": [iv("22:00", "02:00")]})

    def test_hours_crossing_midnight_split_by_local_date(self):
        assert starts(self.night, LONDON, MON, T()) == [jan12(22, 0), jan12(23, 0)]
        assert starts(self.night, LONDON, date(2026, 1, 13), T()) == [U(2026, 1, 13, 0, 0), U(2026, 1, 13, 1, 0)]

    def test_grid_runs_through_midnight_without_restarting(self):
        t = T("t45", 45)
        assert starts(self.night, LONDON, MON, t) == [jan12(22, 0), jan12(22, 45), jan12(23, 30)]
        assert starts(self.night, LONDON, date(2026, 1, 13), t) == [U(2026, 1, 13, 0, 15), U(2026, 1, 13, 1, 0)]

    def test_booking_before_midnight_blocks_the_next_day(self):
        blocks = [booked(T("long", 150), jan12(23, 0))]  # until 01:30 Tuesday
        assert starts(self.night, LONDON, date(2026, 1, 13), T("t30", 30), blocks) == [U(2026, 1, 13, 1, 30)]


class TestOverrides:
    def test_closed_date(self):
        av = hours({"mon": [iv("09:00", "12:00")]}, [{"date": "2026-01-12", "intervals": []}])
        assert starts(av, LONDON, MON, T()) == []
        assert starts(av, LONDON, date(2026, 1, 19), T()) == [U(2026, 1, 19, 9), U(2026, 1, 19, 10), U(2026, 1, 19, 11)]

    def test_special_hours(self):
        av = hours({"mon": [iv("09:00", "12:00")]}, [{"date": "2026-01-12", "intervals": [iv("13:30", "16:00")]}])
        assert starts(av, LONDON, MON, T()) == [jan12(14, 0), jan12(15, 0)]


class TestDailyLimit:
    def test_limit_counts_this_types_appointments_on_the_local_day(self):
        t = T("t30", 30, daily_limit=2)
        one = [booked(t, jan12(9, 0), "a1")]
        assert jan12(11, 0) in starts(WEEKDAY_9_12, LONDON, MON, t, one)
        two = one + [booked(t, jan12(10, 0), "a2")]
        assert starts(WEEKDAY_9_12, LONDON, MON, t, two) == []

    def test_other_types_and_other_days_do_not_count(self):
        t = T("t30", 30, daily_limit=1)
        other = [booked(T("other", 30), jan12(9, 0))]
        assert starts(WEEKDAY_9_12, LONDON, MON, t, other)[:2] == [jan12(9, 30), jan12(10, 0)]
        yesterday = [booked(t, U(2026, 1, 11, 23, 0))]
        assert starts(WEEKDAY_9_12, LONDON, MON, t, yesterday)[0] == jan12(9, 0)


class TestCapacity:
    group = T("group", 60, capacity=3)

    def test_partly_booked_session_stays_offered_until_full(self):
        one = [booked(self.group, jan12(10, 0), "a1")]
        assert starts(WEEKDAY_9_12, LONDON, MON, self.group, one) == [jan12(9, 0), jan12(10, 0), jan12(11, 0)]
        two = one + [booked(self.group, jan12(10, 0), "a2")]
        assert starts(WEEKDAY_9_12, LONDON, MON, self.group, two) == [jan12(9, 0), jan12(10, 0), jan12(11, 0)]
        three = two + [booked(self.group, jan12(10, 0), "a3")]
        assert starts(WEEKDAY_9_12, LONDON, MON, self.group, three) == [jan12(9, 0), jan12(11, 0)]

    def test_session_blocks_other_starts_and_other_types(self):
        one = [booked(self.group, jan12(10, 0), "a1")]
        half_hourly = self.group.model_copy(update={"slot_interval_minutes": 30})
        assert starts(WEEKDAY_9_12, LONDON, MON, half_hourly, one) == [jan12(9, 0), jan12(10, 0), jan12(11, 0)]
        assert starts(WEEKDAY_9_12, LONDON, MON, T("solo", 30), one) == [jan12(9, 0), jan12(9, 30), jan12(11, 0), jan12(11, 30)]


class TestNoticeAndHorizon:
    day = [jan12(9, 0), jan12(10, 0), jan12(11, 0)]

    def test_notice_exactly_at_a_slot_start_keeps_it(self):
        now = jan12(7, 0)
        assert filter_bookable(self.day, T(min_notice_minutes=120), now) == self.day
        assert filter_bookable(self.day, T(min_notice_minutes=121), now) == [jan12(10, 0), jan12(11, 0)]

    def test_horizon_end_is_inclusive(self):
        now = U(2026, 1, 11, 10, 0)
        assert filter_bookable(self.day, T(horizon_days=1), now) == [jan12(9, 0), jan12(10, 0)]

    def test_past_starts_are_dropped(self):
        assert filter_bookable(self.day, T(), jan12(9, 30)) == [jan12(10, 0), jan12(11, 0)]

    def test_bookable_starts_applies_both_over_a_date_range(self):
        got = bookable_starts(WEEKDAY_9_12, LONDON, T(min_notice_minutes=60, horizon_days=1), MON, date(2026, 1, 13), [], jan12(9, 30))
        assert got == {MON: [jan12(11, 0)], date(2026, 1, 13): [U(2026, 1, 13, 9, 0)]}


class TestDayDocument:
    def test_reach_widens_open_hours_by_the_largest_buffers(self):
        av = hours({"mon": [iv("22:00", "02:00")]})
        types = [T("a", 30, buffer_before_minutes=15), T("b", 30, buffer_after_minutes=45)]
        assert day_reach(LONDON, MON, day_open(av, LONDON, MON), types) == Range(jan12(0, 0), U(2026, 1, 13, 2, 45))
        assert day_reach(LONDON, MON, [], types) == Range(jan12(0, 0), U(2026, 1, 13, 0, 0))

    def test_available_by_type_skips_inactive_types(self):
        types = [T("a", 60), T("b", 90, active=False)]
        assert available_by_type(LONDON, MON, day_open(WEEKDAY_9_12, LONDON, MON), types, []) == {"a": [jan12(9), jan12(10), jan12(11)]}

    def test_slots_for_dates_equals_day_by_day(self):
        av = hours({"mon": [iv("22:00", "02:00"), iv("09:00", "12:00")], "tue": [iv("08:00", "10:00")]})
        types = [T("a", 45, buffer_after_minutes=10), T("b", 30, slot_interval_minutes=20, capacity=2)]
        blocks = [booked(types[0], jan12(23, 30), "x"), booked(types[1], U(2026, 1, 13, 8, 20), "y")]
        got = slots_for_dates(av, LONDON, date(2026, 1, 11), date(2026, 1, 14), types, blocks)
        for d, by_type in got.items():
            assert by_type == available_by_type(LONDON, d, day_open(av, LONDON, d), types, blocks)
        # a: after the 23:30 booking (block to 00:25) 00:30 and 01:15 (ending at closing); 09:00 after b's 08:20-08:50
        assert got[date(2026, 1, 13)]["a"] == [U(2026, 1, 13, 0, 30), U(2026, 1, 13, 1, 15), U(2026, 1, 13, 9, 0)]
        # b: 20-minute grid from 00:40; its own half-full session at 08:20 stays offered
        assert got[date(2026, 1, 13)]["b"] == [
            U(2026, 1, 13, 0, 40), U(2026, 1, 13, 1, 0), U(2026, 1, 13, 1, 20), U(2026, 1, 13, 8, 20), U(2026, 1, 13, 9, 0), U(2026, 1, 13, 9, 20),
        ]
