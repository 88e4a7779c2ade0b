"""A provider's calendar feed, `calendarFeeds/{providerId}`: the secret iCal
address its provider registered, and the status of its last import, which
only the backend writes (booking.services.feed_import)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["CalendarFeed", "FeedStatus"]


@dataclass(frozen=True)
class FeedStatus:
    state: str  # "ok" | "error"
    checked_at: datetime
    imported_at: datetime | None = None  # the last successful import
    events: int | None = None  # busy events of that import
    error: str | None = None  # "code: message" of this check when it failed
    # What the last good import read: the feed's bytes and the window it was
    # read for. The same again means nothing to write, and nothing to read.
    digest: str | None = None


@dataclass(frozen=True)
class CalendarFeed:
    provider_id: str
    url: str
    status: FeedStatus | None = None
