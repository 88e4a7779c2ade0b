"""Wall-clock hours resolved to UTC: DST gaps and folds, overrides, midnight crossings."""

from datetime import UTC, date, datetime

import pytest
from booking.domain.models import Availability
from booking.domain.open_hours import open_intervals, open_ranges
from booking.domain.ranges import Range
from booking.domain.slots import day_open, local_day_window
from booking.domain.zones import day_start, local_date, resolve_local


def U(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hours(tz_free_weekly: dict, overrides: list | None = None) -> Availability:
    return Availability.model_validate({"providerId": "p1", "weekly": tz_free_weekly, "overrides": overrides or []})


class TestResolveLocal:
    @pytest.mark.parametrize(
        ("tz", "wall", "expected"),
        [
            # spring forward: nonexistent wall times move to the first instant after the gap
            ("America/New_York", datetime(2026, 3, 8, 2, 0), U(2026, 3, 8, 7, 0)),
            ("America/New_York", datetime(2026, 3, 8, 2, 30), U(2026, 3, 8, 7, 0)),
            ("America/New_York", datetime(2026, 3, 8, 3, 0), U(2026, 3, 8, 7, 0)),
            ("America/New_York", datetime(2026, 3, 8, 1, 59), U(2026, 3, 8, 6, 59)),
            ("Europe/London", datetime(2026, 3, 29, 1, 30), U(2026, 3, 29, 1, 0)),
            ("Australia/Lord_Howe", datetime(2026, 10, 4, 2, 15), U(2026, 10, 3, 15, 30)),
            ("Pacific/Chatham", datetime(2026, 9, 27, 3, 0), U(2026, 9, 26, 14, 0)),
            # fall back: ambiguous wall times mean the first occurrence
            ("America/New_York", datetime(2026, 11, 1, 1, 30), U(2026, 11, 1, 5, 30)),
            ("Europe/London", datetime(2026, 10, 25, 1, 30), U(2026, 10, 25, 0, 30)),
            ("Australia/Lord_Howe", datetime(2026, 4, 5, 1, 45), U(2026, 4, 4, 14, 45)),
            ("Pacific/Chatham", datetime(2026, 4, 5, 3, 0), U(2026, 4, 4, 13, 15)),
            # ordinary times, odd offsets
            ("Asia/Kolkata", datetime(2026, 3, 10, 9, 0), U(2026, 3, 10, 3, 30)),
            ("Pacific/Chatham", datetime(2026, 6, 15, 9, 0), U(2026, 6, 14, 20, 15)),
        ],
    )
    def test_wall_time_to_instant(self, tz, wall, expected):
        assert resolve_local(wall, tz) == expected

    def test_rejects_aware_input(self):
        with pytest.raises(ValueError):
            resolve_local(U(2026, 1, 1), "UTC")


class TestLocalDayWindow:
    def test_spring_forward_day_has_23_hours(self):
        assert local_day_window("America/New_York", date(2026, 3, 8)) == Range(U(2026, 3, 8, 5, 0), U(2026, 3, 9, 4, 0))

    def test_fall_back_day_has_25_hours(self):
        assert local_day_window("America/New_York", date(2026, 11, 1)) == Range(U(2026, 11, 1, 4, 0), U(2026, 11, 2, 5, 0))

    def test_london_both_transitions(self):
        assert local_day_window("Europe/London", date(2026, 3, 29)) == Range(U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0))
        assert local_day_window("Europe/London", date(2026, 10, 25)) == Range(U(2026, 10, 24, 23, 0), U(2026, 10, 26, 0, 0))

    def test_lord_howe_fall_back_day_has_24_and_a_half_hours(self):
        assert local_day_window("Australia/Lord_Howe", date(2026, 4, 5)) == Range(U(2026, 4, 4, 13, 0), U(2026, 4, 5, 13, 30))

    def test_missing_midnight_starts_the_day_after_the_gap(self):
        # Chile springs forward at 24:00 -> 01:00 (2026-09-06 local), so that date starts at 01:00 -03
        assert day_start("America/Santiago", date(2026, 9, 6)) == U(2026, 9, 6, 4, 0)
        assert local_date("America/Santiago", U(2026, 9, 6, 4, 0)) == date(2026, 9, 6)
        assert local_date("America/Santiago", U(2026, 9, 6, 3, 59)) == date(2026, 9, 5)


