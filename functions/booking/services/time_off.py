"""Applying time off to the ledger, and flagging the appointments it meets.

The `timeOff` documents are the truth; each day sheet keeps the spans that
overlap it, so a booking checks time off with the reads it makes anyway. A
change (a client or console write, REST, a feed import) rewrites exactly
the sheets of the days its old and its new span cover, inside the sheets'
window (yesterday to the horizon; sheets beyond are built with it when they
come into range), through the same conditioned writes as a booking:

- Appointments are read first, sheets second, the documents last, and
  every write carries the version read. A booking that lands between the
  reads makes the sheet write fail, and the next round sees its block and
  flags it; a booking after it finds the span and is refused. So no
  confirmed appointment ever lies in time off without a flag.
- The document is applied as it is *now*, not as the event saw it: a
  later change of it has its own application for its own days, and the
  two can run in either order.

An appointment that time off meets stays booked: `timeOffConflicts` lists
the ids of the time off its block (with buffers) overlaps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from booking.domain.appointments import Appointment
from booking.domain.ledger import DaySheet, days_under, held_range
from booking.domain.models import Provider
from booking.domain.ranges import Range
from booking.domain.time_off import TimeOff, span_for
from booking.domain.zones import day_start
from booking.services.ports import Commit, Conflict, InvalidDocument, Store, Versioned
from booking.services.recompute import sheet_days
from booking.services.retry import Backoff
from booking.services.sheet_loader import BLOCK_SEARCH_MARGIN, SheetLoader

log = logging.getLogger(__name__)

# (what the document was before, what it is after; None: absent)
Change = tuple[TimeOff | None, TimeOff | None]


@dataclass
class TimeOffReport:
    written: int = 0
    # time off id -> the held appointments it meets now
    conflicts: dict[str, list[str]] = field(default_factory=dict)


def apply_time_off(store: Store, changes: dict[str, Change], *, now: datetime,
                   backoff: Backoff | None = None) -> TimeOffReport:
    report = TimeOffReport(conflicts={time_off_id: [] for time_off_id in changes})
    for provider in _providers_touched(store, changes):
        for _ in (backoff or Backoff()).rounds():
            try:
                met = _apply_once(store, provider, changes, now, report)
                for time_off_id, appointment_ids in met.items():
                    report.conflicts[time_off_id].extend(appointment_ids)
                break
            except Conflict:
                log.info("time off conflict, retrying", extra={"providerId": provider.id})
        else:
            raise Conflict(f"time off on {provider.id} kept conflicting")
    for ids in report.conflicts.values():
        ids.sort()
    return report


def _providers_touched(store: Store, changes: dict[str, Change]) -> list[Provider]:
    versions = [v for before, after in changes.values() for v in (before, after) if v is not None]
    if any(v.all_providers for v in versions):
        return store.providers()
    found = []
    for provider_id in sorted({p for v in versions for p in v.provider_ids}):
        try:
            provider = store.provider(provider_id)
        except InvalidDocument:
            continue  # a broken provider has no sheets this could change
        if provider is not None:
            found.append(provider)
    return found


def _spans(provider: Provider, changes: dict[str, Change], window: list[date]) -> list[Range]:
    """Every span, old or new, that the changes take from this provider,
    clipped to the sheets' window."""
    tz = provider.time_zone
    lo, hi = day_start(tz, window[0]), day_start(tz, window[-1] + timedelta(days=1))
    spans = []
    for before, after in changes.values():
        for version in (before, after):
            span = span_for(version, provider.id, tz)
            if span is not None and max(span.start, lo) < min(span.end, hi):
                spans.append(Range(max(span.start, lo), min(span.end, hi)))
    return spans


def _load_reached(loader: SheetLoader, spans: list[Range], window: list[date]) -> dict[date, tuple[DaySheet, object]]:
    """The sheets of the days under the spans, and every neighbour whose
    reach a span overlaps (a late-evening meeting meets the next day's
    first start through its before-buffer), as `SheetLoader.with_neighbours`
    finds them for a block."""
    tz = loader.provider.time_zone
    days = sorted({d for span in spans for d in days_under(tz, span)})
    loaded = dict(loader.load(days))
    frontier = list(days)
    while frontier:
        sheet, _ = loaded[frontier.pop()]
        for span in spans:
            for neighbour in sheet.neighbours_for(span):
                if neighbour not in loaded and window[0] <= neighbour <= window[-1]:
                    loaded.update(loader.load([neighbour]))
                    if loaded[neighbour][0].reach.overlaps(span):
                        frontier.append(neighbour)
    return loaded


