"""/waitlist: join, read and withdraw waitlist entries (issue 18).

Customers their own entries; admins every entry (and may join on a
customer's behalf); a provider's staff read the entries that name their
provider. An entry the caller may not read is a 404, like a missing one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import ConfigDict, Field

from booking.api.auth import CurrentUser, Principal
from booking.api.deps import Now, PageParams, Paging, Repo, _path_id, encode_token, meter_of, new_id
from booking.api.errors import ApiError
from booking.api.policies import is_admin, is_customer, is_staff_of, require
from booking.api.schemas import ApiModel
from booking.domain.ids import SAFE_ID_PATTERN
from booking.domain.models import Id
from booking.domain.refusals import Refusal
from booking.services.waitlist_entries import EntryInvalid, new_entry, withdraw
from booking.store.waitlist import FirestoreWaitlist

router = APIRouter(tags=["waitlist"])
EntryId = Annotated[str, _path_id("Waitlist entry id")]
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def waitlists(request: Request) -> FirestoreWaitlist:
    from booking.store.clients import db

    return FirestoreWaitlist(db(), counts=meter_of(request))


Lists = Annotated[FirestoreWaitlist, Depends(waitlists)]


class WaitlistEntryCreate(ApiModel):
    """Wait for a time of one appointment type, at one provider or any."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "appointmentTypeId": "consult", "providerId": "dr-ada", "firstDay": "2026-12-07", "lastDay": "2026-12-18",
        "weekdays": [1, 2, 3, 4, 5], "after": "17:00", "mode": "book"}]})

    id: Id | None = Field(default=None, description="The new entry's id; a random id when left out.")
    customer_id: Id | None = Field(default=None, description="Admins only: join on this customer's behalf.")
    appointment_type_id: Id
    provider_id: Id | None = Field(default=None, description="Left out: any provider offering the type.")
    first_day: date
    last_day: date = Field(description="Inclusive; the window may span at most 92 days.")
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] | None = Field(
        default=None, max_length=7, description="ISO weekdays (1 = Monday); left out: every day.")
    after: str | None = Field(default=None, pattern=HHMM, description="Starts at or after this time of day.")
    before: str | None = Field(default=None, pattern=HHMM, description="Starts before this time of day.")
    time_zone: str | None = Field(default=None, description="The window's zone; left out: the customer's, "
                                                            "else the provider's.")
    mode: Literal["book", "notify"] = Field(description="book: book a freed time for me; notify: mail me a link.")


class WaitlistEntry(ApiModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    customer_id: str
    appointment_type_id: str
    provider_id: str | None = None
    first_day: str
    last_day: str
    weekdays: list[int] | None = None
    after: str | None = None
    before: str | None = None
    time_zone: str
    mode: str
    status: Literal["waiting", "offered", "booked", "expired", "withdrawn"]
    created_at: datetime | None = None
    appointment_id: str | None = Field(default=None, description="The booking made for it (status booked).")
    last_refusal: str | None = Field(default=None, description="Why the last booking tried for it was refused.")
    history: list[dict[str, Any]] = []


class WaitlistPage(ApiModel):
    items: list[WaitlistEntry]
    next_page_token: str | None = None


REFUSALS = {409: {"description": "too_many_entries, invalid_transition, concurrent_update, unknown_type, "
                                 "unknown_provider, type_not_offered, already_exists"}}


def _may_read(user: Principal, entry: dict[str, Any]) -> bool:
    return is_admin(user) or is_customer(user, entry.get("customerId")) or (
        entry.get("providerId") is not None and is_staff_of(user, entry["providerId"]))


def _readable(lists: FirestoreWaitlist, user: Principal, entry_id: str) -> dict[str, Any]:
    found = lists.raw(entry_id)
    if found is None or not _may_read(user, found):
        raise ApiError("not_found", f"There is no waitlist entry {entry_id!r}.")
    return found


def _refused(refusal: Refusal) -> ApiError:
    if isinstance(refusal, EntryInvalid):
        return ApiError("validation_failed", "The request did not validate.",
                        errors=[{"field": f"body.{refusal.extra['field']}", "message": refusal.message}])
    return ApiError.of(refusal)


@router.get("", response_model=WaitlistPage, response_model_exclude_none=True, summary="List waitlist entries")
def list_entries(user: CurrentUser, lists: Lists, paging: Paging,
                 customer_id: Annotated[str | None, Query(alias="customerId", pattern=SAFE_ID_PATTERN)] = None,
                 provider_id: Annotated[str | None, Query(alias="providerId", pattern=SAFE_ID_PATTERN)] = None):
    """Newest first. With `providerId`: the entries naming that provider (admins and its staff);
    otherwise one customer's (default: the caller's own; another's for admins)."""
    if provider_id is not None:
        require(is_admin(user) or is_staff_of(user, provider_id), "Only admins and its staff may list "
                                                                  "a provider's waitlist.")
        field, value = "providerId", provider_id
    else:
        value = customer_id or user.uid
        require(is_admin(user) or is_customer(user, value), "Customers may list only their own entries.")
        field = "customerId"
    return _page(lists, field, value, paging)


def _page(lists: FirestoreWaitlist, field: str, value: str, paging: PageParams) -> dict[str, Any]:
    after = paging.after(2)
    found = lists.listed(field, value, paging.page_size + 1, tuple(after) if after else None)
    items, more = found[:paging.page_size], len(found) > paging.page_size
    token = encode_token([items[-1]["createdAt"], items[-1]["id"]]) if more and items else None
    return {"items": items, "nextPageToken": token}


@router.post("", response_model=WaitlistEntry, response_model_exclude_none=True,
             status_code=status.HTTP_201_CREATED, responses=REFUSALS, summary="Join the waitlist")
def join(user: CurrentUser, body: WaitlistEntryCreate, repo: Repo, lists: Lists, now: Now):
    customer_id = body.customer_id or user.uid
    require(is_admin(user) or is_customer(user, customer_id), "Only admins may join on a customer's behalf.")
    fields = body.model_dump(by_alias=True, exclude={"id", "customer_id"}, exclude_none=True)
    fields.update(firstDay=body.first_day.isoformat(), lastDay=body.last_day.isoformat())
    try:
        return new_entry(repo, lists, customer_id, fields, entry_id=new_id(body.id), now=now)
    except Refusal as refusal:
        raise _refused(refusal) from None


@router.get("/{entry_id}", response_model=WaitlistEntry, response_model_exclude_none=True,
            summary="Get a waitlist entry")
def get_entry(user: CurrentUser, entry_id: EntryId, lists: Lists):
    return _readable(lists, user, entry_id)


@router.delete("/{entry_id}", response_model=WaitlistEntry, response_model_exclude_none=True,
               responses=REFUSALS, summary="Withdraw a waitlist entry")
def withdraw_entry(user: CurrentUser, entry_id: EntryId, lists: Lists, now: Now):
    """The entry becomes `withdrawn` (the record stays). Its customer or an admin."""
    found = _readable(lists, user, entry_id)
    require(is_admin(user) or is_customer(user, found["customerId"]), "Staff may read, not withdraw, entries.")
    versioned = lists.entry(entry_id)
    if versioned is None:
        raise ApiError("invalid_document", "The stored waitlist entry is invalid.")
    try:
        withdraw(lists, versioned, by=user.uid, now=now)
    except Refusal as refusal:
        raise _refused(refusal) from None
    return lists.raw(entry_id)
