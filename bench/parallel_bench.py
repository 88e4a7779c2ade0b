"""Bookings processed by many instances at once, and the re-drive (run by
`make bench`).

The functions emulator runs one trigger at a time, so, as in the race
tests, the trigger's entry point runs here from N threads, each with its
own Firestore client. Prints, for N requests of one provider-day at N
instances: the time until every one was answered, per-request latency
percentiles, rounds per booking, and the ratio to the floor, one
uncontended booking measured in the same run. Then the time one re-drive
run takes to answer 100 requests whose trigger never ran.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.services.redrive import redrive  # noqa: E402
from booking.store.clients import db as admin_db  # noqa: E402
from booking.store.firestore_store import FirestoreStore  # noqa: E402
from support import emulator  # noqa: E402
from support.concurrency import own_store, process_stored, race, triggers_off  # noqa: E402
from support.world import a_future_day, add_customer, at, seed, wait_for_sheet  # noqa: E402

EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def customers(db, n: int) -> list[str]:
    """Customer profiles written with the admin client: each request has its
    own customer, so the per-customer cap never refuses here."""
    uids = [f"bench-cust-{i}" for i in range(n)]
    for uid in uids:
        add_customer(db, uid)
    return uids


def write_requests(db, prefix: str, uids: list[str], starts: list[datetime], created: datetime | None = None):
    batch = db.batch()
    for i, (uid, start) in enumerate(zip(uids, starts)):
        batch.set(db.document(f"bookingRequests/{prefix}-{i}"), {
            "customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
            "status": "pending", "createdAt": created or datetime.now(UTC)})
    batch.commit()
    return [f"{prefix}-{i}" for i in range(len(uids))]


def timed(store, request_id: str):
    began = time.perf_counter()
    outcome = process_stored(store, request_id)
    return outcome, time.perf_counter() - began


def one_day_at_once(db, n: int, day_offset: int) -> dict:
    day = a_future_day(day_offset)
    wait_for_sheet(db, "dr-ada", day)
    starts = [at(day, 6 + (k * 10) // 60, (k * 10) % 60) for k in range(n)]
    ids = write_requests(db, f"par{n}", customers(db, n), starts)
    latencies: dict[str, float] = {}

    def run(store, request_id):
        outcome, seconds = timed(store, request_id)
        latencies[request_id] = seconds
        return outcome

    result = race(ids, run=run)
    return {"seconds": result.seconds, "latencies": list(latencies.values()),
            "statuses": Counter(o.status for o in result.outcomes.values()),
            "rounds": Counter(o.rounds for o in result.outcomes.values())}


def floor(db, day_offset: int) -> float:
    """One booking with nobody else writing: the best any booking can do."""
    day = a_future_day(day_offset)
    wait_for_sheet(db, "dr-ada", day)
    samples = []
    uids = customers(db, 5)
    for i, uid in enumerate(uids):
        (request_id,) = write_requests(db, f"floor-{i}", [uid], [at(day, 8, 10 * i)])
        outcome, seconds = timed(own_store(), request_id)
        assert outcome.status == "confirmed", outcome
        samples.append(seconds)
    return statistics.median(samples)


def redrive_run(db, n: int, day_offset: int) -> tuple[float, Counter]:
    day = a_future_day(day_offset)
    wait_for_sheet(db, "dr-ada", day)
    starts = [at(day, 6 + (k * 10) // 60, (k * 10) % 60) for k in range(n)]
    write_requests(db, "lost", customers(db, n), starts, created=datetime.now(UTC) - timedelta(minutes=2))
    began = time.perf_counter()
    report = redrive(FirestoreStore(db), now=datetime.now(UTC))
    return time.perf_counter() - began, Counter(report.requests.values())


def main() -> None:
    db = admin_db()
    emulator.clear_firestore()
    # 10-minute visits, 06:00-22:40: 100 starts a day.
    seed(db, type_fields={"durationMinutes": 10, "slotIntervalMinutes": 10, "minNoticeMinutes": 0},
         weekly={d: [{"start": "06:00", "end": "22:40"}] for d in EVERY_DAY})
    # Switching triggers off before the functions emulator has loaded them
    # does not hold: wait until a trigger has built the sheets first.
    for offset in range(3, 8):
        wait_for_sheet(db, "dr-ada", a_future_day(offset))
    with triggers_off():
        base = floor(db, 3)
        runs = {n: one_day_at_once(db, n, 4 + k) for k, n in enumerate((30, 100))}
        redrive_seconds, redriven = redrive_run(db, 100, 7)
    print("\nMany instances at once (the trigger's entry point from N threads, one client each)")
    print(f"  floor: one uncontended booking {base * 1000:.0f} ms (median of 5)")
    for n, r in runs.items():
        lat = r["latencies"]
        print(f"  {n} requests for {n} free starts of one provider-day, {n} instances: all answered in "
              f"{r['seconds']:.2f} s; {dict(r['statuses'])}")
        print(f"    per request p50 {statistics.median(lat) * 1000:.0f} ms, p95 {pct(lat, 0.95) * 1000:.0f} ms, "
              f"max {max(lat) * 1000:.0f} ms (p50 {statistics.median(lat) / base:.1f}x the floor); "
              f"rounds {dict(sorted(r['rounds'].items()))}")
    print(f"  one re-drive run answering 100 requests whose trigger never ran: {redrive_seconds:.2f} s; "
          f"{dict(redriven)}")


if __name__ == "__main__":
    main()
