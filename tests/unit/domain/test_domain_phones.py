"""Phone numbers: validated by libphonenumber, stored in E.164, refused with
a message that says how to write them; the backend drops a stored phone it
cannot use rather than give up on the profile."""

from __future__ import annotations

import pytest
from booking.domain.models import Customer, Provider
from booking.domain.phones import InvalidPhone, to_e164
from booking.store import converters as conv
from pydantic import ValidationError

CUSTOMER = {"id": "u1", "name": "Ann", "email": "ann@example.com"}
ADVICE = "write it with its country code, e.g. +44 20 7946 0958"


@pytest.mark.parametrize(("typed", "stored"), [
    ("+44 20 7946 0958", "+442079460958"),           # UK, London
    ("+44 (0)20 7946-0958", "+442079460958"),        # UK, with the trunk 0 in brackets
    ("  +1 (201) 555-0123 ", "+12015550123"),        # US, brackets, dash, spaces around
    ("+1.212.555.0199", "+12125550199"),             # US, dots
    ("+49 30 / 901 820-0", "+49309018200"),          # Germany, Berlin, slash and dash
    ("+49 (0) 170 1234567", "+491701234567"),        # Germany, mobile
    ("0049 30 901820", "+4930901820"),               # 00 as the international prefix
])
def test_numbers_with_a_country_code_are_stored_in_e164(typed, stored):
    assert to_e164(typed) == stored
    assert Customer.model_validate(CUSTOMER | {"phone": typed}).phone == stored


def test_a_number_without_a_country_code_is_refused_saying_why():
    with pytest.raises(InvalidPhone) as info:
        to_e164("020 7946 0958")

    assert str(info.value) == ("'020 7946 0958' has no country code, and a profile does not say which country "
                               f"it is in; {ADVICE}")


@pytest.mark.parametrize("typed", [
    "+1 555 0100",          # too short for the US plan
    "+44 1234 567",         # too short for the UK plan
    "+999 1234 5678",       # no such country code
    "+44 20 7946 0958 ext. 12",  # an extension: no text message reaches it
    "+1 800 FLOWERS",       # letters
    "call me after 5",
    "+",
])
def test_what_is_no_valid_number_is_refused_with_the_advice(typed):
    with pytest.raises(InvalidPhone) as info:
        to_e164(typed)

    assert str(info.value) == f"{typed.strip()!r} is not a valid phone number; {ADVICE}"


def test_the_model_error_names_the_phone_field_and_carries_the_message_as_it_is():
    with pytest.raises(ValidationError) as info:
        Customer.model_validate(CUSTOMER | {"phone": "+1 555 0100"})

    [error] = info.value.errors()
    assert error["loc"] == ("phone",)
    assert error["type"] == "phone_number"
    assert error["msg"] == f"'+1 555 0100' is not a valid phone number; {ADVICE}"


def test_providers_phones_share_the_rule():
    provider = {"id": "p1", "name": "Dr Who", "timeZone": "Europe/London"}

    assert Provider.model_validate(provider | {"phone": "+44 20 7946 0000"}).phone == "+442079460000"
    with pytest.raises(ValidationError):
        Provider.model_validate(provider | {"phone": "020 7946 0000"})


def test_a_stored_phone_the_backend_cannot_use_is_dropped_not_the_profile():
    # a client writes its own profile; the rules only bound the phone's size
    customer = conv.customer_from("u1", {"name": "Ann", "email": "ann@example.com", "phone": "020 7946 0958"})
    provider = conv.provider_from("p1", {"name": "Dr Who", "timeZone": "Europe/London"},
                                  {"email": "who@example.com", "phone": "020 7946 0000"})

    assert (customer.name, customer.phone) == ("Ann", None)
    assert (provider.email, provider.phone) == ("who@example.com", None)


def test_a_stored_phone_is_read_back_in_e164():
    customer = conv.customer_from("u1", {"name": "Ann", "email": "ann@example.com", "phone": "+49 30 901820"})

    assert customer.phone == "+4930901820"
