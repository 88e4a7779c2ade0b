"""The daily upkeep fanned out, through the real Cloud Tasks emulator and the
real `upkeep` task function.

Scheduled functions never fire in the emulator, so the daily job's service
(`booking.services.upkeep.daily`) is run here as `daily_sweep` runs it, with
the real queue adapter; the Tasks emulator dispatches each task at once to
the functions emulator. It keeps every task name it has seen, so each test
uses providers of its own.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime, timedelta

import requests
from booking.services.upkeep import daily
from booking.store.firestore_store import FirestoreStore
from booking.store.task_queue import FirebaseTaskQueue
from google.cloud.firestore import FieldFilter
from support import emulator
from support.world import a_future_day, at, seed, sheet, wait_for, wait_for_sheet, wait_for_status

QUEUE_KEY = f"queue:{emulator.PROJECT}-us-central1-upkeep"
HORIZON_DAYS = 30  # the seeded type's


def queue_stats() -> dict:
    host = os.environ["CLOUD_TASKS_EMULATOR_HOST"]
    return requests.get(f"http://{host}/queueStats", timeout=5).json()


def sheet_ids(db, provider_id: str) -> set[str]:
    query = db.collection("slots").where(filter=FieldFilter("providerId", "==", provider_id))
    return {s.id for s in query.stream()}


def horizon_ids(provider_id: str, today: date) -> set[str]:
    """Yesterday through the horizon's last day, for a provider in UTC."""
    return {f"{provider_id}_{(today + timedelta(days=n)).isoformat()}" for n in range(-1, HORIZON_DAYS + 2)}


def lose_sheets(db, provider_ids: list[str]) -> None:
    """Every sheet of these providers deleted where no trigger sees it."""
    emulator.wait_for_functions_idle()
    emulator.set_background_triggers(False)
    try:
        for provider_id in provider_ids:
            for sheet_id in sheet_ids(db, provider_id):
                db.document(f"slots/{sheet_id}").delete()
    finally:
        emulator.set_background_triggers(True)


def test_the_upkeep_task_function_is_registered_as_the_upkeep_queue(db, clean_firestore):
    assert QUEUE_KEY in queue_stats()


def test_the_daily_job_enqueues_a_task_per_provider_and_each_task_rebuilds_its_providers_sheets(
        db, clean_firestore):
    run = uuid.uuid4().hex[:6]
    ada, bea = f"ada-{run}", f"bea-{run}"
    seed(db, provider_id=ada, customers=("cust-u",))
    seed(db, provider_id=bea)
    day = a_future_day()
    wait_for_sheet(db, ada, day)
    wait_for_sheet(db, bea, day)
    db.document(f"bookingRequests/up-{run}").set({
        "customerId": "cust-u", "providerId": ada, "appointmentTypeId": "consult", "start": at(day, 10),
        "status": "pending", "createdAt": datetime.now(UTC)})
    assert wait_for_status(db, f"bookingRequests/up-{run}")["status"] == "confirmed"
    lose_sheets(db, [ada, bea])
    assert sheet_ids(db, ada) == sheet_ids(db, bea) == set()

    now = datetime.now(UTC)
    report = daily(FirestoreStore(db), FirebaseTaskQueue("upkeep"), now=now)

    assert (sorted(report.enqueued), report.failed, report.errors) == (sorted([ada, bea]), {}, {})
    today = now.date()
    assert wait_for(lambda: sheet_ids(db, ada) == horizon_ids(ada, today), timeout=60)
    assert wait_for(lambda: sheet_ids(db, bea) == horizon_ids(bea, today), timeout=60)
    rebuilt = sheet(db, ada, day)
    assert [b["appointmentId"] for b in rebuilt["booked"]] == [f"up-{run}"]
    assert at(day, 10) not in rebuilt["available"]["consult"]
    assert at(day, 10) in sheet(db, bea, day)["available"]["consult"]


def test_a_second_daily_run_on_the_same_day_runs_no_task_again(db, clean_firestore):
    provider_id = f"cy-{uuid.uuid4().hex[:6]}"
    seed(db, provider_id=provider_id)
    day = a_future_day()
    wait_for_sheet(db, provider_id, day)
    queue = FirebaseTaskQueue("upkeep")
    now = datetime.now(UTC)
    daily(FirestoreStore(db), queue, now=now)
    # The seed's own recompute writes the same sheets: wait for the task
    # itself, or it could run after the sheets are lost and write them again.
    assert wait_for(lambda: queue_stats()[QUEUE_KEY]["numberOfTasks"] == 0, timeout=60)
    emulator.wait_for_functions_idle()
    assert len(sheet_ids(db, provider_id)) == HORIZON_DAYS + 3
    lose_sheets(db, [provider_id])

    again = daily(FirestoreStore(db), queue, now=now)

    # The name is taken: the enqueue succeeds and nothing runs.
    assert (again.enqueued, again.failed) == ([provider_id], {})
    emulator.wait_for_functions_idle()
    wait_for(lambda: queue_stats()[QUEUE_KEY]["numberOfTasks"] == 0)
    emulator.wait_for_functions_idle()
    assert sheet_ids(db, provider_id) == set()
