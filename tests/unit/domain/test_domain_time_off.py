"""Time off in the domain, with literal instants worked out by hand (never by
the code under test): its span in each zone, the sheets it lands on, and the
starts it takes away, buffers included."""

from datetime import UTC, date, datetime, timedelta

import pytest
from booking.domain.booking_check import Accepted, Rejected, check_booking
from booking.domain.booking_requests import Reason
from booking.domain.ledger import TimeOffSpan, build_sheets, days_under
from booking.domain.models import AppointmentType, Availability, BookedBlock, Provider
from booking.domain.ranges import Range
from booking.domain.slots import day_open, day_starts
from booking.domain.time_off import TimeOff, span_for
from pydantic import ValidationError

BERLIN = "Europe/Berlin"  # UTC+1 in winter
LONDON = "Europe/London"  # UTC+0 in winter: local wall times equal UTC
NY = "America/New_York"
LA = "America/Los_Angeles"
LORD_HOWE = "Australia/Lord_Howe"  # +10:30, and +11 in (southern) summer
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def U(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def T(id: str = "t", duration: int = 60, **kw) -> AppointmentType:
    return AppointmentType(id=id, name=id.upper(), duration_minutes=duration, **kw)


def every_day(start: str, end: str) -> Availability:
    return Availability.model_validate(
        {"providerId": "p1", "weekly": {d: [{"start": start, "end": end}] for d in DAYS}}
    )


def provider(tz: str, types: list[AppointmentType], id: str = "p1") -> Provider:
    return Provider(id=id, name="P", time_zone=tz, type_ids=[t.id for t in types])


def sheets(tz, hours, types, days, time_off=(), blocks=(), id="p1"):
    return build_sheets(provider(tz, types, id), hours, types, days, blocks, time_off)


def starts(tz, hours, t, d, time_off=(), blocks=()):
    return day_starts(tz, d, day_open(hours, tz, d), t, blocks, time_off)


def hourly(first: datetime, count: int) -> list[datetime]:
    return [first + timedelta(hours=n) for n in range(count)]


def every(first: datetime, minutes: int, count: int) -> list[datetime]:
    return [first + timedelta(minutes=minutes * n) for n in range(count)]


def instant(id: str, start: datetime, end: datetime, providers=("p1",)) -> TimeOff:
    return TimeOff(id=id, provider_ids=list(providers), start=start, end=end)


def whole_days(id: str, first: date, last: date, **kw) -> TimeOff:
    if "provider_ids" not in kw and "all_providers" not in kw:
        kw["provider_ids"] = ["p1"]
    return TimeOff(id=id, all_day=True, start_date=first, end_date=last, **kw)


# --- crossing midnight --------------------------------------------------------

MON, TUE = date(2026, 1, 12), date(2026, 1, 13)


def test_an_evening_to_morning_time_off_takes_the_evening_of_one_day_and_the_morning_of_the_next():
    # Berlin 06:00-23:00 daily; away Mon 21:00 -> Tue 08:00 local (20:00Z -> 07:00Z)
    away = instant("night", U(2026, 1, 12, 20), U(2026, 1, 13, 7))
    t = T()
    got = sheets(BERLIN, every_day("06:00", "23:00"), [t], [MON, TUE], [("night", away.span_in(BERLIN))])

    # Mon: 06:00 .. 20:00 local (the 20:00 start ends as the time off begins)
    assert got[MON].available == {"t": hourly(U(2026, 1, 12, 5), 15)}
    # Tue: 08:00 .. 22:00 local (the first start is where the time off ends)
    assert got[TUE].available == {"t": hourly(U(2026, 1, 13, 7), 15)}
    # each sheet holds its own part, cut at local midnight (23:00Z)
    assert got[MON].time_off == (TimeOffSpan(U(2026, 1, 12, 20), U(2026, 1, 12, 23), "night"),)
    assert got[TUE].time_off == (TimeOffSpan(U(2026, 1, 12, 23), U(2026, 1, 13, 7), "night"),)
    assert days_under(BERLIN, away.span_in(BERLIN)) == [MON, TUE]


def test_time_off_crossing_midnight_leaves_the_days_around_it_untouched():
    away = instant("night", U(2026, 1, 12, 20), U(2026, 1, 13, 7))
    sun, wed = date(2026, 1, 11), date(2026, 1, 14)
    got = sheets(BERLIN, every_day("06:00", "23:00"), [T()], [sun, wed], [("night", away.span_in(BERLIN))])
    assert got[sun].time_off == () and got[wed].time_off == ()
    assert got[sun].available == {"t": hourly(U(2026, 1, 11, 5), 17)}
    assert got[wed].available == {"t": hourly(U(2026, 1, 14, 5), 17)}


# --- DST: New York --------------------------------------------------------------

SPRING_NY = date(2026, 3, 8)  # 02:00 EST -> 03:00 EDT
FALL_NY = date(2026, 11, 1)  # 02:00 EDT -> 01:00 EST


def test_a_whole_day_off_on_the_spring_forward_date_in_new_york_spans_23_hours():
    span = whole_days("off", SPRING_NY, SPRING_NY).span_in(NY)
    assert span == Range(U(2026, 3, 8, 5), U(2026, 3, 9, 4))  # 00:00 EST .. 00:00 EDT
    assert span.duration == timedelta(hours=23)


def test_a_whole_day_off_on_the_fall_back_date_in_new_york_spans_25_hours():
    span = whole_days("off", FALL_NY, FALL_NY).span_in(NY)
    assert span == Range(U(2026, 11, 1, 4), U(2026, 11, 2, 5))  # 00:00 EDT .. 00:00 EST
    assert span.duration == timedelta(hours=25)


def test_a_whole_day_off_on_the_fall_back_date_empties_that_sheet_and_no_neighbour():
    off = whole_days("off", FALL_NY, FALL_NY)
    oct31, nov2 = date(2026, 10, 31), date(2026, 11, 2)
    got = sheets(NY, every_day("09:00", "17:00"), [T()], [oct31, FALL_NY, nov2], [("off", off.span_in(NY))])
    assert got[FALL_NY].available == {"t": []}
    assert got[FALL_NY].time_off == (TimeOffSpan(U(2026, 11, 1, 4), U(2026, 11, 2, 5), "off"),)
    # the span touches both neighbours' windows without overlapping them
    assert got[oct31].time_off == () and got[nov2].time_off == ()
    assert got[oct31].available == {"t": hourly(U(2026, 10, 31, 13), 8)}  # 09:00 EDT = 13:00Z
    assert got[nov2].available == {"t": hourly(U(2026, 11, 2, 14), 8)}  # 09:00 EST = 14:00Z


def test_a_span_across_the_spring_forward_hour_in_new_york_takes_its_real_length_not_its_wall_length():
    # open 00:00-06:00 local on 8 March: 05:00Z .. 10:00Z, five real hours
    # (hourly starts 00:00 EST, 01:00 EST, 03:00 EDT, 04:00 EDT, 05:00 EDT);
    # away 01:30 EST -> 03:30 EDT, which is 06:30Z -> 07:30Z: one real hour
    hours = every_day("00:00", "06:00")
    t = T()
    assert starts(NY, hours, t, SPRING_NY) == hourly(U(2026, 3, 8, 5), 5)
    away = [Range(U(2026, 3, 8, 6, 30), U(2026, 3, 8, 7, 30))]
    assert starts(NY, hours, t, SPRING_NY, away) == [U(2026, 3, 8, 5), U(2026, 3, 8, 8), U(2026, 3, 8, 9)]


# --- DST: Lord Howe (a 30-minute shift) -------------------------------------------

SPRING_LH = date(2026, 10, 4)  # 02:00 +10:30 -> 02:30 +11
AUTUMN_LH = date(2026, 4, 5)  # 02:00 +11 -> 01:30 +10:30


def test_a_whole_day_off_on_lord_howes_spring_date_spans_23_and_a_half_hours():
    span = whole_days("off", SPRING_LH, SPRING_LH).span_in(LORD_HOWE)
    assert span == Range(U(2026, 10, 3, 13, 30), U(2026, 10, 4, 13))
    assert span.duration == timedelta(hours=23, minutes=30)


def test_a_whole_day_off_on_lord_howes_autumn_date_spans_24_and_a_half_hours():
    span = whole_days("off", AUTUMN_LH, AUTUMN_LH).span_in(LORD_HOWE)
    assert span == Range(U(2026, 4, 4, 13), U(2026, 4, 5, 13, 30))
    assert span.duration == timedelta(hours=24, minutes=30)


def test_a_span_across_lord_howes_half_hour_jump_removes_exactly_the_starts_it_meets():
    # open 00:00-06:00 local on 4 Oct: 13:30Z .. 19:00Z (5.5 real hours),
    # half-hourly starts 13:30Z .. 18:30Z; away 01:00 (+10:30) -> 03:00 (+11),
    # which is 14:30Z -> 16:00Z
    hours = every_day("00:00", "06:00")
    t = T(duration=30, slot_interval_minutes=30)
    assert starts(LORD_HOWE, hours, t, SPRING_LH) == every(U(2026, 10, 3, 13, 30), 30, 11)
    away = [Range(U(2026, 10, 3, 14, 30), U(2026, 10, 3, 16))]
    assert starts(LORD_HOWE, hours, t, SPRING_LH, away) == (
        every(U(2026, 10, 3, 13, 30), 30, 2) + every(U(2026, 10, 3, 16), 30, 6)
    )


# --- a month end -------------------------------------------------------------------

JAN31, FEB1 = date(2026, 1, 31), date(2026, 2, 1)


def test_a_span_over_a_month_end_cuts_both_sheets_at_local_midnight():
    # Berlin 09:00-17:00; away Sat 31 Jan 15:00 -> Sun 1 Feb 11:00 local (14:00Z -> 10:00Z)
    away = instant("trip", U(2026, 1, 31, 14), U(2026, 2, 1, 10))
    jan30, feb2 = date(2026, 1, 30), date(2026, 2, 2)
    got = sheets(BERLIN, every_day("09:00", "17:00"), [T()], [jan30, JAN31, FEB1, feb2],
                 [("trip", away.span_in(BERLIN))])
    assert days_under(BERLIN, away.span_in(BERLIN)) == [JAN31, FEB1]
    assert got[JAN31].id == "p1_2026-01-31" and got[FEB1].id == "p1_2026-02-01"
    assert got[JAN31].time_off == (TimeOffSpan(U(2026, 1, 31, 14), U(2026, 1, 31, 23), "trip"),)
    assert got[FEB1].time_off == (TimeOffSpan(U(2026, 1, 31, 23), U(2026, 2, 1, 10), "trip"),)
    assert got[JAN31].available == {"t": hourly(U(2026, 1, 31, 8), 6)}  # 09:00 .. 14:00 local
    assert got[FEB1].available == {"t": hourly(U(2026, 2, 1, 10), 6)}  # 11:00 .. 16:00 local
    assert got[jan30].time_off == () and got[feb2].time_off == ()
    assert got[jan30].available == {"t": hourly(U(2026, 1, 30, 8), 8)}
    assert got[feb2].available == {"t": hourly(U(2026, 2, 2, 8), 8)}


def test_whole_days_over_a_month_end_run_from_the_first_local_midnight_to_the_one_after_the_last_day():
    off = whole_days("off", JAN31, FEB1)
    assert off.span_in(BERLIN) == Range(U(2026, 1, 30, 23), U(2026, 2, 1, 23))
    assert days_under(BERLIN, off.span_in(BERLIN)) == [JAN31, FEB1]


# --- an all-day closure in two zones -------------------------------------------------

XMAS = date(2026, 12, 25)


def test_a_closure_on_christmas_day_is_christmas_day_where_each_provider_works():
    closure = whole_days("xmas", XMAS, XMAS, all_providers=True)
    assert span_for(closure, "berlin", BERLIN) == Range(U(2026, 12, 24, 23), U(2026, 12, 25, 23))
    assert span_for(closure, "la", LA) == Range(U(2026, 12, 25, 8), U(2026, 12, 26, 8))


def test_a_closure_on_christmas_day_empties_each_providers_25_december_and_only_that():
    closure = whole_days("xmas", XMAS, XMAS, all_providers=True)
    dec24, dec26 = date(2026, 12, 24), date(2026, 12, 26)
    hours, t = every_day("09:00", "17:00"), T()
    berlin = sheets(BERLIN, hours, [t], [dec24, XMAS, dec26], [("xmas", span_for(closure, "berlin", BERLIN))],
                    id="berlin")
    la = sheets(LA, hours, [t], [dec24, XMAS, dec26], [("xmas", span_for(closure, "la", LA))], id="la")
    assert berlin[XMAS].available == {"t": []} and la[XMAS].available == {"t": []}
    assert berlin[XMAS].time_off == (TimeOffSpan(U(2026, 12, 24, 23), U(2026, 12, 25, 23), "xmas"),)
    assert la[XMAS].time_off == (TimeOffSpan(U(2026, 12, 25, 8), U(2026, 12, 26, 8), "xmas"),)
    assert berlin[dec24].available == {"t": hourly(U(2026, 12, 24, 8), 8)}
    assert berlin[dec26].available == {"t": hourly(U(2026, 12, 26, 8), 8)}
    assert la[dec24].available == {"t": hourly(U(2026, 12, 24, 17), 8)}  # 09:00 PST = 17:00Z
    assert la[dec26].available == {"t": hourly(U(2026, 12, 26, 17), 8)}


def test_a_time_off_for_listed_providers_takes_nothing_from_the_others():
    off = whole_days("off", XMAS, XMAS, provider_ids=["berlin"])
    assert span_for(off, "la", LA) is None
    assert span_for(None, "berlin", BERLIN) is None
    assert span_for(off, "berlin", BERLIN) == Range(U(2026, 12, 24, 23), U(2026, 12, 25, 23))


# --- buffers against time off ----------------------------------------------------------
# London in January: local times equal UTC. Open 09:00-17:00; a meeting 14:00-15:30.

MEETING = [Range(U(2026, 1, 12, 14), U(2026, 1, 12, 15, 30))]
NINE_TO_FIVE = every_day("09:00", "17:00")


def at(h: int, m: int = 0) -> datetime:
    return U(2026, 1, 12, h, m)


def test_an_after_buffer_may_not_run_into_time_off():
    # 30 min + 15 min after, every 15 min: 13:15 ends 13:45, its buffer 14:00 (touching)
    t = T("consult", 30, buffer_after_minutes=15, slot_interval_minutes=15)
    assert starts(LONDON, NINE_TO_FIVE, t, MON, MEETING) == every(at(9), 15, 18) + every(at(15, 30), 15, 5)
    assert every(at(9), 15, 18)[-1] == at(13, 15)


def test_without_buffers_an_appointment_may_end_as_time_off_begins():
    t = T("consult", 30, slot_interval_minutes=15)
    assert starts(LONDON, NINE_TO_FIVE, t, MON, MEETING) == every(at(9), 15, 19) + every(at(15, 30), 15, 5)
    assert every(at(9), 15, 19)[-1] == at(13, 30)


def test_a_before_buffer_may_not_reach_back_into_time_off():
    # 10 min before: the first start after the meeting is 15:40, rounded up to the half hour
    t = T("consult", 30, buffer_before_minutes=10, slot_interval_minutes=30)
    assert starts(LONDON, NINE_TO_FIVE, t, MON, MEETING) == every(at(9), 30, 10) + [at(16), at(16, 30)]


def check(t, start, time_off, blocks=()):
    hours = day_open(NINE_TO_FIVE, LONDON, MON)
    return check_booking(tz=LONDON, day=MON, open=hours, appt_type=t, blocks=blocks, start=start,
                         now=U(2026, 1, 11), appointment_id="a1", time_off=time_off)


def test_a_13_30_consultation_whose_after_buffer_meets_a_14_00_meeting_is_refused_outside_availability():
    t = T("consult", 30, buffer_after_minutes=15, slot_interval_minutes=30)
    refused = check(t, at(13, 30), MEETING)
    assert isinstance(refused, Rejected)
    assert refused.reason is Reason.OUTSIDE_AVAILABILITY


def test_a_13_15_consultation_whose_after_buffer_ends_as_the_meeting_begins_is_accepted():
    t = T("consult", 30, buffer_after_minutes=15, slot_interval_minutes=15)
    accepted = check(t, at(13, 15), MEETING)
    assert isinstance(accepted, Accepted)
    assert accepted.block.block == Range(at(13, 15), at(14))


def test_a_start_inside_time_off_is_refused_outside_availability_not_slot_taken():
    t = T("consult", 30, slot_interval_minutes=30)
    refused = check(t, at(14, 30), MEETING)
    assert isinstance(refused, Rejected) and refused.reason is Reason.OUTSIDE_AVAILABILITY


# --- a span touching an open interval's edge -------------------------------------------


def test_time_off_ending_exactly_when_hours_open_leaves_the_opening_start():
    away = [Range(at(7), at(9))]
    assert starts(LONDON, NINE_TO_FIVE, T(), MON, away) == hourly(at(9), 8)


def test_time_off_starting_exactly_when_hours_close_leaves_the_last_start():
    away = [Range(at(17), at(19))]
    assert starts(LONDON, NINE_TO_FIVE, T(), MON, away) == hourly(at(9), 8)
    assert isinstance(check(T(), at(16), away), Accepted)


def test_a_before_buffer_reaching_back_over_an_opening_edge_still_may_not_meet_time_off_there():
    # buffers may fall outside open hours, but never onto time off
    away = [Range(at(7), at(9))]
    t = T(buffer_before_minutes=10, slot_interval_minutes=30)
    assert starts(LONDON, NINE_TO_FIVE, t, MON, away) == every(at(9, 30), 30, 14)


def test_time_off_touching_both_edges_of_a_sheets_window_is_not_held_by_it():
    off = instant("edge", U(2026, 1, 11, 20), U(2026, 1, 12, 0))  # Sun 20:00 -> Mon 00:00 London
    got = sheets(LONDON, NINE_TO_FIVE, [T()], [MON], [("edge", off.span_in(LONDON))])
    assert got[MON].time_off == ()
    assert got[MON].available == {"t": hourly(at(9), 8)}


# --- group sessions ---------------------------------------------------------------------


def test_a_partly_booked_group_session_that_new_time_off_meets_is_no_longer_offered():
    group = T("yoga", 60, capacity=3)
    hours = every_day("09:00", "13:00")
    one_booked = [BookedBlock.for_appointment("a1", group, at(10))]
    assert starts(LONDON, hours, group, MON, blocks=one_booked) == [at(9), at(10), at(11), at(12)]
    away = [Range(at(10, 30), at(11))]
    assert starts(LONDON, hours, group, MON, away, one_booked) == [at(9), at(11), at(12)]
    refused = check_booking(tz=LONDON, day=MON, open=day_open(hours, LONDON, MON), appt_type=group,
                            blocks=one_booked, start=at(10), now=U(2026, 1, 11), appointment_id="a2",
                            time_off=away)
    assert isinstance(refused, Rejected) and refused.reason is Reason.OUTSIDE_AVAILABILITY


def test_time_off_next_to_a_partly_booked_group_session_keeps_it_offered():
    group = T("yoga", 60, capacity=3)
    hours = every_day("09:00", "13:00")
    one_booked = [BookedBlock.for_appointment("a1", group, at(10))]
    away = [Range(at(11), at(12))]
    assert starts(LONDON, hours, group, MON, away, one_booked) == [at(9), at(10), at(12)]


# --- the model ------------------------------------------------------------------------

INSTANT = {"providerIds": ["p1"], "start": U(2026, 1, 12, 14), "end": U(2026, 1, 12, 15)}
DAYS_FORM = {"providerIds": ["p1"], "allDay": True, "startDate": "2026-12-25", "endDate": "2026-12-26"}


def valid(data: dict) -> TimeOff:
    return TimeOff.model_validate({"id": "off1", **data})


def refused(data: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        valid(data)


def test_both_forms_of_time_off_are_valid_on_their_own():
    assert valid(INSTANT).span_in(BERLIN) == Range(U(2026, 1, 12, 14), U(2026, 1, 12, 15))
    assert valid(DAYS_FORM).span_in(BERLIN) == Range(U(2026, 12, 24, 23), U(2026, 12, 26, 23))


def test_an_instant_time_off_given_with_an_offset_is_kept_in_utc():
    got = valid({**INSTANT, "start": "2026-01-12T15:00:00+01:00", "end": "2026-01-12T16:00:00+01:00"})
    assert (got.start, got.end) == (U(2026, 1, 12, 14), U(2026, 1, 12, 15))
    assert got.start.tzinfo is UTC


def test_start_and_end_together_with_all_day_dates_are_refused():
    refused({**INSTANT, **DAYS_FORM}, "an allDay time off has startDate and endDate, not start and end")


def test_dates_without_all_day_are_refused():
    refused({**INSTANT, "startDate": "2026-12-25", "endDate": "2026-12-25"}, "startDate and endDate need allDay")


def test_an_end_before_or_at_the_start_is_refused():
    refused({**INSTANT, "end": U(2026, 1, 12, 13)}, "end must be after start")
    refused({**INSTANT, "end": U(2026, 1, 12, 14)}, "end must be after start")
    refused({**DAYS_FORM, "endDate": "2026-12-24"}, "endDate is before startDate")


def test_a_naive_instant_is_refused_not_guessed():
    refused({**INSTANT, "start": "2026-01-12T14:00:00"}, "must be timezone-aware")


def test_a_time_off_of_400_days_is_accepted_and_one_a_second_longer_is_refused():
    start = U(2026, 1, 1)
    assert valid({**INSTANT, "start": start, "end": start + timedelta(days=400)})
    refused({**INSTANT, "start": start, "end": start + timedelta(days=400, seconds=1)}, "at most 400 days")


def test_whole_days_may_cover_400_dates_and_not_401():
    # 1 Jan 2026 .. 4 Feb 2027 inclusive is 400 dates
    assert valid({**DAYS_FORM, "startDate": "2026-01-01", "endDate": "2027-02-04"})
    refused({**DAYS_FORM, "startDate": "2026-01-01", "endDate": "2027-02-05"}, "at most 400 days")


def test_all_providers_together_with_provider_ids_is_refused():
    refused({**INSTANT, "allProviders": True}, "either providerIds or allProviders")


def test_neither_provider_ids_nor_all_providers_is_refused():
    refused({**INSTANT, "providerIds": []}, "either providerIds or allProviders")


def test_a_provider_listed_twice_is_refused():
    refused({**INSTANT, "providerIds": ["p1", "p2", "p1"]}, "each provider once")


def test_all_day_without_both_dates_is_refused():
    refused({"providerIds": ["p1"], "allDay": True, "startDate": "2026-12-25"}, "needs startDate and endDate")


def test_an_unknown_field_is_refused():
    refused({**INSTANT, "createdAt": U(2026, 1, 1)}, "Extra inputs are not permitted")


def test_a_title_longer_than_200_characters_is_refused():
    assert valid({**INSTANT, "title": "x" * 200}).title == "x" * 200
    refused({**INSTANT, "title": "x" * 201}, "at most 200 characters")
