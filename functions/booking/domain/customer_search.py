"""Prefix search over customers: the normalised keys a customer document
carries, how a typed query picks the key it is matched against, and what
staff are shown of a match.

Firestore cannot match a prefix of arbitrary text, but a range on one
field can: `key >= q` and `key < q + U+F8FF` selects every key starting
with `q`. So each customer document carries `search: {name, email,
phone}`, written by the backend only (the API's own writes and the
customers trigger), and a query is matched against the one key its text
looks like.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from .phones import InvalidPhone, to_e164

__all__ = ["MAX_QUERY", "PREFIX_END", "SearchField", "SearchQuery", "mask_email", "mask_phone",
           "normalise_name", "parse_query", "search_keys"]

MAX_QUERY = 120
# The highest code point Firestore orders before anything a key can hold.
PREFIX_END = "\uf8ff"

_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")
_SPACES = re.compile(r"\s+")


class SearchField(str, Enum):
    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class SearchQuery:
    field: SearchField
    prefix: str


def normalise_name(text: str) -> str:
    """Case- and accent-insensitive: "  José  GARCÍA " -> "jose garcia"
    (NFKD then combining marks dropped, casefolded, spaces collapsed)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.casefold()).strip()


def phone_digits(text: str) -> str:
    """The digits of a number as typed or stored: "+44 20 7946-0958" -> "442079460958"."""
    return "".join(c for c in text if c.isdigit())


def search_keys(name: str | None, email: str | None, phone: str | None) -> dict[str, str]:
    """The `search` map stored on a customer; a key is left out when the
    profile has nothing for it (so the customer never matches on it)."""
    keys: dict[str, str] = {}
    if name and normalise_name(name):
        keys["name"] = normalise_name(name)
    if email and email.strip():
        keys["email"] = email.strip().casefold()
    if phone:
        try:
            # a number typed without its country code in an app: as the backend reads it, if it can
            phone = to_e164(phone)
        except InvalidPhone:
            pass
        if phone_digits(phone):
            keys["phone"] = phone_digits(phone)
    return keys


def parse_query(text: str, field: SearchField | None = None) -> SearchQuery | None:
    """The key a query is matched against: `field` when the caller names
    it; otherwise a phone number when it is digits (with `+`, spaces,
    dashes, dots or brackets, or anything after a `+`: E.164 digits, so
    type the country code), an
    e-mail when it holds "@", else a name. None when nothing is left to match."""
    text = text.strip()
    if field is None:
        compact = _PHONE_PUNCTUATION.sub("", text)
        if compact.startswith("+") or compact.isdigit():
            field = SearchField.PHONE
        elif "@" in text:
            field = SearchField.EMAIL
        else:
            field = SearchField.NAME
    if field is SearchField.PHONE:
        prefix = phone_digits(text)
    elif field is SearchField.EMAIL:
        prefix = text.casefold()
    else:
        prefix = normalise_name(text)
    return SearchQuery(field, prefix) if prefix else None


def mask_email(email: str | None) -> str | None:
    """Enough to tell two customers of one name apart on the phone, not
    enough to write to them: "grace@example.com" -> "g•••@example.com"."""
    if not email or "@" not in email:
        return None
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}•••@{domain}"


def mask_phone(phone: str | None) -> str | None:
    """The last two digits only: "+442079460958" -> "•••58"."""
    digits = phone_digits(phone or "")
    if len(digits) < 4:
        return None
    return f"•••{digits[-2:]}"
