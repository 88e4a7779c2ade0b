"""A hot day sheet (issue 17, part 5): a group class of 200 seats booked by
hundreds of requests at once, every one of them writing the same sheet.

    source .cache/env.sh && python scripts/suite.py exec -- \\
        functions/venv/bin/python bench/hot_sheet_bench.py

As in the race tests, the requests are written with triggers off and the
trigger's entry point runs from 10 threads (10 instances), each with its
own Firestore client. Prints, for 200 requests for 200 seats and for 300
requests for 200 seats: the time until every request was answered, the
outcomes, per-request latency, how many commits wrote the sheet (each
commit is one write of the hot document) and how many seats were
confirmed as companions of another request's commit.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.domain.booking_requests import RequestStatus  # noqa: E402
from booking.store.clients import db as admin_db  # noqa: E402
from support import emulator  # noqa: E402
from support.concurrency import process_stored, race, triggers_off  # noqa: E402
from support.group_class import seed_group_class, stored_outcomes, write_class_requests  # noqa: E402
from support.world import a_future_day  # noqa: E402

INSTANCES = 10
SEATS = 200


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def burst(db, requests: int, day_offset: int) -> dict:
    day = a_future_day(day_offset)
    seed_group_class(db, day, capacity=SEATS)
    latencies: dict[str, float] = {}
    outcomes = {}

    def run(store, request_id):
        began = time.perf_counter()
        outcome = process_stored(store, request_id)
        latencies[request_id] = time.perf_counter() - began
        outcomes[request_id] = outcome
        return outcome

    with triggers_off():
        ids = write_class_requests(db, day, requests, prefix=f"hot{requests}")
        result = race(ids, workers=INSTANCES, run=run)
    own = [o for o in outcomes.values() if not o.replayed]
    sheet_commits = sum(1 for o in own if o.status == RequestStatus.CONFIRMED)
    return {"seconds": result.seconds, "stored": stored_outcomes(db, ids), "latencies": list(latencies.values()),
            "sheet_commits": sheet_commits, "companions": sum(o.batched for o in own),
            "rounds": Counter(o.rounds for o in own)}


def main() -> int:
    if not emulator.running():
        print("run inside the emulator suite (scripts/suite.py exec -- ...)", file=sys.stderr)
        return 2
    db = admin_db()
    print(f"\nA hot day sheet: one class of {SEATS} seats, {INSTANCES} instances at once")
    for k, requests in enumerate((SEATS, SEATS + SEATS // 2)):
        emulator.clear_firestore()
        r = burst(db, requests, 5 + k)
        lat = r["latencies"]
        stored = ", ".join(f"{status}{':' + reason if reason else ''} {n}"
                           for (status, reason), n in sorted(r["stored"].items(), key=str))
        print(f"  {requests} requests: all answered after {r['seconds']:.1f} s ({stored}); per request "
              f"p50 {statistics.median(lat):.2f} s, p95 {pct(lat, 0.95):.2f} s; the sheet written by "
              f"{r['sheet_commits']} commits, {r['companions']} seats confirmed as companions; "
              f"rounds {dict(sorted(r['rounds'].items()))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
