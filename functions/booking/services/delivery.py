"""What the mail extension reports back: the Trigger Email extension writes
`delivery.state` (PENDING, PROCESSING, SUCCESS, ERROR, with `delivery.error`)
on each `mail/{id}` document it handles. A mail about an appointment that
ends in ERROR is recorded on the appointment's `notifications`, so staff
can see that the customer was not reached and call them instead.

Triggers are delivered at least once and the extension may write ERROR
again after a retry: a mail id is recorded once, its first failure kept.
The write is conditioned on the appointment's version, so a concurrent
cancel or reschedule is not overwritten; the read is repeated until it
holds or the time budget is spent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from booking.domain.ids import is_safe_id
from booking.services.ports import Commit, Conflict, InvalidDocument, Store
from booking.services.retry import Backoff

log = logging.getLogger(__name__)

ERROR = "ERROR"
# An SMTP transcript can be long; staff need its first lines.
MAX_ERROR = 500


class Recorded(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"  # this mail's failure is on the appointment already
    NOT_FAILED = "not_failed"  # no ERROR (yet): nothing to record
    NO_APPOINTMENT = "no_appointment"  # not about an appointment, or it is gone
    CONTENDED = "contended"  # the appointment kept changing; the time budget ran out


@dataclass(frozen=True)
class DeliveryOutcome:
    result: Recorded
    appointment_id: str | None = None


def failed_delivery(mail: dict[str, Any] | None) -> dict[str, Any] | None:
    """The mail's `delivery` when it reports an ERROR, else None."""
    delivery = (mail or {}).get("delivery")
    if not isinstance(delivery, dict) or delivery.get("state") != ERROR:
        return None
    return delivery


def notification_entry(mail_id: str, mail: dict[str, Any], delivery: dict[str, Any],
                       now: datetime) -> dict[str, Any]:
    """The record staff see: which mail, what it was for, and why it failed.
    `at` is when the extension gave up (its `endTime`), else when we learnt of it."""
    error = delivery.get("error")
    end = delivery.get("endTime")
    kind = mail.get("kind")
    return {
        "mailId": mail_id,
        "kind": kind if isinstance(kind, str) else None,
        "state": ERROR,
        "error": str(error)[:MAX_ERROR] if error is not None else None,
        "at": end if isinstance(end, datetime) else now,
    }


def mail_delivery_changed(store: Store, mail_id: str, mail: dict[str, Any] | None, *, now: datetime,
                          backoff: Backoff | None = None) -> DeliveryOutcome:
    """React to an update of `mail/{mail_id}` whose document is now `mail`."""
    delivery = failed_delivery(mail)
    if delivery is None or mail is None:
        return DeliveryOutcome(Recorded.NOT_FAILED)
    appointment_id = mail.get("appointmentId")
    if not isinstance(appointment_id, str) or not is_safe_id(appointment_id):
        return DeliveryOutcome(Recorded.NO_APPOINTMENT)
    entry = notification_entry(mail_id, mail, delivery, now)
    for _ in (backoff or Backoff()).rounds():
        try:
            read = store.appointment_versioned(appointment_id)
        except InvalidDocument as error:
            # a record broken in the console: its own trigger reports it
            log.warning("failed mail's appointment does not validate",
                        extra={"mailId": mail_id, "appointmentId": appointment_id, "error": str(error)})
            return DeliveryOutcome(Recorded.NO_APPOINTMENT, appointment_id)
        if read is None:
            return DeliveryOutcome(Recorded.NO_APPOINTMENT, appointment_id)
        notifications = list(read.value.notifications)
        if any(n.get("mailId") == mail_id for n in notifications):
            return DeliveryOutcome(Recorded.ALREADY, appointment_id)
        try:
            store.commit(Commit(update_appointments=[
                (appointment_id, {"notifications": [*notifications, entry]}, read.version)]))
        except Conflict:
            continue  # changed since the read (or a twin event recorded it): read again
        return DeliveryOutcome(Recorded.RECORDED, appointment_id)
    log.warning("could not record a failed mail on its appointment",
                extra={"mailId": mail_id, "appointmentId": appointment_id})
    return DeliveryOutcome(Recorded.CONTENDED, appointment_id)
