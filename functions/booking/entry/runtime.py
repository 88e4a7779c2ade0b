"""What every entry point shares: the clock, the store and the task queues.

Clients are created lazily on first use, inside the worker: this package is
imported during deploy discovery and at every cold start. The clock is read
here and handed to the services as `now`.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

from booking.store.clients import admin_app

# The task-queue functions' names. Each is its Cloud Tasks queue's id, which
# allows letters, digits and hyphens only: no snake_case here.
REMINDER_FUNCTION = "remind"
UPKEEP_FUNCTION = "upkeep"  # one task per provider a day (issue 17)


def now() -> datetime:
    return datetime.now(UTC)


@functools.cache
def store():
    from booking.store.clients import db
    from booking.store.firestore_store import FirestoreStore

    return FirestoreStore(db())


@functools.cache
def reminder_queue():
    from booking.store.task_queue import FirebaseTaskQueue

    return FirebaseTaskQueue(REMINDER_FUNCTION, app=admin_app())


@functools.cache
def upkeep_queue():
    from booking.store.task_queue import FirebaseTaskQueue

    return FirebaseTaskQueue(UPKEEP_FUNCTION, app=admin_app())


def data(snapshot: Any) -> dict[str, Any] | None:
    if snapshot is None or not getattr(snapshot, "exists", False):
        return None
    return snapshot.to_dict()
