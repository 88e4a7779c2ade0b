"""Reacting to edits of appointments made outside the services (a customer's
cancel under the rules, an admin in the console). `fire` plays the update
trigger: every stored change of an appointment is fed back to
appointment_changed, as Firestore would, until nothing changes any more."""

from __future__ import annotations

from datetime import date

from booking.services.appointment_changes import appointment_changed
from booking.services.cancel import cancel
from booking.store import paths
from fake_store import PROVIDER_ID, FakeStore, from_scratch, seeded, submit, utc

MON = date(2026, 1, 12)
LATER = utc(2026, 1, 6, 12)
MAX_EVENTS = 12


class TriggerLoop(AssertionError):
    pass


def fire(store: FakeStore, *, now=LATER) -> list[str]:
    """Deliver every pending appointment update event; returns the actions taken."""
    actions, seen = [], 0
    while seen < len(store.changes):
        change = store.changes[seen]
        seen += 1
        if change.collection != paths.APPOINTMENTS or change.before is None or change.after is None:
            continue
        if change.before == change.after:
            continue  # a no-op write fires no event
        if len(actions) >= MAX_EVENTS:
            raise TriggerLoop(f"still firing after {MAX_EVENTS} events: {actions}")
        actions.append(appointment_changed(store, change.doc_id, change.before, change.after, now=now).action)
    return actions


def booked():
    store = seeded()
    assert submit(store, "req-1", utc(2026, 1, 12, 9)).status == "confirmed"
    store.changes.clear()
    store.counts.clear()
    return store


def block_ids(store):
    return [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks]


def test_a_customers_cancel_under_the_rules_releases_the_block_once():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "cancelled", "cancelReason": "ill"})

    assert fire(store) == ["released", "none"]

    assert block_ids(store) == []
    doc = store.doc(paths.APPOINTMENTS, "req-1")
    assert (doc["cancelledAt"], doc["cancelledBy"]) == (LATER, "cust-grace")
    assert store.ids(paths.MAIL) == ["req-1-cancelled", "req-1-confirmed"]
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_a_redelivered_cancel_event_changes_nothing():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "cancelled"})
    event = store.changes[-1]
    fire(store)
    after = store.snapshot()
    assert appointment_changed(store, "req-1", event.before, event.after, now=LATER).action == "released"
    assert store.snapshot() == after


def test_reviving_a_cancelled_appointment_is_reverted_and_its_slot_stays_free():
    store = booked()
    cancel(store, "req-1", now=LATER, by="cust-grace")
    store.changes.clear()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "confirmed"})  # an admin in the console

    actions = fire(store)

    assert actions[0] == "reverted"
    assert store.doc(paths.APPOINTMENTS, "req-1")["status"] == "cancelled"
    assert block_ids(store) == []
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_moving_a_completed_appointment_back_to_confirmed_is_reverted():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "completed"})
    fire(store)
    store.changes.clear()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "confirmed"})

    assert fire(store)[0] == "reverted"
    assert store.doc(paths.APPOINTMENTS, "req-1")["status"] == "completed"


def test_a_reverted_change_adds_nothing_to_the_history():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "completed"})
    fire(store)
    history = store.doc(paths.APPOINTMENTS, "req-1")["history"]
    store.changes.clear()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "confirmed"})
    fire(store)
    assert store.doc(paths.APPOINTMENTS, "req-1")["history"] == history


def test_a_status_typo_in_the_console_does_not_start_a_trigger_loop():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "bogus"})
    fire(store)
    assert store.doc(paths.APPOINTMENTS, "req-1")["status"] == "confirmed"


def test_completing_an_appointment_appends_to_its_history_and_keeps_the_block():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "completed"})
    assert fire(store) == ["recorded", "none"]
    doc = store.doc(paths.APPOINTMENTS, "req-1")
    assert doc["history"][-1] == {"at": LATER, "status": "completed", "by": "admin"}
    assert doc["updatedAt"] == LATER
    assert block_ids(store) == ["req-1"]


def test_an_edit_of_the_booked_time_is_reverted_and_the_ledger_keeps_the_original_block():
    store = booked()
    sheets = store.snapshot()["slots"]
    original = store.doc(paths.APPOINTMENTS, "req-1")
    store.patch(paths.APPOINTMENTS, "req-1", {"start": utc(2026, 1, 12, 9, 5), "providerId": "dr-other"})
    store.counts.clear()

    assert fire(store) == ["reverted", "none"]

    doc = store.doc(paths.APPOINTMENTS, "req-1")
    assert (doc["start"], doc["providerId"]) == (original["start"], original["providerId"])
    assert doc["revertedAt"] == LATER
    assert store.snapshot()["slots"] == sheets


def test_an_edit_of_other_fields_does_nothing():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"notes": "bring the x-rays"})
    assert fire(store) == ["none"]


def test_a_created_or_deleted_appointment_is_not_an_update():
    store = booked()
    assert appointment_changed(store, "req-1", None, {"status": "confirmed"}, now=LATER).action == "none"
    assert appointment_changed(store, "req-1", {"status": "confirmed"}, None, now=LATER).action == "none"


def test_after_a_reverted_edit_of_the_start_a_cancel_still_releases_the_original_block():
    store = booked()
    store.patch(paths.APPOINTMENTS, "req-1", {"start": utc(2026, 1, 13, 9), "end": utc(2026, 1, 13, 9, 30)})
    fire(store)
    cancel(store, "req-1", now=LATER, by="cust-grace")
    assert block_ids(store) == []


def test_a_status_change_the_api_recorded_with_its_author_gets_no_second_history_entry():
    store = booked()
    history = store.doc(paths.APPOINTMENTS, "req-1")["history"]
    entry = {"at": LATER, "status": "no_show", "by": "staff-uid"}
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "no_show", "history": [*history, entry]})

    assert fire(store) == ["none"]

    assert store.doc(paths.APPOINTMENTS, "req-1")["history"][-1] == entry
    assert len(store.doc(paths.APPOINTMENTS, "req-1")["history"]) == len(history) + 1


def test_an_appointment_deleted_before_its_update_event_is_handled_is_left_alone():
    store = booked()
    before = store.doc(paths.APPOINTMENTS, "req-1")
    after = {**before, "status": "completed"}
    store.delete(paths.APPOINTMENTS, "req-1")

    assert appointment_changed(store, "req-1", before, after, now=LATER).action == "none"
    assert store.doc(paths.APPOINTMENTS, "req-1") is None
