"""At-least-once delivery and optimistic concurrency: replays change nothing,
conflicts are retried, and a race for one slot has exactly one winner."""

from __future__ import annotations

from datetime import date

from booking.domain.booking_requests import Reason
from booking.services.booking import process_request
from booking.services.cancel import cancel
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, FakeStore, from_scratch, request_doc, rounds_only, seeded, submit, utc

MON = date(2026, 1, 12)
TEN_BERLIN = utc(2026, 1, 12, 9)


def deliver(store: FakeStore, request_id: str, data: dict, version, now=NOW):
    return process_request(store, request_id, data, version=version, now=now)


def test_a_redelivered_created_event_is_replayed_and_changes_nothing():
    store = seeded()
    version = store.add_request("req-1", request_doc(TEN_BERLIN))
    data = store.doc(paths.BOOKING_REQUESTS, "req-1")
    first = deliver(store, "req-1", data, version)
    after_first = store.snapshot()
    store.counts.clear()

    second = deliver(store, "req-1", data, version)

    assert (first.status, first.replayed) == ("confirmed", False)
    assert (second.status, second.replayed) == ("confirmed", True)
    assert second.appointment == first.appointment
    assert store.snapshot() == after_first
    assert store.counts["writes"] == 0


def test_a_redelivered_rejection_is_replayed_and_changes_nothing():
    store = seeded()
    version = store.add_request("req-1", request_doc(utc(2026, 1, 12, 18)))
    data = store.doc(paths.BOOKING_REQUESTS, "req-1")
    first = deliver(store, "req-1", data, version)
    after_first = store.snapshot()

    second = deliver(store, "req-1", data, version)

    assert (first.status, first.reason) == ("rejected", Reason.OUTSIDE_AVAILABILITY)
    assert (second.status, second.reason, second.replayed) == ("rejected", Reason.OUTSIDE_AVAILABILITY, True)
    assert second.message == first.message
    assert store.snapshot() == after_first


def test_a_redelivered_invalid_request_changes_nothing():
    store = seeded()
    version = store.add_request("req-1", request_doc(TEN_BERLIN, notes=5))
    data = store.doc(paths.BOOKING_REQUESTS, "req-1")
    deliver(store, "req-1", data, version)
    after_first = store.snapshot()
    assert deliver(store, "req-1", data, version).reason is Reason.INVALID_REQUEST
    assert store.snapshot() == after_first


def test_a_late_redelivery_after_a_cancel_does_not_revive_the_booking():
    store = seeded()
    version = store.add_request("req-1", request_doc(TEN_BERLIN))
    data = store.doc(paths.BOOKING_REQUESTS, "req-1")
    deliver(store, "req-1", data, version)
    cancel(store, "req-1", now=NOW, by="cust-grace")
    after_cancel = store.snapshot()

    outcome = deliver(store, "req-1", data, version)

    assert (outcome.status, outcome.replayed) == ("confirmed", True)
    assert store.snapshot() == after_cancel
    assert store.doc(paths.APPOINTMENTS, "req-1")["status"] == "cancelled"
    assert store.stored_sheet(PROVIDER_ID, MON).blocks == ()


def test_a_sheet_changed_between_read_and_commit_makes_the_booking_retry_and_succeed():
    store = seeded()
    submit(store, "req-0", utc(2026, 1, 12, 13))  # the sheet exists
    store.before_commit.append(lambda: store.touch(paths.SLOTS, "dr-ada_2026-01-12"))
    store.counts.clear()

    outcome = submit(store, "req-1", TEN_BERLIN)

    assert (outcome.status, outcome.rounds) == ("confirmed", 2)
    assert store.counts["conflicts"] == 1
    assert store.counts["commits"] == 1
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["req-1", "req-0"]
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_a_missing_sheet_created_meanwhile_by_another_writer_makes_the_booking_retry():
    store = seeded()
    # between our read (no sheet) and our commit (create), someone books 14:00
    store.before_commit.append(lambda: submit(store, "req-0", utc(2026, 1, 12, 13)))

    outcome = submit(store, "req-1", TEN_BERLIN)

    assert (outcome.status, outcome.rounds) == ("confirmed", 2)
    assert {b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks} == {"req-0", "req-1"}
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_a_booking_that_lost_the_slot_to_a_concurrent_writer_is_rejected_slot_taken_on_retry():
    store = seeded()
    submit(store, "req-0", utc(2026, 1, 12, 13))
    store.before_commit.append(lambda: submit(store, "other", TEN_BERLIN, customer="cust-alan"))

    outcome = submit(store, "req-1", TEN_BERLIN)

    assert (outcome.status, outcome.reason) == ("rejected", Reason.SLOT_TAKEN)
    assert store.doc(paths.APPOINTMENTS, "other")["status"] == "confirmed"
    assert store.doc(paths.APPOINTMENTS, "req-1") is None
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_two_concurrent_deliveries_of_one_request_book_it_once():
    store = seeded()
    version = store.add_request("req-1", request_doc(TEN_BERLIN))
    data = store.doc(paths.BOOKING_REQUESTS, "req-1")
    inner = []
    store.before_commit.append(lambda: inner.append(deliver(store, "req-1", data, version)))

    outer = deliver(store, "req-1", data, version)

    assert (inner[0].status, inner[0].replayed) == ("confirmed", False)
    assert (outer.status, outer.replayed) == ("confirmed", True)
    assert store.ids(paths.APPOINTMENTS) == ["req-1"]
    assert store.ids(paths.MAIL) == ["req-1-confirmed"]
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["req-1"]


