"""What a conditioned sheet or ledger write sends (store/partial_writes.py):
only the changes, a booked block as an ArrayUnion of it and a taken start as
an ArrayRemove; anything else whole. (That the emulator then holds exactly
the whole document is tests/integration/test_partial_writes.py.)"""

from __future__ import annotations

from datetime import UTC, date, datetime

from booking.domain.customer_cap import Held
from booking.domain.ledger import build_sheet
from booking.domain.models import AppointmentType, Availability, BookedBlock, Provider
from booking.store.partial_writes import ledger_changes, sheet_changes
from google.cloud.firestore_v1.transforms import ArrayRemove, ArrayUnion, Sentinel

DAY = date(2026, 3, 29)  # Europe/Berlin moves to summer time at 02:00 that night
BERLIN = "Europe/Berlin"
CONSULT = AppointmentType(id="consult", name="C", duration_minutes=60)
SHORT = AppointmentType(id="short", name="S", duration_minutes=30)
HOURS = Availability.model_validate({"providerId": "p1", "weekly": {"sun": [{"start": "09:00", "end": "12:00"}]}})
PROVIDER = Provider(id="p1", name="P", time_zone=BERLIN, type_ids=["consult", "short"])


def U(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def sheet(*blocks: BookedBlock):
    return build_sheet(PROVIDER, HOURS, [CONSULT, SHORT], DAY, blocks)


def block(appointment_id: str, start: datetime, appt_type: AppointmentType = CONSULT) -> BookedBlock:
    return BookedBlock.for_appointment(appointment_id, appt_type, start)


def test_a_booking_sends_its_block_as_an_array_union_and_the_starts_it_takes_as_array_removes():
    before = sheet(block("a", U(2026, 3, 29, 7)))  # 09:00 CEST
    after = before.with_block(block("b", U(2026, 3, 29, 9)))  # 11:00

    changes = sheet_changes(before, after)

    assert set(changes) == {"booked", "available.consult", "available.short"}
    assert isinstance(changes["booked"], ArrayUnion)
    assert [b["appointmentId"] for b in changes["booked"].values] == ["b"]
    assert isinstance(changes["available.consult"], ArrayRemove)
    # each type's grid is its length: consult starts on the hour, short on the half hour
    assert changes["available.consult"].values == [U(2026, 3, 29, 9)]
    assert changes["available.short"].values == [U(2026, 3, 29, 9), U(2026, 3, 29, 9, 30)]


def test_a_first_block_and_freed_starts_are_sent_whole():
    empty = sheet()
    booked = empty.with_block(block("a", U(2026, 3, 29, 8)))

    taken = sheet_changes(empty, booked)
    assert taken["booked"] == [booked.blocks[0].to_dict()]  # nothing to append to: the list itself

    freed = sheet_changes(booked, booked.without("a"))
    assert freed["booked"] == []
    assert freed["available.consult"] == [U(2026, 3, 29, 7), U(2026, 3, 29, 8), U(2026, 3, 29, 9)]


def test_an_unchanged_sheet_sends_nothing():
    assert sheet_changes(sheet(), sheet()) == {}


def test_a_ledger_sends_the_entries_added_and_deletes_the_entries_gone():
    base = {"a": Held(U(2026, 4, 1, 9), "consult"), "b": Held(U(2026, 4, 2, 9), "consult")}
    planned = {"a": base["a"], "c": Held(U(2026, 4, 3, 9), "short")}

    changes = ledger_changes(base, planned)

    assert changes["upcoming.c"] == {"start": U(2026, 4, 3, 9), "typeId": "short"}
    assert isinstance(changes["upcoming.b"], Sentinel)  # DELETE_FIELD
    assert set(changes) == {"upcoming.b", "upcoming.c"}
