"""book_series through the request path on the fake store: a series is
booked whole or not at all, naming the first occurrence that failed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking.domain.refusals import Refusal
from booking.domain.time_off import TimeOff
from booking.services.booking import process_request
from booking.services.recompute import recompute_provider
from booking.services.series_cancel import cancel_following
from booking.store import converters as conv
from booking.store import paths
from fake_store import CUSTOMER_ID, NOW, PROVIDER_ID, consult, request_doc, rounds_only, seeded, submit, utc

# Mondays 10:00 in Berlin (09:00Z in winter) from 12 January 2026; the
# 7th is 23 February. The type's horizon covers all ten weeks.
FIRST = utc(2026, 1, 12, 9)
SEVENTH = utc(2026, 2, 23, 9)
TEN_WEEKLY = {"recurrence": {"frequency": "weekly", "count": 10}}
IDS = [f"s-1-{i:02d}" for i in range(1, 11)]


def world():
    return seeded(types=[consult(horizon_days=120)])


def series(store, request_id="s-1", start=FIRST, **extra):
    return submit(store, request_id, start, **{**TEN_WEEKLY, **extra})


def appointments(store):
    return sorted(store.ids(paths.APPOINTMENTS))


def test_a_weekly_series_books_every_occurrence_in_one_commit_under_ids_from_the_request():
    store = world()
    outcome = series(store)

    assert (outcome.status, outcome.rounds) == ("confirmed", 1)
    assert appointments(store) == IDS
    stored = [store.doc(paths.APPOINTMENTS, i) for i in IDS]
    assert [a["start"] for a in stored] == [FIRST + timedelta(weeks=n) for n in range(10)]
    assert [(a["seriesId"], a["seriesIndex"], a["requestId"]) for a in stored] == [
        ("s-1", n, "s-1") for n in range(1, 11)]
    request = store.doc(paths.BOOKING_REQUESTS, "s-1")
    assert (request["status"], request["appointmentId"], request["seriesId"], request["appointmentIds"],
            request["skipped"]) == ("confirmed", "s-1-01", "s-1", IDS, [])
    assert sorted(store.ids(paths.CUSTOMER_LEDGERS)) == [CUSTOMER_ID]
    assert len(store.doc(paths.CUSTOMER_LEDGERS, CUSTOMER_ID)["upcoming"]) == 10


def test_a_series_sends_one_confirmation_listing_every_date_with_one_invitation_each():
    store = world()
    series(store, recurrence={"frequency": "weekly", "count": 3})

    assert store.ids(paths.MAIL) == ["s-1-confirmed"]
    mail = store.doc(paths.MAIL, "s-1-confirmed")
    assert (mail["kind"], mail["appointmentId"], mail["seriesId"]) == ("series_confirmed", "s-1-01", "s-1")
    assert mail["message"]["subject"] == (
        "Confirmed: 3 × Consultation from Monday 12 January 2026, 10:00 (Europe/Berlin)")
    assert mail["message"]["text"].splitlines()[1:5] == [
        "your 3 Consultation with Dr. Ada Lovelace appointments at Bookings are confirmed:",
        "1: Monday 12 January 2026, 10:00–10:30 (Europe/Berlin)",
        "2: Monday 19 January 2026, 10:00–10:30 (Europe/Berlin)",
        "3: Monday 26 January 2026, 10:00–10:30 (Europe/Berlin)",
    ]
    assert ["UID:s-1-02@booking.firebaseapp" in a["content"] for a in mail["message"]["attachments"]] == [
        False, True, False]


def test_a_series_whose_seventh_occurrence_meets_time_off_is_refused_whole_naming_the_seventh():
    store = world()
    away = TimeOff(id="away", provider_ids=[PROVIDER_ID], start=SEVENTH, end=SEVENTH + timedelta(hours=1),
                   title="Conference", created_by="admin")
    store.put(paths.TIME_OFF, away.id, conv.time_off_to(away))
    outcome = series(store)

    assert (outcome.status, outcome.reason) == ("rejected", "outside_availability")
    assert outcome.message == ("Occurrence 7 of 10 (2026-02-23 10:00 CET): the provider is away at "
                               "2026-02-23 10:00 CET to 2026-02-23 10:30 CET (or during its buffers)")
    assert appointments(store) == []
    assert store.ids(paths.SLOTS) == [] and store.ids(paths.CUSTOMER_LEDGERS) == []
    request = store.doc(paths.BOOKING_REQUESTS, "s-1")
    assert (request["status"], request["reason"], request["failedOccurrence"]["index"],
            request["failedOccurrence"]["start"]) == ("rejected", "outside_availability", 7, SEVENTH)


def test_a_series_whose_seventh_occurrence_is_already_booked_is_refused_whole_naming_the_seventh():
    store = world()
    assert submit(store, "alan-1", SEVENTH, customer="cust-alan").status == "confirmed"
    outcome = series(store)

    assert (outcome.status, outcome.reason, outcome.failed.index) == ("rejected", "slot_taken", 7)
    assert outcome.message == "Occurrence 7 of 10 (2026-02-23 10:00 CET): 2026-02-23 10:00 CET is already booked"
    assert appointments(store) == ["alan-1"]


def test_skip_books_the_free_occurrences_and_reports_the_taken_one():
    store = world()
    submit(store, "alan-1", SEVENTH, customer="cust-alan")
    outcome = series(store, onConflict="skip")

    assert outcome.status == "confirmed"
    assert [a.id for a in outcome.appointments] == [i for i in IDS if i != "s-1-07"]
    assert appointments(store) == sorted(["alan-1", *(i for i in IDS if i != "s-1-07")])
    assert store.doc(paths.BOOKING_REQUESTS, "s-1")["skipped"] == [
        {"index": 7, "start": SEVENTH, "reason": "slot_taken", "message": "2026-02-23 10:00 CET is already booked"}]


def test_skip_with_nothing_free_rejects_naming_the_first_occurrence():
    store = world()
    outcome = series(store, start=utc(2026, 1, 12, 5), onConflict="skip")  # 06:00 Berlin: closed every Monday

    assert (outcome.status, outcome.reason, outcome.failed.index) == ("rejected", "outside_availability", 1)
    assert len(outcome.skipped) == 10 and appointments(store) == []


def test_occurrences_beyond_the_horizon_refuse_the_series_naming_the_first_too_far():
    store = seeded(types=[consult(horizon_days=30)])
    outcome = series(store)

    assert (outcome.status, outcome.reason, outcome.failed.index) == ("rejected", "too_far", 5)


def test_the_series_counts_its_own_occurrences_against_the_customers_cap():
    store = world()
    submit(store, "one-more", utc(2026, 1, 13, 9))  # the customer holds one; the cap is 10
    outcome = series(store)

    assert (outcome.status, outcome.reason, outcome.failed.index) == ("rejected", "too_many_upcoming", 10)
    assert appointments(store) == ["one-more"]


def test_a_redelivered_series_request_books_it_once():
    store = world()
    series(store)
    store.changes.clear()
    again = process_request(store, "s-1", store.doc(paths.BOOKING_REQUESTS, "s-1"),
                            version=store.version(paths.BOOKING_REQUESTS, "s-1"), now=NOW, backoff=rounds_only(3))

    assert (again.status, again.replayed) == ("confirmed", True)
    assert appointments(store) == IDS and store.changes == []


def test_a_redelivery_of_the_pending_version_after_the_series_was_booked_changes_nothing():
    store = world()
    version = store.add_request("s-1", {**request_doc(FIRST), **TEN_WEEKLY})
    pending = store.doc(paths.BOOKING_REQUESTS, "s-1")
    assert process_request(store, "s-1", pending, version=version, now=NOW).status == "confirmed"
    store.changes.clear()
    again = process_request(store, "s-1", pending, version=version, now=NOW, backoff=rounds_only(3))

    assert (again.status, again.replayed, [a.id for a in again.appointments]) == ("confirmed", True, IDS)
    assert store.changes == []



def test_a_series_request_that_also_reschedules_is_invalid():
    store = world()
    outcome = series(store, rescheduleOf="old-1")

    assert (outcome.status, outcome.reason, outcome.message) == (
        "rejected", "invalid_request", "a reschedule moves one appointment: it cannot carry a recurrence")


def test_on_conflict_without_a_recurrence_is_invalid():
    store = world()
    outcome = submit(store, "one", FIRST, onConflict="skip")

    assert (outcome.status, outcome.message) == (
        "rejected", "onConflict applies to a series only: send it with recurrence")


# -- cancelling "this and all following" ---------------------------------------------


def four_weeks(store):
    return series(store, recurrence={"frequency": "weekly", "count": 4})


def held_ids(store):
    return sorted({b.appointment_id for sheet in store.stored_sheets(PROVIDER_ID).values() for b in sheet.blocks})


def test_cancelling_the_second_and_following_releases_exactly_those_and_keeps_the_first():
    store = world()
    four_weeks(store)
    done = cancel_following(store, "s-1-02", now=NOW, by=CUSTOMER_ID)

    assert (done.cancelled, done.kept) == (("s-1-02", "s-1-03", "s-1-04"), ())
    assert [store.doc(paths.APPOINTMENTS, f"s-1-{i:02d}")["status"] for i in range(1, 5)] == [
        "confirmed", "cancelled", "cancelled", "cancelled"]
    assert held_ids(store) == ["s-1-01"]
    store.changes.clear()
    again = cancel_following(store, "s-1-02", now=NOW, by=CUSTOMER_ID)
    assert (again.cancelled, store.changes) == ((), [])


def test_this_and_following_past_the_chosen_ones_cutoff_is_refused_and_changes_nothing():
    store = world()
    four_weeks(store)
    late = utc(2026, 1, 19, 8)  # an hour before the second, whose cutoff is two hours
    store.changes.clear()
    with pytest.raises(Refusal) as refused:
        cancel_following(store, "s-1-02", now=late, by=CUSTOMER_ID)
    assert refused.value.code == "cutoff_passed"
    assert store.changes == [] and held_ids(store) == ["s-1-01", "s-1-02", "s-1-03", "s-1-04"]


def test_an_appointment_outside_any_series_cancels_alone():
    store = world()
    submit(store, "single", FIRST)
    submit(store, "other", SEVENTH)
    done = cancel_following(store, "single", now=NOW, by=CUSTOMER_ID)

    assert done.cancelled == ("single",) and held_ids(store) == ["other"]


def test_a_coalescing_booking_leaves_a_pending_series_to_its_own_trigger():
    store = seeded(types=[consult(horizon_days=120)])
    recompute_provider(store, PROVIDER_ID, now=NOW)
    store.add_request("weekly", {**request_doc(FIRST), "start": utc(2026, 1, 12, 11), "customerId": "cust-alan",
                                 **TEN_WEEKLY})
    store.before_commit.append(lambda: store.touch(paths.SLOTS, f"{PROVIDER_ID}_2026-01-12"))
    outcome = submit(store, "mine", FIRST, backoff=rounds_only(12))

    assert (outcome.status, outcome.rounds, outcome.batched) == ("confirmed", 2, 0)
    assert store.doc(paths.BOOKING_REQUESTS, "weekly")["status"] == "pending"
    assert appointments(store) == ["mine"]


def test_a_contended_single_booking_does_not_step_back_for_a_pending_series_that_never_coalesces():
    store = world()
    recompute_provider(store, PROVIDER_ID, now=NOW)
    store.add_request("weekly", {**request_doc(utc(2026, 1, 12, 8), customer="cust-alan"), **TEN_WEEKLY})
    store.before_commit.append(lambda: store.touch(paths.SLOTS, f"{PROVIDER_ID}_2026-01-12"))
    outcome = submit(store, "mine", utc(2026, 1, 12, 11), backoff=rounds_only(12))

    assert (outcome.status, outcome.rounds) == ("confirmed", 2)


def test_a_rescheduled_occurrence_stays_in_its_series_and_goes_with_this_and_following():
    store = world()
    four_weeks(store)
    moved = submit(store, "move-2", utc(2026, 1, 20, 9), rescheduleOf="s-1-02")  # Tuesday instead of Monday

    assert moved.status == "confirmed"
    after = store.doc(paths.APPOINTMENTS, "move-2")
    assert (after["seriesId"], after["seriesIndex"], after["rescheduledFrom"]) == ("s-1", 2, "s-1-02")
    done = cancel_following(store, "s-1-01", now=NOW, by=CUSTOMER_ID)
    assert done.cancelled == ("s-1-01", "move-2", "s-1-03", "s-1-04")
    assert held_ids(store) == []
