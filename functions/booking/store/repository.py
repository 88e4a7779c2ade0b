"""Admin CRUD and paginated list queries for the REST API.

A `FirestoreStore` (so the booking services can run on it unchanged) with
the reads and writes the API needs besides booking. Every document read is
counted in `counts["reads"]` (an empty query is billed as one read), every
document written in `counts["writes"]`, as `FirestoreStore` does.

The API asks for a list with a typed query (`booking.store.queries`) and
gets a `Page` of domain models: collections, field names and document
conversion stay in the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from google.api_core import exceptions as gexc
from google.cloud import firestore

from booking.domain.ids import is_document_id
from booking.domain.models import AppointmentType, Availability, Customer, Provider
from booking.domain.appointments import Appointment
from booking.services.ports import Conflict, InvalidDocument
from booking.store import converters as conv
from booking.store import paths
from booking.store.firestore_store import FirestoreStore
from booking.store.queries import (
    AppointmentQuery,
    CustomerQuery,
    CustomerSearchQuery,
    Page,
    ProviderQuery,
    Query,
    TypeQuery,
)

T = TypeVar("T")


class AlreadyExists(Exception):
    """A create found a document with that id."""


class NotFound(Exception):
    """An update found no document."""


def _field(data: dict[str, Any], path: str) -> Any:
    """A value by its dotted field path (`search.name`), as Firestore orders by it."""
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


class Repository(FirestoreStore):
    def __init__(self, client: firestore.Client, counts: Counter | None = None) -> None:
        super().__init__(client)
        if counts is not None:
            self.counts = counts

    # -- any document (the typed methods below are the API's way in) ----------

    def _get_doc(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        if not is_document_id(doc_id):
            return None
        snapshot = self._get(f"{collection}/{doc_id}")
        return snapshot.to_dict() if snapshot else None

    def _create_doc(self, collection: str, doc_id: str, data: dict[str, Any]) -> None:
        try:
            self.db.document(f"{collection}/{doc_id}").create(data)
        except gexc.AlreadyExists as error:
            raise AlreadyExists(doc_id) from error
        self.counts["writes"] += 1

    def _set_doc(self, collection: str, doc_id: str, data: dict[str, Any]) -> None:
        self.db.document(f"{collection}/{doc_id}").set(data)
        self.counts["writes"] += 1

    def _delete_doc(self, collection: str, doc_id: str) -> None:
        self.db.document(f"{collection}/{doc_id}").delete()
        self.counts["writes"] += 1

    def _exists(self, collection: str, doc_id: str) -> bool:
        """Whether the document is there, readable or not (one read)."""
        return self._get_doc(collection, doc_id) is not None

    def _page(self, collection: str, query: Query, convert: Callable[[str, dict[str, Any]], T], *,
              page_size: int, after: list[Any] | None) -> Page[T]:
        """One page of `collection` as `query` selects and orders it; `after`
        is the cursor of the previous page. A document that does not validate
        is left out (its trigger records why on it) but still moves the cursor."""
        fs_query: Any = self.db.collection(collection)
        for f in query.filters():
            fs_query = fs_query.where(filter=firestore.FieldFilter(f.field, f.op, f.value))
        for field in query.order_by:
            fs_query = fs_query.order_by(field)
        fs_query = fs_query.order_by("__name__")
        if after is not None:
            fs_query = fs_query.start_after(list(after))
        snapshots = list(fs_query.limit(page_size + 1).stream())
        self.counts["reads"] += max(len(snapshots), 1)
        more = len(snapshots) > page_size
        documents = [(s.id, s.to_dict()) for s in snapshots[:page_size]]
        cursor = None
        if more and documents:
            last_id, last = documents[-1]
            cursor = [_field(last, field) for field in query.order_by] + [last_id]
        items = []
        for doc_id, data in documents:
            try:
                items.append(convert(doc_id, data))
            except InvalidDocument:
                continue
        return Page(items, cursor)

    # -- appointment types ------------------------------------------------

    def appointment_types_page(self, query: TypeQuery, *, page_size: int,
                               after: list[Any] | None = None) -> Page[AppointmentType]:
        return self._page(paths.APPOINTMENT_TYPES, query, conv.appointment_type_from,
                          page_size=page_size, after=after)

    def appointment_type_exists(self, type_id: str) -> bool:
        return self._exists(paths.APPOINTMENT_TYPES, type_id)

    def save_appointment_type(self, model: AppointmentType, *, create: bool) -> None:
        data = conv.appointment_type_to(model)
        if create:
            self._create_doc(paths.APPOINTMENT_TYPES, model.id, data)
        else:
            self._set_doc(paths.APPOINTMENT_TYPES, model.id, data)

    # -- providers ----------------------------------------------------------

    def providers_page(self, query: ProviderQuery, *, page_size: int,
                       after: list[Any] | None = None) -> Page[Provider]:
        """Public profiles only: a page never reads the contact documents."""
        return self._page(paths.PROVIDERS, query, conv.provider_from, page_size=page_size, after=after)

    def provider_exists(self, provider_id: str) -> bool:
        return self._exists(paths.PROVIDERS, provider_id)

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
        self._set_doc(paths.AVAILABILITY, model.provider_id, conv.availability_to(model))

    # -- customers ----------------------------------------------------------

    def customers_page(self, query: CustomerQuery, *, page_size: int,
                       after: list[Any] | None = None) -> Page[Customer]:
        return self._page(paths.CUSTOMERS, query, conv.customer_from, page_size=page_size, after=after)

    def customer_exists(self, customer_id: str) -> bool:
        return self._exists(paths.CUSTOMERS, customer_id)

    def delete_customer(self, customer_id: str) -> None:
        self._delete_doc(paths.CUSTOMERS, customer_id)

    def customers_search_page(self, query: CustomerSearchQuery, *, page_size: int,
                              after: list[Any] | None = None) -> Page[Customer]:
        return self._page(paths.CUSTOMERS, query, conv.customer_from, page_size=page_size, after=after)

    def customer_and_desk(self, customer_id: str) -> tuple[Customer, str | None] | None:
        """The customer and the provider whose desk added it (a walk-in), in one read."""
        data = self._get_doc(paths.CUSTOMERS, customer_id)
        if data is None:
            return None
        added = data.get("addedBy")
        desk = added.get("providerId") if isinstance(added, dict) else None
        return conv.customer_from(customer_id, data), desk if isinstance(desk, str) else None

    def set_customer_search(self, customer_id: str, keys: dict[str, str], *, version: Any) -> None:
        """The customers trigger's one write: the search keys, conditioned on
        the version it read (a newer profile gets its own trigger)."""
        option = self.db.write_option(last_update_time=version) if version is not None else None
        try:
            self.db.document(f"{paths.CUSTOMERS}/{customer_id}").update({"search": keys}, option=option)
        except (gexc.FailedPrecondition, gexc.NotFound) as error:
            self.counts["conflicts"] += 1
            raise Conflict(str(error)) from error
        self.counts["writes"] += 1

    def save_customer(self, model: Customer, *, create: bool, added_by: dict[str, Any] | None = None) -> None:
        """Create, or replace the profile; what the backend keeps beside it
        (`addedBy`) survives a replacement."""
        data = conv.customer_to(model)
        if create:
            self._create_doc(paths.CUSTOMERS, model.id, {**data, **({"addedBy": added_by} if added_by else {})})
            return
        cleared = {name: firestore.DELETE_FIELD for name in conv.CUSTOMER_PROFILE_FIELDS if name not in data}
        self.db.document(f"{paths.CUSTOMERS}/{model.id}").set({**data, **cleared}, merge=True)
        self.counts["writes"] += 1

    # -- appointments -------------------------------------------------------

    def appointments_page(self, query: AppointmentQuery, *, page_size: int,
                          after: list[Any] | None = None) -> Page[Appointment]:
        return self._page(paths.APPOINTMENTS, query, conv.appointment_from, page_size=page_size, after=after)

    def save_appointment(self, before: Appointment, after: Appointment, *, version: Any = None) -> None:
        """Writes the fields that differ between two records of one
        appointment (a lifecycle move, a notes edit), as update_appointment."""
        self.update_appointment(after, conv.appointment_changes(before, after), version=version)

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
