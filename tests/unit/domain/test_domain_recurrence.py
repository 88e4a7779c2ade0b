"""Occurrences of a series: the same local wall-clock time in the provider's
zone, across DST changes, with the slots' gap and overlap policy."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from booking.domain.recurrence import (
    Frequency,
    InvalidRecurrence,
    OnConflict,
    Recurrence,
    occurrence_dates,
    occurrence_id,
    occurrences,
    parse_recurrence,
)

NEW_YORK = "America/New_York"
LONDON = "Europe/London"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def weekly(count: int) -> Recurrence:
    return Recurrence(Frequency.WEEKLY, count)


def test_a_weekly_series_across_new_yorks_spring_change_stays_at_15_00_local_so_an_hour_earlier_in_utc():
    # Tuesday 3 March 2026 15:00 EST (UTC-5); clocks go forward on Sunday 8 March.
    assert occurrences(utc(2026, 3, 3, 20), NEW_YORK, weekly(3)) == [
        utc(2026, 3, 3, 20), utc(2026, 3, 10, 19), utc(2026, 3, 17, 19)]


def test_a_weekly_series_across_new_yorks_autumn_change_stays_at_15_00_local_so_an_hour_later_in_utc():
    # Tuesday 27 October 2026 15:00 EDT (UTC-4); clocks go back on Sunday 1 November.
    assert occurrences(utc(2026, 10, 27, 19), NEW_YORK, weekly(2)) == [utc(2026, 10, 27, 19), utc(2026, 11, 3, 20)]


def test_a_weekly_series_across_londons_changes_stays_at_15_00_local():
    # Thursday 26 March 2026 15:00 GMT; BST from Sunday 29 March.
    assert occurrences(utc(2026, 3, 26, 15), LONDON, weekly(2)) == [utc(2026, 3, 26, 15), utc(2026, 4, 2, 14)]
    # Thursday 22 October 2026 15:00 BST; GMT again from Sunday 25 October.
    assert occurrences(utc(2026, 10, 22, 14), LONDON, weekly(2)) == [utc(2026, 10, 22, 14), utc(2026, 10, 29, 15)]


def test_an_occurrence_in_the_spring_gap_moves_to_the_transition_like_a_slot():
    # Sundays 02:30 New York: on 8 March 2026 02:30 does not exist; 03:00 EDT is 07:00Z.
    assert occurrences(utc(2026, 3, 1, 7, 30), NEW_YORK, weekly(3)) == [
        utc(2026, 3, 1, 7, 30), utc(2026, 3, 8, 7), utc(2026, 3, 15, 6, 30)]


def test_an_occurrence_in_the_autumn_overlap_takes_the_first_of_the_two_times():
    # Sundays 01:30 New York: on 1 November 2026 01:30 happens twice; the first is EDT (05:30Z).
    assert occurrences(utc(2026, 10, 25, 5, 30), NEW_YORK, weekly(3)) == [
        utc(2026, 10, 25, 5, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 8, 6, 30)]


def test_every_two_weeks_skips_a_week():
    assert occurrence_dates(date(2026, 1, 13), Frequency.EVERY_2_WEEKS, 3) == [
        date(2026, 1, 13), date(2026, 1, 27), date(2026, 2, 10)]


def test_monthly_same_weekday_keeps_the_weekday_and_its_rank_across_the_year_end():
    # the second Tuesday of each month
    assert occurrence_dates(date(2026, 11, 10), Frequency.MONTHLY_SAME_WEEKDAY, 4) == [
        date(2026, 11, 10), date(2026, 12, 8), date(2027, 1, 12), date(2027, 2, 9)]


def test_monthly_from_a_fifth_weekday_continues_on_the_last_such_weekday():
    # 31 March 2026 is the fifth Tuesday; April and May have four, June five.
    assert occurrence_dates(date(2026, 3, 31), Frequency.MONTHLY_SAME_WEEKDAY, 4) == [
        date(2026, 3, 31), date(2026, 4, 28), date(2026, 5, 26), date(2026, 6, 30)]


def test_monthly_occurrences_keep_the_local_time_across_a_dst_change():
    # second Tuesday, 15:00 New York: 10 February (EST) and 10 March (EDT)
    assert occurrences(utc(2026, 2, 10, 20), NEW_YORK, Recurrence(Frequency.MONTHLY_SAME_WEEKDAY, 2)) == [
        utc(2026, 2, 10, 20), utc(2026, 3, 10, 19)]


def test_occurrence_ids_derive_from_the_request_id_and_the_index():
    assert [occurrence_id("req-1", i) for i in (1, 10)] == ["req-1-01", "req-1-10"]


def test_a_recurrence_parses_with_reject_as_the_default_on_conflict():
    assert parse_recurrence({"frequency": "weekly", "count": 10}) == Recurrence(Frequency.WEEKLY, 10)
    assert parse_recurrence({"frequency": "every_2_weeks", "count": 2}, "skip") == Recurrence(
        Frequency.EVERY_2_WEEKS, 2, OnConflict.SKIP)


@pytest.mark.parametrize(("value", "on_conflict", "message"), [
    ("weekly", None, "recurrence must be a map of frequency and count"),
    ({"frequency": "daily", "count": 3}, None,
     "recurrence.frequency must be one of weekly, every_2_weeks, monthly_same_weekday"),
    ({"frequency": "weekly", "count": 1}, None, "recurrence.count must be a whole number from 2 to 26"),
    ({"frequency": "weekly", "count": 27}, None, "recurrence.count must be a whole number from 2 to 26"),
    ({"frequency": "weekly", "count": True}, None, "recurrence.count must be a whole number from 2 to 26"),
    ({"frequency": "weekly", "count": 3, "until": "x"}, None, "recurrence has unexpected field(s): until"),
    ({"frequency": "weekly", "count": 3}, "maybe", "onConflict must be one of reject, skip"),
])
def test_a_bad_recurrence_is_refused_naming_the_field(value, on_conflict, message):
    with pytest.raises(InvalidRecurrence) as refused:
        parse_recurrence(value, on_conflict)
    assert str(refused.value) == message
