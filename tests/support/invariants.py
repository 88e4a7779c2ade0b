"""The ledger invariant: every stored day sheet equals what the domain code
computes from scratch, and no two held (confirmed, completed, no-show)
appointments' blocks overlap."""

from __future__ import annotations

from booking.domain.ledger import block_of, build_sheet
from booking.domain.ranges import Range
from booking.store import converters as conv
from booking.store.firestore_store import FirestoreStore
from google.cloud.firestore import FieldFilter


def held_appointments(db, provider_id: str):
    docs = (db.collection("appointments").where(filter=FieldFilter("providerId", "==", provider_id))
            .where(filter=FieldFilter("status", "in", ["confirmed", "completed", "no_show"])).stream())
    return [conv.appointment_from(d.id, d.to_dict()) for d in docs]


def assert_no_overlaps(db, provider_id: str) -> int:
    appointments = sorted(held_appointments(db, provider_id), key=lambda a: a.block_start)
    for earlier, later in zip(appointments, appointments[1:]):
        shared = (earlier.appointment_type_id == later.appointment_type_id and earlier.start == later.start)
        assert shared or not Range(earlier.block_start, earlier.block_end).overlaps(
            Range(later.block_start, later.block_end)
        ), f"{earlier.id} and {later.id} overlap"
    return len(appointments)


def assert_sheets_match_scratch(db, provider_id: str) -> int:
    """Recomputes every stored sheet of the provider and compares."""
    store = FirestoreStore(db)
    provider = store.provider(provider_id)
    availability = store.availability(provider_id)
    types = store.appointment_types()
    blocks = [block_of(a) for a in held_appointments(db, provider_id)]
    checked = 0
    for snapshot in db.collection("slots").where(filter=FieldFilter("providerId", "==", provider_id)).stream():
        stored = conv.sheet_from(snapshot.to_dict())
        expected = build_sheet(provider, availability, types, stored.day, blocks)
        differs = [name for name in stored.__dataclass_fields__
                   if getattr(stored, name) != getattr(expected, name)]
        assert not differs, (
            f"sheet {snapshot.id} differs from a from-scratch computation in {differs}: "
            + "; ".join(f"{n}: stored {getattr(stored, n)!r} expected {getattr(expected, n)!r}" for n in differs)
        )
        checked += 1
    assert checked > 0
    return checked