class TestOpenIntervals:
    def test_weekly_hours_in_new_york_on_spring_forward_sunday(self):
        av = hours({"sun": [{"start": "00:00", "end": "06:00"}]})
        # 00:00 EST to 06:00 EDT: five real hours
        assert open_intervals(av, "America/New_York", date(2026, 3, 8)) == [Range(U(2026, 3, 8, 5, 0), U(2026, 3, 8, 10, 0))]

    def test_interval_entirely_inside_the_gap_is_empty(self):
        av = hours({"sun": [{"start": "02:00", "end": "03:00"}, {"start": "09:00", "end": "10:00"}]})
        assert open_intervals(av, "America/New_York", date(2026, 3, 8)) == [Range(U(2026, 3, 8, 13, 0), U(2026, 3, 8, 14, 0))]

    def test_interval_starting_in_the_gap_starts_after_it(self):
        av = hours({"sun": [{"start": "02:30", "end": "04:00"}]})
        assert open_intervals(av, "America/New_York", date(2026, 3, 8)) == [Range(U(2026, 3, 8, 7, 0), U(2026, 3, 8, 8, 0))]

    def test_fall_back_interval_starts_at_first_occurrence(self):
        av = hours({"sun": [{"start": "01:30", "end": "02:00"}]})
        # 01:30 EDT (first) to 02:00 EST: 90 minutes
        assert open_intervals(av, "America/New_York", date(2026, 11, 1)) == [Range(U(2026, 11, 1, 5, 30), U(2026, 11, 1, 7, 0))]

    def test_hours_crossing_midnight_end_the_next_day_unclipped(self):
        av = hours({"mon": [{"start": "22:00", "end": "02:00"}]})
        assert open_intervals(av, "Europe/London", date(2026, 1, 12)) == [Range(U(2026, 1, 12, 22, 0), U(2026, 1, 13, 2, 0))]
        assert open_intervals(av, "Europe/London", date(2026, 1, 13)) == []

    def test_end_2400_is_next_midnight(self):
        av = hours({"mon": [{"start": "18:00", "end": "24:00"}]})
        assert open_intervals(av, "Asia/Kolkata", date(2026, 3, 9)) == [Range(U(2026, 3, 9, 12, 30), U(2026, 3, 9, 18, 30))]

    def test_closed_override_replaces_weekly_hours(self):
        av = hours({"mon": [{"start": "09:00", "end": "17:00"}]}, [{"date": "2026-01-12", "intervals": []}])
        assert open_intervals(av, "Europe/London", date(2026, 1, 12)) == []
        assert open_intervals(av, "Europe/London", date(2026, 1, 19)) == [Range(U(2026, 1, 19, 9, 0), U(2026, 1, 19, 17, 0))]

    def test_special_hours_override_on_a_closed_weekday(self):
        av = hours({}, [{"date": "2026-01-17", "intervals": [{"start": "10:00", "end": "13:00"}]}])
        assert open_intervals(av, "Europe/London", date(2026, 1, 17)) == [Range(U(2026, 1, 17, 10, 0), U(2026, 1, 17, 13, 0))]


def test_open_ranges_merge_a_night_shift_into_the_next_morning():
    av = hours({"mon": [{"start": "22:00", "end": "02:00"}], "tue": [{"start": "02:00", "end": "06:00"}]})
    assert open_ranges(av, "Europe/London", date(2026, 1, 12), date(2026, 1, 13)) == [
        Range(U(2026, 1, 12, 22, 0), U(2026, 1, 13, 6, 0))
    ]


def test_day_open_takes_yesterdays_late_hours_unclipped():
    av = hours({"mon": [{"start": "22:00", "end": "02:00"}], "tue": [{"start": "09:00", "end": "12:00"}]})
    assert day_open(av, "Europe/London", date(2026, 1, 13)) == [
        Range(U(2026, 1, 12, 22, 0), U(2026, 1, 13, 2, 0)),
        Range(U(2026, 1, 13, 9, 0), U(2026, 1, 13, 12, 0)),
    ]
    # Sunday's document does not see Monday night
    assert day_open(av, "Europe/London", date(2026, 1, 11)) == []
