"""What the two time-off routers share: reading one (404, 403), building the
model from a body (422), the write and its application to the slots, and
the list's range and pages.

A write stores the document first (a create that fails if the id is taken;
a change or delete conditioned on the version read, so a concurrent change
answers 409 `concurrent_update`), then applies it to the day sheets at once
(`booking.services.time_off.apply_time_off`; the trigger applies it again,
which changes nothing), so the answer can name the appointments it overlaps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError

from booking.api import policies
from booking.api.auth import Principal
from booking.api.deps import PageParams, encode_token
from booking.api.errors import ApiError, validation_error
from booking.domain.ranges import Range
from booking.domain.time_off import TimeOff
from booking.domain.zones import day_start
from booking.services.ports import Commit, Conflict, InvalidDocument, Versioned
from booking.services.time_off import apply_time_off
from booking.store.queries import Page
from booking.store.repository import Repository

# Whole days read in every zone there is (UTC-12 .. UTC+14): how the admins'
# list places an allDay time off when no provider's zone is given.
EARLIEST_ZONE, LATEST_ZONE = timedelta(hours=14), timedelta(hours=12)


def out(time_off: TimeOff, conflicts: list[str] | None = None) -> dict[str, Any]:
    shown = time_off.model_dump(exclude_none=True)
    shown["source"] = time_off.source.value
    if conflicts is not None:
        shown["conflicts"] = conflicts
    return shown


def etag(found: Versioned) -> str:
    version = found.version
    stamp = version.rfc3339() if hasattr(version, "rfc3339") else version.isoformat()
    return f'"{stamp}"'


def read(repo: Repository, time_off_id: str, *, missing: str) -> Versioned:
    """The stored time off with its version; 404 when absent, 409
    `invalid_document` when a console edit left it unreadable."""
    try:
        found = repo.time_off(time_off_id)
    except InvalidDocument as invalid:
        raise ApiError("invalid_document", f"The stored time off is invalid: {invalid}") from invalid
    if found is None:
        raise ApiError("not_found", missing)
    return found


def check_version(found: Versioned, if_match: str | None) -> None:
    """With `If-Match` (the ETag of a GET), refuses a write over a newer change."""
    if if_match is not None and if_match.strip() not in (etag(found), "*"):
        raise ApiError("concurrent_update", "The time off changed since it was read (If-Match); read it again.")


def model(body: BaseModel, time_off_id: str, user: Principal, **scope: Any) -> TimeOff:
    """The domain's TimeOff of a body (422 naming the field when it does not
    validate): a manual time off written by the caller."""
    fields = body.model_dump(exclude={"id", "provider_ids", "all_providers"}, exclude_none=True)
    fields.update(scope)
    try:
        return TimeOff.model_validate({**fields, "id": time_off_id, "source": "manual", "created_by": user.uid})
    except ValidationError as error:
        raise validation_error(error) from error


def require_writable(user: Principal, time_off: TimeOff) -> None:
    if time_off.source.value != "manual":
        raise ApiError("forbidden", policies.FEED_TIME_OFF_REFUSED)
    policies.require(policies.may_write_time_off(user, time_off), policies.TIME_OFF_REFUSED)


def write(repo: Repository, time_off_id: str, before: Versioned | None, after: TimeOff | None, *,
          now: datetime) -> list[str]:
    """Stores the change, applies it to the slots and returns the ids of the
    appointments the time off overlaps now (none after a delete)."""
    version = None if before is None else before.version
    try:
        repo.commit(Commit(time_off=[(time_off_id, after, version)]))
    except Conflict as conflict:
        if before is None:
            raise ApiError("already_exists", f"A time off {time_off_id!r} exists already.") from conflict
        raise ApiError("concurrent_update", "The time off changed while this request was handled; "
                                            "read it again.") from conflict
    try:
        report = apply_time_off(repo, {time_off_id: (None if before is None else before.value, after)}, now=now)
    except Conflict as conflict:
        # stored: the trigger applies it in the background
        raise ApiError("busy", "The time off is saved, but its days are contended right now; the slots "
                               "follow within moments (see GET /appointments?conflicts=true).") from conflict
    return [] if after is None else list(report.conflicts.get(time_off_id, []))


def clear_feed_busy_time(repo: Repository, provider_id: str, *, now: datetime) -> None:
    """After its feed is removed, the provider's feed time off goes at once
    (the import with no feed has nothing to fetch and keeps nothing)."""
    from booking.services.feed_import import clear_removed_feeds
    from booking.store.calendar_feeds import FirestoreFeeds

    clear_removed_feeds(repo, FirestoreFeeds(repo.db, counts=repo.counts), now=now, only=provider_id)


# -- lists ----------------------------------------------------------------------


def reach_in(tz: str | None) -> Callable[[TimeOff], Range]:
    """Where a time off lies: in a provider's zone, or (no zone) anywhere on earth."""
    def reach(time_off: TimeOff) -> Range:
        if tz is not None or not time_off.all_day:
            return time_off.span_in(tz or "UTC")
        assert time_off.start_date is not None and time_off.end_date is not None
        return Range(day_start("UTC", time_off.start_date) - EARLIEST_ZONE,
                     day_start("UTC", time_off.end_date + timedelta(days=1)) + LATEST_ZONE)
    return reach


def page(found: list[TimeOff], reach: Callable[[TimeOff], Range], paging: PageParams,
         start_from: datetime | None, start_to: datetime | None) -> dict[str, Any]:
    """The time off that overlaps [from, to), ordered by start then id, one
    page of it; the page token is the last item's start and id."""
    placed = sorted(((reach(t), t) for t in found), key=lambda item: (item[0].start, item[1].id))
    chosen = [(r, t) for r, t in placed
              if (start_from is None or r.end > start_from) and (start_to is None or r.start < start_to)]
    after = paging.after(2)
    if after is not None:
        chosen = [(r, t) for r, t in chosen if (r.start, t.id) > (after[0], after[1])]
    shown = chosen[:paging.page_size]
    more = len(chosen) > paging.page_size
    token = encode_token([shown[-1][0].start, shown[-1][1].id]) if more and shown else None
    return {"items": [out(t) for _, t in shown], "nextPageToken": token}


# -- appointments that time off overlaps ----------------------------------------

# How many underlying pages one page of conflicts may read before it answers
# with what it found (and a token to go on): a bound on a request's reads.
MAX_SCANNED_PAGES = 5


def only_conflicted(read: Callable[..., Page]) -> Callable[..., Page]:
    """A page reader of appointments (`repo.appointments_page`) that keeps
    those with a non-empty `timeOffConflicts`, reading on until the page is
    full; its cursor is the last kept appointment's start and id."""
    def conflicted(query: Any, *, page_size: int, after: list[Any] | None = None) -> Page:
        kept: list = []
        cursor = after
        for _ in range(MAX_SCANNED_PAGES):
            found = read(query, page_size=page_size, after=cursor)
            kept.extend(a for a in found.items if a.time_off_conflicts)
            cursor = found.cursor
            if cursor is None or len(kept) >= page_size:
                break
        if len(kept) > page_size or (len(kept) == page_size and cursor is not None):
            last = kept[page_size - 1]
            return Page(kept[:page_size], [last.start, last.id])
        return Page(kept, cursor)
    return conflicted
