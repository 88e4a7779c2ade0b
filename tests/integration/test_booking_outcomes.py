"""Every rejection reason, bad input, re-delivery, reschedule and the sweep,
through the real trigger and the real Firestore store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from booking.services.booking import process_request
from booking.services.sweep import sweep
from booking.store.firestore_store import FirestoreStore
from google.cloud import firestore
from support import emulator
from support.invariants import assert_no_overlaps, assert_sheets_match_scratch
from support.world import a_future_day, at, seed, wait_for_sheet, wait_for_status

DAY = a_future_day(6)


def request_fields(**overrides):
    fields = {"customerId": "cust-1", "providerId": "dr-ada", "appointmentTypeId": "consult",
              "start": at(DAY, 10), "status": "pending", "createdAt": firestore.SERVER_TIMESTAMP}
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not DROP}


DROP = object()


@pytest.fixture
def world(db, clean_firestore):
    seed(db, customers=("cust-1", "cust-2"), type_fields={"dailyLimit": 3})
    db.document("appointmentTypes/retired").set({"name": "Retired", "durationMinutes": 30, "active": False})
    db.document("appointmentTypes/other").set({"name": "Other", "durationMinutes": 30, "active": True})
    db.document("providers/dr-off").set({"name": "Off", "timeZone": "UTC", "typeIds": ["consult"], "active": False})
    db.document("providers/dr-ada").update({"typeIds": ["consult", "retired"]})
    assert wait_for_sheet(db, "dr-ada", DAY, lambda s: at(DAY, 10) in s["available"].get("consult", []))
    return db


def submit(db, request_id, fields):
    db.document(f"bookingRequests/{request_id}").set(fields)
    return wait_for_status(db, f"bookingRequests/{request_id}")


def book_ok(db, request_id, start, customer="cust-1"):
    outcome = submit(db, request_id, request_fields(start=start, customerId=customer))
    assert outcome["status"] == "confirmed", outcome
    return outcome


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"providerId": "nobody"}, "unknown_provider"),
        ({"providerId": "dr-off"}, "provider_inactive"),
        ({"appointmentTypeId": "nothing"}, "unknown_type"),
        ({"appointmentTypeId": "retired"}, "type_inactive"),
        ({"appointmentTypeId": "other"}, "type_not_offered"),
        ({"customerId": "no-profile"}, "unknown_customer"),
        ({"start": None}, "invalid_request"),
        ({"start": "tomorrow at ten"}, "invalid_request"),
        ({"providerId": 42}, "invalid_request"),
        ({"customerId": DROP}, "invalid_request"),
        ({"notes": "x" * 5000}, "invalid_request"),
        ({"notes": {"nested": "garbage"}}, "invalid_request"),
        ({"status": "confirmed"}, None),  # a client cannot pre-confirm: left alone by the backend
        ({"extra": "field"}, "invalid_request"),
        ({"start": datetime(2020, 1, 1, 10, tzinfo=UTC)}, "too_soon"),
        ({"start": at(DAY, 10, 10)}, "not_on_slot"),
        ({"start": at(DAY, 10, 0) + timedelta(seconds=30)}, "invalid_request"),
        ({"start": at(DAY, 20)}, "outside_availability"),
        ({"start": at(DAY + timedelta(days=60), 10)}, "too_far"),
        ({"rescheduleOf": "no-such-appointment"}, "not_reschedulable"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_bad_request_is_rejected_with_its_reason_and_nothing_else_changes(world, overrides, reason):
    before = world.document(f"slots/dr-ada_{DAY.isoformat()}").get()
    outcome = submit(world, "bad", request_fields(**overrides))

    if reason is None:
        assert outcome["status"] == "confirmed" and "appointmentId" not in outcome
    else:
        assert outcome["status"] == "rejected"
        assert outcome["reason"] == reason
        assert outcome["message"]
    assert not world.document("appointments/bad").get().exists
    after = world.document(f"slots/dr-ada_{DAY.isoformat()}").get()
    assert after.update_time == before.update_time


def test_a_taken_slot_is_slot_taken_and_a_full_day_is_limit_reached(world):
    book_ok(world, "r1", at(DAY, 10))
    taken = submit(world, "r2", request_fields(start=at(DAY, 10), customerId="cust-2"))
    book_ok(world, "r3", at(DAY, 11))
    book_ok(world, "r4", at(DAY, 12))
    limited = submit(world, "r5", request_fields(start=at(DAY, 13)))

    assert (taken["status"], taken["reason"]) == ("rejected", "slot_taken")
    assert (limited["status"], limited["reason"]) == ("rejected", "limit_reached")
    assert wait_for_sheet(world, "dr-ada", DAY)["available"]["consult"] == []


def test_the_same_event_handled_twice_leaves_the_state_of_once(world):
    store = FirestoreStore(world)
    ref = world.document("bookingRequests/twice")
    book_ok(world, "twice", at(DAY, 14))
    snapshot = ref.get()
    sheet_version = world.document(f"slots/dr-ada_{DAY.isoformat()}").get().update_time
    pending = {**snapshot.to_dict(), "status": "pending"}
    for key in ("appointmentId", "processedAt"):
        pending.pop(key)

    again = process_request(store, "twice", pending, version=snapshot.create_time, now=datetime.now(UTC))

    assert again.status == "confirmed" and again.replayed
    assert world.document(f"slots/dr-ada_{DAY.isoformat()}").get().update_time == sheet_version
    assert ref.get().update_time == snapshot.update_time
    # the Cloud Tasks emulator runs the reminder at once (it ignores schedule
    # times), so its mail may be there too; the replay itself sent nothing
    booked_mails = [d.id for d in world.collection("mail").stream() if d.to_dict().get("kind") != "reminder"]
    assert booked_mails == ["twice-confirmed"]


def test_a_lost_trigger_event_is_recovered_by_the_sweep(world):
    emulator.set_background_triggers(False)
    try:
        world.document("bookingRequests/lost").set(request_fields(start=at(DAY, 15)))
    finally:
        emulator.set_background_triggers(True)
    assert world.document("bookingRequests/lost").get().to_dict()["status"] == "pending"

    report = sweep(FirestoreStore(world), now=datetime.now(UTC) + timedelta(minutes=3))

    assert report.requests == {"lost": "confirmed"}
    assert world.document("bookingRequests/lost").get().to_dict()["status"] == "confirmed"
    assert world.document("appointments/lost").get().exists
    assert_sheets_match_scratch(world, "dr-ada")


def test_the_sweep_extends_sheets_to_the_horizon_as_days_pass(world):
    later = datetime.now(UTC) + timedelta(days=10)
    last_day = (later + timedelta(days=31)).date()
    assert not world.document(f"slots/dr-ada_{last_day.isoformat()}").get().exists

    report = sweep(FirestoreStore(world), now=later)

    assert report.sheets_written["dr-ada"] == 10
    assert world.document(f"slots/dr-ada_{last_day.isoformat()}").get().exists


def test_cancel_then_rebook_the_same_slot(world):
    book_ok(world, "first", at(DAY, 9))
    world.document("appointments/first").update({"status": "cancelled"})
    assert wait_for_sheet(world, "dr-ada", DAY, lambda s: at(DAY, 9) in s["available"]["consult"])

    book_ok(world, "second", at(DAY, 9), customer="cust-2")

    assert assert_no_overlaps(world, "dr-ada") == 1
    assert_sheets_match_scratch(world, "dr-ada")


def test_reschedule_moves_the_booking_in_one_step(world):
    book_ok(world, "orig", at(DAY, 9))

    moved = submit(world, "move", request_fields(start=at(DAY, 11), rescheduleOf="orig"))

    assert moved["status"] == "confirmed"
    original = world.document("appointments/orig").get().to_dict()
    assert (original["status"], original["rescheduledTo"]) == ("cancelled", "move")
    assert world.document("appointments/move").get().to_dict()["rescheduledFrom"] == "orig"
    sheet = wait_for_sheet(world, "dr-ada", DAY)
    assert [b["appointmentId"] for b in sheet["booked"]] == ["move"]
    assert at(DAY, 9) in sheet["available"]["consult"]


def test_reschedule_onto_a_taken_slot_leaves_the_original_intact(world):
    book_ok(world, "mine", at(DAY, 9))
    book_ok(world, "theirs", at(DAY, 11), customer="cust-2")

    moved = submit(world, "move2", request_fields(start=at(DAY, 11), rescheduleOf="mine"))

    assert (moved["status"], moved["reason"]) == ("rejected", "slot_taken")
    assert world.document("appointments/mine").get().to_dict()["status"] == "confirmed"
    assert_sheets_match_scratch(world, "dr-ada")


def test_rescheduling_someone_elses_appointment_is_not_reschedulable(world):
    book_ok(world, "hers", at(DAY, 9), customer="cust-2")

    moved = submit(world, "steal", request_fields(start=at(DAY, 11), rescheduleOf="hers"))

    assert (moved["status"], moved["reason"]) == ("rejected", "not_reschedulable")
    assert world.document("appointments/hers").get().to_dict()["status"] == "confirmed"


def test_an_invalid_console_edit_of_availability_is_recorded_and_not_applied(world):
    ref = world.document("availability/dr-ada")
    sheet_before = world.document(f"slots/dr-ada_{DAY.isoformat()}").get().update_time

    ref.update({"weekly": {"mon": [{"start": "25:00", "end": "09:00"}]}})

    def verdict():
        validation = ref.get().to_dict().get("validation")
        return validation if validation and not validation["ok"] else None

    from support.world import wait_for

    recorded = wait_for(verdict)
    assert recorded and "weekly" in recorded["errors"][0]
    assert world.document(f"slots/dr-ada_{DAY.isoformat()}").get().update_time == sheet_before


def test_new_hours_flag_a_confirmed_appointment_left_outside_them(world):
    book_ok(world, "early", at(DAY, 9))
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

    world.document("availability/dr-ada").update({"weekly": {d: [{"start": "12:00", "end": "17:00"}] for d in days}})

    from support.world import wait_for

    flagged = wait_for(lambda: world.document("appointments/early").get().to_dict().get("outsideAvailability"))
    assert flagged is True
    sheet = wait_for_sheet(world, "dr-ada", DAY, lambda s: s["available"]["consult"][:1] == [at(DAY, 12)])
    assert [b["appointmentId"] for b in sheet["booked"]] == ["early"]
    assert_sheets_match_scratch(world, "dr-ada")
