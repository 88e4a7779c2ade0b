"""When an appointment's reminders go out, and the names they go out under.

Pure rules, no clock: every function takes `now`.

* A reminder ``n`` minutes before is sent at ``start - n`` minutes of real
  elapsed time. Instants are UTC, so "24 hours before" an appointment just
  after a daylight-saving change is 24 real hours, not the same wall-clock
  time the day before.
* A reminder whose time has already passed (booked an hour ahead with a
  24-hour reminder) is skipped, never sent late.
* Cloud Tasks refuses a schedule time more than 30 days ahead; reminders
  further out wait for the daily job (`enqueue_coming_reminders`), which
  enqueues them once they come within reach. The reach keeps an hour's
  margin for the queue's clock and the call's latency.
* One name per appointment, reminder and start: the task id and the id of
  the mail (and text message) it sends. A re-delivered trigger or a task run
  twice therefore finds its name taken, and a reschedule (a new start) gets
  new names.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .models import DEFAULT_REMINDER_MINUTES, MAX_REMINDER_MINUTES, AppointmentType

__all__ = [
    "ENQUEUE_REACH",
    "DueReminder",
    "ReminderPayload",
    "due_reminders",
    "offsets_of",
    "parse_payload",
    "reminder_key",
    "split_by_reach",
    "task_id_for",
]

CLOUD_TASKS_MAX_AHEAD = timedelta(days=30)
ENQUEUE_REACH = CLOUD_TASKS_MAX_AHEAD - timedelta(hours=1)
_TASK_ID = re.compile(r"^[A-Za-z0-9_-]{1,500}$")
_DEFAULT_OFFSETS = (DEFAULT_REMINDER_MINUTES,)


def offsets_of(appointment_type: AppointmentType | None) -> tuple[int, ...]:
    """The type's reminder offsets in minutes; a type that is gone or unusable
    keeps the default, so a console typo does not silence reminders."""
    if appointment_type is None:
        return _DEFAULT_OFFSETS
    return tuple(r.before_minutes for r in appointment_type.reminders)


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return instant.astimezone(UTC)


def reminder_key(appointment_id: str, before_minutes: int, start: datetime) -> str:
    """`{appointmentId}-reminder-{beforeMinutes}-{start epoch seconds}`: the
    id of the reminder's mail and text message."""
    return f"{appointment_id}-reminder-{before_minutes}-{int(_utc(start).timestamp())}"


def task_id_for(key: str) -> str:
    """The Cloud Tasks id of a reminder: its key behind a short hash.

    Cloud Tasks spreads tasks by id and asks for ids that do not share
    sequential prefixes; the hash gives that, the key keeps it readable. A
    key outside the task-id alphabet (an appointment id made in the console)
    becomes its full hash, still deterministic."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    candidate = f"{digest[:8]}-{key}"
    return candidate if _TASK_ID.match(candidate) else f"{digest[:8]}-h{digest}"


@dataclass(frozen=True)
class DueReminder:
    """One reminder of one appointment at one start."""

    appointment_id: str
    before_minutes: int
    start: datetime
    send_at: datetime

    @property
    def key(self) -> str:
        return reminder_key(self.appointment_id, self.before_minutes, self.start)

    @property
    def task_id(self) -> str:
        return task_id_for(self.key)

    def payload(self) -> dict[str, Any]:
        """What the task carries: enough to find the appointment and check
        that it is still the one this reminder was for."""
        return {"appointmentId": self.appointment_id, "beforeMinutes": self.before_minutes,
                "start": _utc(self.start).isoformat()}


def due_reminders(appointment_id: str, start: datetime, offsets: tuple[int, ...] | list[int],
                  now: datetime) -> list[DueReminder]:
    """The reminders of an appointment at `start` still to be sent at `now`,
    earliest first. A reminder whose time is before `now` is left out."""
    start = _utc(start)
    now = _utc(now)
    due = [DueReminder(appointment_id, minutes, start, start - timedelta(minutes=minutes))
           for minutes in dict.fromkeys(offsets)]
    return sorted((r for r in due if r.send_at >= now), key=lambda r: r.send_at)


def split_by_reach(reminders: list[DueReminder], now: datetime) -> tuple[list[DueReminder], list[DueReminder]]:
    """(those Cloud Tasks takes now, those the daily job enqueues later)."""
    limit = _utc(now) + ENQUEUE_REACH
    return [r for r in reminders if r.send_at <= limit], [r for r in reminders if r.send_at > limit]


@dataclass(frozen=True)
class ReminderPayload:
    appointment_id: str
    before_minutes: int
    start: datetime

    @property
    def key(self) -> str:
        return reminder_key(self.appointment_id, self.before_minutes, self.start)


def parse_payload(data: Any) -> ReminderPayload:
    """A task's payload, or ValueError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("the payload must be an object")
    appointment_id = data.get("appointmentId")
    minutes = data.get("beforeMinutes")
    start = data.get("start")
    if not isinstance(appointment_id, str) or not appointment_id or "/" in appointment_id:
        raise ValueError("appointmentId must be a document id")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_REMINDER_MINUTES:
        raise ValueError("beforeMinutes must be a whole number of minutes within the allowed range")
    if not isinstance(start, str):
        raise ValueError("start must be an ISO 8601 instant")
    try:
        instant = datetime.fromisoformat(start)
    except ValueError as error:
        raise ValueError("start must be an ISO 8601 instant") from error
    if instant.tzinfo is None:
        raise ValueError("start must carry its UTC offset")
    return ReminderPayload(appointment_id, minutes, instant.astimezone(UTC))
