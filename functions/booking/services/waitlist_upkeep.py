"""The waitlist's safety nets: claims whose booking never finished, and
entries whose window has passed.

A claim (status `offered`) names its booking request. The frequent
re-drive settles claims older than a booking's whole time budget: the
request booked → `booked`; refused → back to `waiting`; still pending →
left to the request re-drive; never written (the instance died between the
claim and the booking) → the request is written `rejected` first, create-
only, so a booking still in flight somewhere can no longer commit it (its
create of the same request fails), and then the entry waits again. So one
entry never yields two bookings, whatever died where.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from booking.domain.booking_requests import MESSAGES, Reason, RequestStatus
from booking.domain.waitlist import Entry, EntryStatus, moved
from booking.services.ports import Commit, Conflict, Store
from booking.services.redrive import isolated
from booking.services.waitlist import Waitlists, settle

log = logging.getLogger(__name__)

CLAIM_STALE_AFTER = timedelta(minutes=2)  # longer than a booking's 40 s budget, with room
BATCH = 200


@dataclass
class WaitlistUpkeepReport:
    settled: dict[str, str] = field(default_factory=dict)  # entry id -> what its claim became
    expired: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def settle_stale_claims(store: Store, lists: Waitlists, *, now: datetime,
                        stale_after: timedelta = CLAIM_STALE_AFTER,
                        report: WaitlistUpkeepReport | None = None) -> WaitlistUpkeepReport:
    report = report if report is not None else WaitlistUpkeepReport()
    for versioned in lists.with_status(EntryStatus.OFFERED, BATCH):
        entry = versioned.value
        claim = entry.claim
        if claim is None or claim.at > now - stale_after:
            continue
        with isolated(report.errors, f"waitlist {entry.id}"):
            found = store.request(claim.request_id)
            if found is None:
                if not _fence(store, entry, claim.request_id, now):
                    continue  # written meanwhile: the next run reads what it became
                status, appointment_id, reason = RequestStatus.REJECTED, None, Reason.PROCESSING_FAILED.value
            else:
                status = RequestStatus(found.value.get("status", RequestStatus.PENDING.value))
                appointment_id, reason = found.value.get("appointmentId"), found.value.get("reason")
            if settle(lists, entry, versioned.version, status, appointment_id=appointment_id, reason=reason, now=now):
                report.settled[entry.id] = status.value
    return report


def _fence(store: Store, entry: Entry, request_id: str, now: datetime) -> bool:
    """Writes the claim's request as refused, create-only. False: it exists."""
    claim = entry.claim
    doc = {"customerId": entry.customer_id, "providerId": claim.provider_id, "appointmentTypeId": entry.type_id,
           "start": claim.start, "createdAt": now, "status": RequestStatus.REJECTED.value,
           "reason": Reason.PROCESSING_FAILED.value, "message": MESSAGES[Reason.PROCESSING_FAILED],
           "processedAt": now}
    try:
        store.commit(Commit(requests=[(request_id, doc, None)]))
    except Conflict:
        return False
    return True


def expire_entries(lists: Waitlists, *, now: datetime,
                   report: WaitlistUpkeepReport | None = None) -> WaitlistUpkeepReport:
    """Waiting entries whose window has passed (its last local day is over)
    become `expired`. The query is coarse by a day either side of every zone;
    each entry's own end decides."""
    report = report if report is not None else WaitlistUpkeepReport()
    for versioned in lists.with_status(EntryStatus.WAITING, BATCH, last_day_before=now.date().isoformat()):
        entry = versioned.value
        if entry.window.ends_at() > now:
            continue
        with isolated(report.errors, f"waitlist {entry.id}"):
            try:
                lists.update(entry.id, moved(entry, EntryStatus.EXPIRED, now), versioned.version)
            except Conflict:
                continue  # claimed or withdrawn meanwhile
            report.expired.append(entry.id)
    return report
