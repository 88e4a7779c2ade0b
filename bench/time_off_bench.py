"""Time off and calendar feed benchmarks against the emulator suite (run by
`make bench`).

Prints, for applying a time-off write (a one-hour meeting, a two-week
holiday, a closure of every provider for a day) and for importing a
calendar feed of 200 events (first import, an unchanged re-import, one
event moved): documents read and written, and latency percentiles next to
a floor measured in the same run (read one sheet, write it back
conditioned: the least any change of a sheet can cost).

The services are called directly with the backend's triggers switched off
(after they have loaded), so the counts are the operation's own; the
trigger's later re-check of each written document is reported separately.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.domain.time_off import TimeOff  # noqa: E402
from booking.services.feed_import import import_feed  # noqa: E402
from booking.services.feeds.fetch import fetch_feed  # noqa: E402
from booking.services.ports import Commit  # noqa: E402
from booking.services.time_off import apply_time_off  # noqa: E402
from booking.store import converters as conv  # noqa: E402
from booking.store.calendar_feeds import FirestoreFeeds  # noqa: E402
from booking.store.clients import db as admin_db  # noqa: E402
from booking.store.firestore_store import FirestoreStore  # noqa: E402
from support import emulator  # noqa: E402
from support.concurrency import triggers_off  # noqa: E402
from support.feed_server import FeedServer  # noqa: E402
from support.world import a_future_day, at, seed, wait_for_sheet  # noqa: E402

DAYS = {d: [{"start": "08:00", "end": "18:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
RUNS = 15
PROVIDERS = 10


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figures(name: str, seconds: list[float], floor: float) -> str:
    p50 = statistics.median(seconds) * 1000
    return (f"  {name:44} p50 {p50:6.1f} ms  p90 {pct(seconds, 0.9) * 1000:6.1f} ms  "
            f"max {max(seconds) * 1000:6.1f} ms  ({p50 / floor:.1f}x the floor)")


def floor_ms(store: FirestoreStore, day: date) -> list[float]:
    seconds = []
    for _ in range(RUNS):
        began = time.perf_counter()
        found = store.sheets("dr-ada", [day])[day]
        store.commit(Commit(sheets=[(found.value, found.version)]))
        seconds.append(time.perf_counter() - began)
    return seconds


def timed_apply(store: FirestoreStore, make) -> tuple[list[float], tuple[int, int]]:
    """Writes and applies `make(n)` RUNS times (each on a fresh document),
    then deletes each; the cost is that of one creation's application."""
    seconds, cost = [], None
    for n in range(RUNS):
        time_off = make(n)
        store.db.document(f"timeOff/{time_off.id}").set(conv.time_off_to(time_off))
        store.counts.clear()
        began = time.perf_counter()
        apply_time_off(store, {time_off.id: (None, time_off)}, now=datetime.now(UTC))
        seconds.append(time.perf_counter() - began)
        cost = cost or (store.counts["reads"], store.counts["writes"])
        store.db.document(f"timeOff/{time_off.id}").delete()
        apply_time_off(store, {time_off.id: (time_off, None)}, now=datetime.now(UTC))
    return seconds, cost


def recheck_cost(store: FirestoreStore, time_off: TimeOff) -> tuple[int, int]:
    """What the trigger spends finding an applied change already applied."""
    store.counts.clear()
    apply_time_off(store, {time_off.id: (None, time_off)}, now=datetime.now(UTC))
    return store.counts["reads"], store.counts["writes"]


