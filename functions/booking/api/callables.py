"""The callable functions' bodies (main.py only forwards to these).

Same inputs and outputs as the REST API (`search_slots` = GET
/available-slots, `book_appointment` = POST /appointments,
`cancel_appointment` = DELETE /appointments/{id}, or with a `scope` POST
/appointments/{id}/cancel) and the same services.
Errors become `HttpsError`s: bad input `invalid-argument`, no token
`unauthenticated`, a wrong role `permission-denied`, unknown ids
`not-found`, a taken slot `already-exists` and any other refusal
`failed-precondition`, with the reason code in `details.code`.

Two checks the functions SDK leaves to us: it verifies the caller's ID token
without asking the Auth backend whether the account was since disabled,
deleted or signed out everywhere, so a signed-in call re-verifies the same
token with the revocation check (the REST API's `verify_token`, so both
front doors accept and refuse exactly the same tokens); and App Check is
enforced here, per call, when the deployment sets ENFORCE_APP_CHECK, rather
than through `on_call(enforce_app_check=...)`, whose flag would have to be
read from the environment when main.py is imported.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, datetime
from typing import Any, Callable, Literal

from firebase_functions import https_fn
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from booking.api import operations as ops
from booking.api import series_ops
from booking.api.auth import Principal, principal_from_claims, verify_token
from booking.api.errors import ApiError, callable_code, field_errors
from booking.api.routers.appointments import out
from booking.api.schemas import AppointmentCreate, AppointmentOut
from booking.api.series_schemas import CancelOut, SeriesOut
from booking.domain.models import Id
from booking.domain.appointments import MAX_CANCEL_REASON
from booking.domain.zones import MAX_ZONE_NAME
from booking.store.repository import Repository

Code = https_fn.FunctionsErrorCode


class SearchInput(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    appointmentTypeId: Id
    providerId: Id | None = None
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    timeZone: str = Field(default="UTC", max_length=MAX_ZONE_NAME)


class CancelInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    appointmentId: Id
    cancelReason: str | None = Field(default=None, max_length=MAX_CANCEL_REASON)
    scope: Literal["this", "following"] | None = None  # None: the appointment as before


def _https_error(error: ApiError) -> https_fn.HttpsError:
    details: dict[str, Any] = {"code": error.code, **error.extra}
    return https_fn.HttpsError(Code(callable_code(error)), error.detail, details)


def _parse(model: type[BaseModel], data: Any) -> Any:
    if not isinstance(data, dict):
        raise ApiError("bad_request", "The call's data must be an object.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ApiError("validation_failed", "The call's data did not validate.",
                       errors=field_errors(error.errors(include_url=False, include_context=False,
                                                        include_input=False))) from error


def _principal(request: https_fn.CallableRequest) -> Principal:
    auth = request.auth
    if auth is None or not auth.uid:
        raise ApiError("unauthenticated", "Sign in first.")
    # Re-verifying the raw token (rather than comparing the user record's
    # tokens_valid_after with the token's times ourselves) keeps one rule
    # for REST and callables, and firebase_admin's, for what "revoked" means.
    scheme, _, token = request.raw_request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError("unauthenticated", "Sign in first.")
    claims = verify_token(token.strip())
    return principal_from_claims({**claims, "uid": claims.get("uid", auth.uid)})


def app_check_enforced() -> bool:
    """ENFORCE_APP_CHECK=1 (or true/yes) in the functions' environment, e.g.
    functions/.env.<project>; read on every call so it needs no import-time work."""
    return os.environ.get("ENFORCE_APP_CHECK", "").strip().lower() in {"1", "true", "yes"}


def _require_app_check(request: https_fn.CallableRequest) -> None:
    # The SDK has already verified any X-Firebase-AppCheck token: `app` is
    # set when it was valid and None when it was missing or rejected.
    if app_check_enforced() and request.app is None:
        raise ApiError("app_check_required", "This app must send a valid App Check token.")


def _run(request: https_fn.CallableRequest, body: Callable[[], Any]) -> Any:
    try:
        _require_app_check(request)
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

    return _run(request, body)


def book_appointment(store_factory: Callable[[], Repository], request: https_fn.CallableRequest, *,
                     now: datetime) -> dict[str, Any]:
    """The signed-in customer books (an admin may pass `customerId`)."""
    def body():
        user = _principal(request)
        params = _parse(AppointmentCreate, request.data)
        series_ops.check_on_conflict(params, where="data")
        if params.recurrence is not None:
            return _jsonable(series_ops.book_series_for(store_factory(), user, params, now=now, out=out))
        appointment = ops.book_for(store_factory(), user, provider_id=params.provider_id,
                                   appointment_type_id=params.appointment_type_id, start=params.start,
                                   customer_id=params.customer_id, notes=params.notes, now=now)
        return _json(appointment)

    return _run(request, body)


def cancel_appointment(store_factory: Callable[[], Repository], request: https_fn.CallableRequest, *,
                       now: datetime) -> dict[str, Any]:
    def body():
        user = _principal(request)
        params = _parse(CancelInput, request.data)
        if params.scope is not None:
            return _jsonable(series_ops.cancel_scoped(store_factory(), user, params.appointmentId, scope=params.scope,
                                                      reason=params.cancelReason, now=now, out=out), CancelOut)
        appointment = ops.cancel_for(store_factory(), user, params.appointmentId, reason=params.cancelReason,
                                     now=now)
        return _json(appointment)

    return _run(request, body)


def _json(appointment) -> dict[str, Any]:
    return AppointmentOut.model_validate(out(appointment)).model_dump(mode="json", by_alias=True)


def _jsonable(answer: dict[str, Any], model: type[BaseModel] = SeriesOut) -> dict[str, Any]:
    return model.model_validate(answer).model_dump(mode="json", by_alias=True)


def new_repository() -> Repository:
    from booking.store.clients import db

    return Repository(db(), counts=Counter())
