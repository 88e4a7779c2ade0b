"""Joining and leaving the waitlist (REST; client SDK writes go through the
rules, which hold the same contract, and the created-entry check).

A customer holds at most `MAX_ACTIVE_PER_CUSTOMER` active entries. A
withdrawal is a status move (the record stays), conditioned on the
version read, so it never overwrites a claim being settled unseen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.domain.refusals import Refusal
from booking.domain.waitlist import (
    ACTIVE,
    MAX_ACTIVE_PER_CUSTOMER,
    CLIENT_FIELDS,
    EntryStatus,
    InvalidEntry,
    entry_from,
    moved,
    parse_new_entry,
)
from booking.services.ports import Conflict, Store, Versioned


class EntryInvalid(Refusal):
    """422 naming the field (`field`)."""

    def __init__(self, invalid: InvalidEntry) -> None:
        message = str(invalid)
        name = message.split(" ", 1)[0]
        super().__init__("validation_failed", message, field=name if name in CLIENT_FIELDS else "body")


def _zone_for(store: Store, customer_id: str, provider_id: str | None) -> str | None:
    """The customer's zone, else the provider's: the window's wall clock."""
    customer = store.customer(customer_id)
    if customer is not None and customer.time_zone:
        return customer.time_zone
    provider = store.provider(provider_id) if provider_id else None
    return provider.time_zone if provider is not None else None


def new_entry(store: Store, lists: Any, customer_id: str, body: dict[str, Any], *, entry_id: str,
              now: datetime) -> dict[str, Any]:
    """Checks and writes a new waiting entry; returns it as stored."""
    data = {**{k: v for k, v in body.items() if v is not None}, "customerId": customer_id}
    if not data.get("timeZone"):
        zone = _zone_for(store, customer_id, data.get("providerId"))
        if zone:
            data["timeZone"] = zone
    try:
        fields = parse_new_entry(data)
    except InvalidEntry as invalid:
        raise EntryInvalid(invalid) from None
    appt_type = store.appointment_type(fields["appointmentTypeId"])
    if appt_type is None or not appt_type.active:
        raise Refusal("unknown_type", "There is no such appointment type on offer.")
    if "providerId" in fields:
        provider = store.provider(fields["providerId"])
        if provider is None or not provider.active:
            raise Refusal("unknown_provider", "There is no such provider taking bookings.")
        if appt_type.id not in provider.type_ids:
            raise Refusal("type_not_offered", "This provider does not offer this appointment type.")
    if len(lists.active_of(customer_id)) >= MAX_ACTIVE_PER_CUSTOMER:
        raise Refusal("too_many_entries",
                      f"You already wait for {MAX_ACTIVE_PER_CUSTOMER} times; withdraw one to join another.")
    doc = {**fields, "status": EntryStatus.WAITING.value, "claims": 0,
           "history": [{"status": EntryStatus.WAITING.value, "at": now}]}
    try:
        return lists.create(entry_id, doc)
    except Conflict:
        raise Refusal("already_exists", f"There is already a waitlist entry {entry_id!r}.") from None


def withdraw(lists: Any, found: Versioned, *, by: str, now: datetime) -> None:
    """waiting or offered → withdrawn. A booking already under way for an
    offered entry may still complete; the customer then cancels it."""
    entry = found.value
    if entry.status not in ACTIVE:
        raise Refusal("invalid_transition", f"The entry is {entry.status.value}; only an active entry can be "
                                            "withdrawn.")
    try:
        lists.update(entry.id, moved(entry, EntryStatus.WITHDRAWN, now, by=by), found.version)
    except Conflict:
        raise Refusal("concurrent_update", "The entry changed meanwhile; read it again and retry.") from None


def beyond_cap(lists: Any, customer_id: str, entry_id: str) -> bool:
    """Whether the active entry `entry_id` is past its customer's first
    `MAX_ACTIVE_PER_CUSTOMER` active entries by (createdAt, id). The created
    check withdraws such an entry, and the matcher passes it by until then:
    the rules cannot count, so a client can create a few too many at once."""
    ranked = sorted((created, i) for created, i in lists.active_of(customer_id) if isinstance(created, datetime))
    return entry_id in {i for _, i in ranked[MAX_ACTIVE_PER_CUSTOMER:]}


def check_created(lists: Any, entry_id: str, data: dict[str, Any] | None, version: Any, *, now: datetime) -> str | None:
    """A new entry as the created trigger sees it (the client SDK's, which the
    rules cannot fully check): one that does not validate (an unknown zone),
    or that is beyond its customer's first `MAX_ACTIVE_PER_CUSTOMER` active
    entries by (createdAt, id), is withdrawn with the reason. Every instance
    orders the same way, so two entries created at once cannot both stay
    over the cap. Returns the reason, or None when it stays."""
    if not isinstance(data, dict) or data.get("status") != EntryStatus.WAITING.value:
        return None
    try:
        entry_from(entry_id, data)
    except InvalidEntry as invalid:
        reason, message = "invalid_entry", str(invalid)
    else:
        if not beyond_cap(lists, data["customerId"], entry_id):
            return None
        reason, message = "too_many_entries", f"at most {MAX_ACTIVE_PER_CUSTOMER} active entries"
    line = {"status": EntryStatus.WITHDRAWN.value, "at": now, "reason": reason, "message": message}
    try:
        lists.update(entry_id, {"status": EntryStatus.WITHDRAWN.value, "reason": reason,
                                "history": [*(data.get("history") or []), line], "updatedAt": now}, version)
    except Conflict:
        return None  # changed meanwhile (withdrawn by its customer, or claimed: then it was within the cap)
    return reason
