"""/available-slots: public slot search over the precomputed day sheets."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from booking.api import operations as ops
from booking.api.deps import Now, Repo
from booking.api.schemas import SlotSearchResult
from booking.domain.ids import SAFE_ID_PATTERN
from booking.domain.zones import MAX_ZONE_NAME

router = APIRouter(tags=["available slots"])


@router.get("", response_model=SlotSearchResult, response_model_by_alias=True, summary="Search bookable slots")
def available_slots(
    repo: Repo,
    now: Now,
    appointment_type_id: Annotated[str, Query(alias="appointmentTypeId", pattern=SAFE_ID_PATTERN,
                                              description="The appointment type to book.")],
    provider_id: Annotated[str | None, Query(alias="providerId", pattern=SAFE_ID_PATTERN,
                                             description="One provider; left out: every active provider "
                                                         "offering the type.")] = None,
    first: Annotated[date | None, Query(alias="from", description="First date in the booker's zone "
                                                                  "(default: today there).")] = None,
    last: Annotated[date | None, Query(alias="to", description="Last date, inclusive (default: from + 6 days); "
                                                               "at most 31 days in all.")] = None,
    time_zone: Annotated[str, Query(alias="timeZone", max_length=MAX_ZONE_NAME,
                                    description="The booker's IANA time zone; slots are grouped by its "
                                                "dates and shown with its offset.")] = "UTC",
):
    """Reads the precomputed `slots` day documents (one read per provider-day; nothing is
    recomputed), drops starts inside the type's minimum notice or past its horizon,
    and groups the rest by the booker's local date."""
    return ops.search_slots(repo, appointment_type_id=appointment_type_id, provider_id=provider_id,
                            first=first, last=last, time_zone=time_zone, now=now)
