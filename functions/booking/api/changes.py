"""PUT /appointments/{id}: a partial change (reschedule, notes, status).

The whole change is authorised and checked against the state machine
before anything is written, so a refused part never leaves another part
saved. Notes and a `completed` / `no_show` mark are then written in one
update conditioned on the version read: the history entry appended is
based on that read, and a writer that got in between (another mark, a
cancel, a console edit) makes this one fail with 409 `concurrent_update`
instead of being overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from booking.api import operations as ops
from booking.api import policies
from booking.api.auth import Principal
from booking.api.errors import ApiError
from booking.domain.appointments import Appointment, AppointmentStatus, can_transition
from booking.services.ports import Conflict
from booking.store.repository import NotFound, Repository


@dataclass(frozen=True)
class Change:
    """What a PUT body asked for; `notes_sent` tells "notes: null" (clear
    them) from no notes at all."""

    start: datetime | None = None
    status: str | None = None
    notes: str | None = None
    notes_sent: bool = False
    cancel_reason: str | None = None


def _moves(appointment: Appointment, change: Change) -> bool:
    if change.start is None:
        return False
    # the same time on a confirmed appointment: nothing to move
    return not (change.start == appointment.start and appointment.status is AppointmentStatus.CONFIRMED)


def _authorise(user: Principal, appointment: Appointment, change: Change, *, new_notes: bool) -> None:
    """Every refusal the request can meet before a write, in one place (who
    may do which part: booking.api.policies)."""
    if change.start is not None and change.status is not None:
        raise ApiError("validation_failed", "The request did not validate.",
                       errors=[{"field": "body.status", "message": "cannot be changed together with start"}])
    if change.start is not None:  # even to the same time
        policies.require(policies.may_reschedule(user, appointment), "Only the customer, the provider's staff or an admin may reschedule.")
    if new_notes:
        policies.require(policies.may_change_notes(user, appointment),
                         "Only the customer, the provider's staff or an admin may change the notes.")
    if change.status == AppointmentStatus.CANCELLED.value:
        policies.require(policies.may_cancel(user, appointment), policies.CANCEL_REFUSED)
    if change.status in policies.MARKS:
        policies.require(policies.may_mark(user, appointment),
                         f"Only admins and the provider's staff may mark an appointment {change.status}.")
    current = appointment.status.value
    if change.status == AppointmentStatus.CONFIRMED.value and current != change.status:
        raise ApiError("invalid_transition", f"A {current} appointment cannot be confirmed again.")
    if change.status in policies.MARKS and current != change.status and not can_transition(current, change.status):
        raise ApiError("invalid_transition", f"A {current} appointment cannot become {change.status}.")


def change_appointment(repo: Repository, user: Principal, appointment_id: str, change: Change, *,
                       now: datetime) -> Appointment:
    read = ops.readable_versioned(repo, user, appointment_id)
    appointment: Appointment = read.value
    moves = _moves(appointment, change)
    new_notes = change.notes_sent and change.notes != appointment.notes
    _authorise(user, appointment, change, new_notes=new_notes)

    if moves and change.start is not None:
        return ops.reschedule(repo, appointment, change.start, change.notes, now, by=user.uid)
    if change.status == AppointmentStatus.CANCELLED.value:
        # The cancel service re-reads and may still refuse (cutoff, state):
        # it goes first so that a refusal leaves the notes unwritten too.
        appointment = ops.cancel_for(repo, user, appointment.id, reason=change.cancel_reason, now=now)
        if new_notes:
            noted = replace(appointment, notes=change.notes, updated_at=now)
            _save(repo, appointment, noted, version=None)
            return noted
        return appointment

    after = replace(appointment, notes=change.notes) if new_notes else appointment
    if change.status in policies.MARKS and appointment.status.value != change.status:
        # written here with who did it; the update trigger sees it and adds none
        after = after.marked(AppointmentStatus(change.status), at=now, by=user.uid)
    if after is appointment:
        return appointment
    after = replace(after, updated_at=now)
    _save(repo, appointment, after, version=read.version)
    return after


def _save(repo: Repository, before: Appointment, after: Appointment, *, version: Any) -> None:
    """Writes what differs between the two records; with `version`, only
    while the document still has it."""
    try:
        repo.save_appointment(before, after, version=version)
    except Conflict as conflict:
        raise ApiError("concurrent_update", "The appointment changed while this request was handled; "
                                                 "read it again and retry.") from conflict
    except NotFound as gone:
        raise ApiError("not_found", f"There is no appointment {before.id!r}.") from gone
