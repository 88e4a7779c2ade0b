"""A series is booked whole or not at all on the real emulator: through the
rules and the real trigger, and under races (threads, each with its own
client, running the trigger's entry point; support/concurrency.py)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from booking.services.series_cancel import cancel_following
from google.cloud.firestore import FieldFilter
from support import emulator
from support.concurrency import Gate, own_store, pausing_store, process_stored, race, triggers_off
from support.invariants import assert_no_overlaps, assert_sheets_match_scratch
from support.world import a_future_day, at, seed, signed_up_customers, wait_for_sheet, wait_for_status

# Five weekly dates from tomorrow fit the type's 30-day horizon.
DAY = a_future_day(1)
WEEK = timedelta(weeks=1)


def _request(uid, start, count=None, **extra):
    doc = {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
           "status": "pending", "createdAt": emulator.SERVER_TIME, **extra}
    if count is not None:
        doc["recurrence"] = {"frequency": "weekly", "count": count}
    return doc


def _write(writes):
    """Requests as the customers' apps create them; nothing processes them yet."""
    with triggers_off():
        for path, doc, token in writes:
            assert emulator.rest_create(path, doc, token).status_code == 200


def _held(db):
    query = db.collection("appointments").where(filter=FieldFilter("status", "==", "confirmed"))
    return sorted(s.id for s in query.stream())


def _in_thread(fn):
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("value", fn()))
    thread.start()
    return thread, box


def _world(db, new_user, customers):
    seed(db)
    wait_for_sheet(db, "dr-ada", DAY)
    return signed_up_customers(db, new_user, customers)


def test_a_series_written_through_the_rules_is_confirmed_by_the_trigger_at_one_time_each_week(
        db, clean_firestore, new_user):
    [(uid, token)] = _world(db, new_user, 1)
    resp = emulator.rest_create("bookingRequests/tues", _request(uid, at(DAY, 15), 4), token)
    assert resp.status_code == 200, resp.text
    request = wait_for_status(db, "bookingRequests/tues")

    ids = ["tues-01", "tues-02", "tues-03", "tues-04"]
    assert (request["status"], request["seriesId"], request["appointmentIds"]) == ("confirmed", "tues", ids)
    stored = [db.document(f"appointments/{i}").get().to_dict() for i in ids]
    assert [(a["start"], a["seriesId"], a["seriesIndex"]) for a in stored] == [
        (at(DAY, 15) + n * WEEK, "tues", n + 1) for n in range(4)]
    assert db.document("mail/tues-confirmed").get().to_dict()["kind"] == "series_confirmed"
    assert assert_no_overlaps(db, "dr-ada") == 4


def test_two_customers_racing_for_overlapping_series_never_overlap_and_at_most_one_completes(
        db, clean_firestore, new_user):
    (a, token_a), (b, token_b) = _world(db, new_user, 2)
    # A from the first week, B from the second: weeks 2-4 are wanted by both.
    _write([("bookingRequests/series-a", _request(a, at(DAY, 10), 4), token_a),
            ("bookingRequests/series-b", _request(b, at(DAY, 10) + WEEK, 4), token_b)])

    result = race(["series-a", "series-b"])

    statuses = sorted((o.status.value, o.reason.value if o.reason else None) for o in result.outcomes.values())
    assert statuses == [("confirmed", None), ("rejected", "slot_taken")]
    winner = next(i for i, o in result.outcomes.items() if o.status == "confirmed")
    assert _held(db) == [f"{winner}-{n:02d}" for n in range(1, 5)]
    assert assert_no_overlaps(db, "dr-ada") == 4
    assert_sheets_match_scratch(db, "dr-ada")


