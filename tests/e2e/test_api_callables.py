"""The callables: search_slots, book_appointment, cancel_appointment."""

from __future__ import annotations

from support.api import call, callable_, iso
from support.world import at


def error_of(resp):
    assert resp.status_code >= 400, resp.text
    return resp.json()["error"]


def test_search_slots_answers_what_the_rest_api_answers(world):
    params = {"appointmentTypeId": "consult", "providerId": "dr-ada", "from": world.day.isoformat(),
              "to": world.day.isoformat(), "timeZone": "Europe/Paris"}

    resp = callable_("search_slots", params)

    assert resp.status_code == 200, resp.text
    assert resp.json()["result"] == call("GET", "/available-slots", params=params).json()


def test_search_slots_bad_input_is_invalid_argument(world):
    error = error_of(callable_("search_slots", {"appointmentTypeId": "consult", "timeZone": "Nowhere/Land"}))
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["details"]["code"] == "validation_failed"
    assert error_of(callable_("search_slots", {"nope": 1}))["status"] == "INVALID_ARGUMENT"
    assert error_of(callable_("search_slots", "consult"))["status"] == "INVALID_ARGUMENT"
    assert error_of(callable_("search_slots", {"appointmentTypeId": "nope"}))["status"] == "NOT_FOUND"


def test_book_and_cancel_for_the_signed_in_customer(world, db):
    data = {"providerId": "dr-ada", "appointmentTypeId": "consult", "start": iso(at(world.day, 10))}

    booked = callable_("book_appointment", data, world.customer.token)

    assert booked.status_code == 200, booked.text
    appointment = booked.json()["result"]
    assert appointment["customerId"] == world.customer.uid
    assert appointment["status"] == "confirmed" and appointment["start"] == iso(at(world.day, 10))
    assert call("GET", f"/appointments/{appointment['id']}", world.customer.token).json() == appointment

    taken = error_of(callable_("book_appointment", data, world.other.token))
    assert taken["status"] == "ALREADY_EXISTS"
    assert taken["details"]["code"] == "slot_taken"
    off_grid = error_of(callable_("book_appointment", {**data, "start": iso(at(world.day, 11, 10))},
                                  world.other.token))
    assert (off_grid["status"], off_grid["details"]["code"]) == ("FAILED_PRECONDITION", "not_on_slot")

    # another customer's appointment is answered like one that does not exist
    refused = error_of(callable_("cancel_appointment", {"appointmentId": appointment["id"]}, world.other.token))
    assert refused["status"] == "NOT_FOUND"
    cancelled = callable_("cancel_appointment", {"appointmentId": appointment["id"], "cancelReason": "ill"},
                          world.customer.token)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["result"]["status"] == "cancelled"
    assert cancelled.json()["result"]["cancelReason"] == "ill"


def test_booking_callables_need_auth_and_good_data(world):
    data = {"providerId": "dr-ada", "appointmentTypeId": "consult", "start": iso(at(world.day, 10))}

    assert error_of(callable_("book_appointment", data))["status"] == "UNAUTHENTICATED"
    assert error_of(callable_("cancel_appointment", {"appointmentId": "x"}))["status"] == "UNAUTHENTICATED"
    bad = error_of(callable_("book_appointment", {**data, "start": "2030-01-01T10:00:00"}, world.customer.token))
    assert bad["status"] == "INVALID_ARGUMENT"
    assert bad["details"]["errors"][0]["field"] == "start"
    missing = error_of(callable_("cancel_appointment", {"appointmentId": "nope"}, world.customer.token))
    assert missing["status"] == "NOT_FOUND"
