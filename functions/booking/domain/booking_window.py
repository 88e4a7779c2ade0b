"""Notice and horizon: how soon, and how far ahead, a start may be booked.

The rule: ``now + min_notice <= start <= now + horizon_days * 24 h``; a
start exactly at either bound is bookable. It lives here only. The slot
sheets' filter (``slots.filter_bookable``), the check of one requested
start (``booking_check``) and the booking routine's early check, which
runs before any sheet is read (``services.planning.outside_window``), all
ask this module, so they agree on the bounds and on the words of a refusal.

The web app repeats the bounds in its week-of-slots model (web/src), only
to hide starts that went stale in an open page; the backend's check is the
one that decides.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .booking_requests import Reason
from .models import AppointmentType
from .ranges import to_utc
from .zones import local_label

__all__ = ["bookable_bounds", "window_refusal"]


def bookable_bounds(appt_type: AppointmentType, now: datetime) -> tuple[datetime, datetime]:
    """The earliest and the latest bookable start (UTC, both included)."""
    now = to_utc(now)
    return (now + timedelta(minutes=appt_type.min_notice_minutes),
            now + timedelta(days=appt_type.horizon_days))


def window_refusal(appt_type: AppointmentType, start: datetime, now: datetime,
                   tz: str | ZoneInfo) -> tuple[Reason, str] | None:
    """``too_soon`` or ``too_far`` with a message naming the start in ``tz``
    and the type's own bound, or None when ``start`` is inside the window."""
    earliest, latest = bookable_bounds(appt_type, now)
    start = to_utc(start)
    if start < earliest:
        return Reason.TOO_SOON, (f"{local_label(tz, start)} is too soon: {appt_type.name} needs "
                                 f"{appt_type.min_notice_minutes} minutes' notice")
    if start > latest:
        return Reason.TOO_FAR, (f"{local_label(tz, start)} is too far ahead: {appt_type.name} can be booked "
                                f"at most {appt_type.horizon_days} days ahead")
    return None
