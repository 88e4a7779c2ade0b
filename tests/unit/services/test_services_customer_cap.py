"""The cap on one customer's upcoming appointments, on every booking path.

Berlin provider open 09:00-17:00 local, 30-minute consultations with
buffers; NOW is Monday 5 January 2026 09:00 Berlin. Booking n takes the
top of a local hour from Monday 12 January on, eight a day, so no two
bookings' buffers touch.
"""

from __future__ import annotations

from datetime import timedelta

from booking.domain.booking_requests import BookingRequest, Reason
from booking.services.booking import book
from booking.services.cancel import cancel
from booking.store import paths
from fake_store import CUSTOMER_ID, NOW, PROVIDER_ID, TYPE_ID, consult, seeded, submit, utc


def slot(n: int):
    return utc(2026, 1, 12 + n // 8, 8 + n % 8)


def book_n(store, n: int, *, prefix: str = "r", customer: str = CUSTOMER_ID, first: int = 0):
    return [submit(store, f"{prefix}-{i}", slot(i), customer=customer) for i in range(first, first + n)]


def test_ten_upcoming_appointments_are_allowed_and_the_eleventh_is_refused_too_many_upcoming():
    store = seeded()
    assert [o.status for o in book_n(store, 10)] == ["confirmed"] * 10

    eleventh = submit(store, "r-10", slot(10))

    assert (eleventh.status, eleventh.reason) == ("rejected", Reason.TOO_MANY_UPCOMING)
    assert eleventh.message == "You already hold 10 upcoming appointments, the most that can be booked at once."
    assert store.doc(paths.BOOKING_REQUESTS, "r-10")["reason"] == "too_many_upcoming"
    assert store.doc(paths.APPOINTMENTS, "r-10") is None


def test_the_cap_is_per_customer():
    store = seeded()
    book_n(store, 10)
    assert submit(store, "alan-0", slot(10), customer="cust-alan").status == "confirmed"


def test_the_business_setting_replaces_the_default():
    store = seeded()
    store.put(paths.SETTINGS, "booking", {"maxUpcomingPerCustomer": 2})
    outcomes = book_n(store, 3)
    assert [(o.status, o.reason) for o in outcomes] == [
        ("confirmed", None), ("confirmed", None), ("rejected", Reason.TOO_MANY_UPCOMING)]


def test_an_unusable_setting_falls_back_to_the_default_of_ten():
    store = seeded()
    store.put(paths.SETTINGS, "booking", {"maxUpcomingPerCustomer": "lots"})
    assert [o.status for o in book_n(store, 11)] == ["confirmed"] * 10 + ["rejected"]


def test_a_type_may_set_a_lower_cap_of_its_own():
    store = seeded(types=[consult(max_upcoming_per_customer=1)])
    first, second = book_n(store, 2)
    assert first.status == "confirmed"
    assert (second.status, second.reason) == ("rejected", Reason.TOO_MANY_UPCOMING)
    assert second.message == ("You already hold 1 upcoming appointments of this kind, "
                              "the most that can be booked at once.")


def test_a_cancelled_appointment_frees_its_place_under_the_cap():
    store = seeded()
    book_n(store, 10)
    cancel(store, "r-3", now=NOW, by=CUSTOMER_ID)

    assert submit(store, "r-10", slot(10)).status == "confirmed"
    assert submit(store, "r-11", slot(11)).reason is Reason.TOO_MANY_UPCOMING


def test_appointments_already_begun_no_longer_count():
    store = seeded()
    book_n(store, 10)
    # Just after the third (11:00 on the 12th) began, three places are free.
    later = slot(2) + timedelta(minutes=1)
    outcomes = [submit(store, f"late-{n}", slot(16 + n), now=later) for n in range(4)]
    assert [o.status for o in outcomes] == ["confirmed"] * 3 + ["rejected"]


def test_a_reschedule_at_the_cap_moves_the_appointment_and_is_not_counted_twice():
    store = seeded()
    book_n(store, 10)
    moved = submit(store, "move", slot(12), rescheduleOf="r-0")
    assert moved.status == "confirmed"
    assert store.doc(paths.APPOINTMENTS, "r-0")["status"] == "cancelled"


def test_an_admin_booking_on_a_customers_behalf_may_exceed_the_cap_and_still_counts():
    store = seeded()
    store.put(paths.SETTINGS, "booking", {"maxUpcomingPerCustomer": 1})
    submit(store, "own", slot(0))
    request = BookingRequest(id="by-admin", customer_id=CUSTOMER_ID, provider_id=PROVIDER_ID,
                             appointment_type_id=TYPE_ID, start=slot(1))

    assert book(store, request, now=NOW, create_request=True, enforce_cap=False).status == "confirmed"
    assert set(store.doc(paths.CUSTOMER_LEDGERS, CUSTOMER_ID)["upcoming"]) == {"own", "by-admin"}


def test_two_bookings_racing_at_the_last_place_under_the_cap_cannot_both_get_in():
    store = seeded()
    store.put(paths.SETTINGS, "booking", {"maxUpcomingPerCustomer": 2})
    submit(store, "first", slot(0))
    outcomes = {}
    # The other booking of the same customer commits between this one's
    # read of the ledger and its commit.
    store.before_commit.append(lambda: outcomes.setdefault("other", submit(store, "other", slot(9))))

    outcomes["late"] = submit(store, "late", slot(2))

    assert outcomes["other"].status == "confirmed"
    assert (outcomes["late"].status, outcomes["late"].reason) == ("rejected", Reason.TOO_MANY_UPCOMING)
    assert set(store.doc(paths.CUSTOMER_LEDGERS, CUSTOMER_ID)["upcoming"]) == {"first", "other"}
