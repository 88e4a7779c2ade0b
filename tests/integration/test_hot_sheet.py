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
from datetime import UTC, datetime

from support.concurrency import race, triggers_off
from support.invariants import assert_no_overlaps, assert_sheets_match_scratch
from support.world import a_future_day, at, seed, sheet, wait_for_sheet

DAY = a_future_day(6)
CLASS_START = at(DAY, 9)
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
INSTANCES = 10


def seed_group_class(db, capacity: int = 200) -> None:
    """One provider whose only start each day is a 09:00 class of `capacity` seats."""
    seed(db, type_id="yoga", type_fields={"name": "Morning yoga", "durationMinutes": 60, "capacity": capacity,
                                          "minNoticeMinutes": 0},
         weekly={d: [{"start": "09:00", "end": "10:00"}] for d in EVERY_DAY})
    wait_for_sheet(db, "dr-ada", DAY, lambda s: s["available"].get("yoga") == [CLASS_START])


def write_class_requests(db, n: int, prefix: str = "hot") -> list[str]:
    """`n` pending requests for the class, each from its own customer (so no
    customer's cap is what refuses). Call it with triggers off."""
    ids = [f"{prefix}-{k:03d}" for k in range(n)]
    for chunk in range(0, n, 100):
        batch = db.batch()
        for request_id in ids[chunk:chunk + 100]:
            uid = f"{request_id}-cust"
            batch.set(db.document(f"customers/{uid}"), {"name": "Class Member", "email": f"{uid}@example.com"})
            batch.set(db.document(f"bookingRequests/{request_id}"), {
                "customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "yoga", "start": CLASS_START,
                "status": "pending", "createdAt": datetime.now(UTC)})
        batch.commit()
    return ids


def stored_outcomes(db, ids: list[str]) -> Counter:
    docs = db.get_all([db.document(f"bookingRequests/{i}") for i in ids])
    return Counter((d.get("status"), d.to_dict().get("reason")) for d in docs)


def test_two_hundred_requests_for_a_class_of_two_hundred_from_ten_instances_all_confirm_and_none_stays_pending(
        db, clean_firestore):
    seed_group_class(db)
    with triggers_off():
        ids = write_class_requests(db, 200)
        result = race(ids, workers=INSTANCES)

    assert Counter(o.status.value for o in result.outcomes.values()) == {"confirmed": 200}
    assert stored_outcomes(db, ids) == {("confirmed", None): 200}
    assert assert_no_overlaps(db, "dr-ada") == 200
    assert sheet(db, "dr-ada", DAY)["available"].get("yoga", []) == []
    assert_sheets_match_scratch(db, "dr-ada")


def test_three_hundred_requests_for_two_hundred_seats_confirm_two_hundred_and_refuse_a_hundred_slot_taken(
        db, clean_firestore):
    seed_group_class(db)
    with triggers_off():
        ids = write_class_requests(db, 300)
        result = race(ids, workers=INSTANCES)

    assert Counter((o.status.value, o.reason.value if o.reason else None)
                   for o in result.outcomes.values()) == {("confirmed", None): 200, ("rejected", "slot_taken"): 100}
    assert stored_outcomes(db, ids) == {("confirmed", None): 200, ("rejected", "slot_taken"): 100}
    assert assert_no_overlaps(db, "dr-ada") == 200
    assert_sheets_match_scratch(db, "dr-ada")
