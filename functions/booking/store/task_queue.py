"""A task-queue function's Cloud Tasks queue, through the Firebase Admin SDK:
the reminders' `remind` and the daily upkeep's `upkeep`, each addressed by
its function's name.

`firebase_admin.functions.task_queue(name)` addresses the queue Firebase
deploys with a task-queue function (`tasks_fn.on_task_dispatched`). Under
the emulator suite it talks to the Cloud Tasks emulator named by
`CLOUD_TASKS_EMULATOR_HOST`, which the functions emulator sets for the
functions it runs and scripts/suite.py for tests.

The task function (`tasks_fn`) reads its payload from the body's `data`,
as callables do; this SDK sends the value it is given as the whole body, so
the payload goes in wrapped.

Named tasks make the queue idempotent, so "already there" on enqueue and
"not there" on delete are what a repeat looks like and count as success.
Production Cloud Tasks answers a taken name with ALREADY_EXISTS; the
emulator with a bare HTTP 409 (a CONFLICT to the SDK). A delete finds
nothing once a task has run or was deleted before.

The SDK (7.x) reads the created task's name back from the emulator's answer
with its first character cut, which breaks on a task we named ourselves:
it raises "Invalid resource name format." after the task was created. We do
not need that name, so that one error, after the call, counts as created.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from firebase_admin import exceptions, functions

from booking.services.ports import QueueError

_TAKEN = (exceptions.AlreadyExistsError, exceptions.ConflictError)
_NAME_READ_BACK = "Invalid resource name format."


class FirebaseTaskQueue:
    """The TaskQueue port on the queue of the task-queue function named
    `function_name` (letters, digits and hyphens: it is the queue's id)."""

    def __init__(self, function_name: str, app: Any = None) -> None:
        self.function_name = function_name
        self.app = app
        self._queue: Any = None

    def _tasks(self) -> Any:
        # Created on first use: it reads the emulator variable and the
        # credentials, which nothing should do at import time.
        if self._queue is None:
            self._queue = functions.task_queue(self.function_name, app=self.app)
        return self._queue

    def enqueue(self, task_id: str, payload: dict[str, Any], schedule_time: datetime) -> None:
        if schedule_time.tzinfo is None:
            raise ValueError("schedule_time must be timezone-aware")
        # The SDK formats the time as given with a "Z": it must be UTC already.
        options = functions.TaskOptions(schedule_time=schedule_time.astimezone(UTC), task_id=task_id)
        try:
            self._tasks().enqueue({"data": payload}, options)
        except _TAKEN:
            return
        except ValueError as error:
            if str(error) != _NAME_READ_BACK:
                raise
        except exceptions.FirebaseError as error:
            raise QueueError(f"enqueue {task_id}: {error.code}: {error}") from error

    def delete(self, task_id: str) -> bool:
        """True if a waiting task was removed, False if there was none."""
        try:
            self._tasks().delete(task_id)
        except exceptions.NotFoundError:
            return False
        except exceptions.FirebaseError as error:
            raise QueueError(f"delete {task_id}: {error.code}: {error}") from error
        return True
