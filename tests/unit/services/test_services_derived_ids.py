"""Every document name the backend derives from a client-chosen id stays
within Firestore's limits when that id is the longest the alphabet allows
(128 characters): the appointment (= request id), the day sheets
(`{providerId}_{date}`) and the mails (`{id}-confirmed`, `-rejected`,
`-cancelled`)."""

from __future__ import annotations

from datetime import date

from booking.domain.booking_requests import Reason
from booking.domain.ids import ID_MAX, is_document_id, is_safe_id
from booking.domain.ledger import sheet_id
from booking.domain.models import AppointmentType, Availability, Customer, Provider
from booking.services.booking import process_request
from booking.services.cancel import cancel
from booking.services.recompute import recompute_provider
from booking.store import paths
from fake_store import ALL_WEEK_9_TO_5, NOW, FakeStore, request_doc, utc

LONGEST = {name: (name[0] * ID_MAX) for name in ("provider", "type", "customer", "request", "second")}
TEN_BERLIN = utc(2026, 1, 12, 9)
# Firestore: a document id of at most 1,500 bytes, a whole name of at most 6 KiB
MAX_NAME_BYTES = 6 * 1024
DATABASE = "projects/demo-booking/databases/(default)/documents"


def longest_ids_store() -> FakeStore:
    store = FakeStore()
    provider, type_id, customer = LONGEST["provider"], LONGEST["type"], LONGEST["customer"]
    store.add_type(AppointmentType(id=type_id, name="Consultation", duration_minutes=30, horizon_days=30,
                                   cancel_cutoff_minutes=60))
    store.add_provider(Provider(id=provider, name="Dr. Ada Lovelace", time_zone="Europe/Berlin", type_ids=[type_id]))
    store.set_availability(Availability.model_validate({"providerId": provider, "weekly": ALL_WEEK_9_TO_5}))
    store.add_customer(Customer(id=customer, name="Grace Hopper", email="grace@example.com"))
    recompute_provider(store, provider, now=NOW)
    return store


def submit(store: FakeStore, request_id: str):
    data = request_doc(TEN_BERLIN, customer=LONGEST["customer"], provider=LONGEST["provider"], type_id=LONGEST["type"])
    version = store.add_request(request_id, data)
    return process_request(store, request_id, store.doc(paths.BOOKING_REQUESTS, request_id), version=version, now=NOW)


def test_the_longest_safe_ids_are_safe():
    assert all(is_safe_id(value) and len(value) == 128 for value in LONGEST.values())


def test_the_longest_provider_id_gives_a_valid_day_sheet_name():
    name = sheet_id(LONGEST["provider"], date(2026, 1, 12))
    assert name == LONGEST["provider"] + "_2026-01-12"
    assert is_document_id(name) and len(name.encode()) == 139


def test_booking_rejecting_and_cancelling_with_the_longest_ids_write_only_valid_document_names():
    store = longest_ids_store()
    assert submit(store, LONGEST["request"]).status == "confirmed"
    taken = submit(store, LONGEST["second"])
    assert (taken.status, taken.reason) == ("rejected", Reason.SLOT_TAKEN)
    assert cancel(store, LONGEST["request"], now=NOW, by=LONGEST["customer"]).appointment is not None

    assert store.ids(paths.MAIL) == sorted([LONGEST["request"] + "-confirmed", LONGEST["second"] + "-rejected",
                                           LONGEST["request"] + "-cancelled"])
    assert store.ids(paths.APPOINTMENTS) == [LONGEST["request"]]
    written = [(collection, doc_id) for collection, docs in store.snapshot().items() for doc_id in docs]
    assert len(written) > 30  # types, provider, hours, customer, requests, appointment, mails, 30+ sheets
    for collection, doc_id in written:
        assert is_document_id(doc_id), (collection, doc_id)
        assert len(doc_id.encode()) <= 139, (collection, doc_id)
        assert len(f"{DATABASE}/{collection}/{doc_id}".encode()) <= MAX_NAME_BYTES
