"""The busy spans of an iCalendar feed inside a window.

Parsing and recurrence expansion are the libraries' (``icalendar``,
``recurring-ical-events``, ``x-wr-timezone``): RRULE, RDATE, EXDATE and
RECURRENCE-ID overrides are theirs to get right. What is ours:

- free (``TRANSP:TRANSPARENT``) and cancelled events do not block;
- an all-day event stays whole local days, read in the provider's zone when
  it is applied (so it is 24 December where the provider works); a timed
  event becomes UTC instants, a floating time read in the provider's zone;
- every occurrence has a key that survives edits: a recurring event's
  occurrence is its UID and RECURRENCE-ID (a moved occurrence keeps the
  RECURRENCE-ID of the slot it was moved from), a single event its UID, so
  moving either updates one document instead of deleting and creating.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from booking.domain.ranges import Range
from booking.domain.time_off import MAX_SPAN, MAX_TITLE
from booking.domain.zones import day_start, local_date, resolve_local

from .errors import FeedError

__all__ = ["MAX_EVENTS", "FeedEvent", "busy_events"]

# An import writes one document per event; a personal calendar has a few
# hundred in a booking horizon. Past this the feed is refused as a whole
# (and the last good import kept) rather than half-imported.
MAX_EVENTS = 2000
# Occurrences looked at, kept or not: a FREQ=MINUTELY rule of free events
# must not spin for ever.
MAX_SCANNED = 10 * MAX_EVENTS


@dataclass(frozen=True, order=True)
class FeedEvent:
    """One busy occurrence: ``span`` for a timed event, or whole local days
    ``start_date`` .. ``end_date`` (inclusive) for an all-day one."""

    key: str
    title: str = ""
    span: Range | None = None
    start_date: date | None = None
    end_date: date | None = None

    @property
    def all_day(self) -> bool:
        return self.span is None


def busy_events(ics: bytes, *, tz: str, window: Range) -> list[FeedEvent]:
    """The feed's busy occurrences that overlap ``window``, sorted by start."""
    try:
        import icalendar
        import recurring_ical_events
        import x_wr_timezone

        calendar = icalendar.Calendar.from_ical(ics)
        # Google writes UTC times with the calendar's zone in X-WR-TIMEZONE;
        # a weekly rule repeats in that zone, across its DST changes.
        calendar = x_wr_timezone.to_standard(calendar)
        recurring = _recurring_uids(calendar)
        query = recurring_ical_events.of(calendar)
        # A day of margin each side: all-day and floating events are placed
        # in the provider's zone below, and the exact overlap test is ours.
        first, last = local_date(tz, window.start) - timedelta(days=1), local_date(tz, window.end) + timedelta(days=1)
        # One day at a time, so a rule that repeats every second is refused
        # after one day's occurrences instead of expanding months of them.
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        occurrences = (o for day in days for o in query.between(day, day + timedelta(days=1)))
        return _collect(occurrences, recurring, tz, window)
    except FeedError:
        raise
    # The libraries signal a broken file with ValueError (InvalidCalendar is
    # one) and, on odd values, with the others; all mean "not a calendar we
    # can read", never a crash of the poll.
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        raise FeedError("malformed", f"not a readable iCalendar file: {error}") from error


def _recurring_uids(calendar: Any) -> set[str]:
    return {
        str(event.get("UID", ""))
        for event in calendar.walk("VEVENT")
        if any(name in event for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }


def _collect(occurrences: Iterator[Any], recurring: set[str], tz: str, window: Range) -> list[FeedEvent]:
    found: dict[str, FeedEvent] = {}
    for scanned, event in enumerate(occurrences):
        if scanned >= MAX_SCANNED:
            raise FeedError("too_many_events", f"more than {MAX_SCANNED} occurrences to look at in the horizon")
        if event.get("DTSTART") is None or not _blocks(event):
            continue
        busy = _busy(event, recurring, tz, window)
        if busy is None or busy.key in found:
            continue
        found[busy.key] = busy
        if len(found) > MAX_EVENTS:
            raise FeedError("too_many_events", f"more than {MAX_EVENTS} busy events in the horizon")
    return sorted(found.values(), key=lambda e: (_start_of(e, tz), e.key))


def _blocks(event: Any) -> bool:
    transparent = str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return not (transparent or cancelled)


def _busy(event: Any, recurring: set[str], tz: str, window: Range) -> FeedEvent | None:
    uid = str(event.get("UID", "")).strip()
    start = event["DTSTART"].dt
    end = event["DTEND"].dt if "DTEND" in event else start  # the library fills DTEND from DURATION
    title = str(event.get("SUMMARY", "")).strip()[:MAX_TITLE]
    key = _key(uid, event, recurring, tz)
    if not isinstance(start, datetime):  # a DATE: whole days
        last = (end if not isinstance(end, datetime) else end.date()) - timedelta(days=1)
        last = max(last, start)  # no DTEND: the one day
        span = Range(day_start(tz, start), day_start(tz, last + timedelta(days=1)))
        if not span.overlaps(window):
            return None
        if (last - start) >= MAX_SPAN:  # "away" for years: keep the part we book
            start, last = max(start, local_date(tz, window.start)), min(last, local_date(tz, window.end))
        return FeedEvent(key, title, start_date=start, end_date=last)
    begin, finish = _instant(start, tz), _instant(end, tz)
    if finish <= begin:
        return None  # a zero-length (or inverted) event blocks nothing
    span = Range(begin, finish)
    if not span.overlaps(window):
        return None
    if span.duration > MAX_SPAN:
        span = Range(max(span.start, window.start), min(span.end, window.end))
    return FeedEvent(key, title, span=span)


def _key(uid: str, event: Any, recurring: set[str], tz: str) -> str:
    if uid and uid not in recurring:
        return uid
    marker = event.get("RECURRENCE-ID") or event.get("DTSTART")
    when = marker.dt
    stamp = when.isoformat() if not isinstance(when, datetime) else _instant(when, tz).strftime("%Y%m%dT%H%M%SZ")
    # Without a UID (not valid, but seen) the start and title are the best identity left.
    return f"{uid}|{stamp}" if uid else f"|{stamp}|{event.get('SUMMARY', '')}"


def _instant(value: datetime | date, tz: str) -> datetime:
    if not isinstance(value, datetime):
        return day_start(tz, value)
    if value.tzinfo is None or value.utcoffset() is None:
        return resolve_local(value.replace(tzinfo=None), tz)  # floating: the provider's wall clock
    return value.astimezone(UTC)


def _start_of(event: FeedEvent, tz: str) -> datetime:
    if event.span is not None:
        return event.span.start
    assert event.start_date is not None
    return day_start(tz, event.start_date)
