"""/time-off: time off of several providers or of the whole business
(closures), and every time off at a glance; admins only.

A closure names `providerIds` (one or more) or `allProviders: true`; whole
days (`allDay`) are each provider's own local days, so a closure on 25
December closes 25 December wherever each provider works. A write answers
with `conflicts`, the booked appointments it overlaps (they stay booked,
flagged). A provider's own time off is also at /providers/{id}/time-off.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from booking.api import time_off_ops as ops
from booking.api.deps import Now, Paging, Repo, TimeOffId, check_instant_range, new_id
from booking.api.policies import AdminUser
from booking.api.routers.time_off import WRITE_RESPONSES, From, IfMatch, To
from booking.api.time_off_schemas import ClosureCreate, ClosureIn, TimeOffOut, TimeOffPage, TimeOffWritten
from booking.domain.ids import SAFE_ID_PATTERN
from booking.store import time_off_queries

router = APIRouter(tags=["time off"])


def _scope(body: ClosureIn) -> dict:
    return {"provider_ids": body.provider_ids, "all_providers": body.all_providers}


@router.get("", response_model=TimeOffPage, response_model_exclude_none=True, summary="List all time off")
def list_all(_: AdminUser, repo: Repo, paging: Paging, start_from: From = None, start_to: To = None,
             provider_id: Annotated[str | None, Query(alias="providerId", pattern=SAFE_ID_PATTERN,
                                                      description="Only the time off that applies to it.")] = None):
    """Every time off (manual and feed), ordered by start, that overlaps `from`..`to`. Without
    `providerId`, whole days are placed as they fall in any zone (UTC-12 to UTC+14)."""
    check_instant_range(start_from, start_to)
    found = repo.time_off_for(provider_id) if provider_id else time_off_queries.every_time_off(repo)
    zone = None
    if provider_id:
        provider = repo.provider(provider_id)
        zone = provider.time_zone if provider else None
    return ops.page(found, ops.reach_in(zone), paging, start_from, start_to)


@router.post("", response_model=TimeOffWritten, response_model_exclude_none=True,
             status_code=status.HTTP_201_CREATED, responses=WRITE_RESPONSES, summary="Add a closure")
def create_closure(user: AdminUser, body: ClosureCreate, repo: Repo, now: Now):
    model = ops.model(body, new_id(body.id), user, **_scope(body))
    return ops.out(model, ops.write(repo, model.id, None, model, now=now))


@router.get("/{time_off_id}", response_model=TimeOffOut, response_model_exclude_none=True,
            summary="Get any time off")
def get_any(_: AdminUser, time_off_id: TimeOffId, repo: Repo, response: Response):
    found = ops.read(repo, time_off_id, missing=f"There is no time off {time_off_id!r}.")
    response.headers["ETag"] = ops.etag(found)
    return ops.out(found.value)


@router.put("/{time_off_id}", response_model=TimeOffWritten, response_model_exclude_none=True,
            responses=WRITE_RESPONSES, summary="Replace any manual time off")
def replace_any(user: AdminUser, time_off_id: TimeOffId, body: ClosureIn, repo: Repo, now: Now,
                if_match: IfMatch = None):
    model = ops.model(body, time_off_id, user, **_scope(body))
    found = ops.read(repo, time_off_id, missing=f"There is no time off {time_off_id!r}.")
    ops.require_writable(user, found.value)
    ops.check_version(found, if_match)
    return ops.out(model, ops.write(repo, time_off_id, found, model, now=now))


@router.delete("/{time_off_id}", response_model=TimeOffWritten, response_model_exclude_none=True,
               responses=WRITE_RESPONSES, summary="Delete any manual time off")
def delete_any(user: AdminUser, time_off_id: TimeOffId, repo: Repo, now: Now, if_match: IfMatch = None):
    found = ops.read(repo, time_off_id, missing=f"There is no time off {time_off_id!r}.")
    ops.require_writable(user, found.value)
    ops.check_version(found, if_match)
    return ops.out(found.value, ops.write(repo, time_off_id, found, None, now=now))
