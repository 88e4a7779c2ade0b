"""No double booking under concurrency: many clients at once, through the
rules and the real trigger; afterwards the ledger equals a recomputation."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from support import emulator
from support.invariants import assert_no_overlaps, assert_sheets_match_scratch
from support.world import a_future_day, add_customer, at, seed, wait_for_sheet, wait_for_status


def _customers(db, new_user, n):
    users = []
    for _ in range(n):
        uid, token, _ = new_user()
        add_customer(db, uid)
        users.append((uid, token))
    return users


def _request(uid, start):
    return {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
            "status": "pending", "createdAt": emulator.SERVER_TIME}


def _fire(writes):
    with ThreadPoolExecutor(max_workers=len(writes)) as pool:
        codes = list(pool.map(lambda w: emulator.rest_create(*w).status_code, writes))
    assert codes == [200] * len(writes)


def _outcomes(db, ids):
    return {i: wait_for_status(db, f"bookingRequests/{i}", timeout=90) for i in ids}


def test_thirty_clients_racing_for_one_slot_get_one_confirmation_and_29_slot_taken(db, clean_firestore, new_user):
    seed(db)
    day = a_future_day(5)
    wait_for_sheet(db, "dr-ada", day)
    users = _customers(db, new_user, 30)
    start = at(day, 10)

    _fire([(f"bookingRequests/race-{n}", _request(uid, start), token) for n, (uid, token) in enumerate(users)])
    outcomes = _outcomes(db, [f"race-{n}" for n in range(30)])

    statuses = sorted((o["status"], o.get("reason")) for o in outcomes.values())
    assert statuses == [("confirmed", None)] + [("rejected", "slot_taken")] * 29
    assert assert_no_overlaps(db, "dr-ada") == 1
    assert_sheets_match_scratch(db, "dr-ada")


def test_thirty_clients_booking_thirty_different_slots_of_one_day_all_succeed(db, clean_firestore, new_user):
    seed(db, weekly={d: [{"start": "06:00", "end": "21:00"}] for d in
                     ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    day = a_future_day(5)
    wait_for_sheet(db, "dr-ada", day, lambda s: len(s["available"].get("consult", [])) == 30)
    users = _customers(db, new_user, 30)
    starts = [at(day, 6 + n // 2, 30 * (n % 2)) for n in range(30)]

    _fire([(f"bookingRequests/day-{n}", _request(uid, starts[n]), token) for n, (uid, token) in enumerate(users)])
    outcomes = _outcomes(db, [f"day-{n}" for n in range(30)])

    assert [o["status"] for o in outcomes.values()] == ["confirmed"] * 30
    assert assert_no_overlaps(db, "dr-ada") == 30
    sheet = wait_for_sheet(db, "dr-ada", day)
    assert sheet["available"]["consult"] == []
    assert_sheets_match_scratch(db, "dr-ada")


def test_overlapping_starts_with_buffers_never_confirm_overlapping_blocks(db, clean_firestore, new_user):
    # 45-minute sessions with 15 minutes either side on a 15-minute grid:
    # every start within an hour of another confirmed one must lose.
    seed(db, type_fields={"durationMinutes": 45, "slotIntervalMinutes": 15, "bufferBeforeMinutes": 15,
                          "bufferAfterMinutes": 15})
    day = a_future_day(5)
    wait_for_sheet(db, "dr-ada", day)
    users = _customers(db, new_user, 24)
    starts = [at(day, 9 + (n * 15) // 60, (n * 15) % 60) for n in range(24)]  # 09:00 .. 14:45

    _fire([(f"bookingRequests/mix-{n}", _request(uid, starts[n]), token) for n, (uid, token) in enumerate(users)])
    outcomes = _outcomes(db, [f"mix-{n}" for n in range(24)])

    confirmed = [o for o in outcomes.values() if o["status"] == "confirmed"]
    assert confirmed, "at least one request must win"
    assert {o.get("reason") for o in outcomes.values() if o["status"] == "rejected"} <= {"slot_taken", "not_on_slot"}
    assert assert_no_overlaps(db, "dr-ada") == len(confirmed)
    assert_sheets_match_scratch(db, "dr-ada")
