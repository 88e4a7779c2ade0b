"""The callable functions' bodies (main.py only forwards to these).

Same inputs and outputs as the REST API (`search_slots` = GET
/available-slots, `book_appointment` = POST /appointments,
`cancel_appointment` = DELETE /appointments/{id}) and the same services.
Errors become `HttpsError`s: bad input `invalid-argument`, no token
`unauthenticated`, a wrong role `permission-denied`, unknown ids
`not-found`, a taken slot `already-exists` and any other refusal
`failed-precondition`, with the reason code in `details.code`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any, Callable

from firebase_functions import https_fn
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from booking.api import operations as ops
from booking.api.auth import Principal, principal_from_claims
from booking.api.errors import ApiError, field_errors
from booking.api.routers.appointments import out
from booking.api.schemas import AppointmentCreate, AppointmentOut
from booking.domain.models import Id
from booking.domain.records import MAX_CANCEL_REASON
from booking.store.repository import Repository

Code = https_fn.FunctionsErrorCode


class SearchInput(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    appointmentTypeId: str = Field(min_length=1, max_length=128)
    providerId: str | None = Field(default=None, min_length=1, max_length=128)
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    timeZone: str = Field(default="UTC", max_length=64)


class CancelInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    appointmentId: Id
    cancelReason: str | None = Field(default=None, max_length=MAX_CANCEL_REASON)


def _https_error(error: ApiError) -> https_fn.HttpsError:
    details: dict[str, Any] = {"code": error.code, **error.extra}
    if error.status in (400, 422):
        code = Code.INVALID_ARGUMENT
    elif error.status == 401:
        code = Code.UNAUTHENTICATED
    elif error.status == 403:
        code = Code.PERMISSION_DENIED
    elif error.status == 404:
        code = Code.NOT_FOUND
    elif error.status == 409:
        code = Code.ALREADY_EXISTS if error.code == "slot_taken" else Code.FAILED_PRECONDITION
    elif error.status == 503:
        code = Code.UNAVAILABLE
    else:
        code = Code.INTERNAL
    return https_fn.HttpsError(code, error.detail, details)


def _parse(model: type[BaseModel], data: Any) -> Any:
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", "The call's data must be an object.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ApiError(422, "validation_failed", "The call's data did not validate.",
                       errors=field_errors(error.errors(include_url=False, include_context=False,
                                                        include_input=False))) from error


def _principal(request: https_fn.CallableRequest) -> Principal:
    auth = request.auth
    if auth is None or not auth.uid:
        raise ApiError(401, "unauthenticated", "Sign in first.")
    return principal_from_claims({**(auth.token or {}), "uid": auth.uid})


def _run(body: Callable[[], Any]) -> Any:
    try:
        return body()
    except ApiError as error:
        raise _https_error(error) from error


def search_slots(store_factory: Callable[[], Repository], request: https_fn.CallableRequest, *,
                 now: datetime) -> dict[str, Any]:
    def body():
        params = _parse(SearchInput, request.data)
        return ops.search_slots(store_factory(), appointment_type_id=params.appointmentTypeId,
                                provider_id=params.providerId, first=params.from_, last=params.to,
                                time_zone=params.timeZone, now=now, where="data")

    return _run(body)


def book_appointment(store_factory: Callable[[], Repository], request: https_fn.CallableRequest, *,
                     now: datetime) -> dict[str, Any]:
    """The signed-in customer books (an admin may pass `customerId`)."""
    def body():
        user = _principal(request)
        params = _parse(AppointmentCreate, request.data)
        appointment = ops.book_for(store_factory(), user, provider_id=params.provider_id,
                                   appointment_type_id=params.appointment_type_id, start=params.start,
                                   customer_id=params.customer_id, notes=params.notes, now=now)
        return _json(appointment)

    return _run(body)


def cancel_appointment(store_factory: Callable[[], Repository], request: https_fn.CallableRequest, *,
                       now: datetime) -> dict[str, Any]:
    def body():
        user = _principal(request)
        params = _parse(CancelInput, request.data)
        appointment = ops.cancel_for(store_factory(), user, params.appointmentId, reason=params.cancelReason,
                                     now=now)
        return _json(appointment)

    return _run(body)


def _json(appointment) -> dict[str, Any]:
    return AppointmentOut.model_validate(out(appointment)).model_dump(mode="json", by_alias=True)


def new_repository() -> Repository:
    from booking.store.clients import db

    return Repository(db(), counts=Counter())
