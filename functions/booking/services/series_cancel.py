"""Cancel one occurrence of a series "and all following".

Each occurrence is an appointment of its own, so each is cancelled by the
single cancel (`cancel.cancel`: its own commit, conditioned on the
appointment's and its sheets' versions, with its own cancellation mail that
carries the CANCEL of its own calendar event). The one asked for must be
cancellable (its cutoff is checked like any cancel); a later occurrence
inside its own cutoff, or no longer confirmed, is left as it is and
reported. A repeated call cancels nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.refusals import Refusal
from booking.services.cancel import cancel
from booking.services.ports import Store
from booking.services.retry import Backoff


@dataclass(frozen=True)
class FollowingOutcome:
    appointment: Appointment  # the one asked for, as it is now
    cancelled: tuple[str, ...]  # ids cancelled by this call, in series order
    kept: tuple[str, ...]  # later occurrences left confirmed: inside their cutoff


def cancel_following(store: Store, appointment_id: str, *, now: datetime, by: str, reason: str | None = None,
                     enforce_cutoff: bool = True, backoff: Backoff | None = None) -> FollowingOutcome:
    """A `Refusal` as `cancel` when the one asked for may not be cancelled.
    An appointment outside any series cancels alone."""
    chosen = store.appointment(appointment_id)
    if chosen is None:
        raise Refusal("not_found", "There is no such appointment.")
    first = cancel(store, appointment_id, now=now, by=by, reason=reason, enforce_cutoff=enforce_cutoff,
                   backoff=backoff)
    cancelled = [appointment_id] if chosen.status is AppointmentStatus.CONFIRMED else []
    if chosen.series_id is None or chosen.series_index is None:
        return FollowingOutcome(first.appointment, tuple(cancelled), ())
    kept: list[str] = []
    later = [a for a in store.series_appointments(chosen.series_id)
             if a.series_index is not None and a.series_index > chosen.series_index
             and a.status is AppointmentStatus.CONFIRMED]
    for occurrence in later:
        if enforce_cutoff and not occurrence.cancellable_at(now):
            kept.append(occurrence.id)
            continue
        try:
            cancel(store, occurrence.id, now=now, by=by, reason=reason, enforce_cutoff=enforce_cutoff,
                   backoff=backoff)
        except Refusal:
            kept.append(occurrence.id)  # changed since read (completed, say): it stays as it is
            continue
        cancelled.append(occurrence.id)
    return FollowingOutcome(first.appointment, tuple(cancelled), tuple(kept))