def _apply_once(store: Store, provider: Provider, changes: dict[str, Change], now: datetime,
                report: TimeOffReport) -> dict[str, list[str]]:
    """One round for one provider; the appointments each changed time off
    meets there. Raises Conflict when someone wrote first."""
    loader = SheetLoader(store, provider)
    window = sheet_days(provider, loader.types(), now)
    met: dict[str, list[str]] = {time_off_id: [] for time_off_id in changes}
    spans = _spans(provider, changes, window)
    if not spans:
        return met
    tz = provider.time_zone
    loaded = _load_reached(loader, spans, window)
    days = sorted(loaded)
    # After the sheets: every block they hold has its appointment by now.
    appointments = store.held_between_versioned(
        provider.id,
        day_start(tz, days[0]) - BLOCK_SEARCH_MARGIN,
        day_start(tz, days[-1] + timedelta(days=1)) + BLOCK_SEARCH_MARGIN,
    )
    current = {time_off_id: _current(store, time_off_id) for time_off_id in changes}

    sheets: dict[date, DaySheet] = {}
    changed: list[date] = []
    for day in days:
        sheet, version = loaded[day]
        updated = sheet
        for time_off_id, time_off in current.items():
            updated = updated.with_time_off(time_off_id, span_for(time_off, provider.id, tz))
        sheets[day] = updated
        if version is None or updated != sheet:
            changed.append(day)
    flags = _flags(loader, sheets, appointments, set(days), met)
    # A flag is written in one batch with every sheet it was computed from,
    # each conditioned on the version read (rewritten unchanged if need
    # be): so a flag never outlives a newer sheet written by another change.
    needed = sorted(set(changed) | {d for *_, under in flags for d in under})
    if len(needed) + len(flags) <= MAX_BATCH:
        _commit(store, loader, sheets, needed, flags, report)
        return met
    # Too big for one batch (a long closure): the sheets now, in chunks; the
    # flags in the next round, which finds the sheets written.
    for i in range(0, len(changed), MAX_BATCH):
        _commit(store, loader, sheets, changed[i:i + MAX_BATCH], [], report)
    raise Conflict("sheets written; flags next round")


MAX_BATCH = 450  # Firestore takes 500 writes in a batch


def _commit(store: Store, loader: SheetLoader, sheets: dict[date, DaySheet], days: list[date],
            flags: list[tuple[str, dict, object, list[date]]], report: TimeOffReport) -> None:
    if not days and not flags:
        return
    writes = [(sheets[d], loader.loaded[d][1]) if d in sheets else loader.loaded[d] for d in days]
    store.commit(Commit(sheets=writes, update_appointments=[(i, f, v) for i, f, v, _ in flags]))
    report.written += len(writes) + len(flags)


def _current(store: Store, time_off_id: str) -> TimeOff | None:
    try:
        found = store.time_off(time_off_id)
    except InvalidDocument:
        return None  # a broken edit takes nothing off (its trigger logs why)
    return found.value if found is not None else None


def _flags(loader: SheetLoader, sheets: dict[date, DaySheet], appointments: list[Versioned], affected: set[date],
           met_by: dict[str, list[str]]) -> list[tuple[str, dict, object, list[date]]]:
    """The conflict lists that differ from what each appointment holds,
    computed over every sheet its block lies on (so complete even when the
    block crosses into a day this change did not touch), with those days."""
    tz = loader.provider.time_zone
    updates = []
    for found in appointments:
        appointment: Appointment = found.value
        block = held_range(appointment)
        under = days_under(tz, block)
        if affected.isdisjoint(under):
            continue
        on = {**{d: s for d, (s, _) in loader.load([d for d in under if d not in sheets]).items()},
              **{d: sheets[d] for d in under if d in sheets}}
        met: set[str] = set()
        for day in under:
            met |= on[day].time_off_over(block)
        for time_off_id in met & met_by.keys():
            met_by[time_off_id].append(appointment.id)
        wanted = sorted(met)
        if wanted != appointment.time_off_conflicts:
            updates.append((appointment.id, {"timeOffConflicts": wanted}, found.version, under))
    return updates
