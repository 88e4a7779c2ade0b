"""A group class that hundreds book at once: one provider whose only start
each day is a 09:00 class of many seats, and pending requests for it, each
from its own customer. Shared by tests/integration/test_hot_sheet.py and
bench/hot_sheet_bench.py."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from support.world import at, seed, wait_for_sheet

PROVIDER = "dr-ada"
CLASS_TYPE = "yoga"
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def class_start(day: date) -> datetime:
    return at(day, 9)


def seed_group_class(db, day: date, capacity: int = 200) -> None:
    """Waits until a trigger has built `day`'s sheet, so the functions
    emulator has loaded its triggers and switching them off holds."""
    seed(db, provider_id=PROVIDER, type_id=CLASS_TYPE,
         type_fields={"name": "Morning yoga", "durationMinutes": 60, "capacity": capacity, "minNoticeMinutes": 0},
         weekly={d: [{"start": "09:00", "end": "10:00"}] for d in EVERY_DAY})
    wait_for_sheet(db, PROVIDER, day, lambda s: s["available"].get(CLASS_TYPE) == [class_start(day)])


def write_class_requests(db, day: date, n: int, prefix: str = "hot") -> list[str]:
    """`n` pending requests for the class, each from its own customer (so no
    customer's cap is what refuses), written with the admin client. Call it
    with triggers off."""
    ids = [f"{prefix}-{k:03d}" for k in range(n)]
    for chunk in range(0, n, 100):
        batch = db.batch()
        for request_id in ids[chunk:chunk + 100]:
            uid = f"{request_id}-cust"
            batch.set(db.document(f"customers/{uid}"), {"name": "Class Member", "email": f"{uid}@example.com"})
            batch.set(db.document(f"bookingRequests/{request_id}"), {
                "customerId": uid, "providerId": PROVIDER, "appointmentTypeId": CLASS_TYPE,
                "start": class_start(day), "status": "pending", "createdAt": datetime.now(UTC)})
        batch.commit()
    return ids


def stored_outcomes(db, ids: list[str]) -> Counter:
    """(status, reason) of every request as stored."""
    docs = db.get_all([db.document(f"bookingRequests/{i}") for i in ids])
    return Counter((d.get("status"), (d.to_dict() or {}).get("reason")) for d in docs)
