"""An in-memory `calendarFeeds` (booking.services.feed_import.FeedStore),
behaving like booking.store.calendar_feeds.FirestoreFeeds: a status write to
a removed feed is dropped; `providers_with_feed_time_off` reads the store."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from booking.domain.calendar_feeds import CalendarFeed, FeedStatus
from booking.store import paths


class FakeFeeds:
    def __init__(self, store=None) -> None:
        self.store = store  # a FakeStore, for the time off query
        self.docs: dict[str, CalendarFeed] = {}
        self.counts: Counter = Counter()

    def put(self, provider_id: str, url: str) -> None:
        old = self.docs.get(provider_id)
        self.docs[provider_id] = CalendarFeed(provider_id, url, old.status if old else None)

    def remove(self, provider_id: str) -> None:
        self.docs.pop(provider_id, None)

    def feeds(self) -> list[CalendarFeed]:
        self.counts["reads"] += max(len(self.docs), 1)
        return [self.docs[k] for k in sorted(self.docs)]

    def feed(self, provider_id: str) -> CalendarFeed | None:
        self.counts["reads"] += 1
        return self.docs.get(provider_id)

    def set_status(self, provider_id: str, status: FeedStatus) -> None:
        if provider_id in self.docs:
            self.docs[provider_id] = replace(self.docs[provider_id], status=status)
            self.counts["writes"] += 1

    def providers_with_feed_time_off(self) -> set[str]:
        found = set()
        for doc_id in self.store.ids(paths.TIME_OFF):
            data = self.store.doc(paths.TIME_OFF, doc_id)
            if data and data.get("source") == "feed":
                found.update(data.get("providerIds", []))
        return found
