"""Reactions to edits of availability, providers, appointment types and
time off: validate, then recompute (or, for time off, rewrite) the
affected day sheets.

A document edited into an invalid state is not applied: the sheets stay as
they were and the verdict is recorded in its `validation` field, where the
admin sees it in the console. Writing that field fires the trigger again,
so an edit that changed only backend-owned fields is ignored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Protocol

from pydantic import ValidationError

from booking.domain.documents import only_backend_fields_changed, without_backend_fields
from booking.domain.time_off import TimeOff
from booking.domain.zones import zone_refusal
from booking.services.ports import InvalidDocument, Store
from booking.services.recompute import RecomputeReport, recompute_provider
from booking.services.time_off import TimeOffReport, apply_time_off
from booking.services.type_slots import drop_provider_from_view

log = logging.getLogger(__name__)


@dataclass
class ChangeReport:
    applied: bool
    error: str | None = None
    recomputed: list[RecomputeReport] = field(default_factory=list)
    time_off: TimeOffReport | None = None

    @property
    def sheets_written(self) -> int:
        return sum(r.written for r in self.recomputed) + (self.time_off.written if self.time_off else 0)


def _verdict(error: str | None, now: datetime) -> dict[str, Any]:
    return {"ok": error is None, "errors": [error] if error else [], "checkedAt": now}


def _record(store: Store, collection: str, doc_id: str, after: dict[str, Any] | None,
            error: str | None, now: datetime) -> None:
    if after is None:
        return
    previous = after.get("validation") or {}
    if previous.get("ok") == (error is None) and previous.get("errors", []) == ([error] if error else []):
        return  # unchanged verdict: writing it again would only re-fire the trigger
    store.set_validation(collection, doc_id, _verdict(error, now))


def _validate(parse: Callable[[], Any]) -> str | None:
    try:
        parse()
    except (InvalidDocument, ValidationError, ValueError) as error:
        return str(error)
    return None


def availability_changed(store: Store, provider_id: str, before: dict[str, Any] | None,
                         after: dict[str, Any] | None, *, now: datetime) -> ChangeReport:
    if only_backend_fields_changed(before, after):
        return ChangeReport(applied=False)
    error = None
    if after is not None:
        error = _validate(lambda: store.availability(provider_id))
        if error is None:
            provider = store.provider(provider_id)
            refusal = zone_refusal(after.get("timeZone"), provider.time_zone) if provider is not None else None
            if refusal is not None:
                error = f"timeZone: {refusal}; hours are read in the provider's zone"
    _record(store, "availability", provider_id, after, error, now)
    if error:
        log.warning("availability not applied", extra={"providerId": provider_id, "error": error})
        return ChangeReport(applied=False, error=error)
    return ChangeReport(applied=True, recomputed=[recompute_provider(store, provider_id, now=now)])


def _checked(store: Store, collection: str, doc_id: str, after: dict[str, Any] | None,
             parse: Callable[[], Any], now: datetime) -> str | None:
    """Validates an edited document and records the verdict on it."""
    error = _validate(parse) if after is not None else None
    _record(store, collection, doc_id, after, error, now)
    if error:
        log.warning("edit not applied", extra={"collection": collection, "id": doc_id, "error": error})
    return error


def provider_changed(store: Store, provider_id: str, before: dict[str, Any] | None,
                     after: dict[str, Any] | None, *, now: datetime) -> ChangeReport:
    if only_backend_fields_changed(before, after):
        return ChangeReport(applied=False)
    if after is None:
        dropped = drop_provider_from_view(store, store, provider_id, now=now)
        return ChangeReport(applied=False, error=f"provider deleted; its sheets are left as they were, "
                                                 f"{dropped} any-provider view documents no longer list it")
    error = _checked(store, "providers", provider_id, after, lambda: store.provider(provider_id), now)
    if error:
        return ChangeReport(applied=False, error=error)
    return ChangeReport(applied=True, recomputed=[recompute_provider(store, provider_id, now=now)])


def appointment_type_changed(store: Store, type_id: str, before: dict[str, Any] | None,
                             after: dict[str, Any] | None, *, now: datetime) -> ChangeReport:
    if only_backend_fields_changed(before, after):
        return ChangeReport(applied=False)
    error = _checked(store, "appointmentTypes", type_id, after, lambda: store.appointment_type(type_id), now)
    if error:
        return ChangeReport(applied=False, error=error)
    report = ChangeReport(applied=True)
    for provider in store.providers():
        if type_id in provider.type_ids:
            report.recomputed.append(recompute_provider(store, provider.id, now=now))
    return report


def time_off_changed(store: Store, time_off_id: str, before: dict[str, Any] | None,
                     after: dict[str, Any] | None, *, now: datetime) -> ChangeReport:
    """Every write of time off (client SDK, console, REST, a feed import) is
    applied; REST and imports apply theirs at once, so this then writes
    nothing. A version that does not validate takes nothing off."""
    if only_backend_fields_changed(before, after):
        return ChangeReport(applied=False)
    versions = []
    error = None
    for data in (before, after):
        parsed = None
        if data is not None:
            try:
                parsed = TimeOff.model_validate({**without_backend_fields(data), "id": time_off_id})
            except ValidationError as invalid:
                if data is after:
                    error = str(invalid)
                    log.warning("time off not applied", extra={"id": time_off_id, "error": error})
        versions.append(parsed)
    if versions == [None, None]:
        return ChangeReport(applied=False, error=error)
    report = apply_time_off(store, {time_off_id: (versions[0], versions[1])}, now=now)
    return ChangeReport(applied=error is None, error=error, time_off=report)


class ConfigHandler(Protocol):
    def __call__(self, store: Store, doc_id: str, before: dict[str, Any] | None,
                 after: dict[str, Any] | None, *, now: datetime) -> ChangeReport: ...


@dataclass(frozen=True)
class Reaction:
    noun: str  # how logs name an edited document of the collection
    handle: ConfigHandler


# Which reaction a write in each of these collections fires; main.py's
# on_*_written triggers watch exactly these collections.
REACTIONS: dict[str, Reaction] = {
    "availability": Reaction("availability", availability_changed),
    "providers": Reaction("provider", provider_changed),
    "appointmentTypes": Reaction("appointment type", appointment_type_changed),
    "timeOff": Reaction("time off", time_off_changed),
}
