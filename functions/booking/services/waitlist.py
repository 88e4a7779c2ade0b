"""Filling freed starts from the waitlist (issue 18).

Every way a start frees (a cancel, a reschedule away, removed time off,
wider hours, a raised capacity, a day entering the horizon) ends as a write
of a provider day sheet whose bookable seats grow; the sheet trigger hands
both versions here. Each freed seat goes to the oldest waiting entry it
satisfies:

- *book it for me*: the entry is claimed first (waiting → offered, written
  only if it is still at the version read, together with nothing else), so
  one entry is never booked twice and two instances never take the same
  entry; then the booking routine books a request whose id is derived from
  the entry and its claim number (`wl-{entry}-{n}`). Every booking rule
  applies; the request id makes a repeated attempt find its own booking.
  A refusal puts the entry back to waiting and the seat goes to the next
  in line. A claim whose booking never finished is settled by the re-drive
  (services/waitlist_upkeep.py).
- *tell me*: when no book-for-me entry took the seat, the first few
  tell-me entries get a mail with a link that books it, once per start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from booking.domain.booking_requests import BookingRequest, Reason, RequestStatus
from booking.domain.ledger import DaySheet
from booking.domain.waitlist import (
    NOTIFY_PER_SEAT,
    Claim,
    Entry,
    EntryStatus,
    Freed,
    Mode,
    freed_seats,
    in_line,
    still_free,
    moved,
    offer_key,
)
from booking.services.booking import Outcome, book
from booking.services.ports import Conflict, Store, Versioned
from booking.services.retry import Backoff
from booking.services.waitlist_entries import beyond_cap
from booking.services.waitlist_mail import offer_mail

log = logging.getLogger(__name__)

LINE_LIMIT = 200  # waiting entries read per type and sheet event
# The booking's own budget is 40 s; a waitlist booking gives up sooner and
# leaves the claim to the re-drive, so one contended seat does not hold up
# the rest of the event.
BOOK_BACKOFF = dict(budget_seconds=10.0)
# Refusals about the customer, not the seat: the seat goes to the next in line.
CUSTOMER_REASONS = (Reason.TOO_MANY_UPCOMING, Reason.UNKNOWN_CUSTOMER, Reason.PROCESSING_FAILED)
ACTOR = "waitlist"  # the appointment history's `by` for a booking made from the waitlist


class Waitlists(Protocol):
    """What the waitlist's services need from storage (store/waitlist.py)."""

    def entry(self, entry_id: str) -> Versioned | None: ...  # value: Entry
    def waiting(self, type_id: str, limit: int) -> list[Versioned]: ...  # oldest first
    def with_status(self, status: EntryStatus, limit: int, last_day_before: str | None = None) -> list[Versioned]: ...
    def active_of(self, customer_id: str) -> list[tuple[Any, str]]: ...  # (createdAt, id) of active entries
    def update(self, entry_id: str, fields: dict[str, Any], version: Any,
               mails: list[tuple[str, dict[str, Any]]] = (),
               requests: list[tuple[str, dict[str, Any]]] = ()) -> Any: ...  # new version; Conflict


@dataclass
class MatchReport:
    booked: dict[str, str] = field(default_factory=dict)  # entry id -> appointment id
    notified: list[str] = field(default_factory=list)  # entry ids mailed
    refused: dict[str, str] = field(default_factory=dict)  # entry id -> the booking's reason
    left: list[str] = field(default_factory=list)  # claims left to the re-drive (still pending)


def after_sheet_change(store: Store, lists: Waitlists, before: DaySheet | None, after: DaySheet | None, *,
                       now: datetime, backoff: Backoff | None = None) -> MatchReport:
    """The sheet trigger's waitlist work: every seat the write freed goes to
    the next in line. A write that freed nothing reads nothing."""
    report = MatchReport()
    freed = [f for f in freed_seats(before, after) if f.start > now]
    if not freed or after is None:
        return report
    by_type: dict[str, list[Freed]] = {}
    for f in freed:
        by_type.setdefault(f.type_id, []).append(f)
    current: DaySheet | None = None
    read = False
    for type_id, seats in by_type.items():
        line = {v.value.id: v for v in lists.waiting(type_id, LINE_LIMIT)}
        if not line:
            continue  # nobody waits: the sheet need not be read
        if not read:
            # The sheet as it is now, not as the event saw it: a repeated
            # event finds its seats taken and changes nothing.
            found = store.sheets(after.provider_id, [after.day]).get(after.day)
            current, read = (found.value if found is not None else None), True
        for seat in still_free(seats, current):
            for _ in range(seat.seats):
                if not _fill_seat(store, lists, line, after.provider_id, seat, now, report, backoff):
                    _tell(store, lists, line, after.provider_id, seat, now, report)
    return report


