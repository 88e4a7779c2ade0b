"""The one id alphabet (booking.domain.ids) and who applies it: the models,
and parse_request for a booking request's own id and the ids it names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from booking.domain.ids import SAFE_ID_PATTERN, is_document_id, is_safe_id
from booking.domain.models import AppointmentType, Customer, Provider
from booking.domain.booking_requests import InvalidRequest, parse_request
from pydantic import ValidationError

RULE = "1 to 128 characters, each a letter A-Z or a-z, a digit, '_' or '-' (not __like_this__)"
START = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)

SAFE = ["a", "Z", "0", "_", "-", "dr-ada_2", "x" * 128, "kX3v9QpL2mN8rT5wY1zA7bC4dE6f"]  # last: an Auth uid
UNSAFE = ["", " ", "trail ", " lead", "x" * 129, "x" * 1400, "a.b", ".", "..", "a/b", "é", "a\n", "a b",
          "__reserved__", "__x__"]


def request(**changes):
    data = {"customerId": "cust-1", "providerId": "dr-ada", "appointmentTypeId": "consult",
            "start": START, "status": "pending", "createdAt": START}
    data.update(changes)
    return data


def test_the_pattern_is_the_one_firestore_rules_use():
    rules = open(__file__.rsplit("/tests/", 1)[0] + "/firestore.rules").read()
    assert f"id.matches('{SAFE_ID_PATTERN}')" in rules


@pytest.mark.parametrize("value", SAFE)
def test_letters_digits_underscore_and_hyphen_up_to_128_are_safe(value):
    assert is_safe_id(value)


@pytest.mark.parametrize("value", UNSAFE)
def test_anything_else_is_not_a_safe_id(value):
    assert not is_safe_id(value)


@pytest.mark.parametrize("value", [None, 42, ["a"], b"abc"])
def test_a_non_string_is_not_a_safe_id(value):
    assert not is_safe_id(value)


def test_document_ids_stay_looser_for_reads_of_console_documents():
    assert is_document_id("Dr Smith") and is_document_id("x" * 1500)
    assert not is_document_id("x" * 1501) and not is_document_id("a/b") and not is_document_id("__x__")


@pytest.mark.parametrize("value", [" ", "trail ", "x" * 129, "a.b"])
@pytest.mark.parametrize(("model", "fields"), [
    (AppointmentType, {"name": "X", "durationMinutes": 30}),
    (Provider, {"name": "X", "timeZone": "UTC"}),
    (Customer, {"name": "X", "email": "x@example.com"}),
])
def test_models_refuse_an_id_outside_the_alphabet_naming_the_field(model, fields, value):
    with pytest.raises(ValidationError) as raised:
        model.model_validate({"id": value, **fields})
    [error] = raised.value.errors()
    assert (error["loc"], error["msg"]) == (("id",), f"Value error, must be {RULE}")


def test_a_provider_refuses_an_offered_type_id_outside_the_alphabet():
    with pytest.raises(ValidationError) as raised:
        Provider.model_validate({"id": "p", "name": "X", "timeZone": "UTC", "typeIds": ["ok", "not ok"]})
    assert [e["loc"] for e in raised.value.errors()] == [("typeIds", 1)]


def test_the_longest_safe_id_is_accepted_by_every_model():
    long_id = "x" * 128
    assert AppointmentType(id=long_id, name="X", duration_minutes=30).id == long_id
    assert Provider(id=long_id, name="X", time_zone="UTC", type_ids=[long_id]).type_ids == [long_id]
    assert Customer(id=long_id, name="X", email="x@example.com").id == long_id


@pytest.mark.parametrize("request_id", ["x" * 129, "x" * 1400, " ", "trail ", "a.b", ""])
def test_a_request_whose_own_id_is_outside_the_alphabet_is_invalid(request_id):
    with pytest.raises(InvalidRequest) as raised:
        parse_request(request_id, request())
    assert str(raised.value) == f"the request id must be {RULE}"


@pytest.mark.parametrize("field", ["customerId", "providerId", "appointmentTypeId"])
@pytest.mark.parametrize("value", [" ", "trail ", "x" * 129, "a.b", "a/b"])
def test_a_request_naming_an_id_outside_the_alphabet_is_invalid_naming_the_field(field, value):
    with pytest.raises(InvalidRequest) as raised:
        parse_request("req-1", request(**{field: value}))
    assert str(raised.value) == f"{field} must be an id of {RULE}"


@pytest.mark.parametrize("value", [" ", "trail ", "x" * 129])
def test_a_reschedule_of_an_id_outside_the_alphabet_is_invalid(value):
    with pytest.raises(InvalidRequest) as raised:
        parse_request("req-1", request(rescheduleOf=value))
    assert str(raised.value) == f"rescheduleOf must be an appointment id of {RULE}"


def test_a_request_of_longest_safe_ids_parses():
    long_id = "x" * 128
    parsed = parse_request(long_id, request(customerId=long_id, providerId=long_id, appointmentTypeId=long_id,
                                            rescheduleOf=long_id))
    assert (parsed.id, parsed.customer_id, parsed.provider_id, parsed.appointment_type_id,
            parsed.reschedule_of) == (long_id,) * 5
