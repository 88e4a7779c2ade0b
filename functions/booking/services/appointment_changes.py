"""Reaction to an update of `appointments/{id}` made outside the services:
a customer's cancel under the rules, or an admin's edit in the console.

Only status changes have an effect. Cancelling releases the block. A move
the state machine forbids (reviving a cancelled appointment, whose slot
may already be someone else's) is reverted. Edits to the booked time or
parties are ignored and logged: the day sheets keep the original block;
moving an appointment is a reschedule.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking.domain.appointments import AppointmentStatus, can_transition
from booking.services.cancel import finish_cancel
from booking.services.ports import Commit, Store

log = logging.getLogger(__name__)

PROTECTED = ("providerId", "customerId", "appointmentTypeId", "start", "end", "blockStart", "blockEnd")


@dataclass(frozen=True)
class ChangeOutcome:
    action: str  # released | reverted | ignored | none


def appointment_changed(store: Store, appointment_id: str, before: dict[str, Any] | None,
                        after: dict[str, Any] | None, *, now: datetime) -> ChangeOutcome:
    if before is None or after is None:
        return ChangeOutcome("none")
    old, new = before.get("status"), after.get("status")
    touched = [f for f in PROTECTED if before.get(f) != after.get(f)]
    if touched:
        log.warning("ignored edit of booked fields; the ledger keeps the original block",
                    extra={"appointmentId": appointment_id, "fields": touched})
    if old == new:
        if after.get("status") == AppointmentStatus.CANCELLED.value and after.get("cancelledAt") is None:
            finish_cancel(store, appointment_id, now=now)
            return ChangeOutcome("released")
        return ChangeOutcome("ignored" if touched else "none")
    if not can_transition(old, new):
        log.warning("reverted a forbidden status change",
                    extra={"appointmentId": appointment_id, "from": old, "to": new})
        store.commit(Commit(update_appointments=[(appointment_id, {"status": old, "updatedAt": now})]))
        return ChangeOutcome("reverted")
    if new == AppointmentStatus.CANCELLED.value:
        finish_cancel(store, appointment_id, now=now)
        return ChangeOutcome("released")
    history = [*(after.get("history") or []), {"at": now, "status": new, "by": "admin"}]
    store.commit(Commit(update_appointments=[(appointment_id, {"history": history, "updatedAt": now})]))
    return ChangeOutcome("none")
