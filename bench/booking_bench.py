"""Booking benchmarks against the emulator suite (run by `make bench`).

Prints: end-to-end confirmation latency (client REST write until the
request reads `confirmed`), the time for a 30-client race for one slot to
settle, and documents read and written per booking, per cancel and per
7-day slot search of one provider.
"""

from __future__ import annotations

import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.domain.booking_requests import parse_request  # noqa: E402
from booking.services.booking import book  # noqa: E402
from booking.services.cancel import cancel  # noqa: E402
from booking.store.clients import db as admin_db  # noqa: E402
from booking.store.firestore_store import FirestoreStore  # noqa: E402
from support import emulator  # noqa: E402
from support.world import a_future_day, add_customer, at, seed, wait_for_sheet, wait_for_status  # noqa: E402

# Long days that still end before midnight: round-the-clock hours make each
# day's reach overlap its neighbours', so every booking would touch 3 sheets.
OPEN_LONG = {d: [{"start": "00:00", "end": "23:30"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def user(db) -> tuple[str, str]:
    account = emulator.sign_up(f"bench-{time.monotonic_ns()}@example.com")
    add_customer(db, account["localId"])
    return account["localId"], account["idToken"]


def client_request(uid: str, start: datetime) -> dict:
    return {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
            "status": "pending", "createdAt": emulator.SERVER_TIME}


def confirmation_latency(db, n: int = 50) -> list[float]:
    uid, token = user(db)
    day = a_future_day(3)
    wait_for_sheet(db, "dr-ada", day)
    latencies = []
    for i in range(n):
        start = at(day + timedelta(days=i // 40), 0) + timedelta(minutes=30 * (i % 40))
        began = time.perf_counter()
        resp = emulator.rest_create(f"bookingRequests/lat-{i}", client_request(uid, start), token)
        resp.raise_for_status()
        outcome = wait_for_status(db, f"bookingRequests/lat-{i}", interval=0.02)
        latencies.append(time.perf_counter() - began)
        assert outcome["status"] == "confirmed", outcome
    return latencies


def race(db, n: int = 30) -> tuple[float, dict[str, int]]:
    day = a_future_day(4)
    wait_for_sheet(db, "dr-ada", day)
    users = [user(db) for _ in range(n)]
    start = at(day, 12)
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(lambda p: emulator.rest_create(f"bookingRequests/race-{p[0]}",
                                                     client_request(p[1][0], start), p[1][1]),
                      enumerate(users)))
    outcomes = [wait_for_status(db, f"bookingRequests/race-{i}", interval=0.02) for i in range(n)]
    settled = time.perf_counter() - began
    tally: dict[str, int] = {}
    for o in outcomes:
        key = o["status"] if o["status"] == "confirmed" else f"{o['status']}:{o.get('reason')}"
        tally[key] = tally.get(key, 0) + 1
    return settled, tally


def costs(db) -> dict[str, tuple[int, int]]:
    uid, _ = user(db)
    day = a_future_day(5)
    wait_for_sheet(db, "dr-ada", day)
    store = FirestoreStore(db)
    now = datetime.now(UTC)
    data = client_request(uid, at(day, 9))
    data["createdAt"] = now
    # Booked by the service directly, as the trigger would, so the store's
    # counters see exactly this operation.
    request = parse_request("cost-1", data)
    store.counts.clear()
    book(store, request, now=now, create_request=True)
    booking = (store.counts["reads"], store.counts["writes"])
    store.counts.clear()
    cancel(store, "cost-1", now=now, by=uid)
    cancelling = (store.counts["reads"], store.counts["writes"])
    store.counts.clear()
    store.appointment_type("consult")
    store.sheets("dr-ada", [day + timedelta(days=k) for k in range(7)])
    search = (store.counts["reads"], store.counts["writes"])
    return {"booking (from a request)": booking, "cancel": cancelling, "slot search, 1 provider, 7 days": search}


def main() -> None:
    db = admin_db()
    emulator.clear_firestore()
    seed(db, weekly=OPEN_LONG, type_fields={"minNoticeMinutes": 0})
    # One bench customer books far more than a customer may hold at once.
    db.document("settings/booking").set({"maxUpcomingPerCustomer": 1000})
    latencies = confirmation_latency(db)
    settled, tally = race(db)
    per_op = costs(db)
    print("\nBooking through the emulator suite (client REST write -> trigger -> confirmed)")
    print(f"  confirmation latency over {len(latencies)} sequential requests: "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {pct(latencies, 0.95) * 1000:.0f} ms")
    print(f"  30 clients racing for one slot settled in {settled:.2f} s: {tally}")
    print("  documents per operation (reads, writes):")
    for name, (reads, writes) in per_op.items():
        print(f"    {name:34} {reads} reads, {writes} writes")


if __name__ == "__main__":
    main()
