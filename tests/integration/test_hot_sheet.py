"""A hot day sheet: a group class (capacity 200) that hundreds of customers
book within the same second, every booking writing the one sheet of that
provider-day.

Requests are written with the backend's triggers off, then the trigger's
entry point runs from 10 threads at once, each with its own Firestore
client, as 10 function instances would (support/concurrency.py). Outcomes
only: how long it takes is the bench's business (bench/hot_sheet_bench.py).
"""

from __future__ import annotations

from collections import Counter

from support.concurrency import race, triggers_off
from support.group_class import CLASS_TYPE, PROVIDER, seed_group_class, stored_outcomes, write_class_requests
from support.invariants import assert_no_overlaps, assert_sheets_match_scratch
from support.world import a_future_day, sheet

DAY = a_future_day(6)
INSTANCES = 10


def _statuses(result) -> Counter:
    return Counter(o.status.value for o in result.outcomes.values())


def test_two_hundred_requests_for_a_class_of_two_hundred_from_ten_instances_all_confirm_and_none_stays_pending(
        db, clean_firestore):
    seed_group_class(db, DAY, capacity=200)
    with triggers_off():
        ids = write_class_requests(db, DAY, 200)
        result = race(ids, workers=INSTANCES)

    assert _statuses(result) == {"confirmed": 200}
    assert stored_outcomes(db, ids) == {("confirmed", None): 200}
    assert assert_no_overlaps(db, PROVIDER) == 200
    assert sheet(db, PROVIDER, DAY)["available"].get(CLASS_TYPE, []) == []
    assert_sheets_match_scratch(db, PROVIDER)


def test_three_hundred_requests_for_two_hundred_seats_confirm_two_hundred_and_refuse_a_hundred_slot_taken(
        db, clean_firestore):
    seed_group_class(db, DAY, capacity=200)
    with triggers_off():
        ids = write_class_requests(db, DAY, 300)
        result = race(ids, workers=INSTANCES)

    assert _statuses(result) == {"confirmed": 200, "rejected": 100}
    assert stored_outcomes(db, ids) == {("confirmed", None): 200, ("rejected", "slot_taken"): 100}
    assert assert_no_overlaps(db, PROVIDER) == 200
    assert_sheets_match_scratch(db, PROVIDER)
