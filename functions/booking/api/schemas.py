"""Request and response bodies of the REST API (camelCase, as stored).

Write schemas are derived from the domain models (same fields, limits and
types, minus the id that the path or the server gives); a body that passes
them is validated once more as the domain model, whose model validators
(merged intervals, unique override dates, ...) then apply. Read schemas
are the domain models themselves, or the explicit models below.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, create_model, field_validator
from pydantic.alias_generators import to_camel

from booking.domain.models import AppointmentType, Availability, Customer, Id, Provider
from booking.domain.appointments import MAX_CANCEL_REASON
from booking.domain.booking_requests import MAX_NOTES
from booking.domain.recurrence import MAX_COUNT, MIN_COUNT


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


def _derived(model: type[BaseModel], name: str, doc: str, *, drop: tuple[str, ...],
             extra_fields: dict[str, Any] | None = None, example: dict[str, Any] | None = None) -> type[BaseModel]:
    fields: dict[str, Any] = {n: (f.annotation, f) for n, f in model.model_fields.items() if n not in drop}
    fields.update(extra_fields or {})
    config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                        json_schema_extra={"examples": [example]} if example else None)
    return create_model(name, __config__=config, __doc__=doc, **fields)


OptionalId = (Id | None, Field(default=None, description="The new document's id; a random id when left out."))

TYPE_EXAMPLE = {"name": "Consultation", "durationMinutes": 30, "bufferAfterMinutes": 10, "minNoticeMinutes": 60,
                "horizonDays": 60, "cancelCutoffMinutes": 120, "price": 50, "currency": "EUR"}
PROVIDER_EXAMPLE = {"name": "Dr. Ada Lovelace", "email": "ada@clinic.example", "timeZone": "Europe/London",
                    "typeIds": ["consult"], "bio": "General practice, twenty years.",
                    "photoUrl": "https://clinic.example/ada.jpg"}
CUSTOMER_EXAMPLE = {"name": "Grace Hopper", "email": "grace@example.com", "timeZone": "America/New_York"}
AVAILABILITY_EXAMPLE = {
    "weekly": {"mon": [{"start": "09:00", "end": "12:30"}, {"start": "13:30", "end": "17:00"}],
               "sat": [{"start": "10:00", "end": "14:00"}]},
    "overrides": [{"date": "2026-12-24", "intervals": []}],
}

AppointmentTypeCreate = _derived(
    AppointmentType, "AppointmentTypeCreate", "A new appointment type.", drop=("id",),
    extra_fields={"id": OptionalId}, example=TYPE_EXAMPLE)
AppointmentTypeUpdate = _derived(
    AppointmentType, "AppointmentTypeUpdate", "The whole appointment type (PUT replaces it).", drop=("id",),
    example=TYPE_EXAMPLE)

ProviderCreate = _derived(
    Provider, "ProviderCreate", "A new provider; email and phone are stored apart and shown to admins and the "
    "provider's staff only.", drop=("id",), extra_fields={"id": OptionalId}, example=PROVIDER_EXAMPLE)
ProviderUpdate = _derived(
    Provider, "ProviderUpdate", "The whole provider (PUT replaces it, contact details included).", drop=("id",),
    example=PROVIDER_EXAMPLE)

CustomerCreate = _derived(
    Customer, "CustomerCreate", "A customer profile. A signed-in customer creates its own (id = its uid); "
    "an admin may give any id.", drop=("id",), extra_fields={"id": OptionalId}, example=CUSTOMER_EXAMPLE)
CustomerUpdate = _derived(
    Customer, "CustomerUpdate", "The whole customer profile (PUT replaces it).", drop=("id",),
    example=CUSTOMER_EXAMPLE)

AvailabilityUpdate = _derived(
    Availability, "AvailabilityUpdate", "A provider's weekly hours and date overrides, in its wall-clock time. "
    "`timeZone` may be left out or must equal the provider's zone. PUT replaces the whole document.",
    drop=("provider_id",), example=AVAILABILITY_EXAMPLE)


class ProviderPublic(ApiModel):
    """A provider's public profile."""

    id: str
    name: str
    time_zone: str
    type_ids: list[str]
    active: bool
    bio: str | None = None
    photo_url: str | None = None


class ProviderOut(ProviderPublic):
    """A provider. `email` and `phone` appear for admins and the provider's own staff only."""

    email: str | None = None
    phone: str | None = None


class HistoryEntry(BaseModel):
    model_config = ConfigDict(extra="allow")
    at: datetime | None = None
    status: str | None = None
    by: str | None = None
    note: str | None = None


