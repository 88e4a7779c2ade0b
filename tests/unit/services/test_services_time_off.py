"""apply_time_off on the in-memory store: exactly the affected sheets are
written, the appointments time off meets are flagged (and unflagged), the
order of the events does not matter, and the daily recompute agrees.

The world is `fake_store.seeded()`: Dr. Ada in Berlin (UTC+1 in January),
open 09:00-17:00 every day, a 30-minute consultation with 10 minutes'
buffer before and 5 after on a 30-minute grid; now is Mon 5 Jan 2026 09:00.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from booking.domain.appointments import AppointmentStatus
from booking.domain.booking_requests import Reason
from booking.domain.ledger import TimeOffSpan
from booking.domain.models import Availability, Provider
from booking.domain.time_off import TimeOff
from booking.services.recompute import recompute_provider, sheet_days
from booking.services.time_off import apply_time_off
from booking.store import converters as conv
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, TYPE_ID, FakeStore, from_scratch, seeded, submit, utc

TUE = date(2026, 1, 13)
THU = date(2026, 1, 15)
BOB = "dr-bob"  # a second provider, in New York (UTC-5 in January)


def half_hours(first: datetime, count: int) -> list[datetime]:
    return [first + timedelta(minutes=30 * n) for n in range(count)]


# Berlin 09:00 .. 16:30 local: 08:00Z .. 15:30Z
A_FULL_DAY = half_hours(utc(2026, 1, 13, 8), 16)
# With a meeting 14:00-15:00 local (13:00Z-14:00Z): the last start before it
# is 13:00 local (ends 13:30, its 5-minute buffer 13:35); the first after it
# is 15:10 local (10 minutes' buffer) rounded up to 15:30.
AROUND_A_TUESDAY_MEETING = half_hours(utc(2026, 1, 13, 8), 9) + half_hours(utc(2026, 1, 13, 14, 30), 3)


def meeting(day: int = 13, *, id: str = "meet", hour: int = 13) -> TimeOff:
    """One hour from `hour`:00Z (an hour later in Berlin) on January `day`."""
    return TimeOff(id=id, provider_ids=[PROVIDER_ID], start=utc(2026, 1, day, hour),
                   end=utc(2026, 1, day, hour + 1), title="Staff meeting", created_by="staff-1")


def write(store: FakeStore, time_off: TimeOff) -> None:
    """A client or console write of the document (not yet applied)."""
    store.put(paths.TIME_OFF, time_off.id, conv.time_off_to(time_off))


def with_sheets(store: FakeStore) -> FakeStore:
    """Every sheet of the window exists, as after the provider was set up."""
    for provider_id in store.ids(paths.PROVIDERS):
        recompute_provider(store, provider_id, now=NOW)
    store.counts.clear()
    store.changes.clear()
    return store


def sheets_written(store: FakeStore) -> list[str]:
    return sorted({c.doc_id for c in store.changes if c.collection == paths.SLOTS})


def assert_every_sheet_is_as_computed_from_scratch(store: FakeStore, provider_id: str = PROVIDER_ID) -> None:
    stored = store.stored_sheets(provider_id)
    assert stored, "no sheets to compare"
    for sheet in stored.values():
        assert sheet == from_scratch(store, provider_id, sheet.day), sheet.id


def consults(store: FakeStore, day: date, provider_id: str = PROVIDER_ID) -> list[datetime]:
    return store.stored_sheet(provider_id, day).available[TYPE_ID]


def conflicts_of(store: FakeStore, appointment_id: str) -> list[str]:
    return store.stored_appointments()[appointment_id].time_off_conflicts


# --- exactly the affected sheets ---------------------------------------------------


def test_a_new_one_hour_meeting_writes_exactly_the_sheet_of_its_day():
    store = with_sheets(seeded())
    assert consults(store, TUE) == A_FULL_DAY
    write(store, meeting())
    store.changes.clear()

    report = apply_time_off(store, {"meet": (None, meeting())}, now=NOW)

    assert report.written == 1
    assert store.counts["writes"] == 1
    assert sheets_written(store) == ["dr-ada_2026-01-13"]
    assert consults(store, TUE) == AROUND_A_TUESDAY_MEETING
    assert store.stored_sheet(PROVIDER_ID, TUE).time_off == (
        TimeOffSpan(utc(2026, 1, 13, 13), utc(2026, 1, 13, 14), "meet"),)
    assert report.conflicts == {"meet": []}


def test_moving_a_meeting_from_tuesday_to_thursday_rewrites_exactly_those_two_sheets():
    store = with_sheets(seeded())
    write(store, meeting())
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)
    write(store, meeting(15))
    store.counts.clear()
    store.changes.clear()

    report = apply_time_off(store, {"meet": (meeting(), meeting(15))}, now=NOW)

    assert report.written == 2
    assert store.counts["writes"] == 2
    assert sheets_written(store) == ["dr-ada_2026-01-13", "dr-ada_2026-01-15"]
    assert consults(store, TUE) == A_FULL_DAY
    assert store.stored_sheet(PROVIDER_ID, TUE).time_off == ()
    assert consults(store, THU) == [s + timedelta(days=2) for s in AROUND_A_TUESDAY_MEETING]
    assert_every_sheet_is_as_computed_from_scratch(store)


def test_deleting_a_meeting_reopens_its_starts_writing_only_its_sheet():
    store = with_sheets(seeded())
    write(store, meeting())
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)
    store.delete(paths.TIME_OFF, "meet")
    store.counts.clear()
    store.changes.clear()

    report = apply_time_off(store, {"meet": (meeting(), None)}, now=NOW)

    assert report.written == 1
    assert sheets_written(store) == ["dr-ada_2026-01-13"]
    assert consults(store, TUE) == A_FULL_DAY
    assert store.stored_sheet(PROVIDER_ID, TUE).time_off == ()


def test_applying_the_same_change_again_writes_nothing():
    store = with_sheets(seeded())
    write(store, meeting())
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)
    before = store.snapshot()
    store.counts.clear()

    report = apply_time_off(store, {"meet": (None, meeting())}, now=NOW)

    assert report.written == 0
    assert store.counts["writes"] == 0 and store.counts["commits"] == 0
    assert store.snapshot() == before


def test_a_time_off_outside_the_sheets_window_writes_nothing():
    store = with_sheets(seeded())
    far = TimeOff(id="far", provider_ids=[PROVIDER_ID], start=utc(2026, 6, 1, 8), end=utc(2026, 6, 1, 9))
    write(store, far)
    store.changes.clear()

    report = apply_time_off(store, {"far": (None, far)}, now=NOW)

    assert report.written == 0
    assert sheets_written(store) == []


def with_bob(store: FakeStore) -> FakeStore:
    store.add_provider(Provider(id=BOB, name="Dr. Bob", time_zone="America/New_York", type_ids=[TYPE_ID]))
    store.set_availability(Availability.model_validate({
        "providerId": BOB, "weekly": {d: [{"start": "09:00", "end": "17:00"}]
                                      for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}))
    return store


def test_a_closure_for_all_providers_writes_each_providers_sheet_of_that_day_and_no_other():
    store = with_sheets(with_bob(seeded()))
    closure = TimeOff(id="holiday", all_providers=True, all_day=True, start_date=date(2026, 1, 20),
                      end_date=date(2026, 1, 20), title="Clinic closed")
    write(store, closure)
    store.changes.clear()

    report = apply_time_off(store, {"holiday": (None, closure)}, now=NOW)

    assert report.written == 2
    assert sheets_written(store) == ["dr-ada_2026-01-20", "dr-bob_2026-01-20"]
    # 20 January where each works: Berlin 19 Jan 23:00Z .., New York 20 Jan 05:00Z ..
    assert store.stored_sheet(PROVIDER_ID, date(2026, 1, 20)).time_off == (
        TimeOffSpan(utc(2026, 1, 19, 23), utc(2026, 1, 20, 23), "holiday"),)
    assert store.stored_sheet(BOB, date(2026, 1, 20)).time_off == (
        TimeOffSpan(utc(2026, 1, 20, 5), utc(2026, 1, 21, 5), "holiday"),)
    assert consults(store, date(2026, 1, 20)) == []
    assert consults(store, date(2026, 1, 20), BOB) == []
    assert_every_sheet_is_as_computed_from_scratch(store)
    assert_every_sheet_is_as_computed_from_scratch(store, BOB)


# --- conflicts: flagged, never cancelled -----------------------------------------------


def test_a_confirmed_appointment_the_meeting_overlaps_stays_confirmed_is_flagged_and_named():
    store = with_sheets(seeded())
    assert submit(store, "appt-1", utc(2026, 1, 13, 13, 30)).status == "confirmed"  # 14:30 local
    write(store, meeting())
    store.counts.clear()

    report = apply_time_off(store, {"meet": (None, meeting())}, now=NOW)

    assert report.conflicts == {"meet": ["appt-1"]}
    appointment = store.stored_appointments()["appt-1"]
    assert appointment.status is AppointmentStatus.CONFIRMED
    assert appointment.time_off_conflicts == ["meet"]
    assert report.written == 2  # the sheet and the flag
    assert store.stored_sheet(PROVIDER_ID, TUE).holds("appt-1")


def test_an_appointment_whose_buffer_alone_meets_the_meeting_is_flagged_too():
    store = with_sheets(seeded())
    # 15:00 local: its 10-minute before-buffer starts at 14:50, inside the meeting
    assert submit(store, "appt-1", utc(2026, 1, 13, 14)).status == "confirmed"
    write(store, meeting())

    report = apply_time_off(store, {"meet": (None, meeting())}, now=NOW)

    assert report.conflicts == {"meet": ["appt-1"]}
    assert conflicts_of(store, "appt-1") == ["meet"]


def test_an_appointment_next_to_the_meeting_with_buffers_clear_is_not_flagged():
    store = with_sheets(seeded())
    assert submit(store, "appt-1", utc(2026, 1, 13, 12)).status == "confirmed"  # 13:00 local, buffer to 13:35
    write(store, meeting())

    report = apply_time_off(store, {"meet": (None, meeting())}, now=NOW)

    assert report.conflicts == {"meet": []}
    assert conflicts_of(store, "appt-1") == []


def test_deleting_the_meeting_clears_the_flag():
    store = with_sheets(seeded())
    assert submit(store, "appt-1", utc(2026, 1, 13, 13, 30)).status == "confirmed"
    write(store, meeting())
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)
    store.delete(paths.TIME_OFF, "meet")

    report = apply_time_off(store, {"meet": (meeting(), None)}, now=NOW)

    assert report.conflicts == {"meet": []}
    assert conflicts_of(store, "appt-1") == []
    assert store.stored_appointments()["appt-1"].status is AppointmentStatus.CONFIRMED


def test_two_time_offs_over_one_appointment_list_both_ids_sorted():
    store = with_sheets(seeded())
    assert submit(store, "appt-1", utc(2026, 1, 13, 13, 30)).status == "confirmed"
    other = TimeOff(id="another", provider_ids=[PROVIDER_ID], start=utc(2026, 1, 13, 13, 45),
                    end=utc(2026, 1, 13, 15))
    write(store, meeting())
    write(store, other)

    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)
    apply_time_off(store, {"another": (None, other)}, now=NOW)

    assert conflicts_of(store, "appt-1") == ["another", "meet"]


# --- order of events --------------------------------------------------------------------


def test_applying_a_create_and_a_move_out_of_order_ends_in_the_same_sheets_as_in_order():
    in_order = with_sheets(seeded())
    write(in_order, meeting())
    apply_time_off(in_order, {"meet": (None, meeting())}, now=NOW)
    write(in_order, meeting(15))
    apply_time_off(in_order, {"meet": (meeting(), meeting(15))}, now=NOW)

    late = with_sheets(seeded())
    write(late, meeting())
    write(late, meeting(15))
    apply_time_off(late, {"meet": (meeting(), meeting(15))}, now=NOW)  # the later event first
    apply_time_off(late, {"meet": (None, meeting())}, now=NOW)

    assert late.stored_sheets() == in_order.stored_sheets()
    assert late.stored_sheet(PROVIDER_ID, TUE).time_off == ()
    assert consults(late, TUE) == A_FULL_DAY
    assert_every_sheet_is_as_computed_from_scratch(late)


def test_applying_a_create_after_its_delete_leaves_nothing_behind():
    store = with_sheets(seeded())
    write(store, meeting())
    store.delete(paths.TIME_OFF, "meet")
    apply_time_off(store, {"meet": (meeting(), None)}, now=NOW)  # the delete's event first
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)

    assert store.stored_sheet(PROVIDER_ID, TUE).time_off == ()
    assert consults(store, TUE) == A_FULL_DAY


# --- agreement with a recomputation from scratch ------------------------------------------


def test_after_several_changes_every_sheet_equals_one_computed_from_scratch():
    store = with_sheets(seeded())
    assert submit(store, "appt-1", utc(2026, 1, 13, 13, 30)).status == "confirmed"
    night = TimeOff(id="night", provider_ids=[PROVIDER_ID], start=utc(2026, 1, 16, 14),
                    end=utc(2026, 1, 19, 10))  # Fri 15:00 -> Mon 11:00 local, over a weekend
    days_off = TimeOff(id="leave", provider_ids=[PROVIDER_ID], all_day=True, start_date=date(2026, 1, 30),
                       end_date=date(2026, 2, 2))  # over a month end
    for time_off in (meeting(), night, days_off):
        write(store, time_off)
        apply_time_off(store, {time_off.id: (None, time_off)}, now=NOW)

    assert_every_sheet_is_as_computed_from_scratch(store)
    assert consults(store, date(2026, 1, 17)) == [] and consults(store, date(2026, 1, 31)) == []
    assert consults(store, date(2026, 1, 19)) == half_hours(utc(2026, 1, 19, 10, 30), 11)  # 11:30 .. 16:30


NIGHTS = {d: [{"start": "00:00", "end": "08:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
EVENINGS = {d: [{"start": "20:00", "end": "24:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def before_midnight_monday() -> TimeOff:
    """23:00-23:55 Monday in Berlin (22:00Z-22:55Z): it meets the 10-minute
    before-buffer of a Tuesday 00:00 consultation (23:50 Monday)."""
    return TimeOff(id="late", provider_ids=[PROVIDER_ID], start=utc(2026, 1, 12, 22), end=utc(2026, 1, 12, 22, 55))


def after_midnight_monday() -> TimeOff:
    """00:00-00:30 Tuesday in Berlin (23:00Z-23:30Z): it meets the 5-minute
    after-buffer of a Monday 23:30 consultation (to 00:05 Tuesday)."""
    return TimeOff(id="early", provider_ids=[PROVIDER_ID], start=utc(2026, 1, 12, 23), end=utc(2026, 1, 12, 23, 30))


def test_time_off_late_on_monday_takes_tuesdays_first_start_whose_before_buffer_it_meets():
    store = with_sheets(seeded(weekly=NIGHTS))
    write(store, before_midnight_monday())

    apply_time_off(store, {"late": (None, before_midnight_monday())}, now=NOW)

    # Tuesday 00:30 .. 07:30 local; 00:00 is gone
    assert consults(store, TUE) == half_hours(utc(2026, 1, 12, 23, 30), 15)
    assert store.stored_sheet(PROVIDER_ID, TUE).time_off == (
        TimeOffSpan(utc(2026, 1, 12, 22, 50), utc(2026, 1, 12, 22, 55), "late"),)
    assert_every_sheet_is_as_computed_from_scratch(store)


def test_time_off_early_on_tuesday_takes_mondays_last_start_whose_after_buffer_it_meets():
    store = with_sheets(seeded(weekly=EVENINGS))
    write(store, after_midnight_monday())

    apply_time_off(store, {"early": (None, after_midnight_monday())}, now=NOW)

    # Monday 20:00 .. 23:00 local; 23:30 is gone
    assert consults(store, date(2026, 1, 12)) == half_hours(utc(2026, 1, 12, 19), 7)
    assert_every_sheet_is_as_computed_from_scratch(store)


def test_a_booking_whose_before_buffer_meets_time_off_across_midnight_is_refused():
    store = with_sheets(seeded(weekly=NIGHTS))
    write(store, before_midnight_monday())
    apply_time_off(store, {"late": (None, before_midnight_monday())}, now=NOW)

    outcome = submit(store, "req-1", utc(2026, 1, 12, 23))  # Tuesday 00:00 local

    assert (outcome.status, outcome.reason) == ("rejected", Reason.OUTSIDE_AVAILABILITY)


def test_a_booking_whose_after_buffer_meets_time_off_across_midnight_is_refused():
    store = with_sheets(seeded(weekly=EVENINGS))
    write(store, after_midnight_monday())
    apply_time_off(store, {"early": (None, after_midnight_monday())}, now=NOW)

    outcome = submit(store, "req-1", utc(2026, 1, 12, 22, 30))  # Monday 23:30 local

    assert (outcome.status, outcome.reason) == ("rejected", Reason.OUTSIDE_AVAILABILITY)


def test_an_appointment_whose_before_buffer_meets_time_off_across_midnight_is_flagged():
    store = with_sheets(seeded(weekly=NIGHTS))
    assert submit(store, "appt-1", utc(2026, 1, 12, 23)).status == "confirmed"  # Tuesday 00:00 local
    write(store, before_midnight_monday())

    report = apply_time_off(store, {"late": (None, before_midnight_monday())}, now=NOW)

    assert report.conflicts == {"late": ["appt-1"]}
    assert conflicts_of(store, "appt-1") == ["late"]


# --- bookings meet time off -----------------------------------------------------------------


def test_a_booking_inside_applied_time_off_is_refused_outside_availability():
    store = with_sheets(seeded())
    write(store, meeting())
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)

    outcome = submit(store, "req-1", utc(2026, 1, 13, 13, 30))

    assert (outcome.status, outcome.reason) == ("rejected", Reason.OUTSIDE_AVAILABILITY)
    assert store.stored_appointments() == {}


def test_a_booking_whose_after_buffer_meets_applied_time_off_is_refused_outside_availability():
    store = with_sheets(seeded())
    write(store, meeting())
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)

    # 13:30 local ends 14:00; its 5-minute after-buffer runs into the meeting
    outcome = submit(store, "req-1", utc(2026, 1, 13, 12, 30))
    assert (outcome.status, outcome.reason) == ("rejected", Reason.OUTSIDE_AVAILABILITY)


def test_a_booking_that_builds_its_sheet_finds_time_off_written_but_not_yet_applied():
    store = seeded()  # no sheets yet
    write(store, meeting())

    outcome = submit(store, "req-1", utc(2026, 1, 13, 13, 30))

    assert (outcome.status, outcome.reason) == ("rejected", Reason.OUTSIDE_AVAILABILITY)


# --- the daily recompute ---------------------------------------------------------------------


def test_the_daily_recompute_restores_spans_and_flags_a_lost_application_missed():
    store = with_sheets(seeded())
    assert submit(store, "appt-1", utc(2026, 1, 13, 13, 30)).status == "confirmed"
    write(store, meeting())  # its trigger never ran

    recompute_provider(store, PROVIDER_ID, now=NOW)

    assert store.stored_sheet(PROVIDER_ID, TUE).time_off == (
        TimeOffSpan(utc(2026, 1, 13, 13), utc(2026, 1, 13, 14), "meet"),)
    assert conflicts_of(store, "appt-1") == ["meet"]
    assert_every_sheet_is_as_computed_from_scratch(store)


def test_the_daily_recompute_drops_spans_and_flags_of_deleted_time_off():
    store = with_sheets(seeded())
    assert submit(store, "appt-1", utc(2026, 1, 13, 13, 30)).status == "confirmed"
    write(store, meeting())
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)
    store.delete(paths.TIME_OFF, "meet")  # its trigger never ran

    recompute_provider(store, PROVIDER_ID, now=NOW)

    assert store.stored_sheet(PROVIDER_ID, TUE).time_off == ()
    # around appt-1 only (held 14:20-15:05 local, buffers included)
    assert consults(store, TUE) == half_hours(utc(2026, 1, 13, 8), 10) + half_hours(utc(2026, 1, 13, 14, 30), 3)
    assert conflicts_of(store, "appt-1") == []
    assert_every_sheet_is_as_computed_from_scratch(store)


def test_the_daily_recompute_after_an_application_writes_nothing():
    store = with_sheets(seeded())
    write(store, meeting())
    apply_time_off(store, {"meet": (None, meeting())}, now=NOW)
    store.counts.clear()

    report = recompute_provider(store, PROVIDER_ID, now=NOW)

    assert report.written == 0
    assert store.counts["writes"] == 0


def test_sheets_span_the_recompute_window():
    # a guard for the tests above: Tuesday and Thursday are inside it
    store = seeded()
    days = sheet_days(conv.provider_from(PROVIDER_ID, store.doc(paths.PROVIDERS, PROVIDER_ID)),
                      store.appointment_types(), NOW)
    assert days[0] == date(2026, 1, 4) and days[-1] == date(2026, 2, 5)
    assert TUE in days and THU in days
