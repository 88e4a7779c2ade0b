"""/providers/{id}/time-off and /providers/{id}/calendar-feed (served by the
providers service).

A provider's time off: admins and the provider's own staff (policies.py);
customers never (its title is private). The list also shows the closures
that apply to the provider (read-only here: they change at /time-off).
A write answers with the time off and `conflicts`, the booked appointments
it overlaps (they stay booked, flagged).

The calendar feed is the provider's secret iCal address, polled every 15
minutes; `status` is the last poll's outcome, the backend's alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from booking.api import policies
from booking.api import time_off_ops as ops
from booking.api.auth import CurrentUser, Principal
from booking.api.deps import Now, Paging, ProviderId, Repo, TimeOffId, check_instant_range, new_id
from booking.api.errors import ApiError, found_or_404
from booking.api.time_off_schemas import (
    CalendarFeedIn,
    CalendarFeedOut,
    TimeOffCreate,
    TimeOffIn,
    TimeOffOut,
    TimeOffPage,
    TimeOffWritten,
)
from booking.services.ports import Versioned
from booking.store import time_off_queries as feeds
from booking.store.repository import Repository

router = APIRouter(tags=["time off"])

IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag of a GET: refuse (409) if it "
                                                                      "changed since.")]
From = Annotated[datetime | None, Query(alias="from", description="Only time off that ends after this instant.")]
To = Annotated[datetime | None, Query(alias="to", description="Only time off that starts before this instant.")]
WRITE_RESPONSES = {409: {"description": "`already_exists`, or `concurrent_update` (changed since read)."}}


def _provider_zone(repo: Repository, user: Principal, provider_id: str) -> str:
    policies.require(policies.may_read_time_off_of(user, provider_id),
                     "Only admins and the provider's own staff see its time off.")
    return found_or_404(lambda: repo.provider(provider_id), "provider", provider_id).time_zone


def _own(repo: Repository, provider_id: str, time_off_id: str) -> Versioned:
    found = ops.read(repo, time_off_id, missing=f"Provider {provider_id!r} has no time off {time_off_id!r}.")
    if not found.value.applies_to(provider_id):
        raise ApiError("not_found", f"Provider {provider_id!r} has no time off {time_off_id!r}.")
    return found


def _changeable(user: Principal, provider_id: str, found: Versioned) -> None:
    ops.require_writable(user, found.value)
    if found.value.all_providers or found.value.provider_ids != [provider_id]:
        raise ApiError("closure", f"Time off {found.value.id!r} is a closure of several providers; "
                                  f"change it at /time-off/{found.value.id}.")


@router.get("/{provider_id}/time-off", response_model=TimeOffPage, response_model_exclude_none=True,
            summary="List a provider's time off")
def list_time_off(provider_id: ProviderId, user: CurrentUser, repo: Repo, paging: Paging,
                  start_from: From = None, start_to: To = None):
    """Its own time off and the closures that apply to it (manual and feed), ordered by start, that
    overlap `from`..`to`. Whole days are placed in the provider's zone."""
    check_instant_range(start_from, start_to)
    zone = _provider_zone(repo, user, provider_id)
    return ops.page(repo.time_off_for(provider_id), ops.reach_in(zone), paging, start_from, start_to)


@router.post("/{provider_id}/time-off", response_model=TimeOffWritten, response_model_exclude_none=True,
             status_code=status.HTTP_201_CREATED, responses=WRITE_RESPONSES, summary="Add time off")
def create_time_off(provider_id: ProviderId, body: TimeOffCreate, user: CurrentUser, repo: Repo, now: Now):
    """A meeting (`start`, `end`) or days off (`allDay`, `startDate`, `endDate`) of this provider alone.
    Its slots close at once; `conflicts` names the booked appointments it overlaps."""
    model = ops.model(body, new_id(body.id), user, provider_ids=[provider_id])
    ops.require_writable(user, model)
    _provider_zone(repo, user, provider_id)
    return ops.out(model, ops.write(repo, model.id, None, model, now=now))


@router.get("/{provider_id}/time-off/{time_off_id}", response_model=TimeOffOut, response_model_exclude_none=True,
            summary="Get a time off")
