"""Reminders through the real Cloud Tasks emulator and the real functions.

The Tasks emulator ignores schedule times and runs a task as soon as it is
enqueued, so these tests check what was enqueued (ids, times, payloads: the
adapter's calls, recorded, and the emulator's acceptance of them) and what
the task function does when it runs: one mail for a confirmed appointment,
none for a cancelled or moved one, one when the same reminder runs twice.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import requests
from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.reminders import task_id_for
from booking.services.reminders import sync_reminders
from booking.store import converters as conv
from booking.store.firestore_store import FirestoreStore
from booking.store.task_queue import FirebaseTaskQueue
from support import emulator
from support.world import a_future_day, add_customer, at, seed, wait_for, wait_for_status

QUEUE_KEY = f"queue:{emulator.PROJECT}-us-central1-remind"


class Recording:
    """The real adapter, remembering each call it passed on."""

    def __init__(self, queue: FirebaseTaskQueue) -> None:
        self.queue = queue
        self.enqueued: list[tuple[str, dict, datetime]] = []
        self.deleted: list[str] = []

    def enqueue(self, task_id, payload, schedule_time):
        self.queue.enqueue(task_id, payload, schedule_time)
        self.enqueued.append((task_id, payload, schedule_time))

    def delete(self, task_id):
        found = self.queue.delete(task_id)
        self.deleted.append(task_id)
        return found


def queue_stats() -> dict:
    host = os.environ["CLOUD_TASKS_EMULATOR_HOST"]
    return requests.get(f"http://{host}/queueStats", timeout=5).json()


def key(appointment_id: str, minutes: int, start: datetime) -> str:
    return f"{appointment_id}-reminder-{minutes}-{int(start.timestamp())}"


def appointment(appointment_id: str, uid: str, start: datetime,
                status: AppointmentStatus = AppointmentStatus.CONFIRMED) -> Appointment:
    end = start + timedelta(minutes=30)
    return Appointment(id=appointment_id, provider_id="dr-ada", customer_id=uid, appointment_type_id="consult",
                       start=start, end=end, block_start=start, block_end=end, status=status,
                       request_id=appointment_id, time_zone="UTC", cancellable_until=start - timedelta(hours=2),
                       customer_name="Grace Hopper", provider_name="Dr. Ada Lovelace", type_name="Consultation",
                       held=False)


def reminder_mails(db) -> list[str]:
    return sorted(s.id for s in db.collection("mail").stream() if "-reminder-" in s.id)


def test_the_task_function_is_registered_as_the_remind_queue(db, clean_firestore):
    assert QUEUE_KEY in queue_stats()


def test_a_confirmed_booking_gets_one_reminder_mail_through_the_queue(db, clean_firestore, new_user):
    uid, token, _ = new_user()
    seed(db, type_fields={"reminders": [{"beforeMinutes": 1440}]})
    add_customer(db, uid)
    start = at(a_future_day(), 10)
    request = {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult", "start": start,
               "status": "pending", "createdAt": emulator.SERVER_TIME}
    assert emulator.rest_create("bookingRequests/rem-1", request, token).status_code == 200
    assert wait_for_status(db, "bookingRequests/rem-1")["status"] == "confirmed"

    expected = key("rem-1", 1440, start)
    mail = wait_for(lambda: db.document(f"mail/{expected}").get().to_dict())
    assert (mail["to"], mail["appointmentId"], mail["kind"]) == (f"{uid.lower()}@example.com", "rem-1", "reminder")
    emulator.wait_for_functions_idle()
    assert reminder_mails(db) == [expected]


def test_the_adapter_enqueues_ids_times_and_payloads_and_a_cancel_deletes_them(db, clean_firestore):
    seed(db, type_fields={"reminders": [{"beforeMinutes": 1440}, {"beforeMinutes": 120}]})
    store = FirestoreStore(db)
    queue = Recording(FirebaseTaskQueue("remind"))
    now = datetime.now(UTC).replace(microsecond=0)
    start = (now + timedelta(days=3)).replace(minute=0, second=0)
    appointment_id = f"adapter-{uuid.uuid4().hex[:8]}"  # the emulator keeps every task name it saw
    booked = appointment(appointment_id, "nobody", start)

    report = sync_reminders(store, queue, None, booked, now=now)
    expected = [
        (task_id_for(key(appointment_id, 1440, start)),
         {"appointmentId": appointment_id, "beforeMinutes": 1440, "start": start.isoformat()},
         start - timedelta(hours=24)),
        (task_id_for(key(appointment_id, 120, start)),
         {"appointmentId": appointment_id, "beforeMinutes": 120, "start": start.isoformat()},
         start - timedelta(hours=2)),
    ]
    assert queue.enqueued == expected
    assert report.failed == {}
    # the emulator has the names now: enqueuing them again is success, not an error
    again = sync_reminders(store, queue, None, booked, now=now)
    assert (again.enqueued, again.failed) == ([t for t, _, _ in expected], {})

    cancelled = sync_reminders(store, queue, booked, booked.cancelled(at=now, by="nobody"), now=now)
    assert (sorted(cancelled.deleted), cancelled.failed) == (sorted(t for t, _, _ in expected), {})
    # the appointment was never stored: whatever ran found nothing to remind of
    emulator.wait_for_functions_idle()
    assert reminder_mails(db) == []


def test_the_handler_sends_none_for_cancelled_or_moved_and_one_when_a_reminder_runs_twice(db, clean_firestore,
                                                                                            new_user):
    seed(db, type_fields={"reminders": [{"beforeMinutes": 60}]})
    add_customer(db, "cust-r")
    start = at(a_future_day(3), 10)
    moved_to = at(a_future_day(3), 12)
    run = uuid.uuid4().hex[:8]
    db.document("appointments/gone").set(
        conv.appointment_to(appointment("gone", "cust-r", start, AppointmentStatus.CANCELLED)))
    db.document("appointments/moved").set(conv.appointment_to(appointment("moved", "cust-r", moved_to)))
    # the trigger's own reminder for the moved appointment's new start
    wait_for(lambda: db.document(f"mail/{key('moved', 60, moved_to)}").get().exists)
    db.document("appointments/kept").set(conv.appointment_to(appointment("kept", "cust-r", start)))
    wait_for(lambda: db.document(f"mail/{key('kept', 60, start)}").get().exists)

    queue = FirebaseTaskQueue("remind")
    payload = {"beforeMinutes": 60, "start": start.isoformat()}
    for name in ("gone", "moved", "kept"):
        # fresh task names: the same reminder's task run once more
        queue.enqueue(f"{run}-{name}", {**payload, "appointmentId": name}, start - timedelta(hours=1))
    emulator.wait_for_functions_idle()
    wait_for(lambda: queue_stats()[QUEUE_KEY]["numberOfTasks"] == 0)
    emulator.wait_for_functions_idle()

    assert reminder_mails(db) == sorted([key("moved", 60, moved_to), key("kept", 60, start)])
