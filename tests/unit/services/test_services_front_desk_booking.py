"""Booking on a customer's behalf: the front desk may book inside the
type's minimum notice (a walk-in now), the history names who booked, and a
customer known only by phone gets no mail."""

from __future__ import annotations

from booking.domain.booking_requests import BookingRequest, Reason
from booking.domain.models import Customer
from booking.services.booking import book
from booking.store import paths
from fake_store import CUSTOMER_ID, NOW, PROVIDER_ID, TYPE_ID, seeded, utc

SOON = utc(2026, 1, 5, 8, 30)  # 09:30 in Berlin, 30 minutes after NOW: inside the 60 minutes' notice


def request(customer_id: str = CUSTOMER_ID, start=SOON, booked_by: str | None = None) -> BookingRequest:
    return BookingRequest(id="desk-1", customer_id=customer_id, provider_id=PROVIDER_ID,
                          appointment_type_id=TYPE_ID, start=start, created_at=NOW, booked_by=booked_by)


def test_the_customer_s_own_booking_keeps_the_minimum_notice():
    outcome = book(seeded(), request(), now=NOW, create_request=True)
    assert (outcome.status, outcome.reason) == ("rejected", Reason.TOO_SOON)


def test_the_front_desk_books_inside_the_notice_and_the_history_names_who_booked():
    store = seeded()
    outcome = book(store, request(booked_by="desk-uid"), now=NOW, create_request=True, enforce_notice=False)
    assert outcome.status == "confirmed"
    stored = store.stored_appointments()["desk-1"]
    assert (stored.start, stored.customer_id) == (SOON, CUSTOMER_ID)
    assert [(h["status"], h["by"]) for h in stored.history] == [("confirmed", "desk-uid")]


def test_without_notice_a_start_already_past_is_still_refused():
    outcome = book(seeded(), request(start=utc(2026, 1, 5, 7, 30)), now=NOW, create_request=True,
                   enforce_notice=False)
    assert (outcome.status, outcome.reason) == ("rejected", Reason.TOO_SOON)


def test_a_walk_in_known_only_by_phone_is_booked_without_a_mail():
    store = seeded()
    store.add_customer(Customer(id="walkin-1", name="Ann Lee", phone="+442079460958"))
    outcome = book(store, request(customer_id="walkin-1", booked_by="desk-uid"), now=NOW, create_request=True,
                   enforce_notice=False)
    assert outcome.status == "confirmed"
    assert store.ids(paths.MAIL) == []
