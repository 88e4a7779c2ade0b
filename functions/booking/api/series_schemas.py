"""What the API answers for a series, and how it cancels "this and following"."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

from booking.api.schemas import AppointmentOut, ApiModel
from booking.domain.appointments import MAX_CANCEL_REASON


class MissedOut(ApiModel):
    """An occurrence that was not booked, and why (`reason`: a booking rejection code)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    index: int
    start: datetime
    reason: str
    message: str


class SeriesOut(ApiModel):
    """A booked series: every occurrence booked (each an appointment), and those skipped."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    series_id: str
    appointments: list[AppointmentOut]
    skipped: list[MissedOut] = Field(default_factory=list)


class CancelIn(ApiModel):
    """`this`: the one appointment; `following`: it and every later occurrence of its series
    (each keeps its own cutoff: later ones inside theirs stay and are listed in `kept`)."""

    scope: Literal["this", "following"] = "this"
    cancel_reason: str | None = Field(default=None, max_length=MAX_CANCEL_REASON)


class CancelOut(ApiModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    appointment: AppointmentOut
    cancelled: list[str]
    kept: list[str] = Field(default_factory=list)
