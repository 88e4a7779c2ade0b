"""The size limits in firestore.rules are the backend's own constants.

The rules repeat, for client writes, limits the backend's models and
contract enforce. Where the rules allow more than the backend accepts, a
client saves a document that every booking then fails on; where they
allow less, a client cannot save what the backend would take. Each number
is read out of the rules' source and compared with the Python constant.
"""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from pathlib import Path

import pytest
from pydantic.alias_generators import to_camel
from booking.domain.customer_cap import DEFAULT_MAX_UPCOMING, MAX_UPCOMING_LIMIT
from booking.domain.ids import ID_MAX
from booking.domain.waitlist import MAX_WINDOW_DAYS
from booking.domain.models import (
    MAX_BIO,
    MAX_EMAIL,
    MAX_INTERVALS_PER_DAY,
    MAX_NAME,
    MAX_OVERRIDES,
    MAX_PHOTO_URL,
    MAX_REMINDER_MINUTES,
    MAX_REMINDERS,
    PHONE_PATTERN,
)
from booking.domain.appointments import MAX_CANCEL_REASON
from booking.domain.booking_requests import MAX_NOTES
from booking.domain.recurrence import MAX_COUNT, MIN_COUNT
from booking.domain.zones import MAX_ZONE_NAME
from booking.domain import settings as booking_settings
from booking.domain.time_off import MAX_PROVIDERS, MAX_SPAN, MAX_TITLE
from booking.api.time_off_schemas import FEED_URL_PATTERN, MAX_FEED_URL

RULES = Path(__file__).resolve().parents[3] / "firestore.rules"

# Where each limit stands in the rules (one number captured) and the
# constant it must equal.
EQUAL = {
    "name": (r"function isName\(value\) \{[^}]*?value\.size\(\) <= (\d+)", MAX_NAME),
    "safe id": (r"id\.matches\('\^\[A-Za-z0-9_-\]\{1,(\d+)\}\$'\)", ID_MAX),
    "notes": (r"isText\(d\.notes, (\d+)\)", MAX_NOTES),
    "series count, least": (r"r\.count >= (\d+)", MIN_COUNT),
    "series count, most": (r"r\.count <= (\d+)", MAX_COUNT),
    "cancel reason": (r"isText\(d\.cancelReason, (\d+)\)", MAX_CANCEL_REASON),
    "intervals per day": (r"function isIntervalList\(l\) \{[^}]*?l\.size\(\) <= (\d+)", MAX_INTERVALS_PER_DAY),
    "overrides": (r"function isOverrideList\(l\) \{[^}]*?l\.size\(\) <= (\d+)", MAX_OVERRIDES),
    "provider bio": (r"isOptionalText\(d, 'bio', (\d+)\)", MAX_BIO),
    "provider photoUrl": (r"isOptionalText\(d, 'photoUrl', (\d+)\)", MAX_PHOTO_URL),
    "customer email": (r"isText\(d\.email, (\d+)\)", MAX_EMAIL),
    "customer timeZone": (r"isOptionalText\(d, 'timeZone', (\d+)\)", MAX_ZONE_NAME),
    "availability timeZone": (r"d\.timeZone\.size\(\) <= (\d+)", MAX_ZONE_NAME),
    "maxUpcomingPerCustomer": (r"incoming\(\)\.maxUpcomingPerCustomer <= (\d+)", MAX_UPCOMING_LIMIT),
    "business name": (r"incoming\(\)\.businessName\.trim\(\)\.size\(\) <= (\d+)",
                      booking_settings.MAX_BUSINESS_NAME),
    "app url": (r"isText\(incoming\(\)\.appUrl, (\d+)\)", booking_settings.MAX_APP_URL),
    "organizer email": (r"isText\(incoming\(\)\.organizerEmail, (\d+)\)", booking_settings.MAX_EMAIL),
    "retention days": (r"d\[field\] <= (\d+)\)", booking_settings.MAX_RETENTION_DAYS),
    "time off title": (r"isText\(d\.title, (\d+)\)", MAX_TITLE),
    "time off providers": (r"function isProviderList\(l\) \{[^}]*?l\.size\(\) <= (\d+)", MAX_PROVIDERS),
    "time off span in days": (r"d\.(?:startDate\)|start) \+ duration\.value\((\d+), 'd'\)", MAX_SPAN.days),
    "waitlist window in days": (r"dayOf\(d\.firstDay\) \+ duration\.value\((\d+), 'd'\)", MAX_WINDOW_DAYS),
    "calendar feed url": (r"isText\(d\.url, (\d+)\)", MAX_FEED_URL),
    "reminders per type": (r"function isReminderList\(l\) \{[^}]*?l\.size\(\) <= (\d+)", MAX_REMINDERS),
    "reminder lead": (r"r\.beforeMinutes <= (\d+)", MAX_REMINDER_MINUTES),
    "maxUpcomingPerCustomer default": (r"\(maxUpcomingPerCustomer (\d+), domain/customer_cap\.py\)",
                                       DEFAULT_MAX_UPCOMING),
}
PHONE = r"isOptionalText\(d, 'phone', (\d+)\)"
CONTACT_EMAIL = r"isOptionalText\(d, 'email', (\d+)\)"


