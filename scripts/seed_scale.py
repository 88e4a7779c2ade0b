"""Seed N providers with a realistic fortnight, fast enough for N = 500.

    source .cache/env.sh && python scripts/suite.py exec -- \\
        functions/venv/bin/python scripts/seed_scale.py --providers 500 [--clear]

Each provider works Mon-Fri 09:00-12:30 and 13:30-17:00 in one of a few
zones, every third one also Saturday 10:00-14:00, and offers three types:
`quick` (30 min), `standard` (45 min) and `extended` (60 min with 10-minute
buffers either side), each with a 14-day horizon so a provider has about
16 day sheets. About a fifth of each provider's first week of `quick`
starts is booked, alternating the three types.

Nothing is hand-made: the documents admins write (types, providers,
availability, customers) are written with the backend's triggers off, and
then, per provider in a thread pool (each thread with its own client, as
instances have), the day sheets come from the real recompute, the
bookings from the real booking routine, and the `typeSlots` view from the
daily upkeep's per-provider service (which builds it once the view's
service is wired in).
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.domain.booking_requests import BookingRequest, RequestStatus  # noqa: E402
from booking.domain.zones import local_date  # noqa: E402
from booking.services.booking import book  # noqa: E402
from booking.services.recompute import recompute_provider  # noqa: E402
from booking.services.type_slots import sync_providers_view  # noqa: E402
from booking.store.clients import project_id  # noqa: E402
from booking.store.firestore_store import FirestoreStore  # noqa: E402
from google.cloud import firestore  # noqa: E402
from google.cloud.firestore import FieldFilter  # noqa: E402

from support import emulator  # noqa: E402
from support.world import wait_for  # noqa: E402

log = logging.getLogger("seed_scale")

ZONES = ("Europe/London", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney")
HORIZON_DAYS = 14
VIEW_CHUNK = 50  # providers whose view entries are written together
TYPES = {
    "quick": {"name": "Quick check", "durationMinutes": 30},
    "standard": {"name": "Consultation", "durationMinutes": 45},
    "extended": {"name": "Extended session", "durationMinutes": 60, "bufferBeforeMinutes": 10,
                 "bufferAfterMinutes": 10},
}
TYPE_IDS = tuple(TYPES)
WEEKDAY = [{"start": "09:00", "end": "12:30"}, {"start": "13:30", "end": "17:00"}]
SATURDAY = [{"start": "10:00", "end": "14:00"}]
# One booking per this many `quick` starts: a fifth of the week.
BOOKING_EVERY = 5
# Under the default cap of 10 upcoming appointments per customer.
BOOKINGS_PER_CUSTOMER = 8
BOOKED_DAYS = 7
WARMUP = "scale-warmup"


def provider_ids(n: int, prefix: str = "sp") -> list[str]:
    return [f"{prefix}{k:04d}" for k in range(n)]


def weekly_hours(k: int) -> dict[str, list[dict[str, str]]]:
    week = {day: WEEKDAY for day in ("mon", "tue", "wed", "thu", "fri")}
    if k % 3 == 0:
        week["sat"] = SATURDAY
    return week


def type_doc(type_id: str) -> dict:
    return {"bufferBeforeMinutes": 0, "bufferAfterMinutes": 0, "minNoticeMinutes": 60,
            "horizonDays": HORIZON_DAYS, "capacity": 1, "cancelCutoffMinutes": 120, "price": 40,
            "currency": "EUR", "active": True, **TYPES[type_id]}


@dataclass
class SeedReport:
    providers: int = 0
    sheets_written: int = 0
    bookings: Counter = field(default_factory=Counter)  # confirmed / rejected:<reason>
    view_documents: int | None = None  # None: the typeSlots view is not in the tree yet
    counts: Counter = field(default_factory=Counter)  # documents read and written by the services
    seconds: dict[str, float] = field(default_factory=dict)


def _write_all(db, docs: list[tuple[str, dict]]) -> None:
    for chunk in range(0, len(docs), 400):
        batch = db.batch()
        for path, data in docs[chunk:chunk + 400]:
            batch.set(db.document(path), data)
        batch.commit()


def ensure_triggers_loaded(db, timeout: float = 120.0) -> None:
    """The emulator hub's trigger switch does not hold until the functions
    emulator has loaded the triggers (docs/design.md): make one trigger run
    (a throw-away provider's availability builds its sheets) before
    switching off. `remove_warmup` deletes what it left, triggers off."""
    db.document(f"appointmentTypes/{TYPE_IDS[0]}").set(type_doc(TYPE_IDS[0]))
    db.document(f"providers/{WARMUP}").set({"name": "Warm-up", "timeZone": "UTC", "typeIds": [TYPE_IDS[0]],
                                           "active": True})
    db.document(f"availability/{WARMUP}").set({"providerId": WARMUP, "overrides": [],
                                               "weekly": {"mon": WEEKDAY, "tue": WEEKDAY, "wed": WEEKDAY}})
    built = wait_for(lambda: list(db.collection("slots").where(filter=FieldFilter("providerId", "==", WARMUP))
                                  .limit(1).get()), timeout=timeout, interval=0.5)
    if not built:
        raise RuntimeError("no trigger ran within the timeout: is the functions emulator up?")


def remove_warmup(db) -> None:
    refs = [s.reference for s in db.collection("slots").where(filter=FieldFilter("providerId", "==", WARMUP)).get()]
    refs += [db.document(f"providers/{WARMUP}"), db.document(f"availability/{WARMUP}")]
    batch = db.batch()
    for ref in refs:
        batch.delete(ref)
    batch.commit()


def write_admin_documents(db, ids: list[str]) -> None:
    """What admins write: types, providers with contacts, weekly hours."""
    docs: list[tuple[str, dict]] = [(f"appointmentTypes/{t}", type_doc(t)) for t in TYPE_IDS]
    for k, provider_id in enumerate(ids):
        docs.append((f"providers/{provider_id}", {"name": f"Provider {k}", "timeZone": ZONES[k % len(ZONES)],
                                                  "typeIds": list(TYPE_IDS), "active": True}))
        docs.append((f"providerContacts/{provider_id}", {"email": f"{provider_id}@clinic.example"}))
        docs.append((f"availability/{provider_id}", {"providerId": provider_id, "weekly": weekly_hours(k),
                                                     "overrides": []}))
    _write_all(db, docs)


def _targets(store: FirestoreStore, provider_id: str, now: datetime) -> list[tuple[date, str, datetime]]:
    """(day, type, target time): every fifth `quick` start of the first
    week, each for the next type in turn."""
    provider = store.provider(provider_id)
    first = local_date(provider.time_zone, now) + timedelta(days=1)
    sheets = store.sheets(provider_id, [first + timedelta(days=d) for d in range(BOOKED_DAYS)])
    return [(day, TYPE_IDS[k % len(TYPE_IDS)], target)
            for day, found in sheets.items() if found is not None
            for k, target in enumerate(found.value.available.get("quick", [])[::BOOKING_EVERY])]


def _nearest_start(store: FirestoreStore, provider_id: str, day: date, type_id: str,
                   target: datetime) -> datetime | None:
    # Read again each time: a booking moves the grid after it (starts
    # resume at a tidy minute after a block), so earlier reads go stale.
    found = store.sheets(provider_id, [day])[day]
    starts = found.value.available.get(type_id, []) if found else []
    return min(starts, key=lambda s: abs(s - target)) if starts else None


def book_some(store: FirestoreStore, provider_id: str, now: datetime) -> Counter:
    """Books through the real routine, one request after another (one
    provider's bookings never contend with another thread's)."""
    outcomes: Counter = Counter()
    targets = _targets(store, provider_id, now)
    customers = [f"{provider_id}-c{j}" for j in range(-(-len(targets) // BOOKINGS_PER_CUSTOMER))]
    _write_all(store.db, [(f"customers/{uid}", {"name": f"Customer {uid}", "email": f"{uid}@example.com"})
                          for uid in customers])
    for n, (day, type_id, target) in enumerate(targets):
        start = _nearest_start(store, provider_id, day, type_id, target)
        if start is None:
            outcomes["skipped: day full"] += 1
            continue
        request = BookingRequest(id=f"{provider_id}-b{n:03d}", customer_id=customers[n // BOOKINGS_PER_CUSTOMER],
                                 provider_id=provider_id, appointment_type_id=type_id, start=start)
        outcome = book(store, request, now=now, create_request=True)
        outcomes[outcome.status.value if outcome.status == RequestStatus.CONFIRMED
                 else f"{outcome.status.value}:{outcome.reason.value if outcome.reason else None}"] += 1
    return outcomes


def in_pool(ids: list[str], work: Callable[[FirestoreStore, str], object],
            workers: int) -> tuple[list, Counter]:
    """`work` for every provider from `workers` threads, each thread on a
    store of its own; the results, and the documents all of them read and
    wrote."""
    local = threading.local()
    stores: list[FirestoreStore] = []

    def one(provider_id: str):
        if not hasattr(local, "store"):
            local.store = FirestoreStore(firestore.Client(project=project_id()))
            stores.append(local.store)
        return work(local.store, provider_id)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, ids))
    return results, sum((s.counts for s in stores), Counter())


def seed_scale(db, n: int, *, now: datetime, workers: int = 8, prefix: str = "sp") -> SeedReport:
    """Seeds `n` providers (ids `sp0000`...) as the module docstring says.
    Leaves the backend's triggers on when it returns."""
    report = SeedReport(providers=n)
    ids = provider_ids(n, prefix)
    began = time.perf_counter()
    ensure_triggers_loaded(db)
    emulator.set_background_triggers(False)
    report.seconds["warm-up"] = time.perf_counter() - began
    began = time.perf_counter()
    try:
        remove_warmup(db)
        write_admin_documents(db, ids)
        report.seconds["documents"] = time.perf_counter() - began

        began = time.perf_counter()
        recomputed, counts = in_pool(ids, lambda store, pid: recompute_provider(store, pid, now=now), workers)
        report.sheets_written = sum(r.written for r in recomputed)
        report.counts.update(counts)
        report.seconds["sheets"] = time.perf_counter() - began

        began = time.perf_counter()
        outcomes, counts = in_pool(ids, lambda store, pid: book_some(store, pid, now), workers)
        for outcome in outcomes:
            report.bookings.update(outcome)
        report.counts.update(counts)
        report.seconds["bookings"] = time.perf_counter() - began

        # The view, built from the sheets as booked by the same code as the
        # upkeep's repair, for 50 providers a call: every provider feeds the
        # same documents (one per type and UTC date), so one provider at a
        # time wrote each of them hundreds of times (193 s at 500 providers).
        began = time.perf_counter()
        days = sorted({d for r in recomputed for d in r.sheet_days})
        store = FirestoreStore(db)
        report.view_documents = sum(
            sync_providers_view(store, store, ids[i:i + VIEW_CHUNK], days, now=now)
            for i in range(0, len(ids), VIEW_CHUNK))
        report.counts.update(store.counts)
        report.seconds["view"] = time.perf_counter() - began
    finally:
        emulator.set_background_triggers(True)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--providers", type=int, default=10)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--clear", action="store_true", help="empty Firestore first")
    args = parser.parse_args()
    if not emulator.running():
        print("run inside the emulator suite (scripts/suite.py exec -- ...)", file=sys.stderr)
        return 2
    if args.providers < 1:
        parser.error("--providers must be at least 1")
    logging.basicConfig(level=logging.WARNING)
    from booking.store.clients import db as client

    db = client()
    if args.clear:
        emulator.clear_firestore()
    report = seed_scale(db, args.providers, now=datetime.now(UTC), workers=args.workers)
    view = "not in the tree yet" if report.view_documents is None else f"{report.view_documents} documents"
    sys.stdout.write(
        f"{report.providers} providers: {report.sheets_written} day sheets, bookings {dict(report.bookings)}, "
        f"typeSlots view {view}; {report.counts['reads']} reads, {report.counts['writes']} writes; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
