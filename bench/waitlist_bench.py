"""Waitlist benchmark against the emulator suite (run by `make bench`).

1. Cancel → the waiting customer's confirmed booking, through the real
   triggers (the cancel trigger releases the block, the slot-sheet trigger
   hands the freed start to the waitlist, which books it), 20 times in a
   chain: each round a new customer joins and the previous round's booking
   is cancelled. Measured from the cancel's write to the new appointment
   seen confirmed by a client polling every 5 ms, and to the booking's own
   `createdAt` (the functions run on this machine's clock).
2. What the waitlist's part of one sheet event costs in documents, with
   the services called directly and the Firestore triggers off.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.domain.booking_requests import parse_request  # noqa: E402
from booking.services.booking import book  # noqa: E402
from booking.services.cancel import finish_cancel  # noqa: E402
from booking.services.waitlist import after_sheet_change  # noqa: E402
from booking.store.clients import db as admin_db  # noqa: E402
from booking.store.converters import sheet_from  # noqa: E402
from booking.store.firestore_store import FirestoreStore  # noqa: E402
from booking.store.waitlist import FirestoreWaitlist  # noqa: E402
from support import emulator  # noqa: E402
from support.concurrency import triggers_off  # noqa: E402
from support.world import a_future_day, add_customer, at, seed, sheet, wait_for_sheet  # noqa: E402

ROUNDS = 20
ONE_SLOT = {d: [{"start": "09:00", "end": "09:30"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def join(db, entry_id: str, uid: str, day) -> None:
    db.document(f"waitlist/{entry_id}").set({
        "customerId": uid, "appointmentTypeId": "consult", "providerId": "dr-ada", "firstDay": day.isoformat(),
        "lastDay": day.isoformat(), "timeZone": "UTC", "mode": "book", "status": "waiting",
        "createdAt": datetime.now(UTC)})


def booked(db, appointment_id: str, timeout: float = 30.0) -> float | None:
    deadline = time.monotonic() + timeout
    ref = db.document(f"appointments/{appointment_id}")
    while time.monotonic() < deadline:
        snapshot = ref.get()
        if snapshot.exists and snapshot.get("status") == "confirmed":
            return time.monotonic()
        time.sleep(0.005)
    return None


def world(db):
    emulator.clear_firestore()
    seed(db, weekly=ONE_SLOT, type_fields={"horizonDays": 3})
    day = a_future_day(2)
    wait_for_sheet(db, "dr-ada", day, lambda s: at(day, 9) in s["available"]["consult"])
    return day


def hold(store, uid: str, request_id: str, day) -> None:
    now = datetime.now(UTC)
    data = {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": at(day, 9),
            "status": "pending", "createdAt": now}
    book(store, parse_request(request_id, data), now=now, create_request=True)


def chain(db) -> tuple[list[float], list[float]]:
    day = world(db)
    store = FirestoreStore(db)
    add_customer(db, "holder")
    hold(store, "holder", "held", day)
    emulator.wait_for_functions_idle()
    holder, seen, backend = "held", [], []
    for n in range(ROUNDS):
        uid, entry_id = f"waiter-{n}", f"e{n}"
        add_customer(db, uid)
        join(db, entry_id, uid, day)
        emulator.wait_for_functions_idle()
        began, wall = time.monotonic(), datetime.now(UTC)
        db.document(f"appointments/{holder}").update({"status": "cancelled"})
        holder = f"wl-{entry_id}-1"
        done = booked(db, holder)
        if done is None:
            print(f"  round {n}: not booked within 30 s")
            continue
        seen.append(done - began)
        backend.append((db.document(f"appointments/{holder}").get().get("createdAt") - wall).total_seconds())
    return seen, backend


def costs(db) -> str:
    day = world(db)
    store, lists = FirestoreStore(db), FirestoreWaitlist(db)
    add_customer(db, "holder")
    add_customer(db, "waiter")
    with triggers_off():
        hold(store, "holder", "held", day)
        before = sheet_from(sheet(db, "dr-ada", day))
        join(db, "e1", "waiter", day)
        db.document("appointments/held").update({"status": "cancelled"})
        finish_cancel(store, "held", now=datetime.now(UTC))
        after = sheet_from(sheet(db, "dr-ada", day))
        store.counts.clear()
        report = after_sheet_change(store, lists, before, after, now=datetime.now(UTC))
        nothing = FirestoreStore(db)
        after_sheet_change(nothing, FirestoreWaitlist(db), after, after, now=datetime.now(UTC))
    assert report.booked == {"e1": "wl-e1-1"}, report
    return (f"{store.counts['reads'] + lists.counts['reads']} reads, "
            f"{store.counts['writes'] + lists.counts['writes']} writes (waitlist: {lists.counts['reads']} reads, "
            f"{lists.counts['writes']} writes; the booking and the sheet: the rest); a sheet write that frees "
            f"nothing: {nothing.counts['reads']} reads")


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    db = admin_db()
    seen, backend = chain(db)
    cost = costs(db)
    print("\nWaitlist through the emulator suite")
    if seen:
        print(f"  cancel -> waiting customer's booking confirmed ({len(seen)} of {ROUNDS}), seen by a client: "
              f"p50 {statistics.median(seen) * 1000:.0f} ms, p95 {p(seen, 95) * 1000:.0f} ms; "
              f"to the booking's commit (its createdAt): p50 {statistics.median(backend) * 1000:.0f} ms, "
              f"p95 {p(backend, 95) * 1000:.0f} ms")
    print(f"  one freed start booked for the first in line: {cost}")


if __name__ == "__main__":
    main()