@pytest.fixture(scope="module")
def rules() -> str:
    return RULES.read_text(encoding="utf-8")


def numbers(source: str, pattern: str) -> list[int]:
    found = [int(n) for n in re.findall(pattern, source)]
    # a limit the pattern no longer finds must fail, not pass unchecked
    assert found, f"no match for {pattern!r} in firestore.rules"
    return found


def longest_phone() -> int:
    body = re.fullmatch(r"\^(\\\+\?)?\[[^\]]+\]\{\d+,(\d+)\}\$", PHONE_PATTERN)
    assert body is not None, f"PHONE_PATTERN changed shape: {PHONE_PATTERN}"
    return int(body.group(2)) + (1 if body.group(1) else 0)


@pytest.mark.parametrize("limit", sorted(EQUAL))
def test_each_limit_in_the_rules_equals_the_backend_constant(rules, limit):
    pattern, constant = EQUAL[limit]
    found = numbers(rules, pattern)
    assert found == [constant] * len(found)


def test_the_rules_phone_cap_admits_every_phone_the_backend_accepts(rules):
    # The rules cannot check a phone's characters; the cap only bounds the
    # size of what the backend then validates.
    assert all(cap >= longest_phone() for cap in numbers(rules, PHONE))


def test_no_iana_zone_name_is_longer_than_the_zone_cap():
    assert max(len(name) for name in zoneinfo.available_timezones()) <= MAX_ZONE_NAME


def test_a_provider_contact_email_has_the_backend_email_limit(rules):
    assert numbers(rules, CONTACT_EMAIL) == [MAX_EMAIL]


def test_the_rules_accept_the_same_feed_urls_as_the_api(rules):
    found = re.findall(r"d\.url\.matches\('([^']*)'\)", rules)
    assert found == [FEED_URL_PATTERN]


def _rules_pattern(rules: str, field: str) -> str:
    # a rules string escapes its backslashes; the regular expression is what it spells
    [found] = re.findall(rf"incoming\(\)\.{field}\.matches\('([^']*)'\)", rules)
    return found.replace("\\\\", "\\")


def test_the_rules_accept_the_same_app_urls_and_organizer_addresses_as_the_backend(rules):
    assert _rules_pattern(rules, "appUrl") == booking_settings.APP_URL_PATTERN
    assert _rules_pattern(rules, "organizerEmail") == booking_settings.EMAIL_PATTERN


def test_the_rules_let_admins_write_every_booking_setting_the_backend_reads_and_no_other(rules):
    [listed] = re.findall(r"match /settings/\{settingsId\} \{.*?hasOnly\(\[([^\]]*)\]\)", rules, re.S)
    keys = set(re.findall(r"'(\w+)'", listed))
    read = {to_camel(f.name) for f in dataclasses.fields(booking_settings.BookingSettings)}
    assert keys == read | {"updatedAt"}


def test_the_time_off_span_is_a_whole_number_of_days():
    # the rules count it in days (duration.value(N, 'd'))
    assert MAX_SPAN.total_seconds() == MAX_SPAN.days * 86400
