"""Reminders on Cloud Tasks: enqueue them when an appointment is confirmed,
take them back when it moves or is cancelled, and send each at most once.

The rules of time and naming are `booking.domain.reminders`. Nothing here
trusts a queued task: whatever happened to a delete, the handler re-reads the
appointment and sends only while it is still confirmed at the same start, and
the mail is created under the reminder's own id (a create, so a task that
runs twice finds its mail there and sends nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.models import MAX_REMINDER_MINUTES, AppointmentType
from booking.domain.reminders import (
    ENQUEUE_REACH,
    DueReminder,
    due_reminders,
    offsets_of,
    parse_payload,
    split_by_reach,
)
from booking.services import notifications, sms
from booking.services.ports import Commit, Conflict, InvalidDocument, QueueError, Store, TaskQueue

# How many appointments the daily job reads per page.
PAGE = 200


@dataclass
class QueueReport:
    enqueued: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    # task id -> why the queue failed; the daily job enqueues again what
    # comes within reach, and the handler's checks cover a failed delete
    failed: dict[str, str] = field(default_factory=dict)
    appointments: int = 0


def _confirmed(appointment: Appointment | None) -> Appointment | None:
    return appointment if appointment is not None and appointment.status is AppointmentStatus.CONFIRMED else None


def _type(store: Store, type_id: str) -> AppointmentType | None:
    try:
        return store.appointment_type(type_id)
    except InvalidDocument:
        return None  # its trigger records why; the default reminders apply


def _enqueue(queue: TaskQueue, reminders: list[DueReminder], report: QueueReport) -> None:
    for reminder in reminders:
        try:
            queue.enqueue(reminder.task_id, reminder.payload(), reminder.send_at)
        except QueueError as error:
            report.failed[reminder.task_id] = str(error)
        else:
            report.enqueued.append(reminder.task_id)


def sync_reminders(store: Store, queue: TaskQueue, before: Appointment | None, after: Appointment | None,
                   now: datetime) -> QueueReport:
    """Keep an appointment's queued reminders in step with a write to it.

    Confirmed (newly, or at a new start): enqueue its reminders within reach.
    No longer confirmed, or moved: delete the old start's. Any other write
    (history, flags, a re-delivered event of an unchanged record) reads and
    queues nothing; a re-delivered create enqueues ids that are already there."""
    report = QueueReport()
    old, new = _confirmed(before), _confirmed(after)
    if old is not None and new is not None and (old.start, old.appointment_type_id) == (
            new.start, new.appointment_type_id):
        return report
    types: dict[str, AppointmentType | None] = {}

    def reminders_of(appointment: Appointment) -> list[DueReminder]:
        type_id = appointment.appointment_type_id
        if type_id not in types:
            types[type_id] = _type(store, type_id)
        return due_reminders(appointment.id, appointment.start, offsets_of(types[type_id]), now)

    coming = reminders_of(new) if new is not None else []
    keep = {r.task_id for r in coming}
    for reminder in reminders_of(old) if old is not None else []:
        if reminder.task_id in keep:
            continue
        try:
            queue.delete(reminder.task_id)
        except QueueError as error:
            report.failed[reminder.task_id] = str(error)
        else:
            report.deleted.append(reminder.task_id)
    _enqueue(queue, split_by_reach(coming, now)[0], report)
    return report


def enqueue_coming_reminders(store: Store, queue: TaskQueue, now: datetime, page: int = PAGE) -> QueueReport:
    """The daily job: enqueue every reminder of a confirmed appointment that
    is due within the queue's reach. Appointments further out than any
    reminder can reach are not read; those within are read a page at a time.
    Enqueuing what is already queued is a no-op, so this also repairs an
    enqueue that a trigger lost."""
    report = QueueReport()
    until = now + ENQUEUE_REACH + timedelta(minutes=MAX_REMINDER_MINUTES)
    types: dict[str, AppointmentType | None] = {}
    after: tuple[datetime, str] | None = None
    while True:
        batch = store.confirmed_starting_between(now, until, limit=page, after=after)
        for appointment in batch:
            type_id = appointment.appointment_type_id
            if type_id not in types:
                types[type_id] = _type(store, type_id)
            due = due_reminders(appointment.id, appointment.start, offsets_of(types[type_id]), now)
            _enqueue(queue, split_by_reach(due, now)[0], report)
        report.appointments += len(batch)
        if len(batch) < page:
            return report
        after = (batch[-1].start, batch[-1].id)


class Delivery(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    INVALID_PAYLOAD = "invalid_payload"
    GONE = "gone"                      # the appointment was deleted
    NOT_CONFIRMED = "not_confirmed"    # cancelled, rescheduled, completed, no-show
    MOVED = "moved"                    # confirmed at another start
    STARTED = "started"                # the task ran too late to help
    REMINDER_OFF = "reminder_off"      # the type no longer has this reminder
    NO_CUSTOMER = "no_customer"


@dataclass(frozen=True)
class DeliveryReport:
    outcome: Delivery
    key: str | None = None
    detail: str | None = None
    sms: bool = False


def deliver_reminder(store: Store, payload: Any, now: datetime) -> DeliveryReport:
    """The task handler: send the reminder a task names, if it still applies."""
    try:
        wanted = parse_payload(payload)
    except ValueError as error:
        return DeliveryReport(Delivery.INVALID_PAYLOAD, detail=str(error))
    key = wanted.key
    appointment = store.appointment(wanted.appointment_id)
    if appointment is None:
        return DeliveryReport(Delivery.GONE, key)
    if appointment.status is not AppointmentStatus.CONFIRMED:
        return DeliveryReport(Delivery.NOT_CONFIRMED, key)
    if appointment.start != wanted.start:
        return DeliveryReport(Delivery.MOVED, key)
    if appointment.start <= now:
        return DeliveryReport(Delivery.STARTED, key)
    appointment_type = _type(store, appointment.appointment_type_id)
    if wanted.before_minutes not in offsets_of(appointment_type):
        return DeliveryReport(Delivery.REMINDER_OFF, key)
    customer = store.customer(appointment.customer_id)
    if customer is None:
        return DeliveryReport(Delivery.NO_CUSTOMER, key)
    settings = store.booking_settings()
    commit = Commit()
    if customer.email:  # a walk-in known by phone only gets the text message alone
        commit.mails.append((key, notifications.reminder_mail(appointment, customer, wanted.before_minutes,
                                                              settings, now)))
    sms = _reminder_sms(appointment, customer, wanted.before_minutes, settings, now)
    if sms is not None:
        commit.messages.append((key, sms))
    try:
        store.commit(commit)
    except Conflict:
        # The mail is there under this reminder's id: an earlier run sent it.
        return DeliveryReport(Delivery.ALREADY_SENT, key)
    return DeliveryReport(Delivery.SENT, key, sms=sms is not None)


def _reminder_sms(appointment: Appointment, customer: Any, before_minutes: int, settings: Any,
                  now: datetime) -> dict[str, Any] | None:
    if not settings.sms_reminders or not customer.phone:
        return None
    return sms.reminder_sms(appointment, customer, before_minutes, settings, now)
