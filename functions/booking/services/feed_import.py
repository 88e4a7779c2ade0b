"""Keep a provider's busy time from their calendar feed equal to the feed.

An import fetches the feed, reads its busy events inside the sheets'
window (the start of yesterday to the end of the booking horizon), turns
each into a `source: feed` time off with an id derived from the provider
and the event's key, and writes only the difference with what the last
import left: creates, updates and deletes. The time off written then goes
through `apply_time_off`, once for all of it, like any other time off.

A feed that fails (unreachable, slow, oversized, malformed, too many events)
changes no time off: the last good import stays, and the feed's status
records the error for the admin to see, next to when the last import
succeeded. A feed removed through the API has its busy time removed at once; one
deleted in the console, by the daily sweep.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from booking.domain.calendar_feeds import CalendarFeed, FeedStatus
from booking.domain.ranges import Range
from booking.domain.time_off import TimeOff, TimeOffSource
from booking.domain.zones import day_start
from booking.services.feeds.errors import FeedError
from booking.services.ports import Commit, Conflict, InvalidDocument, Store
from booking.services.recompute import sheet_days
from booking.services.time_off import apply_time_off

log = logging.getLogger(__name__)

Fetch = Callable[[str], bytes]

WRITES_PER_COMMIT = 400  # Firestore takes 500 writes in a batch
ROUNDS = 3  # a round lost to a concurrent import starts again from fresh reads


class FeedStore(Protocol):
    """`calendarFeeds/{providerId}` (store/calendar_feeds.py), and which
    providers have feed time off (to clear the busy time of removed feeds)."""

    def feeds(self) -> list[CalendarFeed]: ...
    def feed(self, provider_id: str) -> CalendarFeed | None: ...
    def set_status(self, provider_id: str, status: FeedStatus) -> None: ...  # a removed feed is left alone
    def providers_with_feed_time_off(self) -> set[str]: ...


@dataclass
class FeedReport:
    provider_id: str
    state: str = "ok"
    events: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    error: str | None = None  # the FeedError code
    message: str | None = None
    sheets_written: int = 0
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # time off id -> appointments it meets


def feed_time_off_id(provider_id: str, key: str) -> str:
    return "feed_" + hashlib.sha256(f"{provider_id}\n{key}".encode()).hexdigest()[:32]


def import_feed(store: Store, feeds: FeedStore, provider_id: str, *, now: datetime, fetch: Fetch) -> FeedReport:
    from booking.services.feeds.parse import busy_events  # icalendar loads only when a feed is read

    report = FeedReport(provider_id)
    feed = feeds.feed(provider_id)
    try:
        provider = store.provider(provider_id)
    except InvalidDocument as invalid:
        return _failed(feeds, feed, report, FeedError("no_provider", f"the provider does not validate: {invalid}"), now)
    if provider is None:
        if feed is None:  # neither provider nor feed: only leftovers to remove
            _sync(store, provider_id, {}, report, now)
            return report
        return _failed(feeds, feed, report, FeedError("no_provider", "no such provider"), now)
    wanted: dict[str, TimeOff] = {}
    if feed is not None:
        days = sheet_days(provider, store.appointment_types(), now)
        window = Range(day_start(provider.time_zone, days[0]),
                       day_start(provider.time_zone, days[-1] + timedelta(days=1)))
        try:
            body = fetch(feed.url)
            digest = _digest(body, window, provider.time_zone)
            if feed.status is not None and feed.status.state == "ok" and feed.status.digest == digest:
                # unchanged since the last good import: every 15 minutes of
                # most feeds, so skip the 200 reads of comparing it again
                report.events = feed.status.events or 0
                feeds.set_status(provider_id, replace(feed.status, checked_at=now))
                return report
            events = busy_events(body, tz=provider.time_zone, window=window)
        except FeedError as error:
            return _failed(feeds, feed, report, error, now)
        wanted = {t.id: t for t in (_time_off(provider_id, e) for e in events)}
        report.events = len(wanted)
    _sync(store, provider_id, wanted, report, now)
    if feed is not None:
        feeds.set_status(provider_id, FeedStatus("ok", now, imported_at=now, events=report.events, digest=digest))
    return report


def _digest(body: bytes, window: Range, tz: str) -> str:
    """The bytes and the window they were read for (the window moves daily,
    and events leave it): equal digests import equally."""
    stamp = f"\n{window.start.isoformat()}\n{window.end.isoformat()}\n{tz}".encode()
    return hashlib.sha256(body + stamp).hexdigest()


def poll_feeds(store: Store, feeds: FeedStore, *, now: datetime, fetch: Fetch) -> list[FeedReport]:
    """Every feed on its own: one that fails, even unexpectedly, never stops
    the others."""
    return [_guarded(store, feeds, feed.provider_id, now, fetch) for feed in feeds.feeds()]


def clear_removed_feeds(store: Store, feeds: FeedStore, *, now: datetime,
                        only: str | None = None) -> list[FeedReport]:
    """The busy time of removed feeds. The API clears one provider's at once
    (`only`); for feeds deleted in the console the daily sweep looks through
    every feed time off, which is too many reads for the 15-minute poll."""
    if only is not None:
        return [_guarded(store, feeds, only, now, _no_fetch)] if feeds.feed(only) is None else []
    polled = {feed.provider_id for feed in feeds.feeds()}
    return [_guarded(store, feeds, provider_id, now, _no_fetch)
            for provider_id in sorted(feeds.providers_with_feed_time_off() - polled)]


def _no_fetch(url: str) -> bytes:
    raise FeedError("internal", "a removed feed is not fetched")


def _guarded(store: Store, feeds: FeedStore, provider_id: str, now: datetime, fetch: Fetch) -> FeedReport:
    try:
        return import_feed(store, feeds, provider_id, now=now, fetch=fetch)
    except Exception as error:  # noqa: BLE001  (logged; the other feeds go on)
        log.exception("feed import failed", extra={"providerId": provider_id})
        report = FeedReport(provider_id, state="error", error="internal", message=type(error).__name__)
        try:
            feed = feeds.feed(provider_id)
            if feed is not None:
                feeds.set_status(provider_id, _error_status(feed, "internal", "the import failed; it is retried", now))
        except Exception:  # noqa: BLE001  (the store itself is failing: the log above has it)
            log.exception("feed status not recorded", extra={"providerId": provider_id})
        return report


def _time_off(provider_id: str, event) -> TimeOff:
    common = dict(id=feed_time_off_id(provider_id, event.key), provider_ids=[provider_id], title=event.title,
                  source=TimeOffSource.FEED)
    if event.all_day:
        return TimeOff(**common, all_day=True, start_date=event.start_date, end_date=event.end_date)
    return TimeOff(**common, start=event.span.start, end=event.span.end)


def _sync(store: Store, provider_id: str, wanted: dict[str, TimeOff], report: FeedReport, now: datetime) -> None:
    for _ in range(ROUNDS):
        try:
            changes = _write_difference(store, provider_id, wanted, report)
            break
        except Conflict:
            log.info("feed import conflict, reading again", extra={"providerId": provider_id})
    else:
        raise Conflict(f"the feed import of {provider_id} kept conflicting")
    if not changes:
        return
    try:
        applied = apply_time_off(store, changes, now=now)
    except Conflict:
        # The documents are written; their trigger applies them again.
        log.warning("feed time off written, applying left to its trigger", extra={"providerId": provider_id})
        return
    report.sheets_written = applied.written
    report.conflicts = {i: ids for i, ids in applied.conflicts.items() if ids}


def _write_difference(store: Store, provider_id: str, wanted: dict[str, TimeOff],
                      report: FeedReport) -> dict[str, tuple[TimeOff | None, TimeOff | None]]:
    existing = {t.id: t for t in store.time_off_for(provider_id)
                if t.source == TimeOffSource.FEED and t.provider_ids == [provider_id]}
    writes: list[tuple[str, TimeOff | None, object]] = []
    changes: dict[str, tuple[TimeOff | None, TimeOff | None]] = {}
    for time_off_id, after in wanted.items():
        before = existing.get(time_off_id)
        if before is None:
            writes.append((time_off_id, after, None))
        elif before.model_dump() != after.model_dump():
            found = store.time_off(time_off_id)
            if found is None:
                raise Conflict(f"{time_off_id} was deleted meanwhile")
            writes.append((time_off_id, after, found.version))
        else:
            continue
        changes[time_off_id] = (before, after)
    for time_off_id, before in existing.items():
        if time_off_id not in wanted:
            writes.append((time_off_id, None, None))
            changes[time_off_id] = (before, None)
    for i in range(0, len(writes), WRITES_PER_COMMIT):
        store.commit(Commit(time_off=writes[i:i + WRITES_PER_COMMIT]))
    report.created = sum(1 for before, _ in changes.values() if before is None)
    report.deleted = sum(1 for _, after in changes.values() if after is None)
    report.updated = len(changes) - report.created - report.deleted
    return changes


def _error_status(feed: CalendarFeed, code: str, message: str, now: datetime) -> FeedStatus:
    last = feed.status
    return FeedStatus("error", now, imported_at=last.imported_at if last else None,
                      events=last.events if last else None, error=f"{code}: {message}")


def _failed(feeds: FeedStore, feed: CalendarFeed | None, report: FeedReport, error: FeedError,
            now: datetime) -> FeedReport:
    report.state, report.error, report.message = "error", error.code, error.message
    if feed is not None:
        feeds.set_status(feed.provider_id, _error_status(feed, error.code, error.message, now))
    return report
