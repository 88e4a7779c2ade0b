"""Ids outside the alphabet (booking.domain.ids: 1..128 of A-Z a-z 0-9 _ -)
get a 422 naming the field, in bodies, paths, queries and callables, before
anything is written; the longest allowed id works end to end."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from support.api import CONSULT, call, callable_, iso, problem
from support.world import at

RULE = "Value error, must be 1 to 128 characters, each a letter A-Z or a-z, a digit, '_' or '-' (not __like_this__)"
PATTERN = "String should match pattern '^[A-Za-z0-9_-]{1,128}$'"
BAD_IDS = [" ", "trail ", "x" * 129, "a.b", "dr ada"]
TYPE_BODY = {k: v for k, v in CONSULT.items() if k != "id"}


def errors_of(resp, status: int = 422) -> list[dict[str, str]]:
    return problem(resp, status, "validation_failed")["errors"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_creating_a_type_with_an_id_outside_the_alphabet_is_422_naming_body_id(world, db, bad):
    resp = call("POST", "/appointment-types", world.admin.token, json={**TYPE_BODY, "id": bad})

    assert errors_of(resp) == [{"field": "body.id", "message": RULE}]
    assert [d.id for d in db.collection("appointmentTypes").stream()] == ["consult"]


def test_a_type_with_the_longest_allowed_id_is_created_read_and_offered(world):
    long_id = "Az09_-" * 21 + "ab"
    created = call("POST", "/appointment-types", world.admin.token, json={**TYPE_BODY, "id": long_id})

    assert created.status_code == 201, created.text
    assert (created.json()["id"], created.json()["name"]) == (long_id, "Consultation")
    assert call("GET", f"/appointment-types/{long_id}").json() == created.json()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_creating_a_provider_or_customer_with_an_id_outside_the_alphabet_is_422(world, bad):
    provider = call("POST", "/providers", world.admin.token, json={"id": bad, "name": "Dr. X", "timeZone": "UTC"})
    customer = call("POST", "/customers", world.admin.token,
                    json={"id": bad, "name": "X", "email": "x@example.com"})

    assert errors_of(provider) == [{"field": "body.id", "message": RULE}]
    assert errors_of(customer) == [{"field": "body.id", "message": RULE}]


def test_a_provider_offering_a_type_id_outside_the_alphabet_is_422_naming_the_entry(world):
    resp = call("POST", "/providers", world.admin.token,
                json={"id": "dr-x", "name": "Dr. X", "timeZone": "UTC", "typeIds": ["consult", " "]})

    assert errors_of(resp) == [{"field": "body.typeIds.1", "message": RULE}]


@pytest.mark.parametrize(("method", "path", "field", "body"), [
    ("GET", "/appointment-types/{}", "path.type_id", None),
    ("PUT", "/appointment-types/{}", "path.type_id", TYPE_BODY),
    ("DELETE", "/appointment-types/{}", "path.type_id", None),
    ("GET", "/providers/{}", "path.provider_id", None),
    ("PUT", "/providers/{}", "path.provider_id", {"name": "X", "timeZone": "UTC"}),
    ("PUT", "/providers/{}/availability", "path.provider_id", {"weekly": {}}),
    ("GET", "/customers/{}", "path.customer_id", None),
    ("DELETE", "/customers/{}", "path.customer_id", None),
    ("GET", "/appointments/{}", "path.appointment_id", None),
    ("DELETE", "/appointments/{}", "path.appointment_id", None),
])
@pytest.mark.parametrize("bad", [" ", "trail ", "x" * 129])
def test_a_path_id_outside_the_alphabet_is_422_naming_the_parameter(world, method, path, field, body, bad):
    resp = call(method, path.format(quote(bad)), world.admin.token, json=body)

    errors = errors_of(resp)
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["message"] == PATTERN


@pytest.mark.parametrize(("field", "bad"), [("providerId", " "), ("appointmentTypeId", "x" * 129),
                                            ("customerId", "trail ")])
def test_booking_through_the_api_with_an_id_outside_the_alphabet_is_422(world, db, field, bad):
    body = {"providerId": "dr-ada", "appointmentTypeId": "consult", "start": iso(at(world.day, 10)), field: bad}
    resp = call("POST", "/appointments", world.admin.token, json=body)

    assert errors_of(resp) == [{"field": f"body.{field}", "message": RULE}]
    assert list(db.collection("appointments").stream()) == []


@pytest.mark.parametrize("param", ["appointmentTypeId", "providerId"])
def test_a_slot_search_for_an_id_outside_the_alphabet_is_422(world, param):
    query = {"appointmentTypeId": "consult", param: "dr/ada"}
    resp = call("GET", "/available-slots", params=query)

    assert errors_of(resp) == [{"field": f"query.{param}", "message": PATTERN}]


def error_of(resp) -> dict:
    assert resp.status_code == 400, resp.text
    return resp.json()["error"]


@pytest.mark.parametrize(("name", "data", "field"), [
    ("search_slots", {"appointmentTypeId": " "}, "appointmentTypeId"),
    ("search_slots", {"appointmentTypeId": "consult", "providerId": "x" * 129}, "providerId"),
    ("cancel_appointment", {"appointmentId": "trail "}, "appointmentId"),
    ("book_appointment", {"providerId": " ", "appointmentTypeId": "consult", "start": "2030-01-07T10:00:00Z"},
     "providerId"),
])
def test_callables_refuse_an_id_outside_the_alphabet_as_invalid_argument(world, name, data, field):
    error = error_of(callable_(name, data, world.customer.token))

    assert (error["status"], error["details"]["code"]) == ("INVALID_ARGUMENT", "validation_failed")
    assert error["details"]["errors"] == [{"field": field, "message": RULE}]
