"""Booking benchmarks against the emulator suite (run by `make bench`).

Prints: end-to-end confirmation latency (client REST write until the
request reads `confirmed`), the same beside the floor (issue 17: a no-op
trigger that only writes one field back, `bench_floor` in functions/booking/entry/bench_floor.py,
timed the same way) with their ratio, the time for a 30-client race for one
slot to settle, and documents read and written per booking, per cancel and
per 7-day slot search of one provider.
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
from support.world import a_future_day, add_customer, at, seed, wait_for, wait_for_sheet, wait_for_status  # noqa: E402

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


# The emulator's admin token: rules are not evaluated. The floor's collection
# has no rule (deny by default), so both sides of the comparison write this
# way, the same REST call and the same polling.
OWNER = "owner"
POLL = 0.02


def _timed_booking(db, request_id: str, data: dict, token: str) -> float:
    began = time.perf_counter()
    emulator.rest_create(f"bookingRequests/{request_id}", data, token).raise_for_status()
    outcome = wait_for_status(db, f"bookingRequests/{request_id}", interval=POLL)
    elapsed = time.perf_counter() - began
    assert outcome["status"] == "confirmed", outcome
    return elapsed


def _timed_floor(db, floor_id: str) -> float:
    began = time.perf_counter()
    emulator.rest_create(f"benchFloor/{floor_id}", {"n": floor_id, "createdAt": emulator.SERVER_TIME},
                         OWNER).raise_for_status()
    echoed = wait_for(lambda: (db.document(f"benchFloor/{floor_id}").get().to_dict() or {}).get("echoedAt"),
                      timeout=30, interval=POLL)
    elapsed = time.perf_counter() - began
    assert echoed, f"the floor trigger never answered {floor_id}: is the functions emulator running it?"
    return elapsed


def against_the_floor(db, n: int = 50) -> tuple[list[float], list[float]]:
    """Booking and floor latencies, interleaved so that both see the same
    machine; one of each first, uncounted, so neither pays a cold start.
    Each starts on an idle functions emulator: it runs one event at a time,
    and a booking's own later triggers (its appointment's reminders, the
    mail) would otherwise hold up the floor's event behind them."""
    uid, _ = user(db)
    day = a_future_day(6)
    wait_for_sheet(db, "dr-ada", day)
    bookings, floors = [], []
    for i in range(-1, n):
        start = at(day + timedelta(days=(i + 1) // 40), 0) + timedelta(minutes=30 * ((i + 1) % 40))
        emulator.wait_for_functions_idle(quiet=0.3)
        booked = _timed_booking(db, f"floorcmp-{i + 1}", client_request(uid, start), OWNER)
        emulator.wait_for_functions_idle(quiet=0.3)
        floor = _timed_floor(db, f"floor-{i + 1}")
        if i >= 0:
            bookings.append(booked)
            floors.append(floor)
    return bookings, floors


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
    bookings, floors = against_the_floor(db)
    settled, tally = race(db)
    per_op = costs(db)
    print("\nBooking through the emulator suite (client REST write -> trigger -> confirmed)")
    print(f"  confirmation latency over {len(latencies)} sequential requests: "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {pct(latencies, 0.95) * 1000:.0f} ms")
    b50, b95, f50, f95 = (statistics.median(bookings), pct(bookings, 0.95), statistics.median(floors),
                          pct(floors, 0.95))
    print(f"  against the floor, {len(bookings)} of each interleaved (admin REST write -> field visible):")
    print(f"    booking p50 {b50 * 1000:.0f} ms, p95 {b95 * 1000:.0f} ms; "
          f"floor (no-op trigger writing one field back) p50 {f50 * 1000:.0f} ms, p95 {f95 * 1000:.0f} ms")
    print(f"    ratio booking/floor: p50 {b50 / f50:.2f}, p95 {b95 / f95:.2f}")
    print(f"  30 clients racing for one slot settled in {settled:.2f} s: {tally}")
    print("  documents per operation (reads, writes):")
    for name, (reads, writes) in per_op.items():
        print(f"    {name:34} {reads} reads, {writes} writes")


if __name__ == "__main__":
    main()
