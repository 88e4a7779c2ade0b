"""The Store interface on Firestore, counting every document it reads and
writes so tests and benchmarks can report the cost of each operation."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.field_path import FieldPath

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.ids import is_document_id
from booking.domain.ledger import sheet_id
from booking.domain.models import AppointmentType, Availability, Customer, Provider
from booking.domain.settings import BookingSettings, booking_settings_from
from booking.domain.time_off import TimeOff
from booking.domain.type_slots import ViewEntry, ViewKey, view_id
from booking.services.ports import BookingDocuments, Commit, Conflict, Fetched, InvalidDocument, Versioned
from booking.store import converters as conv
from booking.store import partial_writes as partial
from booking.store import paths

# A failed precondition, a create that found a document, or an update of a
# document that is gone: all mean "someone else wrote first".
_CONFLICTS = (gexc.FailedPrecondition, gexc.AlreadyExists, gexc.Aborted, gexc.NotFound)


class FirestoreStore:
    def __init__(self, client: firestore.Client) -> None:
        self.db = client
        self.counts: Counter = Counter()

    # -- reads --------------------------------------------------------------

    def _get(self, path: str) -> firestore.DocumentSnapshot | None:
        if not is_document_id(path.rpartition("/")[2]):
            return None  # an id Firestore refuses names no document
        snapshot = self.db.document(path).get()
        self.counts["reads"] += 1
        return snapshot if snapshot.exists else None

    def provider(self, provider_id: str) -> Provider | None:
        snapshot = self._get(f"{paths.PROVIDERS}/{provider_id}")
        return conv.provider_from(provider_id, snapshot.to_dict()) if snapshot else None

    def provider_with_contact(self, provider_id: str) -> Provider | None:
        snapshot = self._get(f"{paths.PROVIDERS}/{provider_id}")
        if snapshot is None:
            return None
        contact = self._get(f"{paths.PROVIDER_CONTACTS}/{provider_id}")
        return conv.provider_from(provider_id, snapshot.to_dict(), contact.to_dict() if contact else None)

    def _all_valid(self, query, convert) -> list:
        """Every document a query (or collection) returns that validates; an
        invalid one is skipped here because its trigger records why on the
        document. An empty query is billed as one read."""
        found = []
        reads = 0
        for snapshot in query.stream():
            reads += 1
            try:
                found.append(convert(snapshot.id, snapshot.to_dict()))
            except InvalidDocument:
                continue
        self.counts["reads"] += max(reads, 1)
        return found

    def providers(self) -> list[Provider]:
        return self._all_valid(self.db.collection(paths.PROVIDERS), conv.provider_from)

    def appointment_type(self, type_id: str) -> AppointmentType | None:
        snapshot = self._get(f"{paths.APPOINTMENT_TYPES}/{type_id}")
        return conv.appointment_type_from(type_id, snapshot.to_dict()) if snapshot else None

    def appointment_types(self) -> list[AppointmentType]:
        return self._all_valid(self.db.collection(paths.APPOINTMENT_TYPES), conv.appointment_type_from)

    def customer(self, customer_id: str) -> Customer | None:
        snapshot = self._get(f"{paths.CUSTOMERS}/{customer_id}")
        if snapshot is None:
            return None
        return conv.customer_from(customer_id, snapshot.to_dict())

    def _get_many(self, collection: str, ids: list[str], convert) -> dict[str, Any]:
        """`convert(id, snapshot)` for every id, in one round trip; None for
        a missing document, an id Firestore refuses, or one that does not
        validate."""
        found: dict[str, Any] = {i: None for i in ids}
        refs = [self.db.document(f"{collection}/{i}") for i in found if is_document_id(i)]
        for snapshot in self.db.get_all(refs) if refs else ():
            self.counts["reads"] += 1
            if snapshot.exists:
                try:
                    found[snapshot.id] = convert(snapshot.id, snapshot)
                except InvalidDocument:
                    continue
        return found

    def customers(self, customer_ids: list[str]) -> dict[str, Customer | None]:
        return self._get_many(paths.CUSTOMERS, customer_ids, lambda i, s: conv.customer_from(i, s.to_dict()))

    def availability(self, provider_id: str) -> Availability | None:
        snapshot = self._get(f"{paths.AVAILABILITY}/{provider_id}")
        return conv.availability_from(provider_id, snapshot.to_dict()) if snapshot else None

    def appointment(self, appointment_id: str) -> Appointment | None:
        snapshot = self._get(f"{paths.APPOINTMENTS}/{appointment_id}")
        return conv.appointment_from(appointment_id, snapshot.to_dict()) if snapshot else None

    def appointment_versioned(self, appointment_id: str) -> Versioned | None:
        snapshot = self._get(f"{paths.APPOINTMENTS}/{appointment_id}")
        if snapshot is None:
            return None
        return Versioned(conv.appointment_from(appointment_id, snapshot.to_dict()), snapshot.update_time)

    def request(self, request_id: str) -> Versioned | None:
        snapshot = self._get(f"{paths.BOOKING_REQUESTS}/{request_id}")
        return Versioned(snapshot.to_dict(), snapshot.update_time) if snapshot else None

    def sheets(self, provider_id: str, days: list[date]) -> dict[date, Versioned | None]:
        refs = {self.db.document(f"{paths.SLOTS}/{sheet_id(provider_id, d)}"): d for d in days}
        found: dict[date, Versioned | None] = {d: None for d in days}
        by_path = {ref.path: d for ref, d in refs.items()}
        for snapshot in self.db.get_all(list(refs)):
            self.counts["reads"] += 1
            if snapshot.exists:
                found[by_path[snapshot.reference.path]] = Versioned(
                    conv.sheet_from(snapshot.to_dict()), snapshot.update_time
                )
        return found

    def held_blocks_between(self, provider_id: str, start: datetime, end: datetime) -> list[Appointment]:
        """Appointments starting in [start, end) whose block stays on the
        ledger: confirmed ones, and completed or no-show ones, whose time was
        used (a visit marked done early must not reopen its slot)."""
        return [found.value for found in self.held_between_versioned(provider_id, start, end)]

    def held_between_versioned(self, provider_id: str, start: datetime, end: datetime) -> list[Versioned]:
        held = [s.value for s in (AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW)]
        query = (
            self.db.collection(paths.APPOINTMENTS)
            .where(filter=firestore.FieldFilter("providerId", "==", provider_id))
            .where(filter=firestore.FieldFilter("status", "in", held))
            .where(filter=firestore.FieldFilter("start", ">=", start))
            .where(filter=firestore.FieldFilter("start", "<", end))
        )
        found = []
        reads = 0
        for snapshot in query.stream():
            reads += 1
            try:
                found.append(Versioned(conv.appointment_from(snapshot.id, snapshot.to_dict()), snapshot.update_time))
            except InvalidDocument:
                continue  # its trigger records why
        self.counts["reads"] += max(reads, 1)
        return found

    def pending_requests(self, created_before: datetime, limit: int) -> list[tuple[str, dict[str, Any], Any]]:
        query = (
            self.db.collection(paths.BOOKING_REQUESTS)
            .where(filter=firestore.FieldFilter("status", "==", "pending"))
            .where(filter=firestore.FieldFilter("createdAt", "<", created_before))
            .limit(limit)
        )
        return self._versioned_stream(query)

    def _versioned_stream(self, query) -> list[tuple[str, dict[str, Any], Any]]:
        """(id, data, version) of every document a query returns; an empty
        query is billed as one read."""
        found = [(s.id, s.to_dict(), s.update_time) for s in query.stream()]
        self.counts["reads"] += max(len(found), 1)
        return found

    def customer_ledger(self, customer_id: str) -> Versioned | None:
        snapshot = self._get(f"{paths.CUSTOMER_LEDGERS}/{customer_id}")
        return Versioned(conv.ledger_from(snapshot.to_dict()), snapshot.update_time) if snapshot else None

    def customer_ledgers(self, customer_ids: list[str]) -> dict[str, Versioned | None]:
        return self._get_many(paths.CUSTOMER_LEDGERS, customer_ids,
                              lambda _i, s: Versioned(conv.ledger_from(s.to_dict()), s.update_time))

    def booking_documents(self, customer_id: str, provider_id: str, type_id: str,
                          reschedule_of: str | None = None) -> BookingDocuments:
        """Customer, provider, type, the customer's ledger, the business
        settings (and the appointment a reschedule moves) in one `get_all`:
        one round trip where one read after another cost five or six. Each
        document requested is a read, found or not, as Firestore bills it."""
        wanted = {"customer": f"{paths.CUSTOMERS}/{customer_id}", "provider": f"{paths.PROVIDERS}/{provider_id}",
                  "type": f"{paths.APPOINTMENT_TYPES}/{type_id}",
                  "ledger": f"{paths.CUSTOMER_LEDGERS}/{customer_id}", "settings": paths.BOOKING_SETTINGS}
        if reschedule_of is not None:
            wanted["previous"] = f"{paths.APPOINTMENTS}/{reschedule_of}"
        refs = [self.db.document(p) for p in wanted.values() if is_document_id(p.rpartition("/")[2])]
        found: dict[str, firestore.DocumentSnapshot] = {}
        for snapshot in self.db.get_all(refs) if refs else ():
            self.counts["reads"] += 1
            if snapshot.exists:
                found[snapshot.reference.path] = snapshot

        def fetched(key: str, convert) -> Fetched:
            snapshot = found.get(wanted[key])
            if snapshot is None:
                return Fetched()
            try:
                return Fetched(convert(snapshot.id, snapshot.to_dict()), snapshot.update_time)
            except InvalidDocument as invalid:
                return Fetched(invalid=invalid)

        settings = found.get(paths.BOOKING_SETTINGS)
        return BookingDocuments(
            customer=fetched("customer", conv.customer_from),
            provider=fetched("provider", conv.provider_from),
            appointment_type=fetched("type", conv.appointment_type_from),
            ledger=fetched("ledger", lambda _i, d: conv.ledger_from(d)),
            settings=booking_settings_from(settings.to_dict() if settings else None),
            previous=fetched("previous", conv.appointment_from) if reschedule_of is not None else None,
        )

    def booking_settings(self) -> BookingSettings:
        snapshot = self._get(paths.BOOKING_SETTINGS)
        return booking_settings_from(snapshot.to_dict() if snapshot else None)

    def pending_requests_between(self, provider_id: str, start: datetime, end: datetime,
                                 limit: int) -> list[tuple[str, dict[str, Any], Any]]:
        query = (
            self.db.collection(paths.BOOKING_REQUESTS)
            .where(filter=firestore.FieldFilter("providerId", "==", provider_id))
            .where(filter=firestore.FieldFilter("status", "==", "pending"))
            .where(filter=firestore.FieldFilter("start", ">=", start))
            .where(filter=firestore.FieldFilter("start", "<", end))
            .limit(limit)
        )
        return self._versioned_stream(query)

    def unreleased_cancels(self, limit: int) -> list[str]:
        query = (
            self.db.collection(paths.APPOINTMENTS)
            .where(filter=firestore.FieldFilter("status", "==", AppointmentStatus.CANCELLED.value))
            .where(filter=firestore.FieldFilter("held", "==", True))
            .limit(limit)
        )
        found = [s.id for s in query.stream()]
        self.counts["reads"] += max(len(found), 1)
        return found

    def confirmed_starting_between(self, start: datetime, end: datetime, limit: int,
                                   after: tuple[datetime, str] | None = None) -> list[Appointment]:
        """Confirmed appointments starting in [start, end), by start then id,
        a page of `limit` after the cursor (start, id) of the previous one."""
        query = (
            self.db.collection(paths.APPOINTMENTS)
            .where(filter=firestore.FieldFilter("status", "==", AppointmentStatus.CONFIRMED.value))
            .where(filter=firestore.FieldFilter("start", ">=", start))
            .where(filter=firestore.FieldFilter("start", "<", end))
            .order_by("start")
            .order_by("__name__")
        )
        if after is not None:
            query = query.start_after([after[0], after[1]])
        return self._all_valid(query.limit(limit), conv.appointment_from)

    def series_appointments(self, series_id: str) -> list[Appointment]:
        query = self.db.collection(paths.APPOINTMENTS).where(filter=firestore.FieldFilter("seriesId", "==", series_id))
        return sorted(self._all_valid(query, conv.appointment_from), key=lambda a: (a.series_index or 0, a.id))

    def time_off(self, time_off_id: str) -> Versioned | None:
        snapshot = self._get(f"{paths.TIME_OFF}/{time_off_id}")
        if snapshot is None:
            return None
        return Versioned(conv.time_off_from(time_off_id, snapshot.to_dict()), snapshot.update_time)

    def time_off_for(self, provider_id: str) -> list[TimeOff]:
        """Its own time off and the business's closures. All of it, past
        included: whole-day spans have no instant to filter on before the
        provider's zone is known (feed imports keep theirs to the horizon)."""
        collection = self.db.collection(paths.TIME_OFF)
        own = collection.where(filter=firestore.FieldFilter("providerIds", "array_contains", provider_id))
        closures = collection.where(filter=firestore.FieldFilter("allProviders", "==", True))
        found = {t.id: t for t in self._all_valid(own, conv.time_off_from)}
        found.update((t.id, t) for t in self._all_valid(closures, conv.time_off_from))
        return list(found.values())

    def type_slot_views(self, keys: list[ViewKey], only: list[str] | None = None) -> dict[ViewKey, Versioned | None]:
        refs = {self.db.document(f"{paths.TYPE_SLOTS}/{view_id(*key)}"): key for key in keys}
        by_path = {ref.path: key for ref, key in refs.items()}
        found: dict[ViewKey, Versioned | None] = {key: None for key in keys}
        # A projection: at 500 providers a view document is ~150 KB, and a
        # writer needs only its own entries (the version comes with it).
        fields = None if only is None else ["typeId", *(FieldPath("sheets", i).to_api_repr() for i in only)]
        for snapshot in self.db.get_all(list(refs), field_paths=fields) if refs else ():
            self.counts["reads"] += 1
            if snapshot.exists:
                found[by_path[snapshot.reference.path]] = Versioned(conv.view_from(snapshot.to_dict()),
                                                                    snapshot.update_time)
        return found

    # -- writes -------------------------------------------------------------

    def commit(self, commit: Commit) -> None:
        batch = self.db.batch()

        def put(path: str, data: dict[str, Any], version: Any, *, create_when_none: bool) -> None:
            """A conditioned update at `version`; with None, a create (which
            fails if someone created it meanwhile) or a plain update."""
            ref = self.db.document(path)
            if version is not None:
                batch.update(ref, data, option=self.db.write_option(last_update_time=version))
            elif create_when_none:
                batch.create(ref, data)
            else:
                batch.update(ref, data)

        for sheet, version in commit.sheets:
            base = commit.sheet_bases.get(sheet.id) if version is not None else None
            data = partial.sheet_changes(base, sheet) if base is not None else conv.sheet_to(sheet)
            put(f"{paths.SLOTS}/{sheet.id}", {**data, "updatedAt": firestore.SERVER_TIMESTAMP},
                version, create_when_none=True)
        for appointment in commit.create_appointments:
            batch.create(self.db.document(f"{paths.APPOINTMENTS}/{appointment.id}"),
                         conv.appointment_to(appointment))
        for appointment_id, fields, version in commit.update_appointments:
            put(f"{paths.APPOINTMENTS}/{appointment_id}", fields, version, create_when_none=False)
        for before, after, version in commit.appointment_moves:
            put(f"{paths.APPOINTMENTS}/{after.id}", conv.appointment_changes(before, after), version,
                create_when_none=False)
        for request_id, fields, version in commit.requests:
            put(f"{paths.BOOKING_REQUESTS}/{request_id}", fields, version, create_when_none=True)
        for mail_id, message in commit.mails:
            batch.create(self.db.document(f"{paths.MAIL}/{mail_id}"),
                         {**message, "createdAt": firestore.SERVER_TIMESTAMP})
        for message_id, message in commit.messages:
            batch.create(self.db.document(f"{paths.MESSAGES}/{message_id}"),
                         {**message, "createdAt": firestore.SERVER_TIMESTAMP})
        for customer_id, entries, version in commit.customer_ledgers:
            known = commit.ledger_bases.get(customer_id) if version is not None else None
            data = partial.ledger_changes(known, entries) if known is not None else conv.ledger_to(entries)
            put(f"{paths.CUSTOMER_LEDGERS}/{customer_id}", {**data, "updatedAt": firestore.SERVER_TIMESTAMP},
                version, create_when_none=True)
        for time_off_id, time_off, version in commit.time_off:
            ref = self.db.document(f"{paths.TIME_OFF}/{time_off_id}")
            option = self.db.write_option(last_update_time=version) if version is not None else None
            if time_off is None:
                batch.delete(ref, option=option)
            elif version is None:
                batch.create(ref, {**conv.time_off_to(time_off), "createdAt": firestore.SERVER_TIMESTAMP})
            else:
                # an update (the only write that takes a precondition) that
                # also removes the fields of the form it no longer has
                data = conv.time_off_to(time_off)
                gone = {k: firestore.DELETE_FIELD for k in conv.TIME_OFF_FIELDS if k not in data}
                batch.update(ref, {**data, **gone, "updatedAt": firestore.SERVER_TIMESTAMP}, option=option)
        try:
            batch.commit()
        except _CONFLICTS as error:
            self.counts["conflicts"] += 1
            raise Conflict(str(error)) from error
        self.counts["writes"] += commit.writes()
        self.counts["commits"] += 1

    def write_type_slot_views(self, writes: list[tuple[ViewKey, dict[str, ViewEntry | None], Any]]) -> None:
        batch = self.db.batch()
        for key, changes, version in writes:
            ref = self.db.document(f"{paths.TYPE_SLOTS}/{view_id(*key)}")
            if version is None:
                batch.create(ref, {"typeId": key[0], "date": key[1].isoformat(),
                                   "sheets": {i: conv.view_entry_to(e) for i, e in changes.items() if e is not None}})
            else:
                # field paths, so that other sheets' entries stay as they are
                batch.update(ref, {FieldPath("sheets", i).to_api_repr():
                                   conv.view_entry_to(e) if e is not None else firestore.DELETE_FIELD
                                   for i, e in changes.items()},
                             option=self.db.write_option(last_update_time=version))
        try:
            batch.commit()
        except _CONFLICTS as error:
            self.counts["conflicts"] += 1
            raise Conflict(str(error)) from error
        self.counts["writes"] += len(writes)
        self.counts["commits"] += 1

    def set_validation(self, collection: str, doc_id: str, validation: dict[str, Any]) -> None:
        """Records the backend's verdict on an admin-edited document."""
        try:
            self.db.document(f"{collection}/{doc_id}").update({"validation": validation})
        except gexc.NotFound:
            return  # deleted meanwhile: nothing to annotate
        self.counts["writes"] += 1
