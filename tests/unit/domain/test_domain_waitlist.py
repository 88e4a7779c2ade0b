"""Waitlist windows in the customer's zone across DST, any-provider entries,
who is next in line, and the seats a sheet write frees (issue 18)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from booking.domain.ledger import DaySheet
from booking.domain.models import AppointmentType, BookedBlock
from booking.domain.ranges import Range
from booking.domain.waitlist import (
    Entry,
    EntryStatus,
    Freed,
    InvalidEntry,
    Mode,
    Window,
    entry_from,
    freed_seats,
    in_line,
    parse_new_entry,
    still_free,
)

BERLIN = "Europe/Berlin"
# Berlin leaves summer time on Sunday 2026-10-25 (03:00 CEST -> 02:00 CET).
AFTER_17 = Window(date(2026, 10, 23), date(2026, 10, 27), BERLIN, frozenset({1, 2, 3, 4, 5, 7}), after=time(17))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def entry(entry_id: str, created_minute: int, *, provider: str | None = "dr-ada", mode: Mode = Mode.BOOK,
          window: Window = AFTER_17, status: EntryStatus = EntryStatus.WAITING) -> Entry:
    return Entry(entry_id, f"cust-{entry_id}", "consult", provider, window, mode, status,
                 created_at=utc(2026, 10, 1, 9, created_minute))


def test_after_17_means_17_on_the_customers_wall_clock_before_and_after_the_dst_change():
    # Friday in summer time: 17:00 CEST is 15:00 UTC
    assert AFTER_17.contains(utc(2026, 10, 23, 15, 0))
    assert not AFTER_17.contains(utc(2026, 10, 23, 14, 59))
    # Monday in winter time: 17:00 CET is 16:00 UTC, so 15:30 UTC (16:30 local) is too early
    assert not AFTER_17.contains(utc(2026, 10, 26, 15, 30))
    assert AFTER_17.contains(utc(2026, 10, 26, 16, 0))
    # Sunday, the change day itself, is in winter time by 17:00
    assert AFTER_17.contains(utc(2026, 10, 25, 16, 0))
    assert not AFTER_17.contains(utc(2026, 10, 25, 15, 0))


def test_weekdays_and_the_date_range_are_read_in_the_windows_zone():
    # Saturday 24 October is not among the weekdays
    assert not AFTER_17.contains(utc(2026, 10, 24, 16, 0))
    # 23:30 UTC on Tuesday 27 is 00:30 on Wednesday 28 in Berlin: past the last day
    assert not AFTER_17.contains(utc(2026, 10, 27, 23, 30))
    assert AFTER_17.contains(utc(2026, 10, 27, 22, 30))
    # 22:30 UTC on Thursday 22 is 00:30 on Friday 23 in Berlin: inside the dates
    whole_days = Window(date(2026, 10, 23), date(2026, 10, 27), BERLIN)
    assert whole_days.contains(utc(2026, 10, 22, 22, 30))
    assert not whole_days.contains(utc(2026, 10, 22, 21, 30))


def test_before_excludes_its_own_minute_and_spring_forward_keeps_wall_times():
    # New York springs forward on 2026-03-08: 09:00 EDT is 13:00 UTC, the day before 14:00 UTC
    mornings = Window(date(2026, 3, 7), date(2026, 3, 8), "America/New_York", before=time(9, 30))
    assert mornings.contains(utc(2026, 3, 7, 14, 0))
    assert mornings.contains(utc(2026, 3, 8, 13, 0))
    assert not mornings.contains(utc(2026, 3, 8, 13, 30))  # 09:30 EDT
    assert not mornings.contains(utc(2026, 3, 8, 14, 0))  # 10:00 EDT


def test_a_window_ends_at_the_local_midnight_after_its_last_day():
    assert AFTER_17.ends_at() == utc(2026, 10, 27, 23, 0)  # CET
    summer = Window(date(2026, 7, 1), date(2026, 7, 3), BERLIN)
    assert summer.ends_at() == utc(2026, 7, 3, 22, 0)  # CEST


def test_the_oldest_entry_is_first_and_any_provider_entries_stand_in_every_providers_line():
    start = utc(2026, 10, 23, 16, 0)
    young, old, anyone = entry("young", 30), entry("old", 10), entry("any", 20, provider=None)
    other = entry("other", 1, provider="dr-bob")
    line = in_line([young, old, anyone, other], "dr-ada", "consult", start)
    assert [e.id for e in line] == ["old", "any", "young"]
    assert [e.id for e in in_line([young, old, anyone, other], "dr-bob", "consult", start)] == ["other", "any"]


def test_only_waiting_entries_of_the_type_and_the_mode_asked_for_are_in_line():
    start = utc(2026, 10, 23, 16, 0)
    entries = [entry("a", 1, status=EntryStatus.OFFERED), entry("b", 2, mode=Mode.NOTIFY), entry("c", 3),
               entry("d", 4, status=EntryStatus.BOOKED)]
    assert [e.id for e in in_line(entries, "dr-ada", "consult", start, Mode.BOOK)] == ["c"]
    assert [e.id for e in in_line(entries, "dr-ada", "consult", start, Mode.NOTIFY)] == ["b"]
    assert in_line(entries, "dr-ada", "other-type", start) == []


def _sheet(available: list[datetime], blocks: list[tuple[str, datetime]], capacity: int = 1) -> DaySheet:
    spec = AppointmentType(id="yoga", name="ledger", duration_minutes=60, capacity=capacity)
    day = Range(utc(2026, 10, 23, 0), utc(2026, 10, 24, 0))
    return DaySheet("dr-ada", date(2026, 10, 23), "UTC", (day,), day, day.start, day.end, {"yoga": spec},
                    tuple(BookedBlock.for_appointment(i, spec, s) for i, s in blocks), {"yoga": available})


def test_a_cancel_in_a_full_single_seat_slot_frees_that_one_start():
    ten, eleven = utc(2026, 10, 23, 10), utc(2026, 10, 23, 11)
    before = _sheet([eleven], [("a", ten)])
    after = _sheet([ten, eleven], [])
    assert freed_seats(before, after) == [Freed("yoga", ten, 1)]


def test_group_sessions_count_each_freed_seat_even_when_the_start_stayed_offered():
    ten = utc(2026, 10, 23, 10)
    full = _sheet([], [("a", ten), ("b", ten), ("c", ten)], capacity=3)
    one_left = _sheet([ten], [("a", ten), ("b", ten)], capacity=3)
    two_left = _sheet([ten], [("a", ten)], capacity=3)
    assert freed_seats(full, one_left) == [Freed("yoga", ten, 1)]
    assert freed_seats(one_left, two_left) == [Freed("yoga", ten, 1)]
    assert freed_seats(full, two_left) == [Freed("yoga", ten, 2)]
    assert freed_seats(two_left, one_left) == []


def test_a_new_day_sheet_frees_every_start_it_offers():
    ten, eleven = utc(2026, 10, 23, 10), utc(2026, 10, 23, 11)
    assert freed_seats(None, _sheet([ten, eleven], [])) == [Freed("yoga", ten, 1), Freed("yoga", eleven, 1)]
    assert freed_seats(_sheet([ten], []), None) == []


NEW = {"customerId": "u1", "appointmentTypeId": "consult", "providerId": "dr-ada", "firstDay": "2026-10-23",
       "lastDay": "2026-10-27", "timeZone": BERLIN, "mode": "book", "weekdays": [1, 5], "after": "17:00"}


def test_a_new_entry_keeps_exactly_its_client_fields():
    assert parse_new_entry({**NEW, "status": "waiting"}) == NEW


@pytest.mark.parametrize(("change", "message"), [
    ({"lastDay": "2026-10-22"}, "lastDay must not be before firstDay"),
    ({"lastDay": "2027-01-23"}, "the window may span at most 92 days"),
    ({"timeZone": "Mars/Olympus"}, "timeZone must be an IANA time zone"),
    ({"weekdays": [0]}, "weekdays must be a list of ISO weekdays 1 (Monday) to 7"),
    ({"after": "5pm"}, "after must be a time of day HH:MM"),
    ({"before": "17:00"}, "before must be later than after"),
    ({"mode": "maybe"}, 'mode must be "book" or "notify"'),
    ({"providerId": "a/b"}, "providerId must be an id of"),
    ({"firstDay": "2026-02-30"}, "firstDay must be a date YYYY-MM-DD"),
    ({"appointmentId": "x"}, "unexpected field(s): appointmentId"),
])
def test_a_bad_new_entry_is_refused_naming_its_field(change, message):
    with pytest.raises(InvalidEntry) as refused:
        parse_new_entry({**NEW, **change})
    assert str(refused.value).startswith(message)


def test_a_stored_entry_reads_back_with_its_claim_and_a_broken_one_is_refused():
    stored = {**NEW, "status": "offered", "createdAt": utc(2026, 10, 1), "claims": 1,
              "claim": {"number": 1, "requestId": "wl-e1-1", "providerId": "dr-ada",
                        "start": utc(2026, 10, 23, 15), "at": utc(2026, 10, 20)}}
    read = entry_from("e1", stored)
    assert (read.status, read.claim.request_id, read.request_id(2)) == (EntryStatus.OFFERED, "wl-e1-1", "wl-e1-2")
    assert read.window == Window(date(2026, 10, 23), date(2026, 10, 27), BERLIN, frozenset({1, 5}), time(17))
    with pytest.raises(InvalidEntry):
        entry_from("e2", {**stored, "status": "lost"})


def test_only_seats_the_stored_sheet_still_has_are_handed_out():
    ten, eleven = utc(2026, 10, 23, 10), utc(2026, 10, 23, 11)
    freed = [Freed("yoga", ten, 2), Freed("yoga", eleven, 1)]
    now_one_left = _sheet([ten], [("x", ten), ("y", ten)], capacity=3)
    assert still_free(freed, now_one_left) == [Freed("yoga", ten, 1)]
    assert still_free(freed, None) == []
