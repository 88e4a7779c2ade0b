"""The business's settings, `settings/booking`, as the backend uses them.

Admins write the document (console or rules); the backend reads it with
every booking anyway (for the per-customer cap), so everything a booking's
mails need lives here too. A missing or unusable value means its default:
a typo in the console must not stop bookings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .customer_cap import DEFAULT_MAX_UPCOMING, MAX_UPCOMING_LIMIT

__all__ = ["BookingSettings", "EXPIRES_AT", "MAX_APP_URL", "MAX_BUSINESS_NAME", "MAX_RETENTION_DAYS",
           "booking_settings_from"]

MAX_APP_URL = 2048
MAX_BUSINESS_NAME = 120
MAX_EMAIL = 254
# Invitations need an organizer (RFC 5546); an address that receives nothing
# is better than none.
DEFAULT_ORGANIZER = "noreply@booking.invalid"
DEFAULT_BUSINESS_NAME = "Bookings"
# firestore.rules repeats both (tests/unit/domain/test_rules_limits_parity.py)
APP_URL_PATTERN = r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# Retention: how long processed booking requests, and mails and text
# messages, are kept. Firestore's TTL policies (firestore.indexes.json)
# delete a document once its `expiresAt` has passed, usually within a day.
EXPIRES_AT = "expiresAt"
DEFAULT_REQUEST_RETENTION_DAYS = 30
DEFAULT_MAIL_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650  # firestore.rules repeats it
_HTTPS = re.compile(APP_URL_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)


@dataclass(frozen=True)
class BookingSettings:
    max_upcoming_per_customer: int = DEFAULT_MAX_UPCOMING
    business_name: str = DEFAULT_BUSINESS_NAME
    # where the web app lives: mails link to its "My appointments"
    app_url: str | None = None
    organizer_email: str = DEFAULT_ORGANIZER
    # reminders also as text messages (the Twilio extension's `messages`)
    sms_reminders: bool = False
    # days a booking request is kept once confirmed or rejected
    request_retention_days: int = DEFAULT_REQUEST_RETENTION_DAYS
    # days a mail or text message is kept once written (the extensions
    # send within minutes; a failure is recorded on its appointment)
    mail_retention_days: int = DEFAULT_MAIL_RETENTION_DAYS

    def request_expiry(self, processed_at: datetime) -> datetime:
        return processed_at + timedelta(days=self.request_retention_days)

    def mail_expiry(self, written_at: datetime) -> datetime:
        return written_at + timedelta(days=self.mail_retention_days)

    @property
    def my_appointments_url(self) -> str | None:
        return f"{self.app_url.rstrip('/')}/#/appointments" if self.app_url else None


def _days(value: Any, default: int) -> int:
    usable = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_RETENTION_DAYS
    return value if usable else default


def booking_settings_from(data: dict[str, Any] | None) -> BookingSettings:
    data = data or {}
    defaults = BookingSettings()
    cap = data.get("maxUpcomingPerCustomer")
    name = data.get("businessName")
    url = data.get("appUrl")
    organizer = data.get("organizerEmail")
    return BookingSettings(
        max_upcoming_per_customer=(cap if isinstance(cap, int) and not isinstance(cap, bool)
                                   and 1 <= cap <= MAX_UPCOMING_LIMIT else defaults.max_upcoming_per_customer),
        business_name=(name.strip() if isinstance(name, str) and 0 < len(name.strip()) <= MAX_BUSINESS_NAME
                       else defaults.business_name),
        app_url=url if isinstance(url, str) and len(url) <= MAX_APP_URL and _HTTPS.match(url) else None,
        organizer_email=(organizer if isinstance(organizer, str) and len(organizer) <= MAX_EMAIL
                         and _EMAIL.match(organizer) else defaults.organizer_email),
        sms_reminders=data.get("smsReminders") is True,
        request_retention_days=_days(data.get("requestRetentionDays"), defaults.request_retention_days),
        mail_retention_days=_days(data.get("mailRetentionDays"), defaults.mail_retention_days),
    )
