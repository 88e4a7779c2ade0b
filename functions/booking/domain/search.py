"""The slot search result shape the APIs return, in the booker's time zone.

Slots are computed in the provider's zone; the booker sees them grouped by
*their own* calendar date, so one provider day can land on two booker dates
(a Sydney afternoon is a London night and morning). Times are ISO 8601 with
the booker's UTC offset, whole seconds: ``2026-03-08T09:00:00-05:00``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from .ranges import to_utc
from .zones import zone

__all__ = ["group_by_local_date", "iso"]


def iso(instant: datetime, tz: str | ZoneInfo) -> str:
    """``instant`` as ISO 8601 in ``tz``, with its offset, to the second."""
    return to_utc(instant).astimezone(zone(tz)).isoformat(timespec="seconds")


def group_by_local_date(items: Iterable[tuple[datetime, datetime, str]], tz: str | ZoneInfo) -> dict[str, list[dict[str, str]]]:
    """Group ``(start, end, provider_id)`` by the start's date in ``tz``.

    Returns ``{"YYYY-MM-DD": [{"start", "end", "providerId"}, ...]}`` with the
    dates in order and each list sorted by start, then provider id.
    """
    z = zone(tz)
    ordered = sorted(((to_utc(s), to_utc(e), p) for s, e, p in items), key=lambda item: (item[0], item[2]))
    grouped: dict[str, list[dict[str, str]]] = {}
    for start, end, provider_id in ordered:
        local_start = start.astimezone(z)
        grouped.setdefault(local_start.date().isoformat(), []).append(
            {
                "start": local_start.isoformat(timespec="seconds"),
                "end": end.astimezone(z).isoformat(timespec="seconds"),
                "providerId": provider_id,
            }
        )
    # dates normally come out in order already; a zone that falls back across
    # midnight could revisit one, so sort rather than trust
    return dict(sorted(grouped.items()))
