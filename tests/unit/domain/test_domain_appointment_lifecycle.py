"""The appointment's lifecycle: each move returns the new record with its
history entry, and only the moves the state machine allows are made."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from booking.domain.appointments import Appointment, AppointmentStatus, InvalidTransition

BOOKED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 3, 12, 30, tzinfo=UTC)


def booked(**changes) -> Appointment:
    appointment = Appointment.confirmed(
        at=BOOKED_AT, by="cust-1", id="appt-1", provider_id="dr-ada", customer_id="cust-1",
        appointment_type_id="consult", start=datetime(2026, 3, 9, 10, tzinfo=UTC),
        end=datetime(2026, 3, 9, 10, 30, tzinfo=UTC), block_start=datetime(2026, 3, 9, 9, 50, tzinfo=UTC),
        block_end=datetime(2026, 3, 9, 10, 35, tzinfo=UTC), request_id="appt-1", time_zone="Europe/Berlin",
        cancellable_until=datetime(2026, 3, 9, 8, tzinfo=UTC))
    return replace(appointment, **changes)


def test_a_confirmed_appointment_holds_its_block_and_records_who_booked_it():
    appointment = booked()
    assert (appointment.status, appointment.held, appointment.created_at, appointment.updated_at) == (
        AppointmentStatus.CONFIRMED, True, BOOKED_AT, BOOKED_AT)
    assert appointment.history == [{"at": BOOKED_AT, "status": "confirmed", "by": "cust-1"}]


def test_cancelling_records_who_why_and_when_and_releases_the_block():
    cancelled = booked().cancelled(at=LATER, by="admin-1", reason="clinic closed")
    assert (cancelled.status, cancelled.cancelled_at, cancelled.cancelled_by, cancelled.cancel_reason,
            cancelled.updated_at, cancelled.held) == (
        AppointmentStatus.CANCELLED, LATER, "admin-1", "clinic closed", LATER, False)
    assert cancelled.history[-1] == {"at": LATER, "status": "cancelled", "by": "admin-1"}


def test_a_move_leaves_the_record_it_was_made_from_unchanged():
    original = booked()
    original.cancelled(at=LATER, by="admin-1")
    assert original == booked()


def test_a_reschedule_cancels_the_old_appointment_and_says_where_it_went():
    moved = booked().moved_to("appt-2", at=LATER, by="cust-1")
    assert (moved.status, moved.cancel_reason, moved.rescheduled_to, moved.held) == (
        AppointmentStatus.CANCELLED, "rescheduled", "appt-2", False)
    assert moved.history[-1] == {"at": LATER, "status": "cancelled", "by": "cust-1", "note": "rescheduled to appt-2"}


@pytest.mark.parametrize("mark", [AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW])
def test_marking_who_came_keeps_the_block_held(mark):
    marked = booked().marked(mark, at=LATER, by="staff-1")
    assert (marked.status, marked.held, marked.updated_at) == (mark, True, LATER)
    assert marked.history[-1] == {"at": LATER, "status": mark.value, "by": "staff-1"}


def test_a_cancel_a_client_made_directly_is_recorded_once_as_the_customers():
    set_by_client = replace(booked(), status=AppointmentStatus.CANCELLED)
    recorded = set_by_client.cancel_recorded(at=LATER)
    assert (recorded.cancelled_at, recorded.cancelled_by) == (LATER, "cust-1")
    assert recorded.history[-1] == {"at": LATER, "status": "cancelled", "by": "cust-1"}
    with pytest.raises(InvalidTransition):
        recorded.cancel_recorded(at=LATER)


@pytest.mark.parametrize("closed", [AppointmentStatus.CANCELLED, AppointmentStatus.COMPLETED,
                                    AppointmentStatus.NO_SHOW])
def test_closed_appointments_are_final(closed):
    appointment = replace(booked(), status=closed)
    with pytest.raises(InvalidTransition):
        appointment.cancelled(at=LATER, by="admin-1")
    with pytest.raises(InvalidTransition):
        appointment.moved_to("appt-2", at=LATER, by="cust-1")
    with pytest.raises(InvalidTransition):
        appointment.marked(AppointmentStatus.COMPLETED, at=LATER, by="admin-1")


def test_confirmed_is_not_a_mark():
    with pytest.raises(InvalidTransition):
        booked().marked(AppointmentStatus.CONFIRMED, at=LATER, by="admin-1")
