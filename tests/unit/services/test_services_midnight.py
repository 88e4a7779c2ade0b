"""Open hours crossing midnight: a provider open 22:00-02:00 every night (UTC,
so the instants read as wall times). A 60-minute type on a 30-minute grid
with 15 minutes' buffer after: day D's sheet reaches from D-1 22:00 to
D+1 02:15, so blocks near midnight belong on two sheets."""

from __future__ import annotations

from datetime import date

from booking.domain.booking_requests import Reason
from booking.services.cancel import cancel
from booking.services.recompute import recompute_provider
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, TYPE_ID, consult, from_scratch, seeded, submit, utc

NIGHTS = {d: [{"start": "22:00", "end": "02:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
MON, TUE = date(2026, 1, 12), date(2026, 1, 13)
DAYS = [date(2026, 1, 11), MON, TUE, date(2026, 1, 14)]


def night_store(*, with_sheets: bool = True):
    store = seeded(tz="UTC", weekly=NIGHTS,
                   types=[consult(duration_minutes=60, slot_interval_minutes=30, buffer_before_minutes=0,
                                  buffer_after_minutes=15)])
    if with_sheets:
        recompute_provider(store, PROVIDER_ID, now=NOW)
    store.counts.clear()
    store.changes.clear()
    return store


def blocks(store, day):
    return [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, day).blocks]


def assert_ledger_consistent(store):
    for day in DAYS:
        assert store.stored_sheet(PROVIDER_ID, day) == from_scratch(store, PROVIDER_ID, day), day


def test_a_nights_sheet_reaches_from_the_previous_evening_into_the_next_morning():
    store = night_store()
    sheet = store.stored_sheet(PROVIDER_ID, TUE)
    assert [(r.start, r.end) for r in sheet.open] == [
        (utc(2026, 1, 12, 22), utc(2026, 1, 13, 2)), (utc(2026, 1, 13, 22), utc(2026, 1, 14, 2))]
    assert (sheet.reach.start, sheet.reach.end) == (utc(2026, 1, 12, 22), utc(2026, 1, 14, 2, 15))
    assert (sheet.prev_reach_end, sheet.next_reach_start) == (utc(2026, 1, 13, 2, 15), utc(2026, 1, 13, 22))
    # Tuesday's starts: the tail of Monday night's range, then Tuesday evening's
    assert sheet.available[TYPE_ID] == [
        utc(2026, 1, 13, 0, 0), utc(2026, 1, 13, 0, 30), utc(2026, 1, 13, 1, 0),
        utc(2026, 1, 13, 22, 0), utc(2026, 1, 13, 22, 30), utc(2026, 1, 13, 23, 0), utc(2026, 1, 13, 23, 30),
    ]


def test_a_booking_at_one_in_the_morning_lies_on_the_next_days_sheet_and_is_written_to_both():
    store = night_store()
    outcome = submit(store, "r-0100", utc(2026, 1, 13, 1))

    assert outcome.status == "confirmed"
    assert blocks(store, TUE) == ["r-0100"]
    assert blocks(store, MON) == ["r-0100"]  # inside Monday's reach (until Tuesday 02:15)
    assert blocks(store, date(2026, 1, 14)) == []
    # customer, provider, type, Tuesday's sheet, Monday's sheet, customer's ledger, cap setting;
    # two sheets, appointment, request, mail, customer's ledger
    assert store.counts == {"reads": 7, "writes": 6, "commits": 1}
    assert_ledger_consistent(store)


def test_a_booking_early_in_the_evening_touches_only_its_own_day():
    store = night_store()
    submit(store, "r-2200", utc(2026, 1, 12, 22))
    assert blocks(store, MON) == ["r-2200"]
    assert blocks(store, TUE) == ["r-2200"]  # Tuesday's reach starts Monday 22:00
    store2 = night_store()
    submit(store2, "r-0000", utc(2026, 1, 12, 0))  # Monday 00:00: the tail of Sunday night
    assert blocks(store2, MON) == ["r-0000"]
    assert blocks(store2, date(2026, 1, 11)) == ["r-0000"]
    assert blocks(store2, TUE) == []


def test_no_double_booking_across_midnight_evening_first():
    store = night_store()
    assert submit(store, "late", utc(2026, 1, 12, 23, 30)).status == "confirmed"  # 23:30-00:30 (+15)
    outcome = submit(store, "early", utc(2026, 1, 13, 0, 0), customer="cust-alan")
    assert (outcome.status, outcome.reason) == ("rejected", Reason.SLOT_TAKEN)
    # the stretch after the block (00:45) resumes at 01:00
    assert submit(store, "one", utc(2026, 1, 13, 1, 0), customer="cust-alan").status == "confirmed"
    assert blocks(store, MON) == ["late", "one"]
    assert blocks(store, TUE) == ["late", "one"]
    assert store.stored_sheet(PROVIDER_ID, TUE).available[TYPE_ID][:1] == [utc(2026, 1, 13, 22)]
    assert_ledger_consistent(store)


def test_no_double_booking_across_midnight_morning_first():
    store = night_store()
    assert submit(store, "early", utc(2026, 1, 13, 0, 0)).status == "confirmed"
    outcome = submit(store, "late", utc(2026, 1, 12, 23, 30), customer="cust-alan")
    assert (outcome.status, outcome.reason) == ("rejected", Reason.SLOT_TAKEN)
    assert_ledger_consistent(store)


def test_no_double_booking_across_midnight_when_neither_sheet_exists_yet():
    store = night_store(with_sheets=False)
    assert submit(store, "late", utc(2026, 1, 12, 23, 30)).status == "confirmed"
    assert sorted(store.ids(paths.SLOTS)) == ["dr-ada_2026-01-12", "dr-ada_2026-01-13"]
    outcome = submit(store, "early", utc(2026, 1, 13, 0, 0), customer="cust-alan")
    assert (outcome.status, outcome.reason) == ("rejected", Reason.SLOT_TAKEN)
    for day in (MON, TUE):
        assert store.stored_sheet(PROVIDER_ID, day) == from_scratch(store, PROVIDER_ID, day)


def test_a_race_across_midnight_has_one_winner():
    """Both requests read their own day's sheet before either commits: both
    commits write Tuesday's sheet, so the second conflicts and re-checks."""
    store = night_store()
    store.before_commit.append(lambda: submit(store, "early", utc(2026, 1, 13, 0, 0), customer="cust-alan"))
    outcome = submit(store, "late", utc(2026, 1, 12, 23, 30))
    assert (outcome.status, outcome.reason) == ("rejected", Reason.SLOT_TAKEN)
    assert store.doc(paths.APPOINTMENTS, "early")["status"] == "confirmed"
    assert_ledger_consistent(store)


def test_cancelling_a_booking_across_midnight_releases_it_from_both_sheets():
    store = night_store()
    submit(store, "late", utc(2026, 1, 12, 23, 30))
    cancel(store, "late", now=NOW, by="cust-grace")
    assert blocks(store, MON) == [] and blocks(store, TUE) == []
    assert_ledger_consistent(store)


def test_rescheduling_from_monday_night_to_tuesday_night_updates_three_sheets_once():
    store = night_store()
    submit(store, "late", utc(2026, 1, 12, 23, 30))
    store.counts.clear()
    outcome = submit(store, "moved", utc(2026, 1, 13, 23, 30), rescheduleOf="late")
    assert outcome.status == "confirmed"
    assert store.counts["commits"] == 1
    assert (blocks(store, MON), blocks(store, TUE), blocks(store, date(2026, 1, 14))) == ([], ["moved"], ["moved"])
    assert_ledger_consistent(store)


def test_a_buffer_widened_before_the_recompute_cannot_let_a_booking_overlap_across_midnight():
    # Berlin provider open 22:00-23:30 and 00:00-02:00; a 60-minute type without buffers.
    weekly = {d: [{"start": "00:00", "end": "02:00"}, {"start": "22:00", "end": "23:30"}]
              for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    hour = dict(duration_minutes=60, slot_interval_minutes=60, buffer_after_minutes=0, min_notice_minutes=0)
    store = seeded(weekly=weekly, types=[consult(buffer_before_minutes=0, **hour)])
    recompute_provider(store, PROVIDER_ID, now=NOW)
    assert submit(store, "a", utc(2026, 1, 12, 21)).status == "confirmed"  # Mon 22:00-23:00 Berlin
    # An admin adds a 90-minute before-buffer; the sheets still carry the old reach.
    store.add_type(consult(buffer_before_minutes=90, **hour))

    late = submit(store, "b", utc(2026, 1, 12, 23), customer="cust-alan")  # Tue 00:00, block from Mon 22:30

    assert (late.status, late.reason) == ("rejected", Reason.SLOT_TAKEN)
