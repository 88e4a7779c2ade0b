"""Phone numbers, validated with Google's libphonenumber (`phonenumbers`) and
stored in E.164 (``+442079460958``): the one form a text-message gateway
(the Twilio extension's ``to``) takes, and one spelling per number.

A number must carry its country code (``+44 …`` or ``0044 …``): profiles
have no country, and a national number such as ``020 7946 0958`` could be
a different line in every country that writes it so.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

__all__ = ["PHONE_EXAMPLE", "PHONE_PATTERN", "InvalidPhone", "to_e164"]

# What may be typed: digits, a leading + and the usual punctuation. Letters
# (vanity numbers) and extensions are out: a text message reaches neither.
# firestore.rules only bounds the size (tests/unit/domain/test_rules_limits_parity.py).
PHONE_PATTERN = r"^\+?[0-9 ()./-]{3,32}$"
PHONE_EXAMPLE = "+44 20 7946 0958"
_ADVICE = f"write it with its country code, e.g. {PHONE_EXAMPLE}"


class InvalidPhone(ValueError):
    """The text is not a phone number we can store; the message says how to write it."""


def to_e164(text: str) -> str:
    """The number in E.164, or InvalidPhone saying why not."""
    raw = text.strip()
    if not re.fullmatch(PHONE_PATTERN, raw):
        raise InvalidPhone(f"{raw!r} is not a valid phone number; {_ADVICE}")
    # 00 is the international prefix almost everywhere (ITU-T E.164 advice)
    international = "+" + raw[2:] if raw.startswith("00") else raw
    if not international.startswith("+"):
        raise InvalidPhone(f"{raw!r} has no country code, and a profile does not say which country "
                           f"it is in; {_ADVICE}")
    try:
        number = phonenumbers.parse(international, None)
    except NumberParseException as error:
        raise InvalidPhone(f"{raw!r} is not a valid phone number; {_ADVICE}") from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"{raw!r} is not a valid phone number; {_ADVICE}")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
