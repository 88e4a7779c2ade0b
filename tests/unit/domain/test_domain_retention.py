"""Retention: processed booking requests, mails and text messages carry
`expiresAt` (settings/booking's periods from when they were processed or
written), and firestore.indexes.json declares a TTL policy on it for each
of those collections, so `firebase deploy` applies them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.booking_requests import RequestStatus
from booking.domain.models import Customer
from booking.domain.settings import BookingSettings, booking_settings_from
from booking.services.notifications import cancellation_mail, confirmation_mail, reminder_mail, rejection_mail
from booking.services.planning import request_fields
from booking.store import paths

INDEXES = Path(__file__).resolve().parents[3] / "firestore.indexes.json"
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
GRACE = Customer(id="u1", name="Grace Hopper", email="grace@example.com")


def appointment() -> Appointment:
    start = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    end = datetime(2026, 1, 12, 9, 30, tzinfo=UTC)
    return Appointment(id="a1", provider_id="dr-ada", customer_id="u1", appointment_type_id="consult",
                       start=start, end=end, block_start=start, block_end=end, status=AppointmentStatus.CONFIRMED,
                       request_id="a1", time_zone="UTC", cancellable_until=start, type_name="Consultation")


def test_by_default_requests_are_kept_30_days_and_mail_90():
    settings = BookingSettings()
    assert (settings.request_retention_days, settings.mail_retention_days) == (30, 90)
    assert settings.request_expiry(NOW) == datetime(2026, 2, 4, 8, 0, tzinfo=UTC)
    assert settings.mail_expiry(NOW) == datetime(2026, 4, 5, 8, 0, tzinfo=UTC)


def test_an_admin_sets_the_periods_and_unusable_ones_mean_the_defaults():
    assert booking_settings_from({"requestRetentionDays": 7, "mailRetentionDays": 3650}).request_retention_days == 7
    assert booking_settings_from({"mailRetentionDays": 3650}).mail_retention_days == 3650
    for bad in (0, 3651, "30", True, 1.5):
        settings = booking_settings_from({"requestRetentionDays": bad, "mailRetentionDays": bad})
        assert (settings.request_retention_days, settings.mail_retention_days) == (30, 90)


def test_a_processed_request_expires_its_period_after_it_was_processed():
    fields = request_fields(RequestStatus.REJECTED, NOW, BookingSettings(request_retention_days=7), reason="too_soon")
    assert fields == {"status": "rejected", "processedAt": NOW, "expiresAt": datetime(2026, 1, 12, 8, 0, tzinfo=UTC),
                      "reason": "too_soon"}


def test_every_mail_expires_the_mail_period_after_it_was_written():
    settings = BookingSettings(mail_retention_days=10)
    expected = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    cancelled = appointment()
    mails = [confirmation_mail(appointment(), GRACE, settings, NOW),
             cancellation_mail(cancelled, GRACE, settings, NOW),
             reminder_mail(appointment(), GRACE, 1440, settings, NOW),
             rejection_mail(GRACE, "r1", "That time is too soon to book.", settings, NOW)]
    assert [m["expiresAt"] for m in mails] == [expected] * 4


def test_a_ttl_policy_on_expires_at_is_declared_for_requests_mail_and_text_messages():
    overrides = json.loads(INDEXES.read_text())["fieldOverrides"]
    ttl = sorted((o["collectionGroup"], o["fieldPath"]) for o in overrides if o.get("ttl") is True)
    assert ttl == sorted([(paths.BOOKING_REQUESTS, "expiresAt"), (paths.MAIL, "expiresAt"),
                          (paths.MESSAGES, "expiresAt")])
    # TTL fields are not queried: no single-field index to keep up on them
    assert all(o["indexes"] == [] for o in overrides if o.get("ttl") is True)