def test_a_race_of_eight_requests_for_one_slot_confirms_exactly_one():
    """All eight read the same (missing) sheet before any commits: each one's
    commit first lets the next request run to its commit, so the last to read
    commits first and every other one conflicts, re-reads and loses."""
    customers = tuple(f"cust-{i}" for i in range(8))
    store = seeded(customers=customers)
    for i in range(8):
        store.add_request(f"race-{i}", request_doc(TEN_BERLIN, customer=customers[i]))
    outcomes: dict[str, object] = {}

    def run(i: int) -> None:
        rid = f"race-{i}"
        outcomes[rid] = process_request(store, rid, store.doc(paths.BOOKING_REQUESTS, rid),
                                        version=store.version(paths.BOOKING_REQUESTS, rid), now=NOW,
                                        backoff=rounds_only(50))

    for i in range(1, 8):
        store.before_commit.append(lambda i=i: run(i))
    run(0)

    statuses = {rid: (o.status, o.reason) for rid, o in outcomes.items()}
    assert statuses == {
        "race-7": ("confirmed", None),
        **{f"race-{i}": ("rejected", Reason.SLOT_TAKEN) for i in range(7)},
    }
    assert store.ids(paths.APPOINTMENTS) == ["race-7"]
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, MON).blocks] == ["race-7"]
    assert store.counts["conflicts"] == 7
    assert max(o.rounds for o in outcomes.values()) <= 2
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_a_race_for_different_slots_of_one_day_confirms_all():
    customers = tuple(f"cust-{i}" for i in range(5))
    store = seeded(customers=customers)
    starts = [utc(2026, 1, 12, 8 + i) for i in range(5)]  # 09:00 .. 13:00 local, hourly
    for i in range(5):
        store.add_request(f"r-{i}", request_doc(starts[i], customer=customers[i]))
    outcomes = {}

    def run(i: int) -> None:
        rid = f"r-{i}"
        outcomes[rid] = process_request(store, rid, store.doc(paths.BOOKING_REQUESTS, rid),
                                        version=store.version(paths.BOOKING_REQUESTS, rid), now=NOW,
                                        backoff=rounds_only(50))

    for i in range(1, 5):
        store.before_commit.append(lambda i=i: run(i))
    run(0)

    assert {rid: o.status for rid, o in outcomes.items()} == {f"r-{i}": "confirmed" for i in range(5)}
    assert len(store.stored_sheet(PROVIDER_ID, MON).blocks) == 5
    assert store.stored_sheet(PROVIDER_ID, MON) == from_scratch(store, PROVIDER_ID, MON)


def test_a_booking_that_keeps_conflicting_until_its_time_budget_is_spent_stays_pending_for_the_redrive():
    store = seeded()
    submit(store, "req-0", utc(2026, 1, 12, 13))
    for _ in range(10):
        store.before_commit.append(lambda: store.touch(paths.SLOTS, "dr-ada_2026-01-12"))
    outcome = submit(store, "req-1", TEN_BERLIN, backoff=rounds_only(10))
    assert (outcome.status, outcome.rounds) == ("pending", 10)
    assert store.doc(paths.BOOKING_REQUESTS, "req-1")["status"] == "pending"
    assert store.doc(paths.APPOINTMENTS, "req-1") is None

