"""Search results grouped by the booker's calendar date, ISO 8601 with offsets."""

from datetime import UTC, date, datetime, timedelta

from booking.domain.models import AppointmentType, Availability
from booking.domain.search import group_by_local_date, iso
from booking.domain.slots import day_open, day_starts

SYDNEY = "Australia/Sydney"


def test_provider_day_in_sydney_falls_on_two_dates_for_a_new_york_booker():
    av = Availability.model_validate({"providerId": "syd", "weekly": {"mon": [{"start": "09:00", "end": "17:00"}]}})
    t = AppointmentType(id="t", name="Hour", duration_minutes=60)
    d = date(2026, 6, 15)
    starts = day_starts(SYDNEY, d, day_open(av, SYDNEY, d), t, [])
    # 09:00 .. 16:00 AEST (+10) is Sunday 23:00 UTC .. Monday 06:00 UTC
    assert starts[0] == datetime(2026, 6, 14, 23, 0, tzinfo=UTC) and starts[-1] == datetime(2026, 6, 15, 6, 0, tzinfo=UTC)

    grouped = group_by_local_date([(s, s + timedelta(hours=1), "syd") for s in starts], "America/New_York")
    assert list(grouped) == ["2026-06-14", "2026-06-15"]
    assert [slot["start"] for slot in grouped["2026-06-14"]] == [
        "2026-06-14T19:00:00-04:00", "2026-06-14T20:00:00-04:00", "2026-06-14T21:00:00-04:00",
        "2026-06-14T22:00:00-04:00", "2026-06-14T23:00:00-04:00",
    ]
    assert grouped["2026-06-15"] == [
        {"start": "2026-06-15T00:00:00-04:00", "end": "2026-06-15T01:00:00-04:00", "providerId": "syd"},
        {"start": "2026-06-15T01:00:00-04:00", "end": "2026-06-15T02:00:00-04:00", "providerId": "syd"},
        {"start": "2026-06-15T02:00:00-04:00", "end": "2026-06-15T03:00:00-04:00", "providerId": "syd"},
    ]


def test_groups_sort_by_start_then_provider():
    a = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    items = [(a + timedelta(hours=1), a + timedelta(hours=2), "p1"), (a, a + timedelta(hours=1), "p2"), (a, a + timedelta(hours=1), "p1")]
    grouped = group_by_local_date(items, "Asia/Kolkata")
    assert [(s["start"], s["providerId"]) for s in grouped["2026-01-12"]] == [
        ("2026-01-12T14:30:00+05:30", "p1"), ("2026-01-12T14:30:00+05:30", "p2"), ("2026-01-12T15:30:00+05:30", "p1"),
    ]


def test_iso_uses_the_offset_in_force_at_each_instant():
    assert iso(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "Europe/London") == "2026-03-29T00:30:00+00:00"
    assert iso(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "Europe/London") == "2026-03-29T02:30:00+01:00"
    assert iso(datetime(2026, 6, 14, 20, 15, tzinfo=UTC), "Pacific/Chatham") == "2026-06-15T09:00:00+12:45"


def test_empty_search_is_an_empty_mapping():
    assert group_by_local_date([], "UTC") == {}
