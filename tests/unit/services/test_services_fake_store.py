"""The fake store keeps FirestoreStore's contract: versions are update times,
a commit is atomic and raises Conflict exactly where Firestore would."""

from __future__ import annotations

from datetime import date

import pytest
from booking.services.ports import Commit, Conflict
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, from_scratch, seeded, submit, utc

MON = date(2026, 1, 12)


def booked():
    store = seeded()
    submit(store, "req-1", utc(2026, 1, 12, 9))
    store.counts.clear()
    return store


def test_every_write_gives_the_document_a_later_version():
    store = booked()
    first = store.version(paths.SLOTS, "dr-ada_2026-01-12")
    store.touch(paths.SLOTS, "dr-ada_2026-01-12")
    assert store.version(paths.SLOTS, "dr-ada_2026-01-12") > first


def test_a_sheet_read_carries_its_stored_version():
    store = booked()
    found = store.sheets(PROVIDER_ID, [MON, date(2026, 1, 13)])
    assert found[MON].version == store.version(paths.SLOTS, "dr-ada_2026-01-12")
    assert found[date(2026, 1, 13)] is None
    assert store.counts["reads"] == 2


def test_a_stale_sheet_version_fails_the_whole_commit():
    store = booked()
    found = store.sheets(PROVIDER_ID, [MON])[MON]
    store.touch(paths.SLOTS, "dr-ada_2026-01-12")
    before = store.snapshot()
    with pytest.raises(Conflict):
        store.commit(Commit(mails=[("m1", {"to": "x@example.com"})],
                            sheets=[(found.value.without("req-1"), found.version)]))
    assert store.snapshot() == before
    assert store.counts["conflicts"] == 1 and store.counts["writes"] == 0


def test_creating_an_existing_sheet_appointment_request_or_mail_conflicts():
    store = booked()
    sheet = store.stored_sheet(PROVIDER_ID, MON)
    appointment = store.appointment("req-1")
    for commit in (Commit(sheets=[(sheet, None)]), Commit(create_appointments=[appointment]),
                   Commit(requests=[("req-1", {"status": "pending"}, None)]),
                   Commit(mails=[("req-1-confirmed", {})])):
        with pytest.raises(Conflict):
            store.commit(commit)


def test_updating_a_missing_document_conflicts():
    store = booked()
    sheet = from_scratch(store, PROVIDER_ID, date(2026, 1, 13))
    for commit in (Commit(update_appointments=[("ghost", {"status": "cancelled"}, None)]),
                   Commit(requests=[("ghost", {"status": "rejected"}, NOW)]),
                   Commit(sheets=[(sheet, NOW)])):
        with pytest.raises(Conflict):
            store.commit(commit)


def test_a_request_updated_at_its_read_version_merges_fields():
    store = booked()
    found = store.request("req-1")
    store.commit(Commit(requests=[("req-1", {"note": "x"}, found.version)]))
    assert store.doc(paths.BOOKING_REQUESTS, "req-1")["note"] == "x"
    assert store.doc(paths.BOOKING_REQUESTS, "req-1")["status"] == "confirmed"


def test_values_firestore_cannot_store_are_refused():
    store = seeded()
    with pytest.raises(TypeError):
        store.put("x", "y", {"day": date(2026, 1, 1)})


def test_set_validation_on_a_deleted_document_does_nothing():
    store = seeded()
    store.set_validation(paths.AVAILABILITY, "nobody", {"ok": True})
    assert store.doc(paths.AVAILABILITY, "nobody") is None
    assert store.counts["writes"] == 0
