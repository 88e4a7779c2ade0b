"""The "any provider" view's pure rules (domain/type_slots.py): which UTC
dates a provider's local day feeds, what a sheet contributes, and that an
entry is only replaced by a newer reading of its sheet."""

from __future__ import annotations

from datetime import UTC, date, datetime

from booking.domain.ledger import DaySheet
from booking.domain.models import AppointmentType
from booking.domain.ranges import Range
from booking.domain.type_slots import ViewEntry, entries_of, keys_of, merged, starts_between, utc_dates_between

SYDNEY = "Australia/Sydney"
V1, V2 = datetime(2030, 1, 1, 0, 0, 1, tzinfo=UTC), datetime(2030, 1, 1, 0, 0, 2, tzinfo=UTC)


def utc(d: int, h: int, m: int = 0) -> datetime:
    return datetime(2026, 1, d, h, m, tzinfo=UTC)


def sheet(tz: str, day: date, available: dict[str, list[datetime]], types: tuple[str, ...] = ("consult",)) -> DaySheet:
    return DaySheet(
        provider_id="dr-ada", day=day, time_zone=tz, open=(), reach=Range(utc(1, 0), utc(28, 0)),
        prev_reach_end=utc(1, 0), next_reach_start=utc(28, 0),
        types={t: AppointmentType(id=t, name="ledger", duration_minutes=30) for t in types},
        available=available,
    )


def test_a_london_winter_day_is_one_utc_date_and_a_sydney_summer_day_is_two():
    assert keys_of("Europe/London", date(2026, 1, 12), ["consult"]) == {("consult", date(2026, 1, 12))}
    # Monday 12 January in Sydney (UTC+11) runs from Sunday 13:00 UTC to Monday 13:00 UTC.
    assert keys_of(SYDNEY, date(2026, 1, 12), ["consult"]) == {("consult", date(2026, 1, 11)),
                                                              ("consult", date(2026, 1, 12))}


def test_a_sydney_mornings_and_afternoons_starts_land_on_their_own_utc_dates():
    morning, afternoon = utc(11, 22), utc(12, 6)  # 09:00 and 17:00 on Monday in Sydney
    entries = entries_of(sheet(SYDNEY, date(2026, 1, 12), {"consult": [afternoon, morning]}), V1)
    assert entries == {
        ("consult", date(2026, 1, 11)): ViewEntry("dr-ada", V1, (morning,)),
        ("consult", date(2026, 1, 12)): ViewEntry("dr-ada", V1, (afternoon,)),
    }


def test_a_type_offered_without_free_starts_has_an_empty_entry_so_old_starts_are_taken_out():
    entries = entries_of(sheet("UTC", date(2026, 1, 12), {}, types=("consult", "group")), V1)
    assert entries == {("consult", date(2026, 1, 12)): ViewEntry("dr-ada", V1, ()),
                       ("group", date(2026, 1, 12)): ViewEntry("dr-ada", V1, ())}


def test_an_entry_is_replaced_only_by_a_newer_reading_of_its_sheet():
    old, new = ViewEntry("dr-ada", V1, (utc(12, 9),)), ViewEntry("dr-ada", V2, (utc(12, 10),))
    assert merged({}, "dr-ada_2026-01-12", old) == old
    assert merged({"dr-ada_2026-01-12": old}, "dr-ada_2026-01-12", new) == new
    assert merged({"dr-ada_2026-01-12": new}, "dr-ada_2026-01-12", old) is False
    assert merged({"dr-ada_2026-01-12": new}, "dr-ada_2026-01-12", new) is False


def test_a_newer_reading_with_the_same_starts_is_still_written_so_the_version_moves_on():
    old, same = ViewEntry("dr-ada", V1, (utc(12, 9),)), ViewEntry("dr-ada", V2, (utc(12, 9),))
    assert merged({"dr-ada_2026-01-12": old}, "dr-ada_2026-01-12", same) == same


def test_a_gone_sheet_removes_its_entry_and_nothing_when_there_is_none():
    old = ViewEntry("dr-ada", V1, (utc(12, 9),))
    assert merged({"dr-ada_2026-01-12": old}, "dr-ada_2026-01-12", None) is None
    assert merged({}, "dr-ada_2026-01-12", None) is False


def test_starts_come_from_every_entry_inside_the_window_earliest_first_then_by_provider():
    view = {
        "bob_2026-01-12": ViewEntry("bob", V1, (utc(12, 9), utc(12, 17))),
        "ada_2026-01-12": ViewEntry("ada", V1, (utc(12, 9), utc(12, 8))),
    }
    assert starts_between([view], utc(12, 8, 30), utc(12, 17)) == [(utc(12, 9), "ada"), (utc(12, 9), "bob")]


def test_the_utc_dates_of_a_window_end_before_its_end_instant():
    assert utc_dates_between(utc(12, 23), utc(14, 0)) == [date(2026, 1, 12), date(2026, 1, 13)]