def get_time_off(provider_id: ProviderId, time_off_id: TimeOffId, user: CurrentUser, repo: Repo,
                 response: Response):
    """With an `ETag` to send back as `If-Match` on PUT or DELETE."""
    _provider_zone(repo, user, provider_id)
    found = _own(repo, provider_id, time_off_id)
    response.headers["ETag"] = ops.etag(found)
    return ops.out(found.value)


@router.put("/{provider_id}/time-off/{time_off_id}", response_model=TimeOffWritten,
            response_model_exclude_none=True, responses=WRITE_RESPONSES, summary="Replace a time off")
def replace_time_off(provider_id: ProviderId, time_off_id: TimeOffId, body: TimeOffIn, user: CurrentUser,
                     repo: Repo, now: Now, if_match: IfMatch = None):
    """The whole time off (its slots follow: freed where it no longer lies, closed where it now does)."""
    model = ops.model(body, time_off_id, user, provider_ids=[provider_id])
    _provider_zone(repo, user, provider_id)
    found = _own(repo, provider_id, time_off_id)
    _changeable(user, provider_id, found)
    ops.require_writable(user, model)
    ops.check_version(found, if_match)
    return ops.out(model, ops.write(repo, time_off_id, found, model, now=now))


@router.delete("/{provider_id}/time-off/{time_off_id}", response_model=TimeOffWritten,
               response_model_exclude_none=True, responses=WRITE_RESPONSES, summary="Delete a time off")
def delete_time_off(provider_id: ProviderId, time_off_id: TimeOffId, user: CurrentUser, repo: Repo, now: Now,
                    if_match: IfMatch = None):
    """Its slots reopen at once. The answer is the time off as it was (`conflicts` empty)."""
    _provider_zone(repo, user, provider_id)
    found = _own(repo, provider_id, time_off_id)
    _changeable(user, provider_id, found)
    ops.check_version(found, if_match)
    return ops.out(found.value, ops.write(repo, time_off_id, found, None, now=now))


# -- calendar feed --------------------------------------------------------------


def _feed_out(provider_id: str, data: dict) -> dict:
    return {"providerId": provider_id, "url": data.get("url", ""), "status": data.get("status")}


def _feed_user(repo: Repository, user: Principal, provider_id: str) -> None:
    policies.require(policies.may_use_feed(user, provider_id),
                     "Only admins and the provider's own staff see or set its calendar feed.")
    found_or_404(lambda: repo.provider(provider_id), "provider", provider_id)


@router.get("/{provider_id}/calendar-feed", response_model=CalendarFeedOut, summary="Get a provider's calendar feed")
def get_feed(provider_id: ProviderId, user: CurrentUser, repo: Repo):
    _feed_user(repo, user, provider_id)
    found = feeds.calendar_feed(repo, provider_id)
    if found is None:
        raise ApiError("not_found", f"Provider {provider_id!r} has no calendar feed.")
    return _feed_out(provider_id, found.value)


@router.put("/{provider_id}/calendar-feed", response_model=CalendarFeedOut, summary="Set a provider's calendar feed")
def set_feed(provider_id: ProviderId, body: CalendarFeedIn, user: CurrentUser, repo: Repo):
    """The calendar's secret iCal address (https). The next poll (within 15 minutes) imports its
    events as busy time; `status` keeps the last poll's outcome until then."""
    _feed_user(repo, user, provider_id)
    feeds.save_feed_url(repo, provider_id, body.url)
    found = feeds.calendar_feed(repo, provider_id)
    return _feed_out(provider_id, found.value if found else {"url": body.url})


@router.delete("/{provider_id}/calendar-feed", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               summary="Remove a provider's calendar feed")
def delete_feed(provider_id: ProviderId, user: CurrentUser, repo: Repo, now: Now) -> Response:
    """Removes the address and, at once, the busy time imported from it."""
    _feed_user(repo, user, provider_id)
    if feeds.calendar_feed(repo, provider_id) is None:
        raise ApiError("not_found", f"Provider {provider_id!r} has no calendar feed.")
    feeds.delete_feed(repo, provider_id)
    ops.clear_feed_busy_time(repo, provider_id, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
