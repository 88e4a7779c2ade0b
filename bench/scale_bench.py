"""Load at size (issue 17, part 4): search, upkeep and the view's lag for
N = 10, 100 and 500 providers, each seeded by scripts/seed_scale.py (a
realistic fortnight, three types, a fifth of the first week booked).

    source .cache/env.sh && python scripts/suite.py exec -- \\
        functions/venv/bin/python bench/scale_bench.py [--providers 10,100,500] [--runs 20]

`make bench` runs N = 10 and 100; the 500 run adds about 6 minutes on a
2-core machine (seeding 2.5, the upkeep 1 to 2.5 with the machine's load),
so it runs only with SCALE_BENCH_500=1 (or `--providers`).

For each N it prints:

* `GET /available-slots` through Hosting, 7 days of `standard`, without
  `providerId` ("any provider") and for one provider: p50/p95 latency and
  the documents read per search (the `X-Doc-Reads` header);
* the daily upkeep: `upkeep_provider` (the `upkeep` task function's
  service) for every provider from 5 threads, the task queue's maximum
  concurrent dispatches, called in-process rather than through the Cloud
  Tasks emulator (which hands one task at a time to the functions
  emulator); run as of tomorrow, so each provider's horizon moves one day
  as the real daily run's does; triggers off while it runs, so the figure
  is the upkeep's own work; total reads, writes and wall time;
* the `typeSlots` view's lag: a booking committed (the real booking
  routine, triggers on) until the view's document for that type and UTC
  date no longer lists the start for that provider; p50/p95 over 20
  bookings. Until the view is in the tree, "no view" is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests"), str(ROOT / "scripts")]

import requests  # noqa: E402
from booking.domain.booking_requests import BookingRequest, RequestStatus  # noqa: E402
from booking.services.booking import book  # noqa: E402
from booking.services.upkeep import upkeep_provider  # noqa: E402
from booking.store.firestore_store import FirestoreStore  # noqa: E402
from seed_scale import in_pool, provider_ids, seed_scale  # noqa: E402
from support import emulator  # noqa: E402
from support.concurrency import triggers_off  # noqa: E402
from support.world import wait_for  # noqa: E402

SEARCH_TYPE = "standard"
UPKEEP_WORKERS = 5  # the upkeep queue's max_concurrent_dispatches (functions/booking/entry/tasks.py)
LAG_BOOKINGS = 20
POLL = 0.02


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def search(session: requests.Session, runs: int, first: date, provider: str | None) -> dict:
    latencies, reads, statuses, found = [], [], Counter(), []
    for n in range(runs):
        params = {"appointmentTypeId": SEARCH_TYPE, "from": (first + timedelta(days=n % 3)).isoformat(),
                  "to": (first + timedelta(days=n % 3 + 6)).isoformat(), "timeZone": "Europe/Berlin"}
        if provider:
            params["providerId"] = provider
        began = time.perf_counter()
        resp = session.get(f"{emulator.HOSTING}/available-slots", params=params, timeout=300)
        latencies.append(time.perf_counter() - began)
        statuses[resp.status_code] += 1
        reads.append(int(resp.headers.get("x-doc-reads", "-1")))
        if resp.ok:
            found.append(sum(len(day) for day in resp.json().get("dates", {}).values()))
    # The number of free times found tells an empty view from a fast one.
    return {"p50": statistics.median(latencies), "p95": pct(latencies, 0.95), "reads": statistics.median(reads),
            "statuses": dict(statuses), "slots": statistics.median(found) if found else 0}


def upkeep(ids: list[str], now: datetime) -> dict:
    with triggers_off():
        began = time.perf_counter()
        reports, counts = in_pool(ids, lambda store, pid: upkeep_provider(store, pid, now=now), UPKEEP_WORKERS)
        seconds = time.perf_counter() - began
    views = [r.view_written for r in reports if r.view_written is not None]
    return {"seconds": seconds, "reads": counts["reads"], "writes": counts["writes"],
            "sheets": sum(r.sheets_written for r in reports), "view": sum(views) if views else None,
            "errors": [r.error for r in reports if r.error]}


def _view_lists(db, type_id: str, start: datetime, provider_id: str) -> bool:
    doc = db.document(f"typeSlots/{type_id}_{start.astimezone(UTC).date().isoformat()}").get().to_dict() or {}
    return any(entry.get("providerId") == provider_id and start in entry.get("starts", [])
               for entry in (doc.get("sheets") or {}).values())


def view_lag(db, ids: list[str], now: datetime) -> list[float] | None:
    """Seconds from each booking's commit until the view drops its start."""
    if not db.collection("typeSlots").limit(1).get():
        return None  # the view is not in this tree yet
    store = FirestoreStore(db)
    lags: list[float] = []
    for k in range(LAG_BOOKINGS):
        provider_id = ids[k % len(ids)]
        day = (now + timedelta(days=2 + k // len(ids))).date()
        found = store.sheets(provider_id, [day, day + timedelta(days=1)])
        starts = [s for v in found.values() if v for s in v.value.available.get(SEARCH_TYPE, [])]
        listed = [s for s in starts if _view_lists(db, SEARCH_TYPE, s, provider_id)]
        if not listed:
            continue
        start = listed[len(listed) // 2]
        uid = f"lag-c{k}"
        db.document(f"customers/{uid}").set({"name": "Lag Bench", "email": f"{uid}@example.com"})
        emulator.wait_for_functions_idle(quiet=0.3)
        outcome = book(store, BookingRequest(id=f"lag-{k}", customer_id=uid, provider_id=provider_id,
                                             appointment_type_id=SEARCH_TYPE, start=start),
                       now=datetime.now(UTC), create_request=True)
        committed = time.perf_counter()
        if outcome.status != RequestStatus.CONFIRMED:
            continue
        if wait_for(lambda: not _view_lists(db, SEARCH_TYPE, start, provider_id), timeout=60, interval=POLL):
            lags.append(time.perf_counter() - committed)
    return lags


def print_upkeep(n: int, kept: dict) -> None:
    errors = f" errors {kept['errors']}" if kept["errors"] else ""
    print(f"  daily upkeep, {n} providers from {UPKEEP_WORKERS} threads (in-process upkeep_provider): "
          f"{kept['seconds']:.1f} s, {kept['reads']} reads, {kept['writes']} writes "
          f"({kept['sheets']} sheets, view documents {kept['view']}){errors}", flush=True)


def one_size(db, n: int, runs: int, upkeep_up_to: int) -> None:
    emulator.clear_firestore()
    now = datetime.now(UTC)
    began = time.perf_counter()
    seeded = seed_scale(db, n, now=now)
    print(f"\n{n} providers seeded in {time.perf_counter() - began:.0f} s: {seeded.sheets_written} day sheets, "
          f"bookings {dict(seeded.bookings)}, view documents {seeded.view_documents} "
          f"({', '.join(f'{k} {v:.1f} s' for k, v in seeded.seconds.items())})", flush=True)
    ids = provider_ids(n)
    session = requests.Session()
    session.get(f"{emulator.HOSTING}/available-slots/healthz", timeout=60)
    first = (now + timedelta(days=2)).date()
    search(session, 1, first, ids[0])  # the function's cold start is not what is measured
    for label, provider in ((f"any provider ({n})", None), ("one provider", ids[0])):
        row = search(session, runs if provider or n < 500 else max(5, runs // 2), first, provider)
        print(f"  GET /available-slots {label}, 7 days: p50 {row['p50'] * 1000:.0f} ms, "
              f"p95 {row['p95'] * 1000:.0f} ms; {row['reads']:.0f} reads, {row['slots']:.0f} free times "
              f"{row['statuses']}", flush=True)
    if n > upkeep_up_to:
        print(f"  daily upkeep: not measured above {upkeep_up_to} providers (--upkeep-up-to)", flush=True)
    else:
        print_upkeep(n, upkeep(ids, now + timedelta(days=1)))
    lags = view_lag(db, ids, now)
    if lags is None:
        print("  typeSlots view lag: no view in this tree", flush=True)
    elif lags:
        print(f"  typeSlots view lag after a booking: p50 {statistics.median(lags) * 1000:.0f} ms, "
              f"p95 {pct(lags, 0.95) * 1000:.0f} ms ({len(lags)} bookings)", flush=True)
    else:
        print("  typeSlots view lag: the view never dropped a booked start within 60 s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = "10,100,500" if os.environ.get("SCALE_BENCH_500") == "1" else "10,100"
    parser.add_argument("--providers", default=default, help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--upkeep-up-to", type=int, default=1000,
                        help="measure the daily upkeep only up to this many providers")
    args = parser.parse_args()
    if not emulator.running():
        print("run inside the emulator suite (scripts/suite.py exec -- ...)", file=sys.stderr)
        return 2
    try:
        sizes = [int(n) for n in args.providers.split(",")]
    except ValueError:
        parser.error("--providers takes sizes like 10,100,500")
    from booking.store.clients import db as client

    print("Load at size (scripts/seed_scale.py; searches through Hosting)", flush=True)
    for n in sizes:
        one_size(client(), n, args.runs, args.upkeep_up_to)
    return 0


if __name__ == "__main__":
    sys.exit(main())
