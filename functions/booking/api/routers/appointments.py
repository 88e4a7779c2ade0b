"""/appointments: synchronous booking, listing, reschedule, status changes,
cancel and the .ics download.

Who sees and changes what is decided in `booking.api.policies`: admins
everything; a provider's staff (claim `providerId`) its provider's
appointments; a customer its own. Every booking goes
through the same service as a client's booking request, so the two can
never double-book a slot.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from booking.api import changes, crud, policies, series_ops, time_off_ops
from booking.api import operations as ops
from booking.api.auth import CurrentUser, Principal
from booking.api.deps import AppointmentId, Now, Paging, Repo, check_instant_range
from booking.api.schemas import (
    AppointmentCreate,
    AppointmentOut,
    AppointmentPage,
    AppointmentStatusName,
    AppointmentUpdate,
)
from booking.api.series_schemas import CancelIn, CancelOut, SeriesOut
from booking.domain.appointments import MAX_CANCEL_REASON, Appointment
from booking.services.ics import ICS_TYPE, invitation
from booking.services.ports import InvalidDocument
from booking.store.queries import AppointmentQuery

router = APIRouter(tags=["appointments"])

BOOKING_RESPONSES = {
    409: {"description": "Refused: `code` is the booking reason (slot_taken, not_on_slot, too_soon, ...)."},
    503: {"description": "The slot stayed contended; try again."},
}


def out(appointment: Appointment) -> dict:
    """The fields `AppointmentOut` shows (its names are the record's, so the
    ledger's own bookkeeping, blockStart/blockEnd and held, stays out)."""
    shown = {name: getattr(appointment, name) for name in AppointmentOut.model_fields}
    shown["status"] = appointment.status.value
    return shown


@router.get("", response_model=AppointmentPage, summary="List appointments")
def list_appointments(
    user: CurrentUser,
    repo: Repo,
    paging: Paging,
    provider_id: Annotated[str | None, Query(alias="providerId", max_length=128)] = None,
    customer_id: Annotated[str | None, Query(alias="customerId", max_length=128)] = None,
    appointment_type_id: Annotated[str | None, Query(alias="appointmentTypeId", max_length=128)] = None,
    status_: Annotated[AppointmentStatusName | None, Query(alias="status")] = None,
    start_from: Annotated[datetime | None, Query(alias="from", description="start >= from (ISO 8601 with offset)")] = None,
    start_to: Annotated[datetime | None, Query(alias="to", description="start < to (ISO 8601 with offset)")] = None,
    conflicts: Annotated[bool, Query(description="Only appointments that time off overlaps (non-empty "
                                                 "`timeOffConflicts`): admins all, staff their provider's; "
                                                 "403 for customers.")] = False,
):
    """Sorted by start (then id). Admins see all; a provider's staff without filters see their
    provider's; everyone else (and staff passing `customerId` = their uid) their own as a customer."""
    check_instant_range(start_from, start_to)
    scope = policies.list_scope(user, provider_id, customer_id)
    query = AppointmentQuery(provider_id=scope.provider_id, customer_id=scope.customer_id,
                             appointment_type_id=appointment_type_id, status=status_,
                             start_from=start_from, start_to=start_to)
    read = repo.appointments_page
    if conflicts:
        policies.require(policies.may_list_conflicts(user, scope),
                         "Only admins and a provider's staff list the appointments that time off overlaps.")
        read = time_off_ops.only_conflicted(read)
    return crud.page_of(read, query, paging, out)


@router.post("", response_model=AppointmentOut | SeriesOut, status_code=status.HTTP_201_CREATED,
             responses=BOOKING_RESPONSES, summary="Book an appointment, or a series")
def create_appointment(user: CurrentUser, body: AppointmentCreate, repo: Repo, now: Now):
    """Books synchronously through the same service as client booking requests:
    201 with the confirmed appointment, or 409 whose `code` is the rejection reason.
    With `recurrence`: every occurrence in one atomic write (201 with a `SeriesOut`), or
    nothing, and 409 whose `code` is the first failing occurrence's reason and
    `failedOccurrence` its index and start; `onConflict: skip` books the free ones."""
    series_ops.check_on_conflict(body)
    if body.recurrence is not None:
        return series_ops.book_series_for(repo, user, body, now=now, out=out)
    appointment = ops.book_for(repo, user, provider_id=body.provider_id, appointment_type_id=body.appointment_type_id,
                               start=body.start, customer_id=body.customer_id, notes=body.notes, now=now)
    return out(appointment)


ICS_RESPONSE = {200: {"content": {"text/calendar": {"schema": {"type": "string"}}},
                      "description": "The appointment's invitation, the same file its mails carry: "
                                     "METHOD:REQUEST, or METHOD:CANCEL once cancelled. For an appointment "
                                     "that was rescheduled, the invitation of where it moved to."}}
MAX_MOVES_FOLLOWED = 20


def _current(repo: Repo, user: Principal, appointment: Appointment) -> Appointment:
    """A rescheduled appointment's event lives on in the one it moved to
    (same UID, higher SEQUENCE); its own CANCEL would remove that event."""
    for _ in range(MAX_MOVES_FOLLOWED):
        if not appointment.rescheduled_to:
            return appointment
        appointment = ops.readable_appointment(repo, user, appointment.rescheduled_to)
    return appointment


def _ics(appointment_id: str, user: Principal, repo: Repo, now: datetime) -> Response:
    appointment = _current(repo, user, ops.readable_appointment(repo, user, appointment_id))
    try:
        customer = repo.customer(appointment.customer_id)
    except InvalidDocument:
        customer = None  # the file still updates the event by its UID, without an ATTENDEE
    body = invitation(appointment, customer, repo.booking_settings(), now=now)
    return Response(body, media_type=ICS_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="appointment-{appointment_id}.ics"'})


@router.get("/{appointment_id}.ics", response_class=Response, responses=ICS_RESPONSE,
            summary="Download an appointment as .ics")
def get_ics(appointment_id: AppointmentId, user: CurrentUser, repo: Repo, now: Now):
    return _ics(appointment_id, user, repo, now)


@router.get("/{appointment_id}/ics", response_class=Response, responses=ICS_RESPONSE,
            summary="Download an appointment as .ics (alternative path)")
def get_ics_alt(appointment_id: AppointmentId, user: CurrentUser, repo: Repo, now: Now):
    return _ics(appointment_id, user, repo, now)


@router.get("/{appointment_id}", response_model=AppointmentOut, summary="Get an appointment")
def get_appointment(appointment_id: AppointmentId, user: CurrentUser, repo: Repo):
    return out(ops.readable_appointment(repo, user, appointment_id))


@router.put("/{appointment_id}", response_model=AppointmentOut, responses=BOOKING_RESPONSES,
            summary="Change an appointment (reschedule, notes, status)")
def change_appointment(appointment_id: AppointmentId, user: CurrentUser, body: AppointmentUpdate, repo: Repo,
                       now: Now):
    """A partial change (only the fields sent change; not a full replacement):

    * `start`: reschedule (the customer or an admin, before the cancellation cutoff).
      The answer is the **new** appointment (`rescheduledFrom` = this id); this one is
      cancelled in the same atomic write. 409 with the booking reason when refused.
    * `status`: `cancelled` (the customer before the cutoff, an admin any time; optional
      `cancelReason`), or `completed` / `no_show` (an admin or the provider's staff).
    * `notes`: the customer or an admin.
    """
    # authorised whole before any write; a lost race is 409 concurrent_update (booking.api.changes)
    change = changes.Change(start=body.start, status=body.status, notes=body.notes,
                            notes_sent="notes" in body.model_fields_set, cancel_reason=body.cancel_reason)
    return out(changes.change_appointment(repo, user, appointment_id, change, now=now))


@router.post("/{appointment_id}/cancel", response_model=CancelOut,
             summary="Cancel an appointment, or it and the rest of its series")
def cancel_with_scope(appointment_id: AppointmentId, body: CancelIn, user: CurrentUser, repo: Repo, now: Now):
    """`scope: this` is `DELETE /appointments/{id}`. `scope: following` cancels it and every later
    occurrence of its series, each by its own cutoff: 409 `cutoff_passed` when this one is past
    its own; a later one past its own stays booked and is listed in `kept`."""
    return series_ops.cancel_scoped(repo, user, appointment_id, scope=body.scope, reason=body.cancel_reason,
                                    now=now, out=out)


@router.delete("/{appointment_id}", response_model=AppointmentOut, summary="Cancel an appointment")
def cancel_appointment(appointment_id: AppointmentId, user: CurrentUser, repo: Repo, now: Now,
                       reason: Annotated[str | None, Query(max_length=MAX_CANCEL_REASON, description="cancelReason")] = None):
    """Status becomes `cancelled` and the slot is released; the record stays. The customer
    before the type's cancellation cutoff (409 `cutoff_passed` after it); an admin any time."""
    return out(ops.cancel_for(repo, user, appointment_id, reason=reason, now=now))
