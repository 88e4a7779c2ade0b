"""`calendarFeeds/{providerId}` on Firestore, for the feed poll
(`booking.services.feed_import.FeedStore`), counting reads and writes like
the main store. The REST API's own reads and writes of the same documents
are in `time_off_queries.py`."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from booking.domain.ids import is_document_id
from booking.domain.calendar_feeds import CalendarFeed, FeedStatus
from booking.store import paths


class FirestoreFeeds:
    def __init__(self, client: firestore.Client, counts: Counter | None = None) -> None:
        self.db = client
        self.counts: Counter = counts if counts is not None else Counter()

    def feeds(self) -> list[CalendarFeed]:
        found = []
        reads = 0
        for snapshot in self.db.collection(paths.CALENDAR_FEEDS).stream():
            reads += 1
            feed = _feed_from(snapshot.id, snapshot.to_dict())
            if feed is not None:
                found.append(feed)
        self.counts["reads"] += max(reads, 1)
        return found

    def feed(self, provider_id: str) -> CalendarFeed | None:
        if not is_document_id(provider_id):
            return None
        snapshot = self.db.document(f"{paths.CALENDAR_FEEDS}/{provider_id}").get()
        self.counts["reads"] += 1
        return _feed_from(provider_id, snapshot.to_dict()) if snapshot.exists else None

    def set_status(self, provider_id: str, status: FeedStatus) -> None:
        try:
            # update, not set: a feed removed during the import stays removed
            self.db.document(f"{paths.CALENDAR_FEEDS}/{provider_id}").update({"status": status_to(status)})
        except gexc.NotFound:
            return
        self.counts["writes"] += 1

    def providers_with_feed_time_off(self) -> set[str]:
        query = (self.db.collection(paths.TIME_OFF)
                 .where(filter=firestore.FieldFilter("source", "==", "feed"))
                 .select(["providerIds"]))
        found: set[str] = set()
        reads = 0
        for snapshot in query.stream():
            reads += 1
            ids = (snapshot.to_dict() or {}).get("providerIds")
            if isinstance(ids, list):
                found.update(i for i in ids if isinstance(i, str))
        self.counts["reads"] += max(reads, 1)
        return found


def status_to(status: FeedStatus) -> dict[str, Any]:
    return {"state": status.state, "checkedAt": status.checked_at, "importedAt": status.imported_at,
            "events": status.events, "error": status.error, "digest": status.digest}


def _feed_from(provider_id: str, data: dict[str, Any] | None) -> CalendarFeed | None:
    """The feed, or None when it has no URL to poll (the rules let only a
    string through; the console could write anything)."""
    url = (data or {}).get("url")
    if not isinstance(url, str) or not url:
        return None
    raw = data.get("status") if isinstance(data.get("status"), dict) else None
    status = None
    if raw is not None and isinstance(raw.get("checkedAt"), datetime):
        events = raw.get("events")
        imported = raw.get("importedAt")
        status = FeedStatus(
            state=str(raw.get("state", "")),
            checked_at=raw["checkedAt"],
            imported_at=imported if isinstance(imported, datetime) else None,
            events=events if isinstance(events, int) else None,
            error=raw.get("error") if isinstance(raw.get("error"), str) else None,
            digest=raw.get("digest") if isinstance(raw.get("digest"), str) else None,
        )
    return CalendarFeed(provider_id, url, status)
