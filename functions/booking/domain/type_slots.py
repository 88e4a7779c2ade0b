"""The "any provider" view: every provider's free starts of one appointment
type on one UTC date, in one document (`typeSlots/{typeId}_{date}`).

It is derived from the provider day sheets (the ledger) and never decides a
booking: a search for any provider reads a week in nine documents instead of
one sheet per provider and day, and the booking then checks the provider's
own sheet. Each sheet contributes one entry per (type, UTC date) its starts
fall on, keyed by the sheet's id and stamped with the sheet's version (its
update time), so that an entry is only ever replaced by a newer reading of
its sheet: events delivered late, twice or out of order cannot put older
starts back. A sheet is dated in its provider's zone, so it feeds one or two
UTC dates (Sydney's Monday is Sunday and Monday in UTC).

Pure: reading and writing the view is `booking.services.type_slots`' job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .ledger import DaySheet
from .ranges import to_utc
from .zones import day_start

__all__ = ["ViewEntry", "ViewKey", "entries_of", "keys_of", "merged", "starts_between", "utc_dates_between",
           "view_id"]

ViewKey = tuple[str, date]  # (appointment type id, UTC date)


@dataclass(frozen=True)
class ViewEntry:
    """One sheet's starts of one type on one UTC date, as of `version`."""

    provider_id: str
    version: Any
    starts: tuple[datetime, ...]


def view_id(type_id: str, day: date) -> str:
    return f"{type_id}_{day.isoformat()}"


def utc_dates_between(start: datetime, end: datetime) -> list[date]:
    """The UTC dates the instants [start, end) fall on."""
    first = to_utc(start).date()
    last = (to_utc(end) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _local_day_dates(time_zone: str, day: date) -> list[date]:
    return utc_dates_between(day_start(time_zone, day), day_start(time_zone, day + timedelta(days=1)))


def entries_of(sheet: DaySheet, version: Any) -> dict[ViewKey, ViewEntry]:
    """What `sheet` (read at `version`) puts into the view: an entry for every
    type it offers on every UTC date its local day touches, empty where it
    has no free start, so that a start it no longer offers is taken out."""
    found: dict[ViewKey, list[datetime]] = {}
    for type_id in set(sheet.types) | set(sheet.available):
        for d in _local_day_dates(sheet.time_zone, sheet.day):
            found[(type_id, d)] = []
    for type_id, starts in sheet.available.items():
        for start in starts:
            found.setdefault((type_id, to_utc(start).date()), []).append(to_utc(start))
    return {key: ViewEntry(sheet.provider_id, version, tuple(sorted(starts))) for key, starts in found.items()}


def keys_of(time_zone: str, day: date, type_ids: Iterable[str]) -> set[ViewKey]:
    """The view documents a sheet of `day` in `time_zone` may have entries in
    for these types (those it offered before a change, say)."""
    dates = _local_day_dates(time_zone, day)
    return {(type_id, d) for type_id in type_ids for d in dates}


def merged(current: Mapping[str, ViewEntry], sheet_id: str, entry: ViewEntry | None) -> ViewEntry | None | bool:
    """What to store for `sheet_id` in a view document holding `current`:
    the new entry, None to remove it (the sheet is gone), or False when
    nothing should be written because the stored entry is as new or newer.

    A newer reading is written even when its starts are the same: the entry
    must carry the version it was read at, or a slower reader of an older
    version (same sheet, another trigger run) would find an entry older than
    its own and put its older starts back."""
    stored = current.get(sheet_id)
    if entry is None:
        return None if stored is not None else False
    if stored is not None and stored.version >= entry.version:
        return False
    return entry


def starts_between(views: Iterable[Mapping[str, ViewEntry]], start: datetime,
                   end: datetime) -> list[tuple[datetime, str]]:
    """Every (start, provider id) in the views inside [start, end), earliest
    first, then by provider; a start two sheets of one provider both list
    (they never should) counts once."""
    found: set[tuple[datetime, str]] = set()
    for view in views:
        for entry in view.values():
            found.update((s, entry.provider_id) for s in entry.starts if start <= s < end)
    return sorted(found)
