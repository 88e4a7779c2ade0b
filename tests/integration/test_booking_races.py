"""No double booking and nothing left pending under real concurrency.

Requests are written through the rules with the backend's triggers off,
then processed by the trigger's entry point from many threads at once,
each with its own Firestore client (support/concurrency.py says why the
functions emulator cannot race). Pause points force the interleavings
that a random schedule hits only now and then. Afterwards the ledger
equals a recomputation and no two held blocks overlap.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from booking.domain.refusals import Refusal
from booking.services.cancel import cancel
from support import emulator
from support.concurrency import Gate, own_store, pausing_store, process_stored, race, triggers_off
from support.invariants import assert_no_overlaps, assert_sheets_match_scratch
from support.world import a_future_day, at, seed, signed_up_customers, wait_for_sheet

DAY = a_future_day(5)
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _request(uid, start, **extra):
    return {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
            "status": "pending", "createdAt": emulator.SERVER_TIME, **extra}


def _write_through_rules(writes):
    """Creates every request as its customer's app would; nothing processes them."""
    with triggers_off(), ThreadPoolExecutor(max_workers=min(len(writes), 16)) as pool:
        codes = list(pool.map(lambda w: emulator.rest_create(*w).status_code, writes))
    assert codes == [200] * len(writes)


def _statuses(result):
    return sorted((o.status, o.reason.value if o.reason else None) for o in result.outcomes.values())


def _stored_statuses(db, ids):
    return {i: db.document(f"bookingRequests/{i}").get().to_dict()["status"] for i in ids}


def test_thirty_instances_racing_for_one_slot_confirm_one_and_reject_29_slot_taken(db, clean_firestore, new_user):
    seed(db)
    wait_for_sheet(db, "dr-ada", DAY)
    users = signed_up_customers(db, new_user, 30)
    ids = [f"race-{n}" for n in range(30)]
    _write_through_rules([(f"bookingRequests/{i}", _request(uid, at(DAY, 10)), token)
                          for i, (uid, token) in zip(ids, users)])

    result = race(ids)

    assert _statuses(result) == [("confirmed", None)] + [("rejected", "slot_taken")] * 29
    assert sorted(_stored_statuses(db, ids).values()) == ["confirmed"] + ["rejected"] * 29
    assert assert_no_overlaps(db, "dr-ada") == 1
    assert_sheets_match_scratch(db, "dr-ada")


