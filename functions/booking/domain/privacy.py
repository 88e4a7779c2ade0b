"""A customer's erasure and export, as data: what an erased appointment or
booking request keeps, the erasure job (its audit record) and what an
export shows. Pure: the services read and write, this decides.

An erased appointment keeps what the business needs for its records and
statistics (type, provider, times, status, its history of status moves)
and loses what identifies the person: the name, the notes, a cancel reason
in their words, the delivery errors of mails to them. `customerId` stays:
it is the id of an account that no longer exists, and the appointments
trigger reverts any change to it (services/appointment_changes.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

# The cancel reason of the upcoming appointments an erasure cancels: what
# the provider's staff see on them.
ERASED_REASON = "customer_erased"
# Reasons the backend writes itself, not the customer: they stay.
SYSTEM_REASONS = frozenset({ERASED_REASON, "rescheduled"})
# A field an anonymised document no longer has.
REMOVE = object()

_APPOINTMENT_PERSONAL = ("notes", "notifications")
_REQUEST_PERSONAL = ("notes",)


def anonymised_appointment(data: dict[str, Any]) -> dict[str, Any]:
    """The changes that anonymise a stored appointment (`REMOVE` for a field
    to drop); empty when it is anonymous already, so a second run writes
    nothing."""
    changes: dict[str, Any] = {name: REMOVE for name in _APPOINTMENT_PERSONAL if name in data}
    if data.get("customerName"):
        changes["customerName"] = ""
    if "cancelReason" in data and data["cancelReason"] not in SYSTEM_REASONS:
        changes["cancelReason"] = REMOVE
    return changes


def anonymised_request(data: dict[str, Any], *, now: datetime, rejection: dict[str, Any],
                       expires_at: datetime) -> dict[str, Any]:
    """The changes that anonymise a booking request. One still pending is
    closed with `rejection` (reason and message; the customer is gone, so
    booking it would only fail later), at `now`, kept until `expires_at`
    like any processed request."""
    changes: dict[str, Any] = {name: REMOVE for name in _REQUEST_PERSONAL if name in data}
    if data.get("status") == "pending":
        changes.update({"status": "rejected", **rejection, "processedAt": now, "expiresAt": expires_at})
    return changes


# -- the erasure job: erasures/{customerId} ----------------------------------------


class ErasurePhase(StrEnum):
    """In this order; each is finished (or found empty) before the next.
    The profile goes early: from then on the booking path rejects any
    request of theirs (`unknown_customer`), so nothing new is booked for
    them while the later phases run."""

    ACCOUNT = "account"            # the Auth user: sessions revoked, deleted
    OUTBOX = "outbox"              # mail and texts addressed to the profile's e-mail or phone
    PROFILE = "profile"            # the profile (with its search keys) and the ledger deleted
    REQUESTS = "requests"          # every booking request anonymised (pending ones closed), its mails deleted
    CANCEL = "cancel"              # upcoming appointments, through the cancel path
    APPOINTMENTS = "appointments"  # every appointment anonymised, its mails and texts deleted
    DONE = "done"


PHASES = tuple(ErasurePhase)


class ErasureState(StrEnum):
    RUNNING = "running"
    DONE = "done"


COUNTS = ("accounts", "cancelled", "appointments", "requests", "mails", "messages", "profiles")


@dataclass(frozen=True)
class Requester:
    """Who asked: an admin, or the customer themselves."""

    uid: str
    role: str  # "admin" | "customer"


@dataclass(frozen=True)
class ErasureJob:
    """The job that drives an erasure and, once done, its audit record: when,
    by whom and how much, and nothing about the person beyond the id of the
    account that was erased."""

    customer_id: str
    requested_at: datetime
    requested_by: Requester
    phase: ErasurePhase = ErasurePhase.ACCOUNT
    # the last document id a paged phase finished (appointments, requests)
    cursor: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    runs: int = 0

    @property
    def state(self) -> ErasureState:
        return ErasureState.DONE if self.phase is ErasurePhase.DONE else ErasureState.RUNNING

    def counted(self, **more: int) -> ErasureJob:
        counts = dict(self.counts)
        for name, n in more.items():
            counts[name] = counts.get(name, 0) + n
        return replace(self, counts=counts)

    def advanced(self, *, now: datetime, cursor: str | None = None, finished: bool = True) -> ErasureJob:
        """The phase goes on after `cursor`, or (finished) the next one starts."""
        if not finished:
            return replace(self, cursor=cursor, updated_at=now)
        following = PHASES[PHASES.index(self.phase) + 1]
        done_at = now if following is ErasurePhase.DONE else None
        return replace(self, phase=following, cursor=None, updated_at=now, completed_at=done_at)


def job_to(job: ErasureJob) -> dict[str, Any]:
    return {
        "customerId": job.customer_id,
        "requestedAt": job.requested_at,
        "requestedBy": {"uid": job.requested_by.uid, "role": job.requested_by.role},
        "state": job.state.value,
        "phase": job.phase.value,
        "cursor": job.cursor,
        "counts": dict(job.counts),
        "updatedAt": job.updated_at,
        "completedAt": job.completed_at,
        "runs": job.runs,
    }


def job_from(data: dict[str, Any]) -> ErasureJob:
    """Raises ValueError on a document that is not a job."""
    by = data.get("requestedBy") or {}
    counts = data.get("counts") if isinstance(data.get("counts"), dict) else {}
    return ErasureJob(
        customer_id=str(data["customerId"]),
        requested_at=data["requestedAt"],
        requested_by=Requester(uid=str(by.get("uid", "")), role=str(by.get("role", ""))),
        phase=ErasurePhase(data.get("phase", ErasurePhase.ACCOUNT.value)),
        cursor=data.get("cursor") if isinstance(data.get("cursor"), str) else None,
        counts={name: int(counts.get(name, 0)) for name in COUNTS},
        updated_at=data.get("updatedAt"),
        completed_at=data.get("completedAt"),
        runs=int(data.get("runs") or 0),
    )


# -- the export -----------------------------------------------------------------------

# Who acted, as the customer may see it: themselves, or someone at the business
# (a staff member's or admin's account id is theirs, not the customer's).
BUSINESS = "business"
_APPOINTMENT_NOT_EXPORTED = ("timeOffConflicts", "held", "blockStart", "blockEnd")


def _actor(by: Any, customer_id: str) -> str:
    return "you" if by == customer_id else BUSINESS


def exported_appointment(appointment_id: str, data: dict[str, Any], customer_id: str) -> dict[str, Any]:
    """An appointment as its customer gets it: their own data and the names
    of the provider and the type; who else acted on it only as "business";
    not the provider's private time off it met."""
    out = {k: v for k, v in data.items() if k not in _APPOINTMENT_NOT_EXPORTED}
    out["id"] = appointment_id
    if "cancelledBy" in out:
        out["cancelledBy"] = _actor(out["cancelledBy"], customer_id)
    out["history"] = [{**entry, "by": _actor(entry.get("by"), customer_id)}
                      for entry in data.get("history") or [] if isinstance(entry, dict)]
    return out


def exported_request(request_id: str, data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k != "bookedBy"}
    out["id"] = request_id
    return out


def exported_profile(customer_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The profile as they wrote it: not the backend's search keys, nor
    which staff account added a walk-in."""
    profile = {k: v for k, v in data.items() if k not in ("search", "addedBy")}
    profile["id"] = customer_id
    return profile


def exported_message(message_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """A mail or text message sent to them: what it said and whether it went."""
    out: dict[str, Any] = {"id": message_id}
    for name in ("to", "kind", "appointmentId", "requestId", "createdAt", "body"):
        if name in data:
            out[name] = data[name]
    message = data.get("message")
    if isinstance(message, dict):
        out["subject"] = message.get("subject")
        out["text"] = message.get("text")
    delivery = data.get("delivery")
    if isinstance(delivery, dict) and "state" in delivery:
        out["deliveryState"] = delivery["state"]
    return out
