"""The ledger invariant: every stored day sheet equals what the domain code
computes from scratch (time off included), no two held (confirmed,
completed, no-show) appointments' blocks overlap, and every held
appointment that time off meets is flagged with exactly that time off."""

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
    away = [(t.id, t.span_in(provider.time_zone)) for t in store.time_off_for(provider_id)]
    checked = 0
    for snapshot in db.collection("slots").where(filter=FieldFilter("providerId", "==", provider_id)).stream():
        stored = conv.sheet_from(snapshot.to_dict())
        expected = build_sheet(provider, availability, types, stored.day, blocks, away)
        differs = [name for name in stored.__dataclass_fields__
                   if getattr(stored, name) != getattr(expected, name)]
        assert not differs, (
            f"sheet {snapshot.id} differs from a from-scratch computation in {differs}: "
            + "; ".join(f"{n}: stored {getattr(stored, n)!r} expected {getattr(expected, n)!r}" for n in differs)
        )
        checked += 1
    assert checked > 0
    return checked


def assert_conflicts_flagged(db, provider_id: str) -> dict[str, list[str]]:
    """Every held appointment carries, in `timeOffConflicts`, exactly the
    time off its block meets: none lies in time off unflagged. Returns the
    flagged ones."""
    store = FirestoreStore(db)
    tz = store.provider(provider_id).time_zone
    spans = [(t.id, t.span_in(tz)) for t in store.time_off_for(provider_id)]
    flagged = {}
    for appointment in held_appointments(db, provider_id):
        block = Range(appointment.block_start, appointment.block_end)
        met = sorted(i for i, span in spans if span.overlaps(block))
        assert appointment.time_off_conflicts == met, (
            f"{appointment.id} meets time off {met} but is flagged {appointment.time_off_conflicts}")
        if met:
            flagged[appointment.id] = met
    return flagged