@pytest.mark.parametrize("instances", [10, 30])
def test_thirty_requests_for_thirty_free_starts_of_one_day_all_confirm_and_none_stays_pending(
        db, clean_firestore, new_user, instances):
    seed(db, weekly={d: [{"start": "06:00", "end": "21:00"}] for d in EVERY_DAY})
    wait_for_sheet(db, "dr-ada", DAY, lambda s: len(s["available"].get("consult", [])) == 30)
    users = signed_up_customers(db, new_user, 30)
    ids = [f"day-{n}" for n in range(30)]
    starts = [at(DAY, 6 + n // 2, 30 * (n % 2)) for n in range(30)]
    _write_through_rules([(f"bookingRequests/{i}", _request(uid, start), token)
                          for i, (uid, token), start in zip(ids, users, starts)])

    result = race(ids, workers=instances)

    assert _statuses(result) == [("confirmed", None)] * 30
    assert set(_stored_statuses(db, ids).values()) == {"confirmed"}
    assert assert_no_overlaps(db, "dr-ada") == 30
    assert wait_for_sheet(db, "dr-ada", DAY)["available"]["consult"] == []
    assert_sheets_match_scratch(db, "dr-ada")


def test_a_hundred_requests_for_a_hundred_free_starts_processed_at_once_all_confirm(db, clean_firestore, new_user):
    # 10-minute visits on a 10-minute grid, 06:00-22:40: exactly 100 starts.
    seed(db, type_fields={"durationMinutes": 10, "slotIntervalMinutes": 10},
         weekly={d: [{"start": "06:00", "end": "22:40"}] for d in EVERY_DAY})
    wait_for_sheet(db, "dr-ada", DAY, lambda s: len(s["available"].get("consult", [])) == 100)
    users = signed_up_customers(db, new_user, 100)
    ids = [f"hundred-{n}" for n in range(100)]
    starts = [at(DAY, 6 + (n * 10) // 60, (n * 10) % 60) for n in range(100)]
    _write_through_rules([(f"bookingRequests/{i}", _request(uid, start), token)
                          for i, (uid, token), start in zip(ids, users, starts)])

    result = race(ids)

    assert _statuses(result) == [("confirmed", None)] * 100
    assert set(_stored_statuses(db, ids).values()) == {"confirmed"}
    assert assert_no_overlaps(db, "dr-ada") == 100
    assert_sheets_match_scratch(db, "dr-ada")


def test_overlapping_starts_with_buffers_never_confirm_overlapping_blocks(db, clean_firestore, new_user):
    # 45-minute sessions with 15 minutes either side on a 15-minute grid:
    # every start within an hour of another confirmed one must lose.
    seed(db, type_fields={"durationMinutes": 45, "slotIntervalMinutes": 15, "bufferBeforeMinutes": 15,
                          "bufferAfterMinutes": 15})
    wait_for_sheet(db, "dr-ada", DAY)
    users = signed_up_customers(db, new_user, 24)
    ids = [f"mix-{n}" for n in range(24)]
    starts = [at(DAY, 9 + (n * 15) // 60, (n * 15) % 60) for n in range(24)]  # 09:00 .. 14:45
    _write_through_rules([(f"bookingRequests/{i}", _request(uid, start), token)
                          for i, (uid, token), start in zip(ids, users, starts)])

    result = race(ids)

    confirmed = [o for o in result.outcomes.values() if o.status == "confirmed"]
    assert confirmed, "at least one request must win"
    assert {o.reason.value for o in result.outcomes.values() if o.status == "rejected"} <= {"slot_taken"}
    assert "pending" not in _stored_statuses(db, ids).values()
    assert assert_no_overlaps(db, "dr-ada") == len(confirmed)
    assert_sheets_match_scratch(db, "dr-ada")


# -- reschedules and cancels of one appointment --------------------------------------------


@pytest.fixture
def booked(db, clean_firestore, new_user):
    """One customer holding one confirmed appointment `orig` at 10:00."""
    seed(db)
    wait_for_sheet(db, "dr-ada", DAY)
    uid, token = signed_up_customers(db, new_user, 1)[0]
    _write_through_rules([("bookingRequests/orig", _request(uid, at(DAY, 10)), token)])
    assert process_stored(own_store(), "orig").status == "confirmed"
    return uid, token


def _reschedule_requests(booked, moves):
    uid, token = booked
    _write_through_rules([(f"bookingRequests/{i}", _request(uid, start, rescheduleOf="orig"), token)
                          for i, start in moves.items()])


def _in_thread(fn):
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("value", fn()))
    thread.start()
    return thread, outcome


def _appointment(db, appointment_id):
    return db.document(f"appointments/{appointment_id}").get().to_dict()


def test_a_reschedule_paused_after_reading_the_original_loses_to_one_that_finished_meanwhile(db, booked):
    _reschedule_requests(booked, {"move-a": at(DAY, 11), "move-b": at(DAY, 12)})
    gate = Gate()
    thread, b = _in_thread(lambda: process_stored(pausing_store(booking_documents=gate), "move-b"))
    gate.wait_reached()  # B has read `orig` (with its parties), still confirmed, and waits before the sheets

    a = process_stored(own_store(), "move-a")
    gate.open()
    thread.join(60)

    assert a.status == "confirmed"
    assert (b["value"].status, b["value"].reason.value) == ("rejected", "not_reschedulable")
    original = _appointment(db, "orig")
    assert (original["status"], original["rescheduledTo"]) == ("cancelled", "move-a")
    assert [h["status"] for h in original["history"]] == ["confirmed", "cancelled"]
    assert _appointment(db, "move-b") is None
    assert assert_no_overlaps(db, "dr-ada") == 1
    assert_sheets_match_scratch(db, "dr-ada")


def test_a_cancel_landing_while_a_reschedule_is_paused_wins_and_keeps_the_customers_reason(db, booked):
    uid, _ = booked
    _reschedule_requests(booked, {"move": at(DAY, 11)})
    gate = Gate()
    thread, moved = _in_thread(lambda: process_stored(pausing_store(booking_documents=gate), "move"))
    gate.wait_reached()  # the reschedule has read `orig` (with its parties), still confirmed

    cancel(own_store(), "orig", now=datetime.now(UTC), by=uid, reason="I am ill")
    gate.open()
    thread.join(60)

    assert (moved["value"].status, moved["value"].reason.value) == ("rejected", "not_reschedulable")
    original = _appointment(db, "orig")
    assert (original["status"], original["cancelReason"], original.get("rescheduledTo")) == (
        "cancelled", "I am ill", None)
    assert [h["status"] for h in original["history"]] == ["confirmed", "cancelled"]
    assert assert_no_overlaps(db, "dr-ada") == 0
    assert_sheets_match_scratch(db, "dr-ada")


def test_a_cancel_paused_after_its_read_cannot_undo_a_completion_recorded_meanwhile(db, booked, new_user):
    _, admin_token, _ = new_user({"admin": True})
    gate = Gate()
    thread, late = _in_thread(lambda: _refusal_or_outcome(lambda: cancel(
        pausing_store(appointment_versioned=gate), "orig", now=datetime.now(UTC), by="admin-1",
        reason="clinic closed", enforce_cutoff=False)))
    gate.wait_reached()  # the cancel has read `orig`, still confirmed

    with triggers_off():
        assert emulator.rest_patch("appointments/orig", {"status": "completed"}, admin_token).status_code == 200
    gate.open()
    thread.join(60)

    assert late["value"] == "invalid_transition"
    original = _appointment(db, "orig")
    assert (original["status"], original.get("cancelReason")) == ("completed", None)
    assert assert_no_overlaps(db, "dr-ada") == 1  # the visit still holds its time
    assert_sheets_match_scratch(db, "dr-ada")


def _refusal_or_outcome(fn):
    try:
        return fn()
    except Refusal as refused:
        return refused.code


def test_ten_reschedules_of_one_appointment_at_once_move_it_exactly_once(db, booked):
    moves = {f"move-{n}": at(DAY, 11 + n // 2, 30 * (n % 2)) for n in range(10)}
    _reschedule_requests(booked, moves)

    result = race(list(moves))

    assert _statuses(result) == [("confirmed", None)] + [("rejected", "not_reschedulable")] * 9
    winner = next(i for i, o in result.outcomes.items() if o.status == "confirmed")
    original = _appointment(db, "orig")
    assert (original["status"], original["rescheduledTo"]) == ("cancelled", winner)
    assert [h["status"] for h in original["history"]] == ["confirmed", "cancelled"]
    assert assert_no_overlaps(db, "dr-ada") == 1
    assert_sheets_match_scratch(db, "dr-ada")


def test_twelve_requests_of_one_customer_processed_at_once_confirm_exactly_ten_under_the_default_cap(
        db, clean_firestore, new_user):
    seed(db)
    wait_for_sheet(db, "dr-ada", DAY)
    uid, token = signed_up_customers(db, new_user, 1)[0]
    ids = [f"greedy-{n}" for n in range(12)]
    starts = [at(DAY, 9 + n // 2, 30 * (n % 2)) for n in range(12)]
    _write_through_rules([(f"bookingRequests/{i}", _request(uid, start), token) for i, start in zip(ids, starts)])

    result = race(ids)

    assert _statuses(result) == [("confirmed", None)] * 10 + [("rejected", "too_many_upcoming")] * 2
    ledger = db.document(f"customerLedgers/{uid}").get().to_dict()
    confirmed = {i for i, o in result.outcomes.items() if o.status == "confirmed"}
    assert set(ledger["upcoming"]) == confirmed
    assert_sheets_match_scratch(db, "dr-ada")
