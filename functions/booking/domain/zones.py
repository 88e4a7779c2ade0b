"""Turning provider wall-clock times into instants, and back.

DST policy (the README's "Scheduling rules"):

* A wall time that does not exist because the clocks jump forward (02:30 on
  the spring-forward night in New York) resolves to the first instant after
  the gap, i.e. the transition itself (03:00 EDT). ``zoneinfo`` alone would
  give a shifted instant (03:30 EDT with ``fold=0``), so the gap is detected
  by a round trip and the transition found explicitly.
* A wall time that happens twice because the clocks fall back (01:30 on the
  fall-back night) means its first occurrence (``fold=0``, 01:30 EDT).

The same rule applies to midnights, so a local day always starts at the
first instant that carries its date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["MAX_ZONE_NAME", "zone", "is_valid_zone", "resolve_local", "local_date", "local_label",
           "utc_offset_seconds", "zone_refusal"]

# No IANA name comes near it (the longest is 32 characters); the security
# rules cap a document's timeZone at this size too.
MAX_ZONE_NAME = 64

# Keys the zone database accepts that do not name a place: their meaning
# depends on the host (localtime) or is deliberately meaningless (Factory).
_NOT_PLACES = {"localtime", "posixrules", "Factory"}


@lru_cache(maxsize=1024)
def is_valid_zone(key: str) -> bool:
    """True when ``key`` is an IANA zone name the zone database knows."""
    if not isinstance(key, str) or not key or len(key) > MAX_ZONE_NAME or key in _NOT_PLACES:
        return False
    if key.startswith(("posix/", "right/")):
        return False
    try:
        ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone(tz: str | ZoneInfo) -> ZoneInfo:
    """A ``ZoneInfo`` from a key (ZoneInfo caches instances per key)."""
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def resolve_local(wall: datetime, tz: str | ZoneInfo) -> datetime:
    """The UTC instant of the naive provider wall time ``wall`` in ``tz``.

    Gaps move to the first instant after the gap; folds take the first
    occurrence (see the module docstring).
    """
    if wall.tzinfo is not None:
        raise ValueError("resolve_local expects a naive wall-clock datetime")
    z = zone(tz)
    first = wall.replace(tzinfo=z, fold=0).astimezone(UTC)
    if first.astimezone(z).replace(tzinfo=None) == wall:
        return first
    # In a gap: fold=1 maps with the post-transition offset and lands before
    # the transition, fold=0 with the pre-transition offset and lands after
    # it; the transition is the first instant in between whose wall time is
    # past ``wall``. Transitions fall on whole seconds.
    other = wall.replace(tzinfo=z, fold=1).astimezone(UTC)
    lo, hi = min(first, other), max(first, other)
    lo_s, hi_s = int(lo.timestamp()), int(hi.timestamp())
    while lo_s + 1 < hi_s:
        mid = (lo_s + hi_s) // 2
        if datetime.fromtimestamp(mid, z).replace(tzinfo=None) > wall:
            hi_s = mid
        else:
            lo_s = mid
    return datetime.fromtimestamp(hi_s, UTC)


def local_date(tz: str | ZoneInfo, instant: datetime) -> date:
    """The provider-local calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("local_date expects an aware datetime")
    return instant.astimezone(zone(tz)).date()


def local_label(tz: str | ZoneInfo, instant: datetime) -> str:
    """``2026-01-12 09:00 CET``: an instant as a person in ``tz`` reads it."""
    try:
        return instant.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M %Z")
    except OverflowError:
        # within hours of year 9999 the local time may not exist as a datetime
        return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def zone_refusal(hours_zone: str | None, provider_zone: str) -> str | None:
    """Why open hours written in ``hours_zone`` cannot be a provider's, or None.

    A provider's hours are read in the provider's zone (its days and its day
    sheets are keyed by it), so an availability's own timeZone may only be
    left out or repeat it."""
    if hours_zone is None or hours_zone == provider_zone:
        return None
    return f"must be the provider's zone ({provider_zone}) or left out"


def utc_offset_seconds(tz: str | ZoneInfo, epoch_seconds: int) -> int:
    """The zone's UTC offset, in seconds, at an instant given as epoch seconds."""
    offset = datetime.fromtimestamp(epoch_seconds, zone(tz)).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def day_start(tz: str | ZoneInfo, d: date) -> datetime:
    """The first instant (UTC) of the provider-local date ``d``."""
    return resolve_local(datetime(d.year, d.month, d.day), tz)

