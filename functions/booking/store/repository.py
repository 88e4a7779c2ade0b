"""Admin CRUD and paginated list queries for the REST API.

A `FirestoreStore` (so the booking services can run on it unchanged) with
the reads and writes the API needs besides booking. Every document read is
counted in `counts["reads"]` (an empty query is billed as one read), every
document written in `counts["writes"]`, as `FirestoreStore` does.

Pagination is keyset based: a page is ordered by its sort fields and then
by document id, and the cursor is the last document's sort values and id
(`Page.cursor`), which the API encodes into an opaque page token.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from google.api_core import exceptions as gexc
from google.cloud import firestore

from booking.domain.ids import is_document_id
from booking.domain.models import AppointmentType, Availability, Customer, Provider
from booking.domain.records import Appointment
from booking.services.ports import Conflict
from booking.store import converters as conv
from booking.store import paths
from booking.store.firestore_store import FirestoreStore


class AlreadyExists(Exception):
    """A create found a document with that id."""


class NotFound(Exception):
    """An update found no document."""


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    value: Any


@dataclass
class Page:
    items: list[tuple[str, dict[str, Any]]]
    cursor: list[Any] | None  # sort values then id of the last item, when more may follow


class Repository(FirestoreStore):
    def __init__(self, client: firestore.Client, counts: Counter | None = None) -> None:
        super().__init__(client)
        if counts is not None:
            self.counts = counts

    # -- generic documents ------------------------------------------------

    def get_doc(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        if not is_document_id(doc_id):
            return None
        snapshot = self._get(f"{collection}/{doc_id}")
        return snapshot.to_dict() if snapshot else None

    def create_doc(self, collection: str, doc_id: str, data: dict[str, Any]) -> None:
        try:
            self.db.document(f"{collection}/{doc_id}").create(data)
        except gexc.AlreadyExists as error:
            raise AlreadyExists(doc_id) from error
        self.counts["writes"] += 1

    def set_doc(self, collection: str, doc_id: str, data: dict[str, Any]) -> None:
        self.db.document(f"{collection}/{doc_id}").set(data)
        self.counts["writes"] += 1

    def update_doc(self, collection: str, doc_id: str, fields: dict[str, Any]) -> None:
        try:
            self.db.document(f"{collection}/{doc_id}").update(fields)
        except gexc.NotFound as error:
            raise NotFound(doc_id) from error
        self.counts["writes"] += 1

    def delete_doc(self, collection: str, doc_id: str) -> None:
        self.db.document(f"{collection}/{doc_id}").delete()
        self.counts["writes"] += 1

    def page(
        self,
        collection: str,
        *,
        filters: Sequence[Filter] = (),
        order_by: Sequence[str] = (),
        page_size: int,
        after: list[Any] | None = None,
    ) -> Page:
        """One page of `collection` ordered by `order_by` then document id;
        `after` is the cursor of the previous page."""
        query: Any = self.db.collection(collection)
        for f in filters:
            query = query.where(filter=firestore.FieldFilter(f.field, f.op, f.value))
        for field in order_by:
            query = query.order_by(field)
        query = query.order_by("__name__")
        if after is not None:
            query = query.start_after(list(after))
        snapshots = list(query.limit(page_size + 1).stream())
        self.counts["reads"] += max(len(snapshots), 1)
        more = len(snapshots) > page_size
        snapshots = snapshots[:page_size]
        items = [(s.id, s.to_dict()) for s in snapshots]
        cursor = None
        if more and snapshots:
            last_id, last = items[-1]
            cursor = [last.get(field) for field in order_by] + [last_id]
        return Page(items, cursor)

    # -- appointment types ------------------------------------------------

    def save_appointment_type(self, model: AppointmentType, *, create: bool) -> None:
        data = conv.appointment_type_to(model)
        if create:
            self.create_doc(paths.APPOINTMENT_TYPES, model.id, data)
        else:
            self.set_doc(paths.APPOINTMENT_TYPES, model.id, data)

    # -- providers ----------------------------------------------------------

    def save_provider(self, model: Provider, *, create: bool) -> None:
        """Public fields to providers/{id}, email and phone to providerContacts/{id},
        in one batch (a create fails when the provider exists)."""
        public, contact = conv.provider_to(model)
        batch = self.db.batch()
        ref = self.db.document(f"{paths.PROVIDERS}/{model.id}")
        if create:
            batch.create(ref, public)
        else:
            batch.set(ref, public)
        contact_ref = self.db.document(f"{paths.PROVIDER_CONTACTS}/{model.id}")
        if contact:
            batch.set(contact_ref, contact)
        else:
            batch.delete(contact_ref)
        try:
            batch.commit()
        except gexc.AlreadyExists as error:
            raise AlreadyExists(model.id) from error
        self.counts["writes"] += 2

    def providers_offering(self, type_id: str) -> list[Provider]:
        """Active providers whose typeIds contain `type_id`."""
        query = (
            self.db.collection(paths.PROVIDERS)
            .where(filter=firestore.FieldFilter("typeIds", "array_contains", type_id))
            .where(filter=firestore.FieldFilter("active", "==", True))
        )
        return self._all_valid(query, conv.provider_from)

    # -- availability -------------------------------------------------------

    def save_availability(self, model: Availability) -> None:
        self.set_doc(paths.AVAILABILITY, model.provider_id, conv.availability_to(model))

    # -- customers ----------------------------------------------------------

    def save_customer(self, model: Customer, *, create: bool) -> None:
        data = conv.customer_to(model)
        if create:
            self.create_doc(paths.CUSTOMERS, model.id, data)
        else:
            self.set_doc(paths.CUSTOMERS, model.id, data)

    # -- appointments -------------------------------------------------------

    def update_appointment(self, appointment: Appointment, fields: dict[str, Any], *, version: Any = None) -> None:
        """Merge `fields`; with `version` (the update time it was read at)
        only while the document still has it, else `Conflict`: whatever the
        fields were derived from (its status, its history) has changed."""
        option = self.db.write_option(last_update_time=version) if version is not None else None
        try:
            self.db.document(f"{paths.APPOINTMENTS}/{appointment.id}").update(fields, option=option)
        except gexc.NotFound as error:
            raise NotFound(appointment.id) from error
        except gexc.FailedPrecondition as error:
            self.counts["conflicts"] += 1
            raise Conflict(str(error)) from error
        self.counts["writes"] += 1
