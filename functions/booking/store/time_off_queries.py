"""The REST API's reads and writes of time off and calendar feeds that the
booking services do not need (theirs are `FirestoreStore.time_off`,
`time_off_for` and `commit`): every time off for the admins' list, and a
provider's feed document. Reads and writes are counted as the repository's.
"""

from __future__ import annotations

from typing import Any

from google.cloud import firestore

from booking.domain.time_off import TimeOff
from booking.services.ports import Versioned
from booking.store import converters as conv
from booking.store import paths
from booking.store.repository import Repository


def every_time_off(repo: Repository) -> list[TimeOff]:
    """All time off that validates (an invalid one is left out, as in lists)."""
    return repo._all_valid(repo.db.collection(paths.TIME_OFF), conv.time_off_from)


def calendar_feed(repo: Repository, provider_id: str) -> Versioned | None:
    """The feed document (value: its data as stored) and its version."""
    snapshot = repo._get(f"{paths.CALENDAR_FEEDS}/{provider_id}")
    return None if snapshot is None else Versioned(snapshot.to_dict(), snapshot.update_time)


def save_feed_url(repo: Repository, provider_id: str, url: str) -> None:
    """Sets the URL and keeps the backend's `status` (the next poll reads the new URL)."""
    data: dict[str, Any] = {"url": url, "updatedAt": firestore.SERVER_TIMESTAMP}
    repo.db.document(f"{paths.CALENDAR_FEEDS}/{provider_id}").set(data, merge=True)
    repo.counts["writes"] += 1


def delete_feed(repo: Repository, provider_id: str) -> None:
    repo._delete_doc(paths.CALENDAR_FEEDS, provider_id)