def _fill_seat(store: Store, lists: Waitlists, line: dict[str, Versioned], provider_id: str, seat: Freed,
               now: datetime, report: MatchReport, backoff: Backoff | None) -> bool:
    """Books the seat for the first book-for-me entry that can have it;
    an entry tried here leaves this event's line whatever came of it."""
    entries = [v.value for v in line.values()]
    for entry in in_line(entries, provider_id, seat.type_id, seat.start, Mode.BOOK):
        versioned = line.pop(entry.id)
        if beyond_cap(lists, entry.customer_id, entry.id):
            continue
        outcome = book_for(store, lists, versioned, provider_id, seat.start, now=now, backoff=backoff)
        if outcome is None:
            continue  # another instance claimed it first
        if outcome.status is RequestStatus.CONFIRMED:
            report.booked[entry.id] = outcome.appointment.id if outcome.appointment else ""
            return True
        if outcome.status is RequestStatus.PENDING:
            report.left.append(entry.id)
            return True  # the seat may well be booked for it: do not hand it on
        report.refused[entry.id] = outcome.reason.value if outcome.reason else ""
        if outcome.reason not in CUSTOMER_REASONS:
            return True  # the seat itself is gone or not bookable: nobody else can have it either
    return False


def book_for(store: Store, lists: Waitlists, versioned: Versioned, provider_id: str, start: datetime, *,
             now: datetime, backoff: Backoff | None = None) -> Outcome | None:
    """Claim the entry, book through the booking routine, settle the entry.
    None: the entry had moved on (claimed, withdrawn) since it was read."""
    entry: Entry = versioned.value
    number = entry.claims + 1
    request_id = entry.request_id(number)
    claim = {"number": number, "requestId": request_id, "providerId": provider_id, "start": start, "at": now}
    fields = {**moved(entry, EntryStatus.OFFERED, now, start=start, providerId=provider_id, requestId=request_id),
              "claims": number, "claim": claim}
    try:
        claimed_at = lists.update(entry.id, fields, versioned.version)
    except Conflict:
        return None
    request = BookingRequest(id=request_id, customer_id=entry.customer_id, provider_id=provider_id,
                             appointment_type_id=entry.type_id, start=start, booked_by=ACTOR)
    # No refusal mail: the customer did not ask for this start; a refused
    # entry just waits on.
    outcome = book(store, request, now=now, create_request=True, backoff=backoff or Backoff(**BOOK_BACKOFF),
                   mail_refusal=False)
    claimed = replace(entry, status=EntryStatus.OFFERED, claims=number, history=tuple(fields["history"]),
                      claim=Claim(number, request_id, provider_id, start, now))
    settle(lists, claimed, claimed_at, outcome.status, appointment_id=outcome.appointment.id if outcome.appointment
           else None, reason=outcome.reason.value if outcome.reason else None, now=now)
    return outcome


def settle(lists: Waitlists, entry: Entry, version: Any, status: RequestStatus, *, appointment_id: str | None,
           reason: str | None, now: datetime) -> bool:
    """A claim's end: booked, or back to waiting after a refusal (pending:
    left as it is for the re-drive). Conditioned on the claim's version, so
    a withdrawal meanwhile wins. True when written."""
    if status is RequestStatus.CONFIRMED:
        fields = {**moved(entry, EntryStatus.BOOKED, now, appointmentId=appointment_id),
                  "appointmentId": appointment_id, "claim": None}
    elif status is RequestStatus.REJECTED:
        fields = {**moved(entry, EntryStatus.WAITING, now, reason=reason), "claim": None, "lastRefusal": reason}
    else:
        return False
    try:
        lists.update(entry.id, fields, version)
    except Conflict:
        log.info("waitlist claim changed before it was settled", extra={"entryId": entry.id})
        return False
    return True


def _tell(store: Store, lists: Waitlists, line: dict[str, Versioned], provider_id: str, seat: Freed,
          now: datetime, report: MatchReport) -> None:
    key = offer_key(provider_id, seat.start)
    entries = [v.value for v in line.values() if key not in v.value.offered]
    told = 0
    settings = None
    for entry in in_line(entries, provider_id, seat.type_id, seat.start, Mode.NOTIFY):
        if told >= NOTIFY_PER_SEAT:
            return
        customer = store.customer(entry.customer_id)
        versioned = line.pop(entry.id)
        if customer is None or not customer.email or beyond_cap(lists, entry.customer_id, entry.id):
            continue
        settings = settings or store.booking_settings()
        mail = offer_mail(entry, customer, provider_id, seat.start, settings, now)
        fields = {"offered": [*entry.offered, key], "updatedAt": now}
        try:
            # The mail's id is derived from the entry and the start, and
            # written only with the entry's record of it: never mailed twice.
            lists.update(entry.id, fields, versioned.version, mails=[(f"wl-{entry.id}-{key}", mail)])
        except Conflict:
            continue
        told += 1
        report.notified.append(entry.id)