class NotificationEntry(BaseModel):
    """A message that did not reach the customer, as the mail extension reported it."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")
    mail_id: str | None = None
    kind: str | None = None
    state: str | None = None
    error: str | None = None
    at: datetime | None = None


AppointmentStatusName = Literal["confirmed", "cancelled", "completed", "no_show"]


class AppointmentOut(ApiModel):
    """A booked appointment; instants are ISO 8601 in UTC."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, json_schema_extra={"examples": [{
        "id": "4f7c0c6a0d8e4d7f9a6b2f1e3c5d7a9b", "providerId": "dr-ada", "customerId": "uid-123",
        "appointmentTypeId": "consult", "start": "2026-05-04T09:00:00Z", "end": "2026-05-04T09:30:00Z",
        "status": "confirmed", "requestId": "4f7c0c6a0d8e4d7f9a6b2f1e3c5d7a9b", "timeZone": "Europe/London",
        "cancellableUntil": "2026-05-04T07:00:00Z", "customerName": "Grace Hopper",
        "providerName": "Dr. Ada Lovelace", "typeName": "Consultation", "notes": None,
        "createdAt": "2026-04-20T12:00:00Z", "updatedAt": "2026-04-20T12:00:00Z", "cancelledAt": None,
        "cancelledBy": None, "cancelReason": None, "rescheduledFrom": None, "rescheduledTo": None,
        "outsideAvailability": False, "history": [{"at": "2026-04-20T12:00:00Z", "status": "confirmed",
                                                   "by": "uid-123"}]}]})

    id: str
    provider_id: str
    customer_id: str
    appointment_type_id: str
    start: datetime
    end: datetime
    status: AppointmentStatusName
    request_id: str
    time_zone: str
    cancellable_until: datetime
    customer_name: str
    provider_name: str
    type_name: str
    notes: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    rescheduled_from: str | None = None
    rescheduled_to: str | None = None
    outside_availability: bool = False
    # the time off its block meets (it stays booked; see GET /appointments?conflicts=true)
    time_off_conflicts: list[str] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    # mails the extension failed to deliver (delivery.state ERROR), for staff to follow up
    notifications: list[NotificationEntry] = Field(default_factory=list)
    series_id: str | None = None  # one occurrence of a series: the series' request id
    series_index: int | None = None  # its place in the series, from 1


FIRST_YEAR, LAST_YEAR = 1970, 9000  # instants and dates outside are refused (no overflow at the edges)


def sane_instant(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _whole_minute(value: datetime) -> datetime:
    sane_instant(value)
    if value.second or value.microsecond:
        raise ValueError("start must be on a whole minute")
    return value


class RecurrenceIn(ApiModel):
    """A series: every occurrence at the first one's local wall-clock time in the provider's zone."""

    model_config = ConfigDict(extra="forbid")

    frequency: Literal["weekly", "every_2_weeks", "monthly_same_weekday"]
    count: int = Field(ge=MIN_COUNT, le=MAX_COUNT, strict=True)


class AppointmentCreate(ApiModel):
    """Book an appointment now. A customer books for itself; an admin names the customer."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              json_schema_extra={"examples": [{
                                  "providerId": "dr-ada", "appointmentTypeId": "consult",
                                  "start": "2026-05-04T10:00:00+01:00", "notes": "First visit"}]})

    provider_id: Id
    appointment_type_id: Id
    start: AwareDatetime = Field(description="ISO 8601 with an offset, on a whole minute; one of the slots.")
    customer_id: Id | None = Field(default=None, description="The customer booked for: admins any, a provider's "
                                                              "staff for their provider only (neither bound by "
                                                              "the customer's cap or the minimum notice). "
                                                              "Defaults to the caller.")
    notes: str | None = Field(default=None, max_length=MAX_NOTES)
    recurrence: RecurrenceIn | None = Field(default=None, description="Book a series from `start`, all or nothing "
                                                                     "(the answer is then a `SeriesOut`).")
    on_conflict: Literal["reject", "skip"] | None = Field(default=None, description="With `recurrence`: `skip` "
                                                          "books the free occurrences and lists the others.")

    @field_validator("start")
    @classmethod
    def _on_a_minute(cls, value: datetime) -> datetime:
        return _whole_minute(value)


class AppointmentUpdate(ApiModel):
    """A change to an appointment (partial: only the fields sent change).

    * `start`: reschedule. The appointment is moved by a new booking (a new id,
      `rescheduledFrom` the old one) and the old one is cancelled, atomically.
    * `status`: `cancelled` (the customer, before the cutoff; the provider's
      staff and admins any time), `completed` or `no_show` (an admin or the
      provider's staff).
    * `notes`: replaces the notes (the customer, the provider's staff, an admin).
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              json_schema_extra={"examples": [{"start": "2026-05-05T14:00:00+01:00"},
                                                              {"status": "cancelled", "cancelReason": "ill"}]})

    start: AwareDatetime | None = None
    status: AppointmentStatusName | None = None
    notes: str | None = Field(default=None, max_length=MAX_NOTES)
    cancel_reason: str | None = Field(default=None, max_length=MAX_CANCEL_REASON)

    @field_validator("start")
    @classmethod
    def _on_a_minute(cls, value: datetime | None) -> datetime | None:
        return value if value is None else _whole_minute(value)


class Slot(BaseModel):
    start: str = Field(description="ISO 8601 in the booker's zone, with its offset.")
    end: str
    providerId: str


class SlotSearchResult(BaseModel):
    """Bookable slots grouped by the booker's local date (dates with no slot are left out)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "appointmentTypeId": "consult", "providerId": "dr-ada", "timeZone": "America/New_York",
        "from": "2026-05-04", "to": "2026-05-10",
        "dates": {"2026-05-04": [{"start": "2026-05-04T09:00:00-04:00", "end": "2026-05-04T09:30:00-04:00",
                                  "providerId": "dr-ada"}]}}]})

    appointmentTypeId: str
    providerId: str | None = None
    timeZone: str
    from_: date = Field(alias="from")
    to: date
    dates: dict[str, list[Slot]]


def page_of(item: type[BaseModel], name: str) -> type[BaseModel]:
    return create_model(
        name,
        __doc__=f"One page of {item.__name__} items.",
        items=(list[item], ...),
        nextPageToken=(str | None, Field(default=None, description="Pass as pageToken for the next page; "
                                                                    "absent on the last page.")),
    )


AppointmentTypePage = page_of(AppointmentType, "AppointmentTypePage")
ProviderPage = page_of(ProviderPublic, "ProviderPage")
CustomerPage = page_of(Customer, "CustomerPage")
AppointmentPage = page_of(AppointmentOut, "AppointmentPage")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    code: str = Field(description="Stable machine-readable code (for 409 on booking: the rejection reason).")
    detail: str