def test_a_series_paused_before_its_commit_loses_to_one_that_booked_meanwhile_and_names_the_first_overlap(
        db, clean_firestore, new_user):
    (a, token_a), (b, token_b) = _world(db, new_user, 2)
    _write([("bookingRequests/late", _request(a, at(DAY, 10), 4), token_a),
            ("bookingRequests/early", _request(b, at(DAY, 10) + 2 * WEEK, 2), token_b)])
    gate = Gate()
    thread, late = _in_thread(lambda: process_stored(pausing_store(commit=gate), "late"))
    gate.wait_reached()  # "late" has planned all four weeks on the sheets as they were

    assert process_stored(own_store(), "early").status == "confirmed"
    gate.open()
    thread.join(60)

    outcome = late["value"]
    assert (outcome.status, outcome.reason, outcome.failed.index, outcome.failed.start) == (
        "rejected", "slot_taken", 3, at(DAY, 10) + 2 * WEEK)
    request = db.document("bookingRequests/late").get().to_dict()
    assert (request["status"], request["failedOccurrence"]["index"]) == ("rejected", 3)
    assert _held(db) == ["early-01", "early-02"]
    assert_sheets_match_scratch(db, "dr-ada")


def test_a_series_racing_single_bookings_for_its_fifth_date_holds_that_time_once(db, clean_firestore, new_user):
    users = _world(db, new_user, 4)
    fifth = at(DAY, 10) + 4 * WEEK
    (s, token_s), *singles = users
    _write([("bookingRequests/series", _request(s, at(DAY, 10), 5), token_s)]
           + [(f"bookingRequests/single-{n}", _request(uid, fifth), token) for n, (uid, token) in enumerate(singles)])

    result = race(["series", "single-0", "single-1", "single-2"])

    confirmed = sorted(i for i, o in result.outcomes.items() if o.status == "confirmed")
    assert len(confirmed) == 1
    if confirmed == ["series"]:
        assert _held(db) == [f"series-{n:02d}" for n in range(1, 6)]
    else:
        series = result.outcomes["series"]
        assert (series.reason, series.failed.index) == ("slot_taken", 5)
        assert _held(db) == confirmed
    assert all(o.reason == "slot_taken" for i, o in result.outcomes.items() if i not in confirmed)
    held_at_fifth = [i for i in _held(db) if db.document(f"appointments/{i}").get().get("start") == fifth]
    assert len(held_at_fifth) == 1
    assert_sheets_match_scratch(db, "dr-ada")


def test_a_series_request_delivered_twice_at_once_is_booked_once(db, clean_firestore, new_user):
    [(uid, token)] = _world(db, new_user, 1)
    _write([("bookingRequests/twice", _request(uid, at(DAY, 10), 4), token)])

    result = race(["twice", "twice"])

    assert _held(db) == ["twice-01", "twice-02", "twice-03", "twice-04"]
    assert assert_no_overlaps(db, "dr-ada") == 4
    mails = [m.id for m in db.collection("mail").stream()]
    assert mails == ["twice-confirmed"]
    assert {o.status.value for o in result.outcomes.values()} == {"confirmed"}


def test_cancelling_this_and_following_releases_exactly_those_sheets(db, clean_firestore, new_user):
    [(uid, token)] = _world(db, new_user, 1)
    _write([("bookingRequests/weekly", _request(uid, at(DAY, 10), 4), token)])
    assert process_stored(own_store(), "weekly").status == "confirmed"
    days = [DAY + n * WEEK for n in range(4)]

    done = cancel_following(own_store(), "weekly-02", now=datetime.now(UTC), by=uid)

    assert done.cancelled == ("weekly-02", "weekly-03", "weekly-04")
    booked = [[b["appointmentId"] for b in wait_for_sheet(db, "dr-ada", d)["booked"]] for d in days]
    assert booked == [["weekly-01"], [], [], []]
    assert [at(DAY, 10) + n * WEEK in wait_for_sheet(db, "dr-ada", d)["available"]["consult"]
            for n, d in enumerate(days)] == [False, True, True, True]
    assert _held(db) == ["weekly-01"]
    assert_sheets_match_scratch(db, "dr-ada")
