"""A contended booking confirms the other pending requests of its
provider-day in its own commit (Berlin provider, 09:00-17:00 local,
30-minute consultations with a 10-minute buffer before, 5 after)."""

from __future__ import annotations

from booking.domain.booking_requests import BookingRequest, Reason
from booking.services.booking import book, process_request
from booking.services.recompute import recompute_provider
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, from_scratch, request_doc, rounds_only, seeded, submit, utc

MON_SHEET = f"{PROVIDER_ID}_2026-01-12"


def with_sheets(**kwargs):
    store = seeded(**kwargs)
    recompute_provider(store, PROVIDER_ID, now=NOW)
    return store


def pending(store, request_id, hour, **extra):
    """A request written by a client whose trigger has not run yet."""
    store.add_request(request_id, request_doc(utc(2026, 1, 12, hour), **extra))


def contended_submit(store, request_id, hour, **extra):
    """`request_id`'s first round loses its sheet to another writer."""
    store.before_commit.append(lambda: store.touch(paths.SLOTS, MON_SHEET))
    return submit(store, request_id, utc(2026, 1, 12, hour), backoff=rounds_only(12), **extra)


def test_a_booking_that_lost_a_round_confirms_the_other_pending_requests_of_its_day_in_one_commit():
    store = with_sheets()
    for hour in (10, 11, 12):
        pending(store, f"other-{hour}", hour, customer="cust-alan")
    store.counts.clear()

    outcome = contended_submit(store, "mine", 9)

    assert (outcome.status, outcome.rounds, outcome.batched) == ("confirmed", 2, 3)
    assert store.counts["commits"] == 1
    for request_id in ("mine", "other-10", "other-11", "other-12"):
        assert store.doc(paths.BOOKING_REQUESTS, request_id)["status"] == "confirmed"
        assert store.doc(paths.APPOINTMENTS, request_id)["status"] == "confirmed"
        assert f"{request_id}-confirmed" in store.ids(paths.MAIL)
    assert set(store.doc(paths.CUSTOMER_LEDGERS, "cust-alan")["upcoming"]) == {"other-10", "other-11", "other-12"}
    monday = utc(2026, 1, 12).date()
    assert store.stored_sheet(PROVIDER_ID, monday) == from_scratch(store, PROVIDER_ID, monday)


def test_a_companion_whose_own_trigger_runs_later_finds_it_done():
    store = with_sheets()
    pending(store, "other", 11, customer="cust-alan")
    contended_submit(store, "mine", 9)

    data = store.doc(paths.BOOKING_REQUESTS, "other")
    replay = process_request(store, "other", data, version=store.version(paths.BOOKING_REQUESTS, "other"), now=NOW)

    assert (replay.status, replay.replayed) == ("confirmed", True)


def test_companions_that_do_not_fit_are_left_for_their_own_trigger_to_answer_precisely():
    store = with_sheets()
    store.put(paths.SETTINGS, "booking", {"maxUpcomingPerCustomer": 1})
    pending(store, "clash", 9, customer="cust-alan")  # the same start as mine
    pending(store, "move", 13, rescheduleOf="whatever")  # a reschedule
    pending(store, "first-of-alan", 14, customer="cust-alan")
    pending(store, "second-of-alan", 15, customer="cust-alan")  # over alan's cap of one

    outcome = contended_submit(store, "mine", 9)

    assert outcome.batched == 1
    statuses = {i: store.doc(paths.BOOKING_REQUESTS, i)["status"]
                for i in ("clash", "move", "first-of-alan", "second-of-alan")}
    assert statuses == {"clash": "pending", "move": "pending", "first-of-alan": "confirmed",
                        "second-of-alan": "pending"}
    clash = process_request(store, "clash", store.doc(paths.BOOKING_REQUESTS, "clash"),
                            version=store.version(paths.BOOKING_REQUESTS, "clash"), now=NOW)
    assert clash.reason is Reason.SLOT_TAKEN


def test_an_uncontended_booking_reads_no_other_requests_and_leaves_them_to_their_own_triggers():
    store = with_sheets()
    pending(store, "other", 11, customer="cust-alan")
    store.counts.clear()

    outcome = submit(store, "mine", utc(2026, 1, 12, 9))

    assert (outcome.rounds, outcome.batched) == (1, 0)
    # customer, provider, type, day sheet, ledger, cap setting: no query for companions
    assert store.counts["reads"] == 6
    assert store.doc(paths.BOOKING_REQUESTS, "other")["status"] == "pending"


def test_a_contended_booking_steps_back_while_an_earlier_pending_request_leads_then_coalesces_itself():
    store = with_sheets()
    pending(store, "early", 9, customer="cust-alan")  # the burst's leader, whose instance never comes
    pending(store, "late", 12, customer="cust-alan")

    outcome = contended_submit(store, "mine", 10)

    # rounds 2-7 step back for "early"; round 8 books "mine" with both others
    assert (outcome.status, outcome.rounds, outcome.batched) == ("confirmed", 8, 2)
    assert store.doc(paths.BOOKING_REQUESTS, "early")["status"] == "confirmed"


def test_a_rest_booking_never_steps_back_for_a_leader_that_cannot_book_it():
    store = with_sheets()
    pending(store, "early", 9, customer="cust-alan")  # the day's earliest pending request
    store.before_commit.append(lambda: store.touch(paths.SLOTS, MON_SHEET))
    request = BookingRequest(id="rest-1", customer_id="cust-grace", provider_id=PROVIDER_ID,
                             appointment_type_id="consult", start=utc(2026, 1, 12, 10))

    outcome = book(store, request, now=NOW, create_request=True, backoff=rounds_only(12))

    assert (outcome.status, outcome.rounds, outcome.batched) == ("confirmed", 2, 1)
