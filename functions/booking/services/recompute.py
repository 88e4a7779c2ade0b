"""Rebuild a provider's day sheets after availability, the provider or a
type changed, and keep the appointments' `outsideAvailability` flags true.

Blocks come from the sheets themselves (the ledger is the source of truth
for what is booked); the appointments collection only fills days that have
no sheet yet. Writes are conditioned on the versions read, like bookings,
so a recompute racing a booking can never drop its block.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from booking.domain.ledger import DaySheet, block_of, build_sheets, days_under, held_range, offered_types
from booking.domain.models import AppointmentType, Availability, BookedBlock, Provider
from booking.domain.ranges import Range
from booking.domain.appointments import Appointment
from booking.domain.zones import day_start, local_date, zone_refusal
from booking.services.ports import Commit, Conflict, InvalidDocument, Store, Versioned
from booking.services.sheet_loader import BLOCK_SEARCH_MARGIN

log = logging.getLogger(__name__)

DEFAULT_HORIZON_DAYS = 60
MAX_ROUNDS = 5
SHEETS_PER_COMMIT = 200


@dataclass
class RecomputeReport:
    provider_id: str
    days: int = 0
    written: int = 0
    flagged: list[str] = field(default_factory=list)
    unflagged: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)  # blocks dropped: appointment cancelled (or gone)
    error: str | None = None
    sheet_days: list[date] = field(default_factory=list)  # the provider-local days recomputed


def horizon_days(provider: Provider, types: list[AppointmentType]) -> int:
    offered = offered_types(provider, types)
    return max((t.horizon_days for t in offered), default=DEFAULT_HORIZON_DAYS)


def sheet_days(provider: Provider, types: list[AppointmentType], now: datetime) -> list[date]:
    """Yesterday (its evening may reach into today) through the horizon."""
    today = local_date(provider.time_zone, now)
    last = today + timedelta(days=horizon_days(provider, types) + 1)
    return [today + timedelta(days=n) for n in range(-1, (last - today).days + 1)]


def recompute_provider(store: Store, provider_id: str, *, now: datetime) -> RecomputeReport:
    report = RecomputeReport(provider_id)
    try:
        provider = store.provider(provider_id)
        availability = store.availability(provider_id)
    except InvalidDocument as invalid:
        report.error = f"not applied: {invalid}"
        return report
    if provider is None:
        report.error = "no such provider"
        return report
    if availability is not None and zone_refusal(availability.time_zone, provider.time_zone) is not None:
        report.error = (f"availability not applied: its timeZone {availability.time_zone} is not "
                        f"the provider's {provider.time_zone}")
        return report
    types = store.appointment_types()
    days = sheet_days(provider, types, now)
    report.days = len(days)
    report.sheet_days = days
    for _ in range(MAX_ROUNDS):
        try:
            _recompute_once(store, provider, availability, types, days, report)
            return report
        except Conflict:
            log.info("recompute conflict, retrying", extra={"providerId": provider_id})
    raise Conflict(f"recompute of {provider_id} kept conflicting")


def _recompute_once(
    store: Store,
    provider: Provider,
    availability: Availability | None,
    types: list[AppointmentType],
    days: list[date],
    report: RecomputeReport,
) -> None:
    existing = store.sheets(provider.id, days)
    tz = provider.time_zone
    versioned = store.held_between_versioned(
        provider.id,
        day_start(tz, days[0]) - BLOCK_SEARCH_MARGIN,
        day_start(tz, days[-1] + timedelta(days=1)) + BLOCK_SEARCH_MARGIN,
    )
    appointments = [found.value for found in versioned]
    # The sheets were read before the query, so a block whose appointment
    # the query no longer finds held (confirmed, completed or no-show: a
    # used slot stays taken) was cancelled without its release (a lost
    # trigger): drop it. Anything booked or cancelled after the sheet read
    # changed a sheet's version, and the write below conflicts.
    held = {a.id for a in appointments}
    blocks: dict[str, BookedBlock] = {}
    for found in existing.values():
        if found is not None:
            for b in found.value.blocks:
                if b.appointment_id in held:
                    blocks[b.appointment_id] = b
                elif b.appointment_id not in report.released:
                    report.released.append(b.appointment_id)
    for appointment in appointments:
        if appointment.id not in blocks and existing.get(local_date(tz, appointment.start)) is None:
            blocks[appointment.id] = block_of(appointment)

    # Read after the sheets, like the appointments: a time off written since
    # has changed a sheet's version, and the write below conflicts.
    away = [(t.id, t.span_in(tz)) for t in store.time_off_for(provider.id)]
    fresh = build_sheets(provider, availability, types, days, blocks.values(), away)
    pending: list[tuple[DaySheet, object]] = []
    for day in days:
        found = existing[day]
        sheet = fresh[day]
        if found is None:
            pending.append((sheet, None))
        elif found.value != sheet:
            pending.append((sheet, found.version))
    for i in range(0, len(pending), SHEETS_PER_COMMIT):
        chunk = pending[i:i + SHEETS_PER_COMMIT]
        store.commit(Commit(sheets=chunk))
        report.written += len(chunk)
        # a later chunk's conflict re-runs everything; written chunks are
        # then equal to what is computed and are skipped
    _flag(store, versioned, fresh, tz, report)


def _inside(appointment: Appointment, sheet: DaySheet | None) -> bool:
    own = Range(appointment.start, appointment.end)
    return sheet is not None and any(r.contains(own) for r in sheet.open)


def _flag(store: Store, appointments: list[Versioned], fresh: dict[date, DaySheet], tz: str,
          report: RecomputeReport) -> None:
    """`outsideAvailability` and `timeOffConflicts` as the fresh sheets say.
    The conflicts are conditioned on the version read (a time off applied
    meanwhile writes them too, and the later must not lose); the outside flag
    rides along."""
    updates = []
    for found in appointments:
        appointment: Appointment = found.value
        day = local_date(tz, appointment.start)
        if day not in fresh:
            continue  # past days keep whatever they had
        fields: dict[str, object] = {}
        outside = not _inside(appointment, fresh[day])
        if outside != appointment.outside_availability:
            fields["outsideAvailability"] = outside
            (report.flagged if outside else report.unflagged).append(appointment.id)
        block = held_range(appointment)
        met = sorted(set().union(*(fresh[d].time_off_over(block) for d in days_under(tz, block) if d in fresh)))
        if met != appointment.time_off_conflicts:
            fields["timeOffConflicts"] = met
        if fields:
            updates.append((appointment.id, fields, found.version))
    for i in range(0, len(updates), 400):
        store.commit(Commit(update_appointments=updates[i:i + 400]))
