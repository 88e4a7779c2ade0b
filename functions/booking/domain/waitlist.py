"""Waitlist entries (issue 18): what a waiting customer asked for, whether a
freed start satisfies it, and who is next in line.

A window is a range of local dates, optionally some weekdays and a time of
day, all in the entry's zone (the customer's, or else the provider's), so
"weekdays after 17:00" means 17:00 on the customer's wall clock on both
sides of a daylight-saving change. Pure: no Firebase, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from .ids import SAFE_ID_RULE, is_safe_id
from .ledger import DaySheet
from .zones import is_valid_zone, zone

# Active entries a customer may hold at once; more would let one customer
# queue for everything and be booked into slots it no longer wants.
MAX_ACTIVE_PER_CUSTOMER = 5
# A window longer than this is a standing order, not a wait for a freed slot.
MAX_WINDOW_DAYS = 92
# Tell-me mails for one freed seat: enough for someone to take it, few
# enough that it is not a race between everybody waiting.
NOTIFY_PER_SEAT = 3
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
CLIENT_FIELDS = {"customerId", "appointmentTypeId", "providerId", "firstDay", "lastDay", "weekdays", "after",
                 "before", "timeZone", "mode", "status", "createdAt"}
REQUIRED_FIELDS = {"customerId", "appointmentTypeId", "firstDay", "lastDay", "timeZone", "mode"}


class Mode(StrEnum):
    BOOK = "book"  # book it for me
    NOTIFY = "notify"  # tell me


class EntryStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"  # a freed start is being booked for it (a claim)
    BOOKED = "booked"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


ACTIVE = (EntryStatus.WAITING, EntryStatus.OFFERED)


class InvalidEntry(ValueError):
    """The entry breaks the contract; the message names the field."""


@dataclass(frozen=True)
class Window:
    first_day: date
    last_day: date  # inclusive
    time_zone: str
    weekdays: frozenset[int] = frozenset()  # ISO 1 (Monday) .. 7; empty: every day
    after: time | None = None  # a start at or after this wall time
    before: time | None = None  # a start strictly before this wall time

    def contains(self, start: datetime) -> bool:
        local = start.astimezone(zone(self.time_zone))
        if not self.first_day <= local.date() <= self.last_day:
            return False
        if self.weekdays and local.isoweekday() not in self.weekdays:
            return False
        wall = local.time().replace(tzinfo=None)
        if self.after is not None and wall < self.after:
            return False
        return self.before is None or wall < self.before

    def ends_at(self) -> datetime:
        """The instant the window has passed: the local midnight after its last day."""
        nxt = self.last_day + timedelta(days=1)
        return datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone(self.time_zone))


@dataclass(frozen=True)
class Claim:
    number: int
    request_id: str
    provider_id: str
    start: datetime
    at: datetime


@dataclass(frozen=True)
class Entry:
    id: str
    customer_id: str
    type_id: str
    provider_id: str | None  # None: any provider offering the type
    window: Window
    mode: Mode
    status: EntryStatus
    created_at: datetime
    claims: int = 0  # claims made so far: the next booking request's number
    claim: Claim | None = None
    offered: tuple[str, ...] = ()  # start keys already mailed to a tell-me entry
    history: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    def wants(self, provider_id: str, type_id: str, start: datetime) -> bool:
        return (self.status is EntryStatus.WAITING and self.type_id == type_id
                and self.provider_id in (None, provider_id) and self.window.contains(start))

    def request_id(self, number: int) -> str:
        """The booking request of claim `number`: derived, so a repeated claim
        books through the same request and cannot book twice."""
        return f"wl-{self.id}-{number}"


def offer_key(provider_id: str, start: datetime) -> str:
    return f"{provider_id}-{start.strftime('%Y%m%dT%H%MZ')}"


@dataclass(frozen=True)
class Freed:
    """Seats of one type at one start that a sheet write freed."""

    type_id: str
    start: datetime
    seats: int


def _seats(sheet: DaySheet, type_id: str, start: datetime) -> int:
    if start not in sheet.available.get(type_id, ()):
        return 0
    spec = sheet.types.get(type_id)
    capacity = spec.capacity if spec is not None else 1
    taken = sum(1 for b in sheet.blocks if b.type_id == type_id and b.start == start)
    return max(capacity - taken, 1)


def freed_seats(before: DaySheet | None, after: DaySheet | None) -> list[Freed]:
    """Seats bookable after the write that were not before, by type and start
    (a first sheet frees all of its starts: a day entering the horizon)."""
    if after is None:
        return []
    freed = []
    for type_id, starts in sorted(after.available.items()):
        for start in sorted(starts):
            gained = _seats(after, type_id, start) - (_seats(before, type_id, start) if before else 0)
            if gained > 0:
                freed.append(Freed(type_id, start, gained))
    return freed


def still_free(freed: list[Freed], current: DaySheet | None) -> list[Freed]:
    """The freed seats the sheet as stored now still has: a late or repeated
    event, or a booking that came first, leaves fewer or none."""
    if current is None:
        return []
    kept = [Freed(f.type_id, f.start, min(f.seats, _seats(current, f.type_id, f.start))) for f in freed]
    return [f for f in kept if f.seats > 0]


def in_line(entries: list[Entry], provider_id: str, type_id: str, start: datetime,
            mode: Mode | None = None) -> list[Entry]:
    """The waiting entries this start satisfies, oldest first (then by id, so
    every instance agrees on the order)."""
    return sorted((e for e in entries if e.wants(provider_id, type_id, start) and mode in (None, e.mode)),
                  key=lambda e: (e.created_at, e.id))


def _day(data: dict[str, Any], name: str) -> date:
    value = data.get(name)
    if not isinstance(value, str) or not _DAY.match(value):
        raise InvalidEntry(f"{name} must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidEntry(f"{name} must be a date YYYY-MM-DD") from None


def _wall(data: dict[str, Any], name: str) -> time | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not _HHMM.match(value):
        raise InvalidEntry(f"{name} must be a time of day HH:MM")
    return time.fromisoformat(value)


def parse_window(data: dict[str, Any]) -> Window:
    first, last = _day(data, "firstDay"), _day(data, "lastDay")
    if last < first:
        raise InvalidEntry("lastDay must not be before firstDay")
    if (last - first).days >= MAX_WINDOW_DAYS:
        raise InvalidEntry(f"the window may span at most {MAX_WINDOW_DAYS} days")
    tz = data.get("timeZone")
    if not isinstance(tz, str) or not is_valid_zone(tz):
        raise InvalidEntry("timeZone must be an IANA time zone")
    weekdays = data.get("weekdays") or []
    if not isinstance(weekdays, list) or len(weekdays) > 7 or any(
            not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= 7 for d in weekdays):
        raise InvalidEntry("weekdays must be a list of ISO weekdays 1 (Monday) to 7")
    after, before = _wall(data, "after"), _wall(data, "before")
    if after is not None and before is not None and before <= after:
        raise InvalidEntry("before must be later than after")
    return Window(first, last, tz, frozenset(weekdays), after, before)


def parse_new_entry(data: Any) -> dict[str, Any]:
    """The client contract of a new entry (REST, rules mirror it): checks it and
    returns the fields it keeps. Raises InvalidEntry naming the field."""
    if not isinstance(data, dict):
        raise InvalidEntry("the entry must be an object")
    unknown = sorted(set(data) - CLIENT_FIELDS)
    if unknown:
        raise InvalidEntry(f"unexpected field(s): {', '.join(unknown)}")
    for name in sorted(REQUIRED_FIELDS):
        if data.get(name) is None:
            raise InvalidEntry(f"{name} is required")
    for name in ("customerId", "appointmentTypeId", "providerId"):
        if data.get(name) is not None and not is_safe_id(data[name]):
            raise InvalidEntry(f"{name} must be an id of {SAFE_ID_RULE}")
    if data["mode"] not in tuple(Mode):
        raise InvalidEntry("mode must be \"book\" or \"notify\"")
    parse_window(data)
    return {k: v for k, v in data.items() if k in CLIENT_FIELDS - {"status", "createdAt"} and v is not None}


def entry_from(entry_id: str, data: dict[str, Any]) -> Entry:
    """A stored entry; raises InvalidEntry for one that does not validate."""
    try:
        claim = data.get("claim")
        return Entry(
            id=entry_id,
            customer_id=data["customerId"],
            type_id=data["appointmentTypeId"],
            provider_id=data.get("providerId"),
            window=parse_window(data),
            mode=Mode(data["mode"]),
            status=EntryStatus(data["status"]),
            created_at=data["createdAt"],
            claims=int(data.get("claims") or 0),
            claim=Claim(int(claim["number"]), claim["requestId"], claim["providerId"], claim["start"],
                        claim["at"]) if isinstance(claim, dict) else None,
            offered=tuple(data.get("offered") or ()),
            history=tuple(data.get("history") or ()),
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, InvalidEntry):
            raise
        raise InvalidEntry(f"stored entry does not validate: {error}") from None


def moved(entry: Entry, status: EntryStatus, now: datetime, **detail: Any) -> dict[str, Any]:
    """The fields of a status move, with its history line."""
    line = {"status": status.value, "at": now, **{k: v for k, v in detail.items() if v is not None}}
    return {"status": status.value, "history": [*entry.history, line], "updatedAt": now}
