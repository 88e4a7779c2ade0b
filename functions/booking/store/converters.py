"""Documents <-> domain objects. Field names are the client contract's
camelCase; instants are Firestore timestamps (aware UTC datetimes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.customer_cap import Held
from booking.domain.customer_search import search_keys
from booking.domain.documents import without_backend_fields
from booking.domain.ledger import SPEC_FIELDS, SPEC_NAME, DaySheet, TimeOffSpan, ordered_blocks
from booking.domain.models import AppointmentType, Availability, BookedBlock, Customer, Provider
from booking.domain.ranges import Range
from booking.domain.time_off import TimeOff
from booking.domain.type_slots import ViewEntry
from booking.services.ports import InvalidDocument

PROVIDER_PUBLIC = ("name", "timeZone", "typeIds", "active", "bio", "photoUrl")
PROVIDER_PRIVATE = ("email", "phone")


def describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'document'}: {e['msg']}" for e in error.errors()
    )


def _model(cls: type[BaseModel], doc_id: str, data: dict[str, Any], id_field: str = "id") -> Any:
    fields = without_backend_fields(data)
    fields[id_field] = doc_id
    try:
        return cls.model_validate(fields)
    except ValidationError as error:
        raise InvalidDocument(describe(error)) from error


def _dump(model: BaseModel, *, exclude: set[str]) -> dict[str, Any]:
    return model.model_dump(by_alias=True, mode="json", exclude=exclude)


def appointment_type_from(doc_id: str, data: dict[str, Any]) -> AppointmentType:
    return _model(AppointmentType, doc_id, data)


def appointment_type_to(model: AppointmentType) -> dict[str, Any]:
    return _dump(model, exclude={"id"})


def provider_from(doc_id: str, public: dict[str, Any], contact: dict[str, Any] | None = None) -> Provider:
    data = {k: v for k, v in public.items() if k in PROVIDER_PUBLIC}
    for key in PROVIDER_PRIVATE:
        if contact and contact.get(key) is not None:
            data[key] = contact[key]
    try:
        return _model(Provider, doc_id, data)
    except InvalidDocument:
        # A contact phone written in the console before phones had to be
        # E.164 must not take the provider's slots away (as for customers).
        if "phone" not in data:
            raise
        return _model(Provider, doc_id, {k: v for k, v in data.items() if k != "phone"})


def provider_to(model: Provider) -> tuple[dict[str, Any], dict[str, Any]]:
    """(public document, contact document)."""
    data = _dump(model, exclude={"id"})
    # an unset bio or photo is left out rather than stored as null
    return ({k: data[k] for k in PROVIDER_PUBLIC if data.get(k) is not None},
            {k: data[k] for k in PROVIDER_PRIVATE if data.get(k) is not None})


def availability_from(doc_id: str, data: dict[str, Any]) -> Availability:
    return _model(Availability, doc_id, data, id_field="providerId")


def availability_to(model: Availability) -> dict[str, Any]:
    return _dump(model, exclude=set())


# What the backend keeps on a customer beside the profile: the search keys
# (domain/customer_search.py) and, for a walk-in, who added it at which desk.
CUSTOMER_BACKEND_FIELDS = ("search", "addedBy")
CUSTOMER_PROFILE_FIELDS = ("name", "email", "phone", "timeZone", "createdAt", "updatedAt")


def customer_from(doc_id: str, data: dict[str, Any]) -> Customer:
    """A customer writes its own profile from an app; a phone or zone the
    backend cannot use must not stop its bookings, cancels or mail, so they
    are dropped before the profile is given up on."""
    data = {k: v for k, v in data.items() if k not in CUSTOMER_BACKEND_FIELDS}
    try:
        return _model(Customer, doc_id, data)
    except InvalidDocument:
        essentials = {k: v for k, v in data.items() if k not in ("phone", "timeZone")}
        return _model(Customer, doc_id, essentials)


def customer_to(model: Customer) -> dict[str, Any]:
    """The profile and its search keys (the API's writes keep them in step
    at once; the customers trigger does it for every other writer)."""
    data = _dump(model, exclude={"id"})
    data["search"] = search_keys(model.name, model.email, model.phone)
    return data


_APPOINTMENT_FIELDS = {
    "provider_id": "providerId", "customer_id": "customerId", "appointment_type_id": "appointmentTypeId",
    "start": "start", "end": "end", "block_start": "blockStart", "block_end": "blockEnd",
    "status": "status", "request_id": "requestId", "time_zone": "timeZone",
    "cancellable_until": "cancellableUntil", "customer_name": "customerName",
    "provider_name": "providerName", "type_name": "typeName", "notes": "notes",
    "created_at": "createdAt", "updated_at": "updatedAt", "cancelled_at": "cancelledAt", "held": "held",
    "cancelled_by": "cancelledBy", "cancel_reason": "cancelReason",
    "rescheduled_from": "rescheduledFrom", "rescheduled_to": "rescheduledTo",
    "outside_availability": "outsideAvailability", "history": "history", "notifications": "notifications",
    "time_off_conflicts": "timeOffConflicts",
    "calendar_uid": "calendarUid", "calendar_sequence": "calendarSequence",
    "series_id": "seriesId", "series_index": "seriesIndex",
}
_REQUIRED = ("provider_id", "customer_id", "appointment_type_id", "start", "end", "block_start",
             "block_end", "status", "time_zone", "cancellable_until")


def _appointment_fields(appointment: Appointment) -> dict[str, Any]:
    data = {camel: getattr(appointment, attr) for attr, camel in _APPOINTMENT_FIELDS.items()}
    data["status"] = appointment.status.value
    return data


def appointment_to(appointment: Appointment) -> dict[str, Any]:
    data = {k: v for k, v in _appointment_fields(appointment).items() if v is not None}
    if not data["timeOffConflicts"]:
        del data["timeOffConflicts"]  # a new booking meets no time off: its check said so
    if not data["notifications"]:
        del data["notifications"]  # nothing has failed to reach a new booking's customer yet
    return data


def appointment_changes(before: Appointment, after: Appointment) -> dict[str, Any]:
    """The stored fields that differ between two records of one appointment."""
    old, new = _appointment_fields(before), _appointment_fields(after)
    return {k: v for k, v in new.items() if old.get(k) != v}


def appointment_from(doc_id: str, data: dict[str, Any]) -> Appointment:
    values = {attr: data.get(camel) for attr, camel in _APPOINTMENT_FIELDS.items() if camel in data}
    missing = [_APPOINTMENT_FIELDS[a] for a in _REQUIRED if values.get(a) is None]
    if missing:
        raise InvalidDocument(f"appointment {doc_id} lacks {', '.join(missing)}")
    try:
        values["status"] = AppointmentStatus(values["status"])
    except ValueError as error:
        raise InvalidDocument(f"appointment {doc_id} has an unknown status") from error
    values.setdefault("request_id", doc_id)
    values["history"] = list(values.get("history") or [])
    notes = values.get("notifications")
    values["notifications"] = [n for n in notes if isinstance(n, dict)] if isinstance(notes, list) else []
    values["outside_availability"] = bool(values.get("outside_availability"))
    conflicts = values.get("time_off_conflicts")
    values["time_off_conflicts"] = [c for c in conflicts if isinstance(c, str)] if isinstance(conflicts, list) else []
    for text in ("customer_name", "provider_name", "type_name"):
        values[text] = values.get(text) or ""
    # Appointments booked before invitations had an identity: the UID their
    # confirmation carried was their id, at sequence 0.
    uid, sequence = values.get("calendar_uid"), values.get("calendar_sequence")
    values["calendar_uid"] = uid if isinstance(uid, str) and uid else doc_id
    values["calendar_sequence"] = (sequence if isinstance(sequence, int) and not isinstance(sequence, bool)
                                   and sequence >= 0 else 0)
    return Appointment(id=doc_id, **values)


def _range_to(r: Range) -> dict[str, datetime]:
    return {"start": r.start, "end": r.end}


def _range_from(data: dict[str, Any]) -> Range:
    return Range(data["start"], data["end"])


def sheet_to(sheet: DaySheet) -> dict[str, Any]:
    return {
        "providerId": sheet.provider_id,
        "date": sheet.day.isoformat(),
        "timeZone": sheet.time_zone,
        "open": [_range_to(r) for r in sheet.open],
        "reach": _range_to(sheet.reach),
        "prevReachEnd": sheet.prev_reach_end,
        "nextReachStart": sheet.next_reach_start,
        "types": {
            t.id: {AppointmentType.model_fields[name].alias: getattr(t, name) for name in SPEC_FIELDS}
            for t in sheet.types.values()
        },
        "booked": [b.to_dict() for b in sheet.blocks],
        "available": {type_id: list(starts) for type_id, starts in sheet.available.items()},
        "timeOff": [{"id": s.time_off_id, "start": s.start, "end": s.end} for s in sheet.time_off],
    }


def sheet_from(data: dict[str, Any]) -> DaySheet:
    types = {
        type_id: AppointmentType.model_validate({"id": type_id, "name": SPEC_NAME, **spec})
        for type_id, spec in (data.get("types") or {}).items()
    }
    return DaySheet(
        provider_id=data["providerId"],
        day=date.fromisoformat(data["date"]),
        time_zone=data["timeZone"],
        open=tuple(_range_from(r) for r in data.get("open", [])),
        reach=_range_from(data["reach"]),
        prev_reach_end=data["prevReachEnd"],
        next_reach_start=data["nextReachStart"],
        types=types,
        # stored in the order written (a booking appends its block: partial_writes.py)
        blocks=ordered_blocks(BookedBlock.from_dict(b) for b in data.get("booked", [])),
        available={k: list(v) for k, v in (data.get("available") or {}).items()},
        time_off=tuple(TimeOffSpan(s["start"], s["end"], s["id"]) for s in data.get("timeOff", [])),
    )


TIME_OFF_FIELDS = tuple(f.alias for name, f in TimeOff.model_fields.items() if name != "id")


def time_off_from(doc_id: str, data: dict[str, Any]) -> TimeOff:
    return _model(TimeOff, doc_id, data)


def time_off_to(model: TimeOff) -> dict[str, Any]:
    """Only the fields of its form: a console user sees an instant time off
    with start and end, a whole-day one with its dates, never nulls."""
    data = model.model_dump(by_alias=True, exclude={"id"}, exclude_none=True)
    for day in ("startDate", "endDate"):
        if day in data:
            data[day] = data[day].isoformat()
    data["source"] = model.source.value
    return data


def ledger_to(entries: dict[str, Held]) -> dict[str, Any]:
    return {"upcoming": {i: {"start": e.start, "typeId": e.type_id} for i, e in entries.items()}}


def ledger_from(data: dict[str, Any]) -> dict[str, Held]:
    """A customer's ledger; an unreadable entry is skipped (the ledger is
    backend-only, so that means a console edit, and counting less is safe:
    the cap is checked against the appointments before it refuses)."""
    entries: dict[str, Held] = {}
    upcoming = data.get("upcoming")
    for appointment_id, entry in (upcoming.items() if isinstance(upcoming, dict) else ()):
        if isinstance(entry, dict) and isinstance(entry.get("start"), datetime) and isinstance(entry.get("typeId"), str):
            entries[appointment_id] = Held(entry["start"], entry["typeId"])
    return entries


def view_entry_to(entry: ViewEntry) -> dict[str, Any]:
    return {"providerId": entry.provider_id, "version": entry.version, "starts": list(entry.starts)}


def view_from(data: dict[str, Any]) -> dict[str, ViewEntry]:
    """A `typeSlots` document's entries by sheet id; an entry that does not
    read as one is left out (the next write of its sheet replaces it)."""
    entries: dict[str, ViewEntry] = {}
    for sheet_id, entry in (data.get("sheets") or {}).items():
        try:
            entries[sheet_id] = ViewEntry(str(entry["providerId"]), entry["version"], tuple(entry["starts"]))
        except (KeyError, TypeError):
            continue
    return entries
