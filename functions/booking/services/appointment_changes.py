"""Reaction to an update of `appointments/{id}` made outside the services:
a customer's cancel under the rules, or an admin's edit in the console.

Cancelling releases the block. A status move the state machine forbids
(reviving a cancelled appointment, whose slot may be someone else's now;
a typo) and edits of the booked time or parties are reverted: the ledger
keeps the original block, and moving an appointment is a reschedule.

A revert is an update too, so it fires this trigger again; it carries a
new `revertedAt`, and an event whose `revertedAt` changed is our own and
is ignored. That is what keeps reverts from looping.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from booking.domain.appointments import AppointmentStatus, can_transition, history_entry
from booking.services.cancel import finish_cancel
from booking.services.ports import Commit, Conflict, Store

log = logging.getLogger(__name__)

PROTECTED = ("providerId", "customerId", "appointmentTypeId", "start", "end", "blockStart", "blockEnd")
MARKER = "revertedAt"


class ChangeAction(StrEnum):
    RELEASED = "released"  # a cancel's block was released
    REVERTED = "reverted"  # an edit the ledger cannot follow was undone
    RECORDED = "recorded"  # a status change got its history entry
    NONE = "none"


@dataclass(frozen=True)
class ChangeOutcome:
    action: ChangeAction


def _reverts(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    fields = {f: before.get(f) for f in PROTECTED if before.get(f) != after.get(f)}
    old, new = before.get("status"), after.get("status")
    if old != new and not can_transition(old, new):
        fields["status"] = old
    return fields


def _write(store: Store, appointment_id: str, fields: dict[str, Any], version: Any) -> bool:
    """Writes only if the appointment is still as the event left it. False
    when it is gone (deleted in the console) or changed again since: then
    the newer change's own event sees, and handles, the newer state, and a
    write built from this event's data would overwrite it."""
    try:
        store.commit(Commit(update_appointments=[(appointment_id, fields, version)]))
    except Conflict:
        log.info("appointment changed or vanished before this change was handled",
                 extra={"appointmentId": appointment_id})
        return False
    return True


def appointment_changed(store: Store, appointment_id: str, before: dict[str, Any] | None,
                        after: dict[str, Any] | None, *, now: datetime, version: Any = None) -> ChangeOutcome:
    """`version` is the update time of `after` (None in tests that do not
    care which writer wins)."""
    if before is None or after is None or before.get(MARKER) != after.get(MARKER):
        return ChangeOutcome(ChangeAction.NONE)
    reverts = _reverts(before, after)
    if reverts:
        log.warning("reverted an edit the ledger cannot follow",
                    extra={"appointmentId": appointment_id, "fields": sorted(reverts)})
        if not _write(store, appointment_id, {**reverts, MARKER: now, "updatedAt": now}, version):
            return ChangeOutcome(ChangeAction.NONE)
    status = reverts.get("status", after.get("status"))
    if status == AppointmentStatus.CANCELLED.value and after.get("cancelledAt") is None:
        finish_cancel(store, appointment_id, now=now)
        return ChangeOutcome(ChangeAction.RELEASED)
    if reverts:
        return ChangeOutcome(ChangeAction.REVERTED)
    if before.get("status") != status:
        history = list(after.get("history") or [])
        if history and isinstance(history[-1], dict) and history[-1].get("status") == status:
            return ChangeOutcome(ChangeAction.NONE)  # the API recorded it, with who did it
        # a console edit or a client's mark under the rules: the event does
        # not say who, so the entry says what kind of writer it was
        history.append(history_entry(now, status, "admin"))
        if not _write(store, appointment_id, {"history": history, "updatedAt": now}, version):
            return ChangeOutcome(ChangeAction.NONE)
        return ChangeOutcome(ChangeAction.RECORDED)
    return ChangeOutcome(ChangeAction.NONE)
