"""A feed's busy time: recurrence, overrides, free and cancelled events,
all-day events in the provider's zone, times in any zone, exact instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from booking.domain.ranges import Range
from booking.services.feeds.errors import FeedError
from booking.services.feeds.parse import MAX_EVENTS, FeedEvent, busy_events

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"
TZ = "Europe/Berlin"
# From the start of Monday 30 November 2026 in Berlin to the end of January.
WINDOW = Range(datetime(2026, 11, 29, 23, 0, tzinfo=UTC), datetime(2027, 2, 1, 23, 0, tzinfo=UTC))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def busy(tz: str = TZ, window: Range = WINDOW) -> list[FeedEvent]:
    return busy_events((FIXTURES / "busy.ics").read_bytes(), tz=tz, window=window)


def meeting(day: int, month: int = 12, year: int = 2026) -> FeedEvent:
    return FeedEvent(f"weekly-standup@example.com|{year}{month:02}{day:02}T130000Z", "Team meeting",
                     span=Range(utc(year, month, day, 13), utc(year, month, day, 14, 30)))


def test_the_fixture_feed_becomes_exactly_these_busy_events():
    assert busy() == [
        meeting(1),
        FeedEvent("new-york@example.com", "Call with New York", span=Range(utc(2026, 12, 2, 14), utc(2026, 12, 2, 15))),
        FeedEvent("utc@example.com", "Quarterly planning " + "x" * 181,
                  span=Range(utc(2026, 12, 3, 12), utc(2026, 12, 3, 12, 45))),
        FeedEvent("floating@example.com", "Dentist", span=Range(utc(2026, 12, 4, 7), utc(2026, 12, 4, 8))),
        FeedEvent("weekly-standup@example.com|20261215T130000Z", "Team meeting (moved)",
                  span=Range(utc(2026, 12, 16, 9), utc(2026, 12, 16, 10, 30))),
        meeting(22),
        FeedEvent("holiday@example.com", "Christmas holiday", start_date=date(2026, 12, 24), end_date=date(2026, 12, 26)),
        meeting(29),
        meeting(5, 1, 2027),
    ]


def test_an_excluded_occurrence_does_not_block():
    assert all(e.span is None or e.span.start.date() != date(2026, 12, 8) for e in busy())


def test_a_moved_occurrence_keeps_the_key_of_the_slot_it_was_moved_from():
    moved = [e for e in busy() if e.title == "Team meeting (moved)"]
    assert [e.key for e in moved] == ["weekly-standup@example.com|20261215T130000Z"]
    assert not any(e.span is not None and e.span.start == utc(2026, 12, 15, 13) for e in busy())


def test_free_and_cancelled_events_do_not_block():
    keys = {e.key for e in busy()}
    assert "focus@example.com" not in keys
    assert "cancelled@example.com" not in keys


def test_a_floating_time_is_read_on_the_providers_wall_clock():
    dentist = [e for e in busy(tz="America/New_York") if e.key == "floating@example.com"]
    assert dentist[0].span == Range(utc(2026, 12, 4, 13), utc(2026, 12, 4, 14))


def test_an_all_day_event_stays_whole_local_days_whatever_the_zone():
    for tz in ("Europe/Berlin", "Pacific/Auckland", "America/Los_Angeles"):
        holiday = [e for e in busy(tz=tz) if e.key == "holiday@example.com"]
        assert holiday == [FeedEvent("holiday@example.com", "Christmas holiday",
                                     start_date=date(2026, 12, 24), end_date=date(2026, 12, 26))]


def test_only_events_overlapping_the_window_are_returned():
    window = Range(utc(2026, 12, 2, 14, 30), utc(2026, 12, 3, 12, 1))
    assert [e.key for e in busy(window=window)] == ["new-york@example.com", "utc@example.com"]


def test_an_event_touching_the_window_edge_is_outside_it():
    window = Range(utc(2026, 12, 2, 15), utc(2026, 12, 3, 12))
    assert busy(window=window) == []


def test_an_all_day_event_is_in_the_window_when_its_local_days_overlap_it():
    # 24 December in Auckland ends at 11:00 UTC that day.
    window = Range(utc(2026, 12, 26, 10, 59), utc(2026, 12, 26, 12))
    assert [e.key for e in busy(tz="Pacific/Auckland", window=window)] == ["holiday@example.com"]
    assert busy(tz="Pacific/Auckland", window=Range(utc(2026, 12, 26, 11), utc(2026, 12, 26, 12))) == []


@pytest.mark.parametrize("content", [
    (FIXTURES / "malformed.ics").read_bytes(),
    b"<html><body>Please sign in</body></html>",
    b"",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n",
])
def test_a_malformed_file_is_a_malformed_feed_error(content):
    with pytest.raises(FeedError) as raised:
        busy_events(content, tz=TZ, window=WINDOW)
    assert raised.value.code == "malformed"


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


def event(uid: str, *lines: str) -> str:
    return "BEGIN:VEVENT\r\n" + f"UID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"


def test_more_busy_events_than_the_limit_refuse_the_feed():
    every_half_hour = event("many", "DTSTART:20261201T000000Z", "DTEND:20261201T001500Z",
                            f"RRULE:FREQ=MINUTELY;INTERVAL=30;COUNT={MAX_EVENTS + 1}")
    with pytest.raises(FeedError) as raised:
        busy_events(calendar(every_half_hour), tz=TZ, window=WINDOW)
    assert raised.value.code == "too_many_events"


def test_exactly_the_limit_of_busy_events_is_accepted():
    every_half_hour = event("many", "DTSTART:20261201T000000Z", "DTEND:20261201T001500Z",
                            f"RRULE:FREQ=MINUTELY;INTERVAL=30;COUNT={MAX_EVENTS}")
    assert len(busy_events(calendar(every_half_hour), tz=TZ, window=WINDOW)) == MAX_EVENTS


def test_a_weekly_rule_in_the_providers_zone_keeps_its_wall_time_across_dst():
    # Berlin leaves summer time on 25 October 2026: 14:00 is 12:00 UTC before, 13:00 UTC after.
    weekly = event("dst", "DTSTART;TZID=Europe/Berlin:20261020T140000",
                   "DTEND;TZID=Europe/Berlin:20261020T150000", "RRULE:FREQ=WEEKLY;COUNT=2")
    window = Range(utc(2026, 10, 19), utc(2026, 11, 1))
    assert [e.span for e in busy_events(calendar(weekly), tz=TZ, window=window)] == [
        Range(utc(2026, 10, 20, 12), utc(2026, 10, 20, 13)),
        Range(utc(2026, 10, 27, 13), utc(2026, 10, 27, 14)),
    ]


def test_an_event_without_an_end_or_of_zero_length_blocks_nothing():
    instant = event("point", "DTSTART:20261202T100000Z")
    assert busy_events(calendar(instant), tz=TZ, window=WINDOW) == []


def test_an_all_day_event_without_an_end_is_its_one_day():
    day = event("day", "DTSTART;VALUE=DATE:20261207", "SUMMARY:Training")
    assert busy_events(calendar(day), tz=TZ, window=WINDOW) == [
        FeedEvent("day", "Training", start_date=date(2026, 12, 7), end_date=date(2026, 12, 7))
    ]


def test_a_span_longer_than_a_time_off_may_last_is_cut_to_the_window():
    sabbatical = event("away", "DTSTART:20250101T000000Z", "DTEND:20280101T000000Z", "SUMMARY:Sabbatical")
    assert busy_events(calendar(sabbatical), tz=TZ, window=WINDOW) == [
        FeedEvent("away", "Sabbatical", span=WINDOW)
    ]


def test_a_rule_repeating_every_second_is_refused_without_expanding_the_whole_horizon():
    every_second = event("flood", "DTSTART:20261201T000000Z", "DTEND:20261201T000001Z", "RRULE:FREQ=SECONDLY")
    with pytest.raises(FeedError) as raised:
        busy_events(calendar(every_second), tz=TZ, window=WINDOW)
    assert raised.value.code == "too_many_events"
