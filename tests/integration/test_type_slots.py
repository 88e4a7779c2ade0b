"""The "any provider" view (`typeSlots`) through the real triggers and under
real concurrency: it lists exactly the provider sheets' free starts after
seeding, a booking, a cancel and a provider leaving (deactivated or
deleted); a trigger run that read
an older sheet and writes late changes nothing; providers refreshing one
view document at once all land."""

from __future__ import annotations

import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from booking.domain.booking_requests import parse_request
from booking.domain.ranges import to_utc
from booking.services.booking import book
from booking.services.cancel import cancel
from booking.services.recompute import recompute_provider
from booking.services.type_slots import after_sheet_write, sync_provider_view
from booking.store.converters import sheet_from, view_from
from google.cloud.firestore_v1.base_query import FieldFilter
from support import emulator
from support.concurrency import Gate, own_store, pausing_store, triggers_off
from support.world import a_future_day, at, seed, signed_up_customers, wait_for, wait_for_sheet, wait_for_status

DAY = a_future_day(4)
SYDNEY_WEEKLY = {d: [{"start": "09:00", "end": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def sheet_starts(db, type_id: str = "consult") -> dict[date, set]:
    """What the view should list: every stored sheet's starts of the type by UTC date."""
    out: dict[date, set] = defaultdict(set)
    for snap in db.collection("slots").stream():
        sheet = sheet_from(snap.to_dict())
        for s in sheet.available.get(type_id, []):
            out[to_utc(s).date()].add((to_utc(s), sheet.provider_id))
    return dict(out)


def view_starts(db, type_id: str = "consult") -> dict[date, set]:
    out: dict[date, set] = {}
    for snap in db.collection("typeSlots").where(filter=FieldFilter("typeId", "==", type_id)).stream():
        found = {(to_utc(s), e.provider_id) for e in view_from(snap.to_dict()).values() for s in e.starts}
        if found:
            out[date.fromisoformat(snap.get("date"))] = found
    return out


def assert_view_catches_up(db, timeout: float = 60) -> None:
    assert wait_for(lambda: view_starts(db) == sheet_starts(db), timeout=timeout), (
        f"view and sheets differ: {_difference(db)}")


def _difference(db) -> str:
    """The first few starts only the view lists and only the sheets list, by UTC date."""
    view, sheets = view_starts(db), sheet_starts(db)
    out = {}
    for d in sorted(set(view) | set(sheets)):
        extra, missing = view.get(d, set()) - sheets.get(d, set()), sheets.get(d, set()) - view.get(d, set())
        if extra or missing:
            out[d.isoformat()] = {"only in the view": sorted(f"{s:%H:%M} {p}" for s, p in extra)[:3],
                                  "only in the sheets": sorted(f"{s:%H:%M} {p}" for s, p in missing)[:3]}
    return str(dict(list(out.items())[:3]))


def two_providers(db) -> None:
    seed(db, provider_id="dr-ada", tz="Europe/London")
    seed(db, provider_id="dr-syd", tz="Australia/Sydney", weekly=SYDNEY_WEEKLY)
    wait_for_sheet(db, "dr-ada", DAY)
    wait_for_sheet(db, "dr-syd", DAY)


def test_the_view_lists_exactly_the_sheets_starts_after_seeding_a_booking_a_cancel_and_providers_leaving(
        db, clean_firestore, new_user):
    two_providers(db)
    assert_view_catches_up(db)
    # Sydney's working day is two UTC dates: its mornings are the day before's evening.
    syd = {d for d, starts in view_starts(db).items() if any(p == "dr-syd" for _, p in starts)}
    assert DAY - timedelta(days=1) in syd and DAY in syd

    [(uid, token)] = signed_up_customers(db, new_user, 1)
    start = at(DAY, 10)
    emulator.rest_create("bookingRequests/v1", {
        "customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
        "status": "pending", "createdAt": emulator.SERVER_TIME}, token).raise_for_status()
    booked = wait_for_status(db, "bookingRequests/v1")
    assert booked["status"] == "confirmed"
    assert wait_for(lambda: (start, "dr-ada") not in view_starts(db).get(DAY, set()), timeout=30)
    assert_view_catches_up(db)

    cancel(own_store(), booked["appointmentId"], now=datetime.now(UTC), by="admin", enforce_cutoff=False)
    assert wait_for(lambda: (start, "dr-ada") in view_starts(db).get(DAY, set()), timeout=30)

    db.document("providers/dr-syd").update({"active": False})
    assert wait_for(lambda: not any(p == "dr-syd" for starts in view_starts(db).values() for _, p in starts),
                    timeout=60), "an inactive provider is still in the view"
    assert_view_catches_up(db)

    # A deleted provider's sheets stay as they were; the view drops them.
    db.document("providers/dr-ada").delete()
    assert wait_for(lambda: not view_starts(db), timeout=60), "a deleted provider is still in the view"
    assert sheet_starts(db), "the deleted provider's sheets are kept"


def test_a_trigger_run_that_read_the_sheet_before_a_booking_and_writes_after_it_puts_nothing_back(
        db, clean_firestore, new_user):
    seed(db, provider_id="dr-ada", tz="UTC")
    wait_for_sheet(db, "dr-ada", DAY)
    assert_view_catches_up(db)
    start = at(DAY, 10)
    with triggers_off():
        gate = Gate()
        slow = pausing_store(sheets=gate)
        with ThreadPoolExecutor(max_workers=1) as pool:
            stalled = pool.submit(after_sheet_write, slow, slow, f"dr-ada_{DAY.isoformat()}", None, None)
            gate.wait_reached()  # it holds the sheet with 10:00 free
            [(uid, _)] = signed_up_customers(db, new_user, 1)
            outcome = book(own_store(), parse_request("late-v1", {
                "customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
                "status": "pending"}), now=datetime.now(UTC))
            assert outcome.status.value == "confirmed"
            assert after_sheet_write(own_store(), own_store(), f"dr-ada_{DAY.isoformat()}", None, None) >= 1
            assert (start, "dr-ada") not in view_starts(db)[DAY]
            gate.open()
            stalled.result(timeout=30)
    assert (start, "dr-ada") not in view_starts(db)[DAY], "the late run put the taken start back"
    assert view_starts(db) == sheet_starts(db)


def test_twenty_providers_refreshing_one_view_document_at_once_all_land(db, clean_firestore):
    with triggers_off():
        for n in range(20):
            seed(db, provider_id=f"dr-{n:02d}", tz="UTC")
        stores = [own_store() for _ in range(20)]
        now = datetime.now(UTC)
        with ThreadPoolExecutor(max_workers=20) as pool:
            list(pool.map(lambda n: recompute_provider(stores[n], f"dr-{n:02d}", now=now), range(20)))
        barrier = threading.Barrier(20)

        def refresh(n: int) -> int:
            barrier.wait()
            return sync_provider_view(stores[n], stores[n], f"dr-{n:02d}", [DAY], now=now)

        with ThreadPoolExecutor(max_workers=20) as pool:
            written = list(pool.map(refresh, range(20)))
    assert all(w >= 1 for w in written)
    assert {p for _, p in view_starts(db)[DAY]} == {f"dr-{n:02d}" for n in range(20)}
    assert view_starts(db)[DAY] == sheet_starts(db)[DAY]

