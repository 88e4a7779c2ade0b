"""A 10-occurrence weekly series (issue 19) against the emulator suite
(run by `make bench`).

Prints: the time from a client's REST write of a series request until it
reads `confirmed` (ten appointments in one commit), beside a single
booking timed the same way; and the documents read and written by the
series booking itself and by cancelling "this and following" from its
first occurrence (the store's counters, the service called directly as the
trigger calls it).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.domain.booking_requests import parse_request  # noqa: E402
from booking.services.series import book_series  # noqa: E402
from booking.services.series_cancel import cancel_following  # noqa: E402
from booking.store.clients import db as admin_db  # noqa: E402
from booking.store.firestore_store import FirestoreStore  # noqa: E402
from support import emulator  # noqa: E402
from support.world import a_future_day, add_customer, at, seed, wait_for_sheet, wait_for_status  # noqa: E402

COUNT = 10
RUNS = 8
OPEN_LONG = {d: [{"start": "00:00", "end": "23:30"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def user(db) -> tuple[str, str]:
    account = emulator.sign_up(f"series-bench-{time.monotonic_ns()}@example.com")
    add_customer(db, account["localId"])
    return account["localId"], account["idToken"]


def request_doc(uid: str, start: datetime, count: int | None) -> dict:
    doc = {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
           "status": "pending", "createdAt": emulator.SERVER_TIME}
    if count:
        doc["recurrence"] = {"frequency": "weekly", "count": count}
    return doc


def timed(db, token: str, request_id: str, doc: dict) -> float:
    emulator.wait_for_functions_idle(quiet=0.3)  # each starts on an idle functions emulator
    began = time.perf_counter()
    emulator.rest_create(f"bookingRequests/{request_id}", doc, token).raise_for_status()
    outcome = wait_for_status(db, f"bookingRequests/{request_id}", interval=0.02)
    elapsed = time.perf_counter() - began
    assert outcome["status"] == "confirmed", outcome
    return elapsed


def latencies(db, day) -> tuple[list[float], list[float]]:
    uid, token = user(db)
    series, singles = [], []
    for i in range(-1, RUNS):  # one of each first, uncounted: no cold start in the figures
        series_start = at(day, 0) + timedelta(minutes=30 * (i + 1))
        single_start = at(day, 12) + timedelta(minutes=30 * (i + 1))
        s = timed(db, token, f"series-{i + 1}", request_doc(uid, series_start, COUNT))
        one = timed(db, token, f"single-{i + 1}", request_doc(uid, single_start, None))
        if i >= 0:
            series.append(s)
            singles.append(one)
    return series, singles


def costs(db, day) -> dict[str, tuple[int, int]]:
    uid, _ = user(db)
    store = FirestoreStore(db)
    now = datetime.now(UTC)
    data = request_doc(uid, at(day, 18), COUNT)
    data["createdAt"] = now
    request = parse_request("series-cost", data)
    store.counts.clear()
    outcome = book_series(store, request, now=now, create_request=True)
    assert outcome.status == "confirmed", outcome
    booking = (store.counts["reads"], store.counts["writes"])
    store.counts.clear()
    cancel_following(store, "series-cost-01", now=now, by=uid)
    cancelling = (store.counts["reads"], store.counts["writes"])
    return {f"series of {COUNT} (one commit)": booking, f"cancel this and following ({COUNT})": cancelling}


def main() -> None:
    db = admin_db()
    emulator.clear_firestore()
    seed(db, weekly=OPEN_LONG, type_fields={"minNoticeMinutes": 0, "horizonDays": 7 * COUNT + 7})
    db.document("settings/booking").set({"maxUpcomingPerCustomer": 1000})
    day = a_future_day(2)
    wait_for_sheet(db, "dr-ada", day + timedelta(weeks=COUNT - 1), timeout=120)
    series, singles = latencies(db, day)
    per_op = costs(db, day)
    print(f"\nA weekly series of {COUNT} through the emulator suite (client REST write -> trigger -> confirmed)")
    print(f"  series over {RUNS} requests: p50 {statistics.median(series) * 1000:.0f} ms, "
          f"max {max(series) * 1000:.0f} ms; a single booking timed alike: "
          f"p50 {statistics.median(singles) * 1000:.0f} ms, max {max(singles) * 1000:.0f} ms")
    print("  documents per operation (reads, writes):")
    for name, (reads, writes) in per_op.items():
        print(f"    {name:34} {reads} reads, {writes} writes")


if __name__ == "__main__":
    main()
