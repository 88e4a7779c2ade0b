"""Reminders: when they are queued (sync_reminders, enqueue_coming_reminders)
and whether a queued one is sent (deliver_reminder), on the in-memory store
with a fake task queue. Every instant is written out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.models import AppointmentType, Customer, Reminder
from booking.domain.reminders import task_id_for
from booking.services.reminders import Delivery, deliver_reminder, enqueue_coming_reminders, sync_reminders
from booking.store import converters as conv
from booking.store import paths
from fake_queue import FakeTaskQueue
from fake_store import FakeStore


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def tid(appointment_id: str, minutes: int, start: datetime) -> str:
    return task_id_for(f"{appointment_id}-reminder-{minutes}-{int(start.timestamp())}")


# 8 March 2026, 02:00 EST: New York's clocks jump to 03:00 EDT.
TEN_EDT_AFTER_JUMP = utc(2026, 3, 8, 14)       # 10:00 EDT
HALF_THREE_EDT = utc(2026, 3, 8, 7, 30)         # 03:30 EDT, half an hour after the jump
NOW = utc(2026, 3, 1, 12)


def world(reminders: list[int] | None = (1440, 120)) -> FakeStore:
    store = FakeStore()
    fields: dict[str, Any] = {"id": "consult", "name": "Consultation", "duration_minutes": 30}
    if reminders is not None:
        fields["reminders"] = [Reminder(before_minutes=m) for m in reminders]
    store.add_type(AppointmentType(**fields))
    store.add_customer(Customer(id="cust-grace", name="Grace Hopper", email="grace@example.com"))
    return store


def appointment(start: datetime, appointment_id: str = "appt-1",
                status: AppointmentStatus = AppointmentStatus.CONFIRMED) -> Appointment:
    end = start + timedelta(minutes=30)
    return Appointment(id=appointment_id, provider_id="dr-ada", customer_id="cust-grace",
                       appointment_type_id="consult", start=start, end=end, block_start=start, block_end=end,
                       status=status, request_id=appointment_id, time_zone="America/New_York",
                       cancellable_until=start, customer_name="Grace Hopper", provider_name="Dr. Ada",
                       type_name="Consultation", held=status is AppointmentStatus.CONFIRMED)


def stored(store: FakeStore, appt: Appointment) -> Appointment:
    store.put(paths.APPOINTMENTS, appt.id, conv.appointment_to(appt))
    return appt


# -- when: real elapsed time, DST, the 30-day reach, the passed ones ----------


def test_a_day_and_two_hours_before_are_real_hours_across_the_spring_forward():
    queue = FakeTaskQueue()
    sync_reminders(world(), queue, None, appointment(TEN_EDT_AFTER_JUMP), now=NOW)
    assert queue.schedule() == {
        # 7 March 14:00 UTC is 09:00 EST: 24 real hours, one wall-clock hour less
        tid("appt-1", 1440, TEN_EDT_AFTER_JUMP): utc(2026, 3, 7, 14),
        tid("appt-1", 120, TEN_EDT_AFTER_JUMP): utc(2026, 3, 8, 12),
    }


def test_two_hours_before_a_start_just_after_the_jump_is_three_wall_clock_hours():
    queue = FakeTaskQueue()
    sync_reminders(world([120]), queue, None, appointment(HALF_THREE_EDT), now=NOW)
    # 05:30 UTC is 00:30 EST, three wall-clock hours before 03:30 EDT
    assert queue.schedule() == {tid("appt-1", 120, HALF_THREE_EDT): utc(2026, 3, 8, 5, 30)}


def test_the_payload_names_the_appointment_the_reminder_and_the_start():
    queue = FakeTaskQueue()
    sync_reminders(world([1440]), queue, None, appointment(TEN_EDT_AFTER_JUMP), now=NOW)
    assert [payload for payload, _ in queue.tasks.values()] == [
        {"appointmentId": "appt-1", "beforeMinutes": 1440, "start": "2026-03-08T14:00:00+00:00"}]


def test_a_reminder_whose_time_has_passed_at_booking_is_skipped():
    queue = FakeTaskQueue()
    start = utc(2026, 3, 1, 13)  # booked an hour ahead
    sync_reminders(world([1440, 30]), queue, None, appointment(start), now=NOW)
    assert queue.schedule() == {tid("appt-1", 30, start): utc(2026, 3, 1, 12, 30)}


def test_reminders_beyond_cloud_tasks_30_days_wait_for_the_daily_job():
    store = world([1440, 2880])
    start = utc(2026, 4, 1, 12)
    appt = stored(store, appointment(start))
    queue = FakeTaskQueue()
    sync_reminders(store, queue, None, appt, now=NOW)
    # 30 March is 29 days ahead: queued; 31 March is 30 days ahead: too far
    assert queue.schedule() == {tid("appt-1", 2880, start): utc(2026, 3, 30, 12)}

    report = enqueue_coming_reminders(store, queue, now=utc(2026, 3, 2, 3))
    assert queue.schedule() == {tid("appt-1", 2880, start): utc(2026, 3, 30, 12),
                                tid("appt-1", 1440, start): utc(2026, 3, 31, 12)}
    assert report.appointments == 1


def test_the_daily_job_leaves_a_reminder_30_days_out_for_the_next_run():
    store = world([1440])
    start = utc(2026, 4, 1, 12)
    stored(store, appointment(start))
    queue = FakeTaskQueue()
    enqueue_coming_reminders(store, queue, now=utc(2026, 3, 1, 12))
    assert queue.tasks == {}
    enqueue_coming_reminders(store, queue, now=utc(2026, 3, 2, 12))
    assert queue.schedule() == {tid("appt-1", 1440, start): utc(2026, 3, 31, 12)}


def test_the_daily_job_reads_confirmed_appointments_in_pages_and_skips_the_rest():
    store = world([60])
    starts = [utc(2026, 3, 3, h) for h in (9, 10, 11, 12, 13)]
    for i, start in enumerate(starts):
        stored(store, appointment(start, f"appt-{i}"))
    stored(store, appointment(utc(2026, 3, 3, 14), "gone", status=AppointmentStatus.CANCELLED))
    stored(store, appointment(utc(2026, 5, 1, 9), "far"))  # beyond every reminder's reach
    queue = FakeTaskQueue()
    report = enqueue_coming_reminders(store, queue, now=NOW, page=2)
    assert sorted(queue.tasks) == sorted(tid(f"appt-{i}", 60, s) for i, s in enumerate(starts))
    assert report.appointments == 5


def test_a_type_without_reminders_queues_none_and_a_type_without_the_field_one_a_day_ahead():
    off, default = FakeTaskQueue(), FakeTaskQueue()
    sync_reminders(world([]), off, None, appointment(TEN_EDT_AFTER_JUMP), now=NOW)
    sync_reminders(world(None), default, None, appointment(TEN_EDT_AFTER_JUMP), now=NOW)
    assert off.tasks == {}
    assert default.schedule() == {tid("appt-1", 1440, TEN_EDT_AFTER_JUMP): utc(2026, 3, 7, 14)}


# -- which: confirm, re-delivery, reschedule, cancel ---------------------------


def test_a_redelivered_trigger_enqueues_the_same_ids_and_nothing_twice():
    store, queue = world(), FakeTaskQueue()
    first = sync_reminders(store, queue, None, appointment(TEN_EDT_AFTER_JUMP), now=NOW)
    again = sync_reminders(store, queue, None, appointment(TEN_EDT_AFTER_JUMP), now=NOW + timedelta(seconds=5))
    assert first.enqueued == again.enqueued
    assert len(queue.tasks) == 2


def test_a_write_that_keeps_it_confirmed_at_its_start_touches_neither_queue_nor_store():
    store, queue = world(), FakeTaskQueue()
    before = appointment(TEN_EDT_AFTER_JUMP)
    store.counts.clear()
    report = sync_reminders(store, queue, before, replace(before, notes="bring the X-ray"), now=NOW)
    assert (report.enqueued, report.deleted, queue.enqueue_calls, store.counts["reads"]) == ([], [], [], 0)


def test_a_new_start_deletes_the_old_reminders_and_enqueues_the_new():
    store, queue = world(), FakeTaskQueue()
    old = appointment(TEN_EDT_AFTER_JUMP)
    sync_reminders(store, queue, None, old, now=NOW)
    new_start = utc(2026, 3, 9, 14)
    sync_reminders(store, queue, old, replace(old, start=new_start), now=NOW)
    assert sorted(queue.delete_calls) == sorted([tid("appt-1", 1440, TEN_EDT_AFTER_JUMP),
                                                 tid("appt-1", 120, TEN_EDT_AFTER_JUMP)])
    assert queue.schedule() == {tid("appt-1", 1440, new_start): utc(2026, 3, 8, 14),
                                tid("appt-1", 120, new_start): utc(2026, 3, 9, 12)}


def test_a_reschedule_deletes_the_originals_reminders_and_queues_the_new_appointments():
    store, queue = world([1440]), FakeTaskQueue()
    original = appointment(TEN_EDT_AFTER_JUMP)
    sync_reminders(store, queue, None, original, now=NOW)
    moved = original.moved_to("appt-2", at=NOW, by="cust-grace")
    new = appointment(utc(2026, 3, 10, 14), "appt-2")
    sync_reminders(store, queue, original, moved, now=NOW)
    sync_reminders(store, queue, None, new, now=NOW)
    assert queue.schedule() == {tid("appt-2", 1440, utc(2026, 3, 10, 14)): utc(2026, 3, 9, 14)}


def test_a_cancel_deletes_its_reminders():
    store, queue = world(), FakeTaskQueue()
    appt = appointment(TEN_EDT_AFTER_JUMP)
    sync_reminders(store, queue, None, appt, now=NOW)
    report = sync_reminders(store, queue, appt, appt.cancelled(at=NOW, by="cust-grace"), now=NOW)
    assert queue.tasks == {}
    assert sorted(report.deleted) == sorted([tid("appt-1", 1440, TEN_EDT_AFTER_JUMP),
                                             tid("appt-1", 120, TEN_EDT_AFTER_JUMP)])


def test_a_queue_failure_is_reported_and_the_other_reminders_still_go_in():
    store, queue = world(), FakeTaskQueue()
    failing = tid("appt-1", 1440, TEN_EDT_AFTER_JUMP)
    queue.refuse.add(failing)
    report = sync_reminders(store, queue, None, appointment(TEN_EDT_AFTER_JUMP), now=NOW)
    assert report.failed == {failing: "UNAVAILABLE"}
    assert list(queue.tasks) == [tid("appt-1", 120, TEN_EDT_AFTER_JUMP)]


# -- whether: the task handler ---------------------------------------------------


def payload(minutes: int = 1440, start: datetime = TEN_EDT_AFTER_JUMP, appointment_id: str = "appt-1") -> dict:
    return {"appointmentId": appointment_id, "beforeMinutes": minutes, "start": start.isoformat()}


AT_SEND = utc(2026, 3, 7, 14)
KEY = f"appt-1-reminder-1440-{int(TEN_EDT_AFTER_JUMP.timestamp())}"


def test_the_handler_sends_one_reminder_mail_for_a_confirmed_appointment():
    store = world()
    stored(store, appointment(TEN_EDT_AFTER_JUMP))
    report = deliver_reminder(store, payload(), now=AT_SEND)
    assert (report.outcome, report.key) == (Delivery.SENT, KEY)
    mail = store.doc(paths.MAIL, KEY)
    assert (mail["to"], mail["appointmentId"], mail["kind"]) == ("grace@example.com", "appt-1", "reminder")
    assert store.ids(paths.MAIL) == [KEY]


def test_a_task_that_runs_twice_sends_one_mail():
    store = world()
    stored(store, appointment(TEN_EDT_AFTER_JUMP))
    outcomes = [deliver_reminder(store, payload(), now=AT_SEND + timedelta(seconds=s)).outcome for s in (0, 30)]
    assert outcomes == [Delivery.SENT, Delivery.ALREADY_SENT]
    assert store.ids(paths.MAIL) == [KEY]


def test_the_handler_sends_nothing_for_a_cancelled_appointment():
    store = world()
    appt = appointment(TEN_EDT_AFTER_JUMP)
    stored(store, appt.cancelled(at=NOW, by="cust-grace"))
    assert deliver_reminder(store, payload(), now=AT_SEND).outcome is Delivery.NOT_CONFIRMED
    assert store.ids(paths.MAIL) == []


def test_the_handler_sends_nothing_for_an_appointment_moved_to_another_start():
    store = world()
    stored(store, appointment(utc(2026, 3, 9, 14)))
    assert deliver_reminder(store, payload(), now=AT_SEND).outcome is Delivery.MOVED
    assert store.ids(paths.MAIL) == []


def test_the_handler_sends_nothing_once_the_appointment_has_started_or_is_gone():
    store = world()
    stored(store, appointment(TEN_EDT_AFTER_JUMP))
    assert deliver_reminder(store, payload(), now=TEN_EDT_AFTER_JUMP).outcome is Delivery.STARTED
    assert deliver_reminder(store, payload(appointment_id="nope"), now=AT_SEND).outcome is Delivery.GONE
    assert store.ids(paths.MAIL) == []


def test_the_handler_sends_nothing_for_a_reminder_the_type_no_longer_has():
    store = world([120])
    stored(store, appointment(TEN_EDT_AFTER_JUMP))
    assert deliver_reminder(store, payload(1440), now=AT_SEND).outcome is Delivery.REMINDER_OFF
    assert store.ids(paths.MAIL) == []


def test_a_malformed_payload_is_refused_with_its_reason_and_sends_nothing():
    store = world()
    report = deliver_reminder(store, {"appointmentId": "appt-1", "beforeMinutes": "1440",
                                      "start": "2026-03-08T14:00:00+00:00"}, now=AT_SEND)
    assert (report.outcome, report.detail) == (
        Delivery.INVALID_PAYLOAD, "beforeMinutes must be a whole number of minutes within the allowed range")
    assert store.ids(paths.MAIL) == []


def test_with_sms_reminders_on_a_customer_with_a_phone_also_gets_a_text_under_the_same_id():
    store = world()
    store.add_customer(Customer(id="cust-grace", name="Grace Hopper", email="grace@example.com",
                                phone="+442079460958"))
    store.put(paths.BOOKING_SETTINGS.partition("/")[0], "booking", {"smsReminders": True})
    stored(store, appointment(TEN_EDT_AFTER_JUMP))
    report = deliver_reminder(store, payload(), now=AT_SEND)
    assert (report.outcome, report.sms) == (Delivery.SENT, True)
    assert store.ids(paths.MESSAGES) == [KEY]
    assert store.doc(paths.MESSAGES, KEY)["to"] == "+442079460958"
