"""Keeping the "any provider" view (`typeSlots`, domain/type_slots.py) in
step with the provider day sheets, and reading it.

The sheet trigger refreshes the view from the sheet *as it is now* (it
re-reads it rather than trusting the event), and each entry is replaced only
by a newer reading, so a late or repeated event changes nothing; the daily
upkeep runs the same code over a provider's whole window to repair what a
lost event left behind. Each view document is written on its own,
conditioned on the version read: sheets of different providers share view
documents, and the loser of a race re-reads and tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from booking.domain.ledger import sheet_id
from booking.domain.zones import is_valid_zone
from booking.domain.type_slots import ViewEntry, ViewKey, entries_of, keys_of, merged, starts_between, \
    utc_dates_between
from booking.services.ports import Conflict, Store, TypeSlotViews, Versioned
from booking.services.retry import Backoff

log = logging.getLogger(__name__)

# A view document is written by every provider's sheets of its date; a
# loser waits a little and re-reads, like a booking (but with less at stake:
# the upkeep repairs what gives up).
VIEW_BACKOFF = dict(budget_seconds=20.0, first_delay=0.02, max_delay=1.0)
WRITES_PER_BATCH = 400  # Firestore takes at most 500 writes in one batch


def refresh_sheet_view(store: Store, views: TypeSlotViews, provider_id: str, day: date, *,
                       earlier_zone: str | None = None, earlier_types: Iterable[str] = ()) -> int:
    """The sheet trigger's work: bring the view in line with the sheet of
    `provider_id` on `day` as stored now. `earlier_zone` and `earlier_types`
    (from the event's old sheet) name entries the sheet may no longer feed
    (a type it stopped offering; the sheet deleted). Returns the view
    documents written."""
    hints = keys_of(earlier_zone, day, earlier_types) if earlier_zone else set()
    return _sync(views, provider_id, store.sheets(provider_id, [day]), {day: hints})


def after_sheet_write(store: Store, views: TypeSlotViews, sheet_doc_id: str, before: dict[str, Any] | None,
                      after: dict[str, Any] | None) -> int:
    """`refresh_sheet_view` for a `slots/{sheetId}` event: the sheet's id
    names provider and day; the old sheet (`before`) names what it fed. A
    write that left what the view shows alone (a block moved within reach,
    nothing freed or taken) costs no read: an entry that keeps an older
    version still has the right starts, and a reader of anything older was
    refused by the write that changed them. An id that names no sheet
    writes nothing."""
    if before is not None and after is not None and all(
            before.get(f) == after.get(f) for f in ("available", "types", "timeZone")):
        return 0
    provider_id, _, day_text = sheet_doc_id.rpartition("_")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return 0
    if not provider_id:
        return 0
    old = before or {}
    zone = old.get("timeZone") if isinstance(old.get("timeZone"), str) else None
    earlier = {t for field in ("types", "available") if isinstance(old.get(field), dict) for t in old[field]}
    return refresh_sheet_view(store, views, provider_id, day, earlier_zone=zone if zone and is_valid_zone(zone) else None,
                              earlier_types=earlier)


def sync_provider_view(store: Store, views: TypeSlotViews, provider_id: str, days: list[date], *,
                       now: datetime) -> int:
    """The daily upkeep's repair for one provider: every entry its sheets of
    `days` should have, and none left over for a type it stopped offering
    (so every type there is is looked at), on UTC dates from yesterday on."""
    found = store.sheets(provider_id, days)
    type_ids = [t.id for t in store.appointment_types()]
    hints = {day: keys_of(sheet.value.time_zone, day, type_ids) for day, sheet in found.items() if sheet is not None}
    # A repair writes only entries whose starts are wrong: every provider's
    # upkeep touches the same view documents, and rewriting right entries
    # for their newer version would have hundreds of tasks contend on them.
    return _sync(views, provider_id, found, hints, oldest=(now - timedelta(days=1)).date(), repair=True)


def drop_provider_from_view(store: Store, views: TypeSlotViews, provider_id: str, *, now: datetime) -> int:
    """A deleted provider's sheets stay as they were (for the record), but
    nobody can book them: their entries leave the view. Covers yesterday
    through the longest horizon of any type (the provider's zone is gone)."""
    types = store.appointment_types()
    today = now.date()
    last = max((t.horizon_days for t in types), default=0) + 2
    days = [today + timedelta(days=n) for n in range(-1, last + 1)]
    found = store.sheets(provider_id, days)
    type_ids = [t.id for t in types]
    hints = {day: keys_of(sheet.value.time_zone, day, type_ids) for day, sheet in found.items() if sheet is not None}
    return _sync(views, provider_id, {day: None for day in hints}, hints)


def sync_providers_view(store: Store, views: TypeSlotViews, provider_ids: list[str], days: list[date], *,
                        now: datetime) -> int:
    """`sync_provider_view` for several providers at once: each view document
    is read and written once for all of them, not once per provider (a bulk
    load of hundreds of providers writes each document once per call instead
    of hundreds of times). Returns the view documents written."""
    type_ids = [t.id for t in store.appointment_types()]
    wanted: dict[ViewKey, dict[str, ViewEntry | None]] = {}
    clear_only: set[tuple[ViewKey, str]] = set()
    for provider_id in provider_ids:
        found = store.sheets(provider_id, days)
        hints = {day: keys_of(sheet.value.time_zone, day, type_ids) for day, sheet in found.items()
                 if sheet is not None}
        _want(wanted, clear_only, provider_id, found, hints, (now - timedelta(days=1)).date())
    return _write(views, wanted, clear_only, repair=True, provider_id=",".join(provider_ids))


def _sync(views: TypeSlotViews, provider_id: str, found: dict[date, Versioned | None],
          hints: dict[date, set[ViewKey]], *, oldest: date | None = None, repair: bool = False) -> int:
    """Writes what the sheets in `found` feed into the view, in one batch; a
    hinted key they do not feed loses their entry (emptied at the sheet's
    version, or removed with the sheet), and is not written where they have
    none. A `repair` leaves an entry with the right starts as it is (a
    trigger moves its version on, see `merged`). Returns the view documents
    written."""
    wanted: dict[ViewKey, dict[str, ViewEntry | None]] = {}
    clear_only: set[tuple[ViewKey, str]] = set()
    _want(wanted, clear_only, provider_id, found, hints, oldest)
    return _write(views, wanted, clear_only, repair=repair, provider_id=provider_id)


def _want(wanted: dict[ViewKey, dict[str, ViewEntry | None]], clear_only: set[tuple[ViewKey, str]],
          provider_id: str, found: dict[date, Versioned | None], hints: dict[date, set[ViewKey]],
          oldest: date | None) -> None:
    """Adds to `wanted` the entries one provider's sheets in `found` feed."""
    for day, sheet in found.items():
        own = sheet_id(provider_id, day)
        entries = entries_of(sheet.value, sheet.version) if sheet is not None else {}
        for key in hints.get(day, set()) | set(entries):
            if oldest is not None and key[1] < oldest:
                continue
            if key not in entries:
                clear_only.add((key, own))
            gone = ViewEntry(provider_id, sheet.version, ()) if sheet is not None else None
            wanted.setdefault(key, {})[own] = entries.get(key, gone)


def _write(views: TypeSlotViews, wanted: dict[ViewKey, dict[str, ViewEntry | None]],
           clear_only: set[tuple[ViewKey, str]], *, repair: bool, provider_id: str) -> int:
    for _ in Backoff(**VIEW_BACKOFF).rounds():
        current = views.type_slot_views(sorted(wanted), only=sorted({i for c in wanted.values() for i in c}))
        writes = []
        for key, changes in wanted.items():
            found_view = current[key]
            stored = found_view.value if found_view is not None else {}
            write = {
                i: m for i, e in changes.items()
                if ((key, i) not in clear_only or i in stored) and (m := merged(stored, i, e)) is not False
                and not (repair and m is not None and i in stored and stored[i].starts == m.starts)
            }
            if write:
                writes.append((key, write, found_view.version if found_view else None))
        if not writes:
            return 0
        try:
            for i in range(0, len(writes), WRITES_PER_BATCH):
                views.write_type_slot_views(writes[i:i + WRITES_PER_BATCH])
            return len(writes)
        except Conflict:
            continue  # another sheet's run wrote one of them first: read again (written batches are skipped)
    log.warning("type slot view left behind; the upkeep repairs it",
                extra={"providerId": provider_id, "views": [f"{t}_{d}" for t, d in wanted]})
    return 0


def view_starts(views: TypeSlotViews, type_id: str, start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """Every (start, provider id) the view lists for the type in [start, end),
    from one read of each UTC date's document."""
    keys = [(type_id, d) for d in utc_dates_between(start, end)]
    found = views.type_slot_views(keys)
    return starts_between((v.value for v in found.values() if v is not None), start, end)
