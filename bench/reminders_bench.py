"""Reminder benchmarks against the emulator suite (run by `make bench`).

For a booking, a reschedule and a cancel: the documents the operation
reads and writes, then what keeping its reminders in step costs (the
`on_appointment_written` trigger's work: reads, and task operations on the
Cloud Tasks emulator's queue, with their latency); and for one reminder
sent by the task handler, its reads and writes. The services are called
directly with the Firestore triggers off, so each count is the operation's
own. The type has two reminders (24 h and 2 h before).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.domain.booking_requests import parse_request  # noqa: E402
from booking.services.booking import book  # noqa: E402
from booking.services.cancel import cancel  # noqa: E402
from booking.services.reminders import deliver_reminder, sync_reminders  # noqa: E402
from booking.store.clients import db as admin_db  # noqa: E402
from booking.store.firestore_store import FirestoreStore  # noqa: E402
from booking.store.task_queue import FirebaseTaskQueue  # noqa: E402
from support import emulator  # noqa: E402
from support.concurrency import triggers_off  # noqa: E402
from support.world import a_future_day, add_customer, at, seed, wait_for_sheet  # noqa: E402

REMINDERS = [{"beforeMinutes": 1440}, {"beforeMinutes": 120}]


class CountingQueue:
    """The real queue, counting its calls and the time they take."""

    def __init__(self, inner: FirebaseTaskQueue) -> None:
        self.inner = inner
        self.counts: Counter = Counter()
        self.seconds = 0.0

    def enqueue(self, task_id, payload, schedule_time) -> None:
        began = time.perf_counter()
        try:
            self.inner.enqueue(task_id, payload, schedule_time)
        finally:
            self.seconds += time.perf_counter() - began
            self.counts["enqueued"] += 1

    def delete(self, task_id) -> bool:
        began = time.perf_counter()
        try:
            return self.inner.delete(task_id)
        finally:
            self.seconds += time.perf_counter() - began
            self.counts["deleted"] += 1


def measured(store: FirestoreStore, queue: CountingQueue, operation, *appointment_ids: str) -> str:
    """Runs `operation`, then the reminder sync its appointment writes fire."""
    before = {i: store.appointment(i) for i in appointment_ids}
    store.counts.clear()
    operation()
    reads, writes = store.counts["reads"], store.counts["writes"]
    store.counts.clear()
    queue.counts.clear()
    queue.seconds = 0.0
    now = datetime.now(UTC)
    for appointment_id in appointment_ids:
        sync_reminders(store, queue, before[appointment_id], store.appointment(appointment_id), now)
    store.counts["reads"] -= len(appointment_ids)  # the bench's own read of each record
    return (f"{reads} reads, {writes} writes; reminders: {store.counts['reads']} reads, "
            f"{queue.counts['enqueued']} enqueued, {queue.counts['deleted']} deleted "
            f"({queue.seconds * 1000:.0f} ms of queue calls)")


def main() -> None:
    db = admin_db()
    emulator.clear_firestore()
    seed(db, type_fields={"minNoticeMinutes": 0, "reminders": REMINDERS})
    add_customer(db, "bench-rem")
    day = a_future_day(5)
    wait_for_sheet(db, "dr-ada", day)
    store = FirestoreStore(db)
    queue = CountingQueue(FirebaseTaskQueue("remind"))
    now = datetime.now(UTC)

    def request(request_id: str, start: datetime, **extra) -> None:
        data = {"customerId": "bench-rem", "providerId": "dr-ada", "appointmentTypeId": "consult",
                "start": start, "status": "pending", "createdAt": now, **extra}
        book(store, parse_request(request_id, data), now=now, create_request=True)

    with triggers_off():
        rows = {
            "booking": measured(store, queue, lambda: request("rem-1", at(day, 9)), "rem-1"),
            "reschedule": measured(store, queue, lambda: request("rem-2", at(day, 11), rescheduleOf="rem-1"),
                                   "rem-1", "rem-2"),
            "cancel": measured(store, queue, lambda: cancel(store, "rem-2", now=now, by="bench-rem"), "rem-2"),
        }
        request("rem-3", at(day, 14))
        appointment = store.appointment("rem-3")
        store.counts.clear()
        report = deliver_reminder(store, {"appointmentId": "rem-3", "beforeMinutes": 120,
                                          "start": appointment.start.isoformat()}, now=now)
        sent = (store.counts["reads"], store.counts["writes"], report.outcome.value)

    print("\nReminders through the emulator suite (services called directly; Firestore triggers off)")
    for name, line in rows.items():
        print(f"  {name:12} {line}")
    print(f"  one reminder sent by the task handler: {sent[0]} reads, {sent[1]} writes ({sent[2]})")


if __name__ == "__main__":
    main()
