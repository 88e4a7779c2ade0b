"""REST API benchmark through Hosting on the emulator suite.

Run inside the suite (it clears Firestore and seeds its own data):

    source .cache/env.sh && python scripts/suite.py exec -- \\
        functions/venv/bin/python bench/api_bench.py [--runs N] [--providers P]

Prints p50/p95 latency and the Firestore documents read per call (the
`X-Doc-Reads` header every API response carries) for:

* GET /available-slots, one provider, 7 and 31 days
* GET /available-slots, every provider offering the type, 7 days
* POST /appointments (each call books a different free slot)
* GET /appointments filtered by provider, status and a start range
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

import requests  # noqa: E402
from support import emulator  # noqa: E402
from support.world import ALL_WEEK, add_customer, seed, wait_for  # noqa: E402

ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure(session: requests.Session, label: str, runs: int, make_call) -> dict:
    latencies, reads, statuses = [], [], {}
    for n in range(runs):
        t0 = time.perf_counter()
        resp = make_call(n)
        latencies.append((time.perf_counter() - t0) * 1000)
        statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
        reads.append(int(resp.headers.get("x-doc-reads", "-1")))
    row = {
        "call": label, "runs": runs, "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1), "reads_p50": statistics.median(reads),
        "reads_max": max(reads), "statuses": statuses,
    }
    print(f"{label:<55} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
          f"reads {row['reads_p50']:>5} (max {row['reads_max']})  {statuses}", flush=True)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--providers", type=int, default=10)
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    if not emulator.running():
        print("run inside the emulator suite (scripts/suite.py exec -- ...)", file=sys.stderr)
        return 2

    from booking.store.clients import db as client

    db = client()
    emulator.clear_firestore()
    # One bench customer books far more than a customer may hold at once.
    db.document("settings/booking").set({"maxUpcomingPerCustomer": 1000})
    providers = [f"p{n:02d}" for n in range(args.providers)]
    for n, provider_id in enumerate(providers):
        seed(db, provider_id=provider_id, tz=ZONES[n % len(ZONES)], weekly=ALL_WEEK,
             type_fields={"minNoticeMinutes": 0, "horizonDays": 60, "cancelCutoffMinutes": 0})
    email = f"bench-{time.time_ns()}@example.com"
    uid = emulator.sign_up(email)["localId"]
    token = emulator.sign_in(email)["idToken"]
    add_customer(db, uid, "Bench Customer")
    auth = {"Authorization": f"Bearer {token}"}

    first = (datetime.now(UTC) + timedelta(days=2)).date()
    last = first + timedelta(days=35)
    print(f"seeding {len(providers)} providers; waiting for their day sheets ...", flush=True)
    t0 = time.perf_counter()

    def sheets_ready():
        return all(db.document(f"slots/{p}_{last.isoformat()}").get().exists for p in providers)

    if not wait_for(sheets_ready, timeout=300, interval=1.0):
        print("day sheets did not appear", file=sys.stderr)
        return 1
    print(f"sheets ready after {time.perf_counter() - t0:.1f} s", flush=True)

    hosting = emulator.HOSTING
    session = requests.Session()

    def slots(provider: str | None, days: int, n: int):
        params = {"appointmentTypeId": "consult", "from": (first + timedelta(days=n % 3)).isoformat(),
                  "to": (first + timedelta(days=n % 3 + days - 1)).isoformat(), "timeZone": "Europe/Berlin"}
        if provider:
            params["providerId"] = provider
        return session.get(f"{hosting}/available-slots", params=params, timeout=60)

    # warm every function once (cold starts are not what is measured)
    for path in ("/available-slots/healthz", "/appointments/healthz"):
        session.get(hosting + path, timeout=60)
    slots("p00", 1, 0)

    rows = [
        measure(session, "GET /available-slots 1 provider, 7 days", args.runs, lambda n: slots("p00", 7, n)),
        measure(session, "GET /available-slots 1 provider, 31 days", args.runs, lambda n: slots("p00", 31, n)),
        measure(session, f"GET /available-slots all {len(providers)} providers, 7 days", args.runs,
                lambda n: slots(None, 7, n)),
    ]

    def post(n: int):
        provider = providers[n % len(providers)]
        day = first + timedelta(days=n // len(providers))
        start = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        # 12:00 UTC is inside 09:00-17:00 local for the European and US zones;
        # take the provider's first open slot that day otherwise
        sheet = db.document(f"slots/{provider}_{day.isoformat()}").get().to_dict() or {}
        offered = sheet.get("available", {}).get("consult", [])
        if offered and start not in offered:
            start = offered[len(offered) // 2]
        body = {"providerId": provider, "appointmentTypeId": "consult",
                "start": start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        return session.post(f"{hosting}/appointments", json=body, headers=auth, timeout=60)

    rows.append(measure(session, "POST /appointments", args.runs, post))

    def listing(n: int):
        params = {"providerId": providers[n % len(providers)], "status": "confirmed",
                  "from": f"{first.isoformat()}T00:00:00Z", "to": f"{last.isoformat()}T00:00:00Z", "pageSize": 50}
        return session.get(f"{hosting}/appointments", params=params, headers=auth, timeout=60)

    rows.append(measure(session, "GET /appointments ?providerId&status&from&to", args.runs, listing))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
