"""The booking's batched read (`FirestoreStore.booking_documents`) on the real
Firestore emulator: one `get_all` gives what the single reads give, one
counted read per document requested, and a document that does not validate
is handed back as such instead of failing the others."""

from __future__ import annotations

import pytest
from booking.domain.settings import booking_settings_from
from booking.services.ports import Fetched, InvalidDocument
from booking.store.firestore_store import FirestoreStore
from support.world import seed


@pytest.fixture
def store(db, clean_firestore):
    seed(db, customers=("cust-r",))
    db.document("customerLedgers/cust-r").set({"upcoming": {}})
    db.document("settings/booking").set({"maxUpcomingPerCustomer": 3})
    return FirestoreStore(db)


def test_the_batched_read_gives_what_the_single_reads_give_and_counts_one_read_per_document(store):
    docs = store.booking_documents("cust-r", "dr-ada", "consult")

    assert store.counts["reads"] == 5
    single = FirestoreStore(store.db)
    assert docs.customer.value == single.customer("cust-r")
    assert docs.provider.value == single.provider("dr-ada")
    assert docs.appointment_type.value == single.appointment_type("consult")
    ledger = single.customer_ledger("cust-r")
    assert (docs.ledger.value, docs.ledger.version) == (ledger.value, ledger.version) == ({}, ledger.version)
    assert docs.settings == single.booking_settings() == booking_settings_from({"maxUpcomingPerCustomer": 3})
    assert docs.previous is None


def test_missing_documents_come_back_empty_and_still_count_as_read(store):
    docs = store.booking_documents("cust-nobody", "dr-nobody", "consult", reschedule_of="appt-nobody")

    assert (docs.customer, docs.provider, docs.ledger, docs.previous) == (Fetched(), Fetched(), Fetched(), Fetched())
    assert docs.appointment_type.value is not None
    assert store.counts["reads"] == 6


def test_an_id_firestore_refuses_names_no_document_and_costs_no_read(store):
    docs = store.booking_documents("__bad__", "dr-ada", "consult")

    assert (docs.customer, docs.ledger) == (Fetched(), Fetched())
    assert docs.provider.value is not None
    assert store.counts["reads"] == 3


def test_a_document_that_does_not_validate_is_returned_as_invalid_and_the_others_are_read(db, store):
    db.document("providers/dr-ada").update({"timeZone": "Mars/Olympus_Mons"})

    docs = store.booking_documents("cust-r", "dr-ada", "consult")

    assert isinstance(docs.provider.invalid, InvalidDocument)
    with pytest.raises(InvalidDocument):
        docs.provider.get()
    assert docs.customer.get().id == "cust-r"
    assert docs.appointment_type.get().id == "consult"
