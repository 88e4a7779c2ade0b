"""Rescheduling: a request with `rescheduleOf` books the new block and releases
the old one in the same commit, or leaves the original untouched."""

from __future__ import annotations

from datetime import date

from booking.domain.booking_requests import Reason
from booking.domain.models import Availability, Provider
from booking.services.booking import process_request
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, from_scratch, request_doc, seeded, submit, utc

MON = date(2026, 1, 12)
TUE = date(2026, 1, 13)
TEN_BERLIN = utc(2026, 1, 12, 9)
TWO_PM_BERLIN = utc(2026, 1, 12, 13)


def booked_original(store):
    assert submit(store, "orig", TEN_BERLIN).status == "confirmed"
    store.counts.clear()
    return store


def test_a_reschedule_books_the_new_block_and_releases_the_old_in_one_commit():
    store = booked_original(seeded())

    outcome = submit(store, "move", TWO_PM_BERLIN, rescheduleOf="orig")

    assert outcome.status == "confirmed"
    assert store.counts["commits"] == 1
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["move"]
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)
    old = store.doc(paths.APPOINTMENTS, "orig")
    assert {k: old[k] for k in ("status", "cancelledAt", "cancelledBy", "cancelReason", "rescheduledTo",
                                "updatedAt")} == {
        "status": "cancelled", "cancelledAt": NOW, "cancelledBy": "cust-grace", "cancelReason": "rescheduled",
        "rescheduledTo": "move", "updatedAt": NOW,
    }
    assert old["history"][-1] == {"at": NOW, "status": "cancelled", "by": "cust-grace", "note": "rescheduled to move"}
    new = store.doc(paths.APPOINTMENTS, "move")
    assert (new["status"], new["start"], new["end"], new["rescheduledFrom"]) == (
        "confirmed", utc(2026, 1, 12, 13), utc(2026, 1, 12, 13, 30), "orig")
    assert store.ids(paths.MAIL) == ["move-confirmed", "orig-confirmed"]


def test_a_reschedule_may_overlap_its_own_old_block():
    store = booked_original(seeded())
    # 10:30 local would meet the old block's buffers, but that block is being released
    outcome = submit(store, "move", utc(2026, 1, 12, 9, 30), rescheduleOf="orig")
    assert outcome.status == "confirmed"
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["move"]
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_a_reschedule_to_another_day_writes_both_day_sheets_in_one_commit():
    store = booked_original(seeded())
    outcome = submit(store, "move", utc(2026, 1, 13, 9), rescheduleOf="orig")
    assert outcome.status == "confirmed"
    assert store.counts["commits"] == 1
    assert store.stored_sheet(PROVIDER_ID, MON).blocks == ()
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, TUE).blocks] == ["move"]
    for day in (MON, TUE):
        assert store.stored_sheet(PROVIDER_ID, day) == from_scratch(store, PROVIDER_ID, day)


def test_a_reschedule_onto_a_taken_slot_leaves_the_original_intact():
    store = booked_original(seeded())
    assert submit(store, "other", TWO_PM_BERLIN, customer="cust-alan").status == "confirmed"
    before = store.doc(paths.APPOINTMENTS, "orig")

    outcome = submit(store, "move", TWO_PM_BERLIN, rescheduleOf="orig")

    assert (outcome.status, outcome.reason) == ("rejected", Reason.SLOT_TAKEN)
    assert store.doc(paths.APPOINTMENTS, "orig") == before
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["orig", "other"]
    assert store.doc(paths.APPOINTMENTS, "move") is None


def test_rescheduling_someone_elses_appointment_is_not_reschedulable():
    store = booked_original(seeded())
    before = store.doc(paths.APPOINTMENTS, "orig")
    outcome = submit(store, "move", TWO_PM_BERLIN, customer="cust-alan", rescheduleOf="orig")
    assert (outcome.status, outcome.reason) == ("rejected", Reason.NOT_RESCHEDULABLE)
    assert store.doc(paths.APPOINTMENTS, "orig") == before
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["orig"]


def test_rescheduling_after_the_cancellation_cutoff_is_not_reschedulable():
    store = booked_original(seeded())
    # cancellable until 07:00Z on the day; one minute later it is too late
    late = utc(2026, 1, 12, 7, 1)
    outcome = submit(store, "move", utc(2026, 1, 13, 9), rescheduleOf="orig", now=late)
    assert (outcome.status, outcome.reason) == ("rejected", Reason.NOT_RESCHEDULABLE)


def test_rescheduling_a_cancelled_appointment_is_not_reschedulable():
    from booking.services.cancel import cancel

    store = booked_original(seeded())
    cancel(store, "orig", now=NOW, by="cust-grace")
    outcome = submit(store, "move", TWO_PM_BERLIN, rescheduleOf="orig")
    assert (outcome.status, outcome.reason) == ("rejected", Reason.NOT_RESCHEDULABLE)


def test_a_request_rescheduling_itself_is_not_reschedulable():
    store = seeded()
    outcome = submit(store, "self", TEN_BERLIN, rescheduleOf="self")
    assert (outcome.status, outcome.reason) == ("rejected", Reason.NOT_RESCHEDULABLE)


def test_two_concurrent_reschedules_of_one_appointment_confirm_only_one():
    store = booked_original(seeded())
    for rid, start in (("move-a", utc(2026, 1, 12, 13)), ("move-b", utc(2026, 1, 13, 13))):
        store.add_request(rid, request_doc(start, rescheduleOf="orig"))
    outcomes = {}

    def run(rid):
        outcomes[rid] = process_request(store, rid, store.doc(paths.BOOKING_REQUESTS, rid),
                                        version=store.version(paths.BOOKING_REQUESTS, rid), now=NOW)

    store.before_commit.append(lambda: run("move-b"))
    run("move-a")

    statuses = sorted((o.status, o.reason) for o in outcomes.values())
    assert statuses == [("confirmed", None), ("rejected", Reason.NOT_RESCHEDULABLE)]
    confirmed = [a.id for a in store.stored_appointments().values() if a.status.value == "confirmed"]
    assert len(confirmed) == 1


def test_a_reschedule_to_another_provider_releases_the_old_providers_sheet_or_is_refused():
    store = seeded()
    store.add_provider(Provider(id="dr-bob", name="Dr. Bob", time_zone="Europe/Berlin", type_ids=["consult"]))
    store.set_availability(Availability.model_validate({
        "providerId": "dr-bob", "weekly": {"mon": [{"start": "09:00", "end": "17:00"}]}}))
    booked_original(store)

    outcome = submit(store, "move", TWO_PM_BERLIN, provider="dr-bob", rescheduleOf="orig")

    original = store.doc(paths.APPOINTMENTS, "orig")
    if outcome.status == "confirmed":
        assert original["status"] == "cancelled"
    else:
        assert (outcome.reason, original["status"]) == (Reason.NOT_RESCHEDULABLE, "confirmed")
    # either way the ledger of both providers matches their confirmed appointments
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)
    assert store.stored_sheet("dr-bob", MON) in (None, from_scratch(store, "dr-bob", MON))
