"""Bodies of the front desk's customer endpoints: a search match (what
staff see of a customer they may not know yet) and a customer's record."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from booking.api.schemas import AppointmentOut, page_of
from booking.domain.models import Customer


class CustomerMatch(BaseModel):
    """A customer as staff see it in a search: enough to pick the right
    person on the phone, not enough to write to them."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"id": "w3f2a9", "name": "Grace Hopper", "emailHint": "g•••@example.com", "phoneHint": "•••58"}]})

    id: str
    name: str
    emailHint: str | None = Field(default=None, description="The e-mail's first letter and its domain.")
    phoneHint: str | None = Field(default=None, description="The phone's last two digits.")


CustomerMatchPage = page_of(CustomerMatch, "CustomerMatchPage")


class CustomerRecord(BaseModel):
    """A customer's record at the front desk. For a provider's staff,
    `appointments` and `noShows` count that provider's only (`providerId`)."""

    customer: Customer
    providerId: str | None = Field(description="The provider the appointments are limited to (staff); "
                                               "null: every provider's.")
    upcoming: list[AppointmentOut] = Field(description="Starting now or later, soonest first (any status).")
    past: list[AppointmentOut] = Field(description="Started before now, most recent first (any status).")
    noShows: int = Field(description="Appointments marked no_show.")
    truncated: bool = Field(description="True when the customer has more appointments than a record shows; "
                                        "the latest are left out.")
