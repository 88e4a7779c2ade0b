"""Per-request dependencies: the store (whose reads are counted into the
request's `X-Doc-Reads`), the clock, pagination and id checks."""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request

from booking.api.errors import ApiError
from booking.domain.ids import SAFE_ID_PATTERN, SAFE_ID_RULE, is_document_id, is_safe_id
from booking.store.repository import Repository

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def meter_of(request: Request) -> Counter:
    """The request's read/write counter (set up by the DocReads middleware)."""
    state = request.scope.setdefault("state", {})
    meter = state.get("meter")
    if meter is None:
        meter = state["meter"] = Counter()
    return meter


def repository(request: Request) -> Repository:
    from booking.store.clients import db

    return Repository(db(), counts=meter_of(request))


def clock() -> datetime:
    """`now`, read here and handed to the services (never read inside them)."""
    return datetime.now(UTC)


Repo = Annotated[Repository, Depends(repository)]
Now = Annotated[datetime, Depends(clock)]


# -- pagination -------------------------------------------------------------


def encode_token(cursor: list[Any]) -> str:
    values = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in cursor]
    raw = json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, length: int) -> list[Any]:
    """The cursor inside a page token; 400 when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != length or not isinstance(values[-1], str):
            raise ValueError("wrong shape")
        decoded = [datetime.fromisoformat(v["t"]) if isinstance(v, dict) else v for v in values]
        if not is_document_id(decoded[-1]):
            raise ValueError("bad id")
        for v in decoded:
            if isinstance(v, datetime) and v.tzinfo is None:
                raise ValueError("naive instant")
        return decoded
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError("invalid_page_token", "pageToken is not a token from an earlier page.") from error


class PageParams:
    def __init__(
        self,
        page_size: Annotated[int, Query(alias="pageSize", ge=1, le=MAX_PAGE_SIZE,
                                        description=f"Items per page (default {DEFAULT_PAGE_SIZE}, "
                                                    f"max {MAX_PAGE_SIZE}).")] = DEFAULT_PAGE_SIZE,
        page_token: Annotated[str | None, Query(alias="pageToken", max_length=512,
                                                description="nextPageToken of the previous page.")] = None,
    ) -> None:
        self.page_size = page_size
        self.page_token = page_token

    def after(self, length: int) -> list[Any] | None:
        return decode_token(self.page_token, length) if self.page_token else None


Paging = Annotated[PageParams, Depends()]


def _path_id(what: str) -> Any:
    # Outside the id alphabet no usable document can exist: 422 naming the
    # path parameter, before any read.
    return Path(pattern=SAFE_ID_PATTERN, description=f"{what} ({SAFE_ID_RULE}).")


TypeId = Annotated[str, _path_id("Appointment type id")]
ProviderId = Annotated[str, _path_id("Provider id")]
CustomerId = Annotated[str, _path_id("Customer id (the customer's auth uid)")]
AppointmentId = Annotated[str, _path_id("Appointment id")]
TimeOffId = Annotated[str, _path_id("Time off id")]


def new_id(value: str | None, field: str = "id") -> str:
    """The id a create asks for (checked), else a fresh random one."""
    if value is None:
        import uuid

        return uuid.uuid4().hex
    if not is_safe_id(value):
        raise ApiError("validation_failed", "The request did not validate.",
                       errors=[{"field": f"body.{field}", "message": f"must be {SAFE_ID_RULE}"}])
    return value


def check_instant_range(start_from: datetime | None, start_to: datetime | None) -> None:
    """A list's `from`/`to` query: with a UTC offset, inside the years the API
    takes, and `to` after `from` (422 naming the parameter)."""
    from booking.api.schemas import FIRST_YEAR, LAST_YEAR

    for name, value in (("from", start_from), ("to", start_to)):
        problem = None
        if value is not None and value.tzinfo is None:
            problem = "needs a UTC offset"
        elif value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            problem = f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}"
        if problem:
            raise ApiError("validation_failed", "The request did not validate.",
                           errors=[{"field": f"query.{name}", "message": problem}])
    if start_from is not None and start_to is not None and start_to <= start_from:
        raise ApiError("validation_failed", "The request did not validate.",
                       errors=[{"field": "query.to", "message": "must be after from"}])
