"""A group session (capacity > 1) coalesces from a booking's first round:
hundreds may book its seats within a second, all writing one day sheet, so
only the earliest pending request writes it, with the others' seats in the
same commit (Berlin provider, 09:00-17:00 local, a 30-minute class)."""

from __future__ import annotations

from booking.services.recompute import recompute_provider
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, consult, from_scratch, request_doc, rounds_only, seeded, submit, utc

CLASS = utc(2026, 1, 12, 9)  # 10:00 in Berlin


def with_class(capacity: int):
    store = seeded(types=[consult(capacity=capacity)])
    recompute_provider(store, PROVIDER_ID, now=NOW)
    return store


def pending(store, request_id, customer):
    """A request written by a client whose trigger has not run yet."""
    store.add_request(request_id, request_doc(CLASS, customer=customer))


def test_the_earliest_request_for_a_class_confirms_the_other_pending_seats_in_its_first_commit():
    store = with_class(capacity=5)
    for n in range(3):
        pending(store, f"b-seat-{n}", "cust-alan")
    store.counts.clear()

    outcome = submit(store, "a-first", CLASS)

    assert (outcome.status, outcome.rounds, outcome.batched) == ("confirmed", 1, 3)
    assert store.counts["commits"] == 1
    assert {store.doc(paths.BOOKING_REQUESTS, f"b-seat-{n}")["status"] for n in range(3)} == {"confirmed"}
    monday = CLASS.date()
    assert store.stored_sheet(PROVIDER_ID, monday) == from_scratch(store, PROVIDER_ID, monday)
    assert CLASS in store.stored_sheet(PROVIDER_ID, monday).available["consult"]  # one seat still free


def test_a_later_request_for_a_class_steps_back_from_its_first_round_then_coalesces_if_the_leader_never_comes():
    store = with_class(capacity=5)
    pending(store, "a-early", "cust-alan")  # the burst's leader, whose instance never comes

    outcome = submit(store, "b-mine", CLASS, backoff=rounds_only(12))

    # rounds 1-7 step back for "a-early"; round 8 books both
    assert (outcome.status, outcome.rounds, outcome.batched) == ("confirmed", 8, 1)
    assert store.doc(paths.BOOKING_REQUESTS, "a-early")["status"] == "confirmed"


def test_a_request_for_a_full_class_is_refused_slot_taken_at_once_without_stepping_back():
    store = with_class(capacity=2)
    submit(store, "a-one", CLASS)
    submit(store, "a-two", CLASS, customer="cust-alan")
    pending(store, "a-early", "cust-alan")  # an earlier pending request that would lead

    # one round only: a request that stepped back would be left pending
    outcome = submit(store, "b-late", CLASS, backoff=rounds_only(1))

    assert (outcome.status, outcome.reason.value) == ("rejected", "slot_taken")


def test_a_lone_request_for_a_class_costs_two_reads_more_than_a_one_seat_booking_the_leader_check_and_companions():
    reads = {}
    for capacity in (1, 5):
        store = with_class(capacity=capacity)
        store.counts.clear()
        outcome = submit(store, "a-only", CLASS)
        assert (outcome.status, outcome.rounds, outcome.batched) == ("confirmed", 1, 0)
        reads[capacity] = store.counts["reads"]

    assert reads[5] - reads[1] == 2
