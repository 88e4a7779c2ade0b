"""Rules with one home in the domain: notice and horizon (booking_window),
the availability's zone (zones.zone_refusal) and the backend-owned fields
of admin-edited documents (documents)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from booking.domain.booking_requests import Reason
from booking.domain.booking_window import bookable_bounds, window_refusal
from booking.domain.documents import only_backend_fields_changed, without_backend_fields
from booking.domain.models import AppointmentType
from booking.domain.zones import local_label, zone_refusal

BERLIN = "Europe/Berlin"
NOW = datetime(2026, 1, 11, 12, 0, tzinfo=UTC)
TYPE = AppointmentType(id="consult", name="Consultation", duration_minutes=30, min_notice_minutes=120,
                       horizon_days=2)


def test_both_bounds_are_bookable_and_one_minute_past_either_is_not():
    earliest, latest = bookable_bounds(TYPE, NOW)
    assert (earliest, latest) == (NOW + timedelta(hours=2), NOW + timedelta(days=2))
    assert window_refusal(TYPE, earliest, NOW, BERLIN) is None
    assert window_refusal(TYPE, latest, NOW, BERLIN) is None
    assert window_refusal(TYPE, earliest - timedelta(minutes=1), NOW, BERLIN)[0] is Reason.TOO_SOON
    assert window_refusal(TYPE, latest + timedelta(minutes=1), NOW, BERLIN)[0] is Reason.TOO_FAR


def test_a_refusal_names_the_start_in_the_providers_zone_and_the_types_own_bound():
    assert window_refusal(TYPE, NOW + timedelta(hours=1), NOW, BERLIN) == (
        Reason.TOO_SOON, "2026-01-11 14:00 CET is too soon: Consultation needs 120 minutes' notice")
    assert window_refusal(TYPE, NOW + timedelta(days=3), NOW, BERLIN) == (
        Reason.TOO_FAR, "2026-01-14 13:00 CET is too far ahead: Consultation can be booked at most 2 days ahead")


def test_a_start_at_the_end_of_time_is_labelled_in_utc_where_its_local_time_does_not_exist():
    last = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    assert local_label("Pacific/Kiritimati", last) == "9999-12-31 23:00 UTC"
    assert window_refusal(TYPE, last, NOW, "Pacific/Kiritimati")[0] is Reason.TOO_FAR


@pytest.mark.parametrize("hours_zone", [None, BERLIN])
def test_hours_may_leave_their_zone_out_or_repeat_the_providers(hours_zone):
    assert zone_refusal(hours_zone, BERLIN) is None


@pytest.mark.parametrize("hours_zone", ["Europe/London", "", "europe/berlin"])
def test_hours_in_any_other_zone_are_refused_naming_the_providers(hours_zone):
    assert zone_refusal(hours_zone, BERLIN) == "must be the provider's zone (Europe/Berlin) or left out"


def test_the_backend_owned_fields_are_never_part_of_the_admins_document():
    stored = {"name": "X", "validation": {"ok": True}, "updatedAt": NOW, "createdAt": NOW}
    assert without_backend_fields(stored) == {"name": "X"}


def test_an_edit_of_backend_owned_fields_only_is_not_an_admins_edit():
    before = {"name": "X", "validation": {"ok": False}}
    assert only_backend_fields_changed(before, {"name": "X", "validation": {"ok": True}, "updatedAt": NOW})
    assert not only_backend_fields_changed(before, {"name": "Y", "validation": {"ok": False}})
    assert not only_backend_fields_changed(None, before) and not only_backend_fields_changed(before, None)
