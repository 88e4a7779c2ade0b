"""An in-memory Store that behaves like `booking.store.firestore_store.FirestoreStore`.

Documents are kept as Firestore would keep them: camelCase dicts (through the
same converters the real store uses), instants as aware UTC datetimes,
unsupported values refused. Every document has a version, its update time,
which grows strictly with every write; all writes of one commit share one
commit time, as in Firestore.

`commit` is atomic (all or nothing) and raises `Conflict`, counting it, when
  * a sheet or request written with a version finds another stored version
    (FailedPrecondition) or no document at all (NotFound),
  * a create finds an existing document (AlreadyExists),
  * an update targets a missing document (NotFound).

Reads and writes are counted like FirestoreStore counts them. Tests can hook
`before_commit` (one-shot callables, popped in order at the start of each
commit, before its preconditions are checked) to play another writer that
gets in between a service's read and its commit, and read `changes` (every
document write, with its before and after data) to play the triggers those
writes would fire.
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.ledger import DaySheet, block_of, build_sheet, sheet_id
from booking.domain.models import AppointmentType, Availability, Customer, Provider
from booking.domain.settings import BookingSettings, booking_settings_from
from booking.domain.time_off import TimeOff
from booking.domain.type_slots import ViewEntry, ViewKey, view_id
from booking.services.ports import BookingDocuments, Commit, Conflict, Fetched, InvalidDocument, Store, Versioned
from booking.services.retry import Backoff
from booking.store import converters as conv
from booking.store import paths

EPOCH_OF_VERSIONS = datetime(2030, 1, 1, tzinfo=UTC)


@dataclass
class Doc:
    data: dict[str, Any]
    create_time: datetime
    update_time: datetime


@dataclass(frozen=True)
class Change:
    collection: str
    doc_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _value(value: Any) -> Any:
    """What Firestore stores for `value` (and hands back on read)."""
    if value is None or isinstance(value, bool | int | float | bytes):
        return value
    if isinstance(value, str):
        return str.__str__(value) if not isinstance(value, Enum) else str(value.value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"Firestore map keys must be strings, got {key!r}")
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    raise TypeError(f"Firestore cannot store {type(value).__name__}: {value!r}")


class FakeStore(Store):
    """The Store protocol in memory (see the module docstring)."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.collections: dict[str, dict[str, Doc]] = {}
        self.before_commit: list[Callable[[], None]] = []
        self.changes: list[Change] = []
        self._clock = 0

    # -- versions and raw documents ------------------------------------------

    def _tick(self) -> datetime:
        self._clock += 1
        return EPOCH_OF_VERSIONS + timedelta(microseconds=self._clock)

    def _docs(self, collection: str) -> dict[str, Doc]:
        return self.collections.setdefault(collection, {})

    def doc(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        """A document's data as stored (a copy), or None; not counted."""
        found = self._docs(collection).get(doc_id)
        return copy.deepcopy(found.data) if found else None

    def version(self, collection: str, doc_id: str) -> datetime | None:
        found = self._docs(collection).get(doc_id)
        return found.update_time if found else None

    def ids(self, collection: str) -> list[str]:
        return sorted(self._docs(collection))

    def snapshot(self) -> dict[str, dict[str, tuple[dict[str, Any], datetime]]]:
        """Everything stored, with versions: for "nothing changed" assertions."""
        return {
            name: {doc_id: (copy.deepcopy(d.data), d.update_time) for doc_id, d in docs.items()}
            for name, docs in self.collections.items()
            if docs
        }

    def _write(self, collection: str, doc_id: str, data: dict[str, Any] | None, at: datetime) -> None:
        docs = self._docs(collection)
        before = docs.get(doc_id)
        if data is None:
            docs.pop(doc_id, None)
        else:
            docs[doc_id] = Doc(data, before.create_time if before else at, at)
        self.changes.append(Change(collection, doc_id, copy.deepcopy(before.data) if before else None,
                                   copy.deepcopy(data)))

    # -- what an admin or client does directly (not counted) ------------------

    def put(self, collection: str, doc_id: str, data: dict[str, Any]) -> datetime:
        """`set()` a whole document; returns its new version."""
        at = self._tick()
        self._write(collection, doc_id, _value(data), at)
        return at

    def patch(self, collection: str, doc_id: str, fields: dict[str, Any]) -> datetime:
        """`update()` some fields of an existing document; returns its new version."""
        current = self._docs(collection)[doc_id]
        at = self._tick()
        self._write(collection, doc_id, {**copy.deepcopy(current.data), **_value(fields)}, at)
        return at

    def delete(self, collection: str, doc_id: str) -> None:
        self._write(collection, doc_id, None, self._tick())

    def touch(self, collection: str, doc_id: str) -> datetime:
        """Rewrite a document unchanged: another writer's commit, as far as versions go."""
        return self.patch(collection, doc_id, {})

    def add_type(self, appt_type: AppointmentType) -> None:
        self.put(paths.APPOINTMENT_TYPES, appt_type.id, conv.appointment_type_to(appt_type))

    def add_provider(self, provider: Provider) -> None:
        public, contact = conv.provider_to(provider)
        self.put(paths.PROVIDERS, provider.id, public)
        if contact:
            self.put(paths.PROVIDER_CONTACTS, provider.id, contact)

    def add_customer(self, customer: Customer) -> None:
        self.put(paths.CUSTOMERS, customer.id, conv.customer_to(customer))

    def set_availability(self, availability: Availability) -> datetime:
        return self.put(paths.AVAILABILITY, availability.provider_id, conv.availability_to(availability))

    def add_request(self, request_id: str, data: dict[str, Any]) -> datetime:
        return self.put(paths.BOOKING_REQUESTS, request_id, data)

    def stored_sheet(self, provider_id: str, day: date) -> DaySheet | None:
        data = self.doc(paths.SLOTS, sheet_id(provider_id, day))
        return conv.sheet_from(data) if data is not None else None

    def stored_sheets(self, provider_id: str | None = None) -> dict[str, DaySheet]:
        return {
            doc_id: conv.sheet_from(copy.deepcopy(d.data))
            for doc_id, d in sorted(self._docs(paths.SLOTS).items())
            if provider_id is None or d.data.get("providerId") == provider_id
        }

    def stored_appointments(self) -> dict[str, Appointment]:
        return {doc_id: conv.appointment_from(doc_id, copy.deepcopy(d.data))
                for doc_id, d in sorted(self._docs(paths.APPOINTMENTS).items())}

    # -- reads (counted like FirestoreStore) ---------------------------------

    def _get(self, collection: str, doc_id: str) -> Doc | None:
        self.counts["reads"] += 1
        return self._docs(collection).get(doc_id)

    def provider(self, provider_id: str) -> Provider | None:
        found = self._get(paths.PROVIDERS, provider_id)
        return conv.provider_from(provider_id, copy.deepcopy(found.data)) if found else None

    def providers(self) -> list[Provider]:
        out = []
        for doc_id, found in sorted(self._docs(paths.PROVIDERS).items()):
            self.counts["reads"] += 1
            try:
                out.append(conv.provider_from(doc_id, copy.deepcopy(found.data)))
            except InvalidDocument:
                continue
        return out

    def appointment_type(self, type_id: str) -> AppointmentType | None:
        found = self._get(paths.APPOINTMENT_TYPES, type_id)
        return conv.appointment_type_from(type_id, copy.deepcopy(found.data)) if found else None

    def appointment_types(self) -> list[AppointmentType]:
        out = []
        for doc_id, found in sorted(self._docs(paths.APPOINTMENT_TYPES).items()):
            self.counts["reads"] += 1
            try:
                out.append(conv.appointment_type_from(doc_id, copy.deepcopy(found.data)))
            except InvalidDocument:
                continue
        return out

    def customer(self, customer_id: str) -> Customer | None:
        found = self._get(paths.CUSTOMERS, customer_id)
        return conv.customer_from(customer_id, copy.deepcopy(found.data)) if found else None

    def customers(self, customer_ids: list[str]) -> dict[str, Customer | None]:
        found: dict[str, Customer | None] = {}
        for customer_id in dict.fromkeys(customer_ids):
            doc = self._get(paths.CUSTOMERS, customer_id)
            try:
                found[customer_id] = conv.customer_from(customer_id, copy.deepcopy(doc.data)) if doc else None
            except InvalidDocument:
                found[customer_id] = None
        return found

    def availability(self, provider_id: str) -> Availability | None:
        found = self._get(paths.AVAILABILITY, provider_id)
        return conv.availability_from(provider_id, copy.deepcopy(found.data)) if found else None

    def appointment(self, appointment_id: str) -> Appointment | None:
        found = self._get(paths.APPOINTMENTS, appointment_id)
        return conv.appointment_from(appointment_id, copy.deepcopy(found.data)) if found else None

    def appointment_versioned(self, appointment_id: str) -> Versioned | None:
        found = self._get(paths.APPOINTMENTS, appointment_id)
        if found is None:
            return None
        return Versioned(conv.appointment_from(appointment_id, copy.deepcopy(found.data)), found.update_time)

    def request(self, request_id: str) -> Versioned | None:
        found = self._get(paths.BOOKING_REQUESTS, request_id)
        return Versioned(copy.deepcopy(found.data), found.update_time) if found else None

    def sheets(self, provider_id: str, days: list[date]) -> dict[date, Versioned | None]:
        out: dict[date, Versioned | None] = {}
        for day in days:
            self.counts["reads"] += 1  # get_all bills every requested document
            found = self._docs(paths.SLOTS).get(sheet_id(provider_id, day))
            out[day] = Versioned(conv.sheet_from(copy.deepcopy(found.data)), found.update_time) if found else None
        return out

    def held_blocks_between(self, provider_id: str, start: datetime, end: datetime) -> list[Appointment]:
        return [found.value for found in self.held_between_versioned(provider_id, start, end)]

    def held_between_versioned(self, provider_id: str, start: datetime, end: datetime) -> list[Versioned]:
        held = {AppointmentStatus.CONFIRMED.value, AppointmentStatus.COMPLETED.value, AppointmentStatus.NO_SHOW.value}
        hits = sorted(
            ((d.data["start"], doc_id, d) for doc_id, d in self._docs(paths.APPOINTMENTS).items()
             if d.data.get("providerId") == provider_id
             and d.data.get("status") in held
             and isinstance(d.data.get("start"), datetime)
             and start <= d.data["start"] < end),
            key=lambda hit: (hit[0], hit[1]),
        )
        self.counts["reads"] += max(len(hits), 1)
        out = []
        for _, doc_id, found in hits:
            try:
                out.append(Versioned(conv.appointment_from(doc_id, copy.deepcopy(found.data)), found.update_time))
            except InvalidDocument:
                continue
        return out

    def pending_requests(self, created_before: datetime, limit: int) -> list[tuple[str, dict[str, Any], Any]]:
        hits = sorted(
            ((d.data["createdAt"], doc_id, d) for doc_id, d in self._docs(paths.BOOKING_REQUESTS).items()
             if d.data.get("status") == "pending"
             and isinstance(d.data.get("createdAt"), datetime)
             and d.data["createdAt"] < created_before),
            key=lambda hit: (hit[0], hit[1]),
        )[:limit]
        self.counts["reads"] += max(len(hits), 1)
        return [(doc_id, copy.deepcopy(d.data), d.update_time) for _, doc_id, d in hits]

    def customer_ledger(self, customer_id: str) -> Versioned | None:
        found = self._get(paths.CUSTOMER_LEDGERS, customer_id)
        return Versioned(conv.ledger_from(copy.deepcopy(found.data)), found.update_time) if found else None

    def customer_ledgers(self, customer_ids: list[str]) -> dict[str, Versioned | None]:
        return {i: self.customer_ledger(i) for i in dict.fromkeys(customer_ids)}

    def booking_documents(self, customer_id: str, provider_id: str, type_id: str,
                          reschedule_of: str | None = None) -> BookingDocuments:
        """One read per document requested, found or not, like get_all."""

        def fetched(collection: str, doc_id: str, convert) -> Fetched:
            found = self._get(collection, doc_id)
            if found is None:
                return Fetched()
            try:
                return Fetched(convert(doc_id, copy.deepcopy(found.data)), found.update_time)
            except InvalidDocument as invalid:
                return Fetched(invalid=invalid)

        return BookingDocuments(
            customer=fetched(paths.CUSTOMERS, customer_id, conv.customer_from),
            provider=fetched(paths.PROVIDERS, provider_id, conv.provider_from),
            appointment_type=fetched(paths.APPOINTMENT_TYPES, type_id, conv.appointment_type_from),
            ledger=fetched(paths.CUSTOMER_LEDGERS, customer_id, lambda _i, d: conv.ledger_from(d)),
            settings=self.booking_settings(),
            previous=(fetched(paths.APPOINTMENTS, reschedule_of, conv.appointment_from)
                      if reschedule_of is not None else None),
        )

    def booking_settings(self) -> BookingSettings:
        collection, _, doc_id = paths.BOOKING_SETTINGS.partition("/")
        found = self._get(collection, doc_id)
        return booking_settings_from(copy.deepcopy(found.data) if found else None)

    def pending_requests_between(self, provider_id: str, start: datetime, end: datetime,
                                 limit: int) -> list[tuple[str, dict[str, Any], Any]]:
        hits = sorted(
            ((d.data["start"], doc_id, d) for doc_id, d in self._docs(paths.BOOKING_REQUESTS).items()
             if d.data.get("providerId") == provider_id and d.data.get("status") == "pending"
             and isinstance(d.data.get("start"), datetime) and start <= d.data["start"] < end),
            key=lambda hit: (hit[0], hit[1]),
        )[:limit]
        self.counts["reads"] += max(len(hits), 1)
        return [(doc_id, copy.deepcopy(d.data), d.update_time) for _, doc_id, d in hits]

    def unreleased_cancels(self, limit: int) -> list[str]:
        hits = sorted(doc_id for doc_id, d in self._docs(paths.APPOINTMENTS).items()
                      if d.data.get("status") == AppointmentStatus.CANCELLED.value and d.data.get("held") is True)
        self.counts["reads"] += max(len(hits[:limit]), 1)
        return hits[:limit]

    def confirmed_starting_between(self, start: datetime, end: datetime, limit: int,
                                   after: tuple[datetime, str] | None = None) -> list[Appointment]:
        hits = sorted(
            ((d.data["start"], doc_id, d) for doc_id, d in self._docs(paths.APPOINTMENTS).items()
             if d.data.get("status") == AppointmentStatus.CONFIRMED.value
             and isinstance(d.data.get("start"), datetime) and start <= d.data["start"] < end
             and (after is None or (d.data["start"], doc_id) > after)),
            key=lambda hit: (hit[0], hit[1]),
        )[:limit]
        self.counts["reads"] += max(len(hits), 1)
        out = []
        for _, doc_id, found in hits:
            try:
                out.append(conv.appointment_from(doc_id, copy.deepcopy(found.data)))
            except InvalidDocument:
                continue
        return out

    # -- writes ---------------------------------------------------------------

    def series_appointments(self, series_id: str) -> list[Appointment]:
        hits = [(doc_id, d) for doc_id, d in self._docs(paths.APPOINTMENTS).items()
                if d.data.get("seriesId") == series_id]
        self.counts["reads"] += max(len(hits), 1)
        found = [conv.appointment_from(doc_id, copy.deepcopy(d.data)) for doc_id, d in hits]
        return sorted(found, key=lambda a: (a.series_index or 0, a.id))

    def time_off(self, time_off_id: str) -> Versioned | None:
        found = self._get(paths.TIME_OFF, time_off_id)
        if found is None:
            return None
        return Versioned(conv.time_off_from(time_off_id, copy.deepcopy(found.data)), found.update_time)

    def time_off_for(self, provider_id: str) -> list[TimeOff]:
        out = []
        for doc_id, found in sorted(self._docs(paths.TIME_OFF).items()):
            data = found.data
            if provider_id not in (data.get("providerIds") or []) and data.get("allProviders") is not True:
                continue
            self.counts["reads"] += 1
            try:
                out.append(conv.time_off_from(doc_id, copy.deepcopy(data)))
            except InvalidDocument:
                continue
        self.counts["reads"] += 0 if out else 1
        return out

    def commit(self, commit: Commit) -> None:
        if self.before_commit:
            hook = self.before_commit.pop(0)  # popped first: the hook may commit too
            hook()
        at = self._tick()
        staged: dict[tuple[str, str], dict[str, Any] | None] = {}

        def current(collection: str, doc_id: str) -> tuple[dict[str, Any] | None, datetime | None]:
            if (collection, doc_id) in staged:
                return staged[(collection, doc_id)], at
            found = self._docs(collection).get(doc_id)
            return (found.data, found.update_time) if found else (None, None)

        def create(collection: str, doc_id: str, data: dict[str, Any]) -> None:
            if current(collection, doc_id)[0] is not None:
                raise Conflict(f"AlreadyExists: {collection}/{doc_id}")
            staged[(collection, doc_id)] = _value(data)

        def update(collection: str, doc_id: str, fields: dict[str, Any], version: Any = None) -> None:
            data, stored_version = current(collection, doc_id)
            if data is None:
                raise Conflict(f"NotFound: {collection}/{doc_id}")
            if version is not None and stored_version != version:
                raise Conflict(f"FailedPrecondition: {collection}/{doc_id} is at {stored_version}, not {version}")
            staged[(collection, doc_id)] = {**copy.deepcopy(data), **_value(fields)}

        try:
            for sheet, version in commit.sheets:
                data = {**conv.sheet_to(sheet), "updatedAt": at}
                if version is None:
                    create(paths.SLOTS, sheet.id, data)
                else:
                    update(paths.SLOTS, sheet.id, data, version)
            for appointment in commit.create_appointments:
                create(paths.APPOINTMENTS, appointment.id, conv.appointment_to(appointment))
            for appointment_id, fields, version in commit.update_appointments:
                update(paths.APPOINTMENTS, appointment_id, fields, version)
            for before, after, version in commit.appointment_moves:
                update(paths.APPOINTMENTS, after.id, conv.appointment_changes(before, after), version)
            for request_id, fields, version in commit.requests:
                if version is None:
                    create(paths.BOOKING_REQUESTS, request_id, fields)
                else:
                    update(paths.BOOKING_REQUESTS, request_id, fields, version)
            for mail_id, message in commit.mails:
                create(paths.MAIL, mail_id, {**message, "createdAt": at})
            for message_id, message in commit.messages:
                create(paths.MESSAGES, message_id, {**message, "createdAt": at})
            for customer_id, entries, version in commit.customer_ledgers:
                data = {**conv.ledger_to(entries), "updatedAt": at}
                if version is None:
                    create(paths.CUSTOMER_LEDGERS, customer_id, data)
                else:
                    # a whole-document write conditioned on the version read
                    update(paths.CUSTOMER_LEDGERS, customer_id, {}, version)
                    staged[(paths.CUSTOMER_LEDGERS, customer_id)] = _value(data)
            for time_off_id, time_off, version in commit.time_off:
                if time_off is None:
                    data, stored_version = current(paths.TIME_OFF, time_off_id)
                    if version is not None and (data is None or stored_version != version):
                        raise Conflict(f"FailedPrecondition: {paths.TIME_OFF}/{time_off_id}")
                    staged[(paths.TIME_OFF, time_off_id)] = None
                elif version is None:
                    create(paths.TIME_OFF, time_off_id, conv.time_off_to(time_off))
                else:
                    update(paths.TIME_OFF, time_off_id, {}, version)
                    staged[(paths.TIME_OFF, time_off_id)] = _value(conv.time_off_to(time_off))
        except Conflict:
            self.counts["conflicts"] += 1
            raise
        for (collection, doc_id), data in staged.items():
            self._write(collection, doc_id, data, at)
        self.counts["writes"] += commit.writes()
        self.counts["commits"] += 1

    # -- the "any provider" view (ports.TypeSlotViews) -------------------------

    def type_slot_views(self, keys: list[ViewKey], only: list[str] | None = None) -> dict[ViewKey, Versioned | None]:
        found: dict[ViewKey, Versioned | None] = {}
        for key in keys:
            self.counts["reads"] += 1
            doc = self._docs(paths.TYPE_SLOTS).get(view_id(*key))
            entries = conv.view_from(copy.deepcopy(doc.data)) if doc else {}
            if only is not None:
                entries = {i: e for i, e in entries.items() if i in only}
            found[key] = Versioned(entries, doc.update_time) if doc else None
        return found

    def write_type_slot_views(self, writes: list[tuple[ViewKey, dict[str, ViewEntry | None], Any]]) -> None:
        staged = []
        for key, changes, version in writes:
            doc_id = view_id(*key)
            doc = self._docs(paths.TYPE_SLOTS).get(doc_id)
            if (version is None) != (doc is None) or (doc is not None and doc.update_time != version):
                self.counts["conflicts"] += 1
                raise Conflict(f"FailedPrecondition: {paths.TYPE_SLOTS}/{doc_id}")
            data = copy.deepcopy(doc.data) if doc else {"typeId": key[0], "date": key[1].isoformat(), "sheets": {}}
            for entry_sheet, entry in changes.items():
                if entry is None:
                    data["sheets"].pop(entry_sheet, None)
                else:
                    data["sheets"][entry_sheet] = _value(conv.view_entry_to(entry))
            staged.append((doc_id, data))
        at = self._tick()
        for doc_id, data in staged:
            self._write(paths.TYPE_SLOTS, doc_id, data, at)
        self.counts["writes"] += len(writes)
        self.counts["commits"] += 1

    def set_validation(self, collection: str, doc_id: str, validation: dict[str, Any]) -> None:
        found = self._docs(collection).get(doc_id)
        if found is None:
            return  # deleted meanwhile: nothing to annotate
        self._write(collection, doc_id, {**copy.deepcopy(found.data), "validation": _value(validation)},
                    self._tick())
        self.counts["writes"] += 1


# -- a small world to test in ------------------------------------------------------

BERLIN = "Europe/Berlin"
PROVIDER_ID = "dr-ada"
TYPE_ID = "consult"
CUSTOMER_ID = "cust-grace"
# Monday 5 January 2026, 09:00 in Berlin (UTC+1 in winter)
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
ALL_WEEK_9_TO_5 = {day: [{"start": "09:00", "end": "17:00"}]
                   for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def consult(**changes: Any) -> AppointmentType:
    """30 minutes on a 30-minute grid, 10 minutes' buffer before and 5 after."""
    fields: dict[str, Any] = dict(
        id=TYPE_ID, name="Consultation", duration_minutes=30, buffer_before_minutes=10,
        buffer_after_minutes=5, slot_interval_minutes=30, min_notice_minutes=60, horizon_days=30,
        cancel_cutoff_minutes=120, price=50, currency="EUR",
    )
    fields.update(changes)
    return AppointmentType(**fields)


def seeded(*, tz: str = BERLIN, weekly: dict | None = None, types: list[AppointmentType] | None = None,
           provider_changes: dict[str, Any] | None = None,
           customers: tuple[str, ...] = (CUSTOMER_ID, "cust-alan")) -> FakeStore:
    """One provider open 09:00-17:00 local every day, one type, two customers."""
    store = FakeStore()
    types = types if types is not None else [consult()]
    for t in types:
        store.add_type(t)
    store.add_provider(Provider(**{
        "id": PROVIDER_ID, "name": "Dr. Ada Lovelace", "time_zone": tz,
        "type_ids": [t.id for t in types], **(provider_changes or {}),
    }))
    store.set_availability(Availability.model_validate({
        "providerId": PROVIDER_ID, "weekly": weekly if weekly is not None else ALL_WEEK_9_TO_5,
    }))
    names = {CUSTOMER_ID: ("Grace Hopper", "grace@example.com"), "cust-alan": ("Alan Turing", "alan@example.com")}
    for uid in customers:
        name, email = names.get(uid, (uid, f"{uid}@example.com"))
        store.add_customer(Customer(id=uid, name=name, email=email))
    store.counts.clear()
    store.changes.clear()
    return store


def request_doc(start: datetime, *, customer: str = CUSTOMER_ID, provider: str = PROVIDER_ID,
                type_id: str = TYPE_ID, created: datetime | None = None, **extra: Any) -> dict[str, Any]:
    """A booking request exactly as the client contract has a client write it."""
    return {
        "customerId": customer, "providerId": provider, "appointmentTypeId": type_id,
        "start": start, "status": "pending", "createdAt": created or NOW - timedelta(seconds=5), **extra,
    }


def rounds_only(rounds: int) -> Backoff:
    """A retry policy that never sleeps and whose time budget allows exactly
    `rounds` rounds: its clock advances one second per look."""
    ticks = itertools.count()
    return Backoff(budget_seconds=rounds - 0.5, first_delay=0.0, max_delay=0.0,
                   sleep=lambda _seconds: None, clock=lambda: float(next(ticks)))


def submit(store: FakeStore, request_id: str, start: datetime, *, now: datetime = NOW,
           backoff: Backoff | None = None, **extra: Any):
    """A client creates the request; the created trigger processes it."""
    from booking.services.booking import process_request

    version = store.add_request(request_id, request_doc(start, **extra))
    return process_request(store, request_id, store.doc(paths.BOOKING_REQUESTS, request_id),
                           version=version, now=now, backoff=backoff or rounds_only(50))


def from_scratch(store: FakeStore, provider_id: str, day: date) -> DaySheet:
    """The sheet the domain code computes for `day` from the stored settings,
    the provider's time off and the appointments that hold their block:
    confirmed, completed, no-show (uncounted)."""
    provider = conv.provider_from(provider_id, store.doc(paths.PROVIDERS, provider_id))
    raw = store.doc(paths.AVAILABILITY, provider_id)
    availability = conv.availability_from(provider_id, raw) if raw else None
    types = [conv.appointment_type_from(i, store.doc(paths.APPOINTMENT_TYPES, i))
             for i in store.ids(paths.APPOINTMENT_TYPES)]
    blocks = [block_of(a) for a in store.stored_appointments().values()
              if a.provider_id == provider_id and a.status is not AppointmentStatus.CANCELLED]
    stored = (conv.time_off_from(i, store.doc(paths.TIME_OFF, i)) for i in store.ids(paths.TIME_OFF))
    away = [(t.id, t.span_in(provider.time_zone)) for t in stored if t.applies_to(provider_id)]
    return build_sheet(provider, availability, types, day, blocks, away)
