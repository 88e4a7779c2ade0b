"""The booking routine's early check of notice and horizon, made before any
sheet is read, refuses in the same words as the domain's check of a start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from booking.domain.booking_check import Rejected, check_booking
from booking.domain.models import AppointmentType
from booking.domain.zones import local_date
from booking.services.planning import outside_window

BERLIN = "Europe/Berlin"
NOW = datetime(2026, 1, 11, 12, 0, tzinfo=UTC)
TYPE = AppointmentType(id="consult", name="Consultation", duration_minutes=30, min_notice_minutes=120,
                       horizon_days=2)


def domain_check(start: datetime) -> Rejected:
    result = check_booking(tz=BERLIN, day=local_date(BERLIN, start), open=[], appt_type=TYPE, blocks=[],
                           start=start, now=NOW, appointment_id="req1")
    assert isinstance(result, Rejected), result
    return result


@pytest.mark.parametrize("start", [NOW + timedelta(hours=1), NOW + timedelta(days=3)], ids=["too_soon", "too_far"])
def test_the_booking_routines_early_check_refuses_in_the_domain_checks_words(start):
    early = outside_window(TYPE, start, NOW, tz=BERLIN)
    checked = domain_check(start)
    assert (early.reason, early.message) == (checked.reason, checked.message)


def test_the_early_check_lets_a_start_inside_the_window_through():
    assert outside_window(TYPE, NOW + timedelta(days=1), NOW, tz=BERLIN) is None
