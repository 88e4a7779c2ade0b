"""The TaskQueue port in memory, for the reminders' and the upkeep's tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.services.ports import QueueError


class FakeTaskQueue:
    """Named tasks as Cloud Tasks keeps them: an enqueue of a taken name
    changes nothing, a delete of a missing one finds nothing; both succeed.
    Names in `refuse` fail as an unreachable queue would."""

    def __init__(self) -> None:
        self.tasks: dict[str, tuple[dict[str, Any], datetime]] = {}
        self.enqueue_calls: list[str] = []
        self.delete_calls: list[str] = []
        self.refuse: set[str] = set()

    def enqueue(self, task_id: str, payload: dict[str, Any], schedule_time: datetime) -> None:
        self.enqueue_calls.append(task_id)
        if task_id in self.refuse:
            raise QueueError("UNAVAILABLE")
        self.tasks.setdefault(task_id, (payload, schedule_time))

    def delete(self, task_id: str) -> bool:
        self.delete_calls.append(task_id)
        return self.tasks.pop(task_id, None) is not None

    def schedule(self) -> dict[str, datetime]:
        return {task_id: when for task_id, (_, when) in self.tasks.items()}
