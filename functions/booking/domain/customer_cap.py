"""How many upcoming appointments one customer may hold at once.

Without a cap, anyone who signs up can book a provider's whole calendar in
a few seconds. The business sets one number for all types
(`settings/booking.maxUpcomingPerCustomer`, default 10) and a type may set
a lower or higher one of its own (`maxUpcomingPerCustomer` on the type).

The count is kept in one document per customer, the customer's ledger,
which every booking of that customer reads and writes with a version
precondition, so two bookings racing at the cap cannot both get in. The
ledger may still list an appointment that was cancelled since (a cancel
does not touch it); such an entry is verified and dropped only when the
cap would refuse, which keeps cancels cheap and the cap exact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

DEFAULT_MAX_UPCOMING = 10
MAX_UPCOMING_LIMIT = 1000


@dataclass(frozen=True)
class Held:
    """One upcoming appointment as the customer's ledger keeps it."""

    start: datetime
    type_id: str


@dataclass(frozen=True)
class CapSettings:
    max_upcoming: int = DEFAULT_MAX_UPCOMING
    max_upcoming_of_type: int | None = None  # the appointment type's own cap, if it has one


def upcoming(entries: Mapping[str, Held], now: datetime, *, moving: str | None = None) -> dict[str, Held]:
    """The entries still ahead of `now`, without the appointment a
    reschedule is moving (it is replaced, not added to)."""
    return {i: e for i, e in entries.items() if e.start > now and i != moving}


def refusal(entries: Mapping[str, Held], type_id: str, settings: CapSettings) -> str | None:
    """Why one more appointment of `type_id` would break the cap, or None."""
    if len(entries) >= settings.max_upcoming:
        return f"You already hold {len(entries)} upcoming appointments, the most that can be booked at once."
    if settings.max_upcoming_of_type is not None:
        same = sum(1 for e in entries.values() if e.type_id == type_id)
        if same >= settings.max_upcoming_of_type:
            return (f"You already hold {same} upcoming appointments of this kind, "
                    "the most that can be booked at once.")
    return None


def admit(entries: Mapping[str, Held], appointment_id: str, held: Held, settings: CapSettings,
          still_confirmed: Callable[[str], bool], *, enforce: bool) -> tuple[dict[str, Held], str | None]:
    """The ledger with the new appointment added, or the refusal message.

    Entries are checked against the appointments themselves only when the
    cap would refuse: an entry whose appointment is no longer confirmed is
    dropped then. With `enforce` false (staff or an admin booking on a
    customer's behalf) nothing is refused but the ledger still counts."""
    kept = dict(entries)
    if enforce and refusal(kept, held.type_id, settings) is not None:
        kept = {i: e for i, e in kept.items() if still_confirmed(i)}
        message = refusal(kept, held.type_id, settings)
        if message is not None:
            return kept, message
    kept[appointment_id] = held
    return kept, None
