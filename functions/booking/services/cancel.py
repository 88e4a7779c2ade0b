"""Cancel an appointment and release its block on the day sheet(s).

Two ways in: a caller asks to cancel (REST, callable: `cancel`), or a
client already set `status: cancelled` under the rules and the update
trigger finishes the job (`finish_cancel`). Both are idempotent: a block
no longer on the sheet and a `cancelledAt` already set mean done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from booking.domain.appointments import MAX_CANCEL_REASON, Appointment, AppointmentStatus
from booking.domain.ledger import held_range
from booking.domain.models import Customer, Provider
from booking.domain.refusals import Refusal
from booking.domain.settings import BookingSettings
from booking.domain.zones import local_date
from booking.services.notifications import cancellation_mail
from booking.services.ports import Commit, Conflict, InvalidDocument, Store
from booking.services.retry import Backoff
from booking.services.sheet_loader import SheetLoader

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CancelOutcome:
    appointment: Appointment
    released: bool
    rounds: int


def _customer_or_none(store: Store, customer_id: str) -> Customer | None:
    """Who to tell; a missing or broken profile only costs the mail."""
    try:
        return store.customer(customer_id)
    except InvalidDocument:
        log.warning("cancel mail skipped: customer profile invalid", extra={"customerId": customer_id})
        return None


def _provider_for(store: Store, appointment: Appointment) -> Provider:
    provider = store.provider(appointment.provider_id)
    if provider is None:
        # The sheets still exist under the old id; a stand-in keeps the
        # release possible after a provider document was deleted.
        provider = Provider(id=appointment.provider_id, name=appointment.provider_name or appointment.provider_id,
                            time_zone=appointment.time_zone, active=False)
    return provider


def cancel(
    store: Store,
    appointment_id: str,
    *,
    now: datetime,
    by: str,
    reason: str | None = None,
    enforce_cutoff: bool = True,
    backoff: Backoff | None = None,
    notify: bool = True,
) -> CancelOutcome:
    """Cancel a confirmed appointment on someone's behalf; a `Refusal`
    (`not_found`, `invalid_transition`, `cutoff_passed`, `invalid_request`)
    when it may not be. `notify=False` sends the customer no mail (an
    erasure: they asked for their data to go, not for more of it)."""
    if reason is not None and len(reason) > MAX_CANCEL_REASON:
        raise Refusal("invalid_request", f"cancelReason must be at most {MAX_CANCEL_REASON} characters")

    def decide(appointment: Appointment) -> Appointment | None:
        if appointment.status is AppointmentStatus.CANCELLED:
            return None  # done already: only a release may be left
        if appointment.status is not AppointmentStatus.CONFIRMED:
            raise Refusal("invalid_transition", f"A {appointment.status.value} appointment cannot be cancelled.")
        if enforce_cutoff and not appointment.cancellable_at(now):
            raise Refusal("cutoff_passed", "It is too late to cancel this appointment.")
        return appointment.cancelled(at=now, by=by, reason=reason)

    outcome = _release(store, appointment_id, decide, now, backoff, notify=notify)
    if outcome is None:
        raise Refusal("not_found", "There is no such appointment.")
    return outcome


def finish_cancel(store: Store, appointment_id: str, *, now: datetime,
                  backoff: Backoff | None = None) -> CancelOutcome | None:
    """The appointment's status was set to cancelled by a client or in the
    console: release its block and record who and when, once."""

    def decide(appointment: Appointment) -> Appointment | None:
        if appointment.status is not AppointmentStatus.CANCELLED:
            raise _NotCancelled
        if appointment.cancelled_at is not None:
            return None
        return appointment.cancel_recorded(at=now)

    try:
        return _release(store, appointment_id, decide, now, backoff)
    except _NotCancelled:
        return None


class _NotCancelled(Exception):
    """finish_cancel found the appointment in another status: nothing to do."""


# The record after the cancel is recorded, or None when it was recorded already.
Decide = Callable[[Appointment], "Appointment | None"]


def _release(store: Store, appointment_id: str, decide: Decide, now: datetime,
             backoff: Backoff | None, *, notify: bool = True) -> CancelOutcome | None:
    """Each round reads the appointment with its version, lets `decide` make
    the cancelled record (None: recorded already), and commits that
    together with the block's release, conditioned on the appointment's
    version and the sheets' versions. A lost round starts again from a
    fresh read, so a concurrent writer's history entry or cancel reason is
    never overwritten. None when there is no such appointment."""
    round_no = 0
    customer: Customer | None = None
    settings: BookingSettings | None = None
    for round_no in (backoff or Backoff()).rounds():
        found = store.appointment_versioned(appointment_id)
        if found is None:
            return None
        appointment: Appointment = found.value
        recorded = decide(appointment)
        after = recorded or appointment
        if after.held or appointment.held:
            after = after.released()
        provider = _provider_for(store, appointment)
        held = held_range(appointment)
        touched = SheetLoader(store, provider).with_neighbours(local_date(provider.time_zone, held.start), held)
        commit = Commit()
        for sheet, version in touched.values():
            if sheet.holds(appointment.id):
                commit.sheets.append((sheet.without(appointment.id), version))
        if after != appointment:
            commit.appointment_moves.append((appointment, after, found.version))
        if recorded is not None and notify:
            customer = customer or _customer_or_none(store, appointment.customer_id)
            if customer is not None and customer.email:
                # One more read per cancel (the business's name, link and
                # the invitation's organizer); kept across lost rounds.
                settings = settings or store.booking_settings()
                commit.mails.append((f"{appointment.id}-cancelled",
                                     cancellation_mail(after, customer, settings, now)))
        if commit.writes() == 0:  # nothing left to do: no commit round was needed
            return CancelOutcome(appointment, released=False, rounds=round_no - 1)
        try:
            store.commit(commit)
        except Conflict:
            log.info("cancel conflict, retrying", extra={"appointmentId": appointment.id, "round": round_no})
            continue
        return CancelOutcome(after, released=bool(commit.sheets), rounds=round_no)
    raise Conflict(f"could not release {appointment_id} in {round_no} rounds")
