"""The front desk's customer search keys: one normalised key per field, the
key a typed query is matched against, and the masked contacts staff see."""

from __future__ import annotations

import pytest
from booking.domain.customer_search import (
    SearchField,
    SearchQuery,
    mask_email,
    mask_phone,
    normalise_name,
    parse_query,
    search_keys,
)


def test_a_name_is_matched_without_case_accents_or_extra_spaces():
    assert normalise_name("  José   GARCÍA ") == "jose garcia"
    assert normalise_name("Zoë Ångström-Øre") == "zoe angstrom-øre"  # Ø has no decomposition: kept


def test_keys_hold_the_normalised_name_the_lowercased_email_and_the_e164_digits():
    assert search_keys("Grace Hopper", " Grace@Example.com ", "+44 20 7946 0958") == {
        "name": "grace hopper", "email": "grace@example.com", "phone": "442079460958"}


def test_a_walk_in_without_an_email_has_no_email_key():
    assert search_keys("Ann Lee", None, "+442079460958") == {"name": "ann lee", "phone": "442079460958"}


def test_a_phone_stored_without_its_country_code_keeps_its_digits():
    assert search_keys("Ann", "ann@example.com", "020 7946 0958")["phone"] == "02079460958"


@pytest.mark.parametrize(("typed", "expected"), [
    ("+44 20 79", SearchQuery(SearchField.PHONE, "442079")),
    ("(0044) 20-79", SearchQuery(SearchField.PHONE, "004420" "79")),
    ("Grace@EX", SearchQuery(SearchField.EMAIL, "grace@ex")),
    ("  Jose  Garc ", SearchQuery(SearchField.NAME, "jose garc")),
    ("O'Brien", SearchQuery(SearchField.NAME, "o'brien")),
])
def test_a_query_is_matched_against_the_key_it_looks_like(typed, expected):
    assert parse_query(typed) == expected


def test_the_caller_may_name_the_key_and_an_empty_query_matches_nothing():
    assert parse_query("grace", SearchField.EMAIL) == SearchQuery(SearchField.EMAIL, "grace")
    assert parse_query("   ") is None
    assert parse_query("+") is None


def test_staff_see_a_hint_of_the_contacts_not_the_contacts():
    assert mask_email("grace@example.com") == "g•••@example.com"
    assert mask_phone("+442079460958") == "•••58"
    assert (mask_email(None), mask_phone(None), mask_phone("+1")) == (None, None, None)