def feed_body(first: date, moved: int | None = None) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for n in range(200):
        day = first + timedelta(days=n // 8)
        start = datetime(day.year, day.month, day.day, 8 + n % 8, 30 if n == moved else 0, tzinfo=UTC)
        lines += ["BEGIN:VEVENT", f"UID:bench-{n}@example.com", f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}",
                  f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{start + timedelta(minutes=45):%Y%m%dT%H%M%SZ}",
                  f"SUMMARY:Busy {n}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def feed_import(db, store: FirestoreStore) -> list[str]:
    first = a_future_day(2)
    out = []
    with FeedServer() as server:
        server.put("/bench.ics", feed_body(first))
        db.document("calendarFeeds/dr-ada").set({"url": server.url("/bench.ics")})
        feeds = FirestoreFeeds(db)
        fetch = partial(fetch_feed, allow_loopback=True)
        for label, body in (("first import of 200 events", None), ("the same feed again", None),
                            ("one event moved", feed_body(first, moved=17))):
            if body is not None:
                server.put("/bench.ics", body)
            store.counts.clear()
            began = time.perf_counter()
            report = import_feed(store, feeds, "dr-ada", now=datetime.now(UTC), fetch=fetch)
            took = (time.perf_counter() - began) * 1000
            out.append(f"    {label:40} {store.counts['reads']:4} reads, {store.counts['writes']:4} writes, "
                       f"{took:7.1f} ms  (created {report.created}, updated {report.updated}, "
                       f"deleted {report.deleted}, sheets {report.sheets_written})")
    return out


def main() -> None:
    db = admin_db()
    emulator.clear_firestore()
    seed(db, weekly=DAYS)
    for n in range(1, PROVIDERS):
        db.document(f"providers/p-{n}").set({"name": f"Provider {n}", "timeZone": "Europe/Berlin",
                                            "typeIds": ["consult"], "active": True})
        db.document(f"availability/p-{n}").set({"providerId": f"p-{n}", "weekly": DAYS, "overrides": []})
    day = a_future_day(5)
    wait_for_sheet(db, "dr-ada", day)
    for n in range(1, PROVIDERS):
        wait_for_sheet(db, f"p-{n}", day)
    store = FirestoreStore(db)

    with triggers_off():
        floor = floor_ms(store, day)
        floor_p50 = statistics.median(floor) * 1000
        meeting, meeting_cost = timed_apply(store, lambda n: TimeOff(
            id=f"meet-{n}", provider_ids=["dr-ada"], start=at(day, 10), end=at(day, 11)))
        holiday, holiday_cost = timed_apply(store, lambda n: TimeOff(
            id=f"hol-{n}", provider_ids=["dr-ada"], all_day=True, start_date=day, end_date=day + timedelta(days=13)))
        closure, closure_cost = timed_apply(store, lambda n: TimeOff(
            id=f"close-{n}", all_providers=True, all_day=True, start_date=day, end_date=day))
        check = TimeOff(id="meet-check", provider_ids=["dr-ada"], start=at(day, 10), end=at(day, 11))
        db.document("timeOff/meet-check").set(conv.time_off_to(check))
        apply_time_off(store, {check.id: (None, check)}, now=datetime.now(UTC))
        recheck = recheck_cost(store, check)
        feed_lines = feed_import(db, store)

    print("\nTime off through the emulator suite (service called directly; triggers off)")
    print(f"  floor: read one sheet and write it back conditioned: p50 {floor_p50:.1f} ms")
    print(figures("one-hour meeting (1 provider, 1 day)", meeting, floor_p50))
    print(figures("two-week holiday (1 provider, 14 days)", holiday, floor_p50))
    print(figures(f"one-day closure ({PROVIDERS} providers)", closure, floor_p50))
    print("  documents per time-off write (reads, writes):")
    for name, (reads, writes) in (("one-hour meeting", meeting_cost), ("two-week holiday", holiday_cost),
                                  (f"one-day closure, {PROVIDERS} providers", closure_cost),
                                  ("the trigger's re-check of an applied one", recheck)):
        print(f"    {name:40} {reads:4} reads, {writes:4} writes")
    print("  calendar feed import (fetch from a local server, parse, write the difference, apply):")
    for line in feed_lines:
        print(line)


if __name__ == "__main__":
    main()
