"""Errors as RFC 9457 problem details with a stable `code`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from booking.domain.refusals import Refusal
from booking.services.ports import InvalidDocument

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class ApiError(Refusal):
    """A refusal on its way to a client, answering with the HTTP status its
    code has in STATUS_OF (409 for a code not listed: the state does not
    allow it). A booking's rejection passes `status=409` itself: whatever its
    reason, a refused booking is a 409 whose code is the reason."""

    def __init__(self, code: str, detail: str, *, status: int | None = None, **extra: object) -> None:
        super().__init__(code, detail, **extra)
        self.status = status if status is not None else STATUS_OF.get(code, 409)
        self.detail = detail

    @classmethod
    def of(cls, refusal: Refusal) -> ApiError:
        """A service's refusal (a cancel refused, say) as the API answers it."""
        return cls(refusal.code, refusal.message, **refusal.extra)


# How a refusal reaches a client, in one place: the HTTP status of each code,
# then the callable error code of each status, except where a code has its own.
STATUS_OF: dict[str, int] = {
    "bad_request": 400, "invalid_page_token": 400,
    "unauthenticated": 401, "app_check_required": 401,
    "forbidden": 403,
    "not_found": 404,
    "validation_failed": 422, "invalid_request": 422,
    "busy": 503, "auth_unavailable": 503,
}
CALLABLE_CODE_OF_STATUS: dict[int, str] = {
    400: "invalid-argument", 422: "invalid-argument", 401: "unauthenticated", 403: "permission-denied",
    404: "not-found", 409: "failed-precondition", 503: "unavailable",
}
CALLABLE_CODE_OF: dict[str, str] = {"slot_taken": "already-exists"}


def callable_code(error: ApiError) -> str:
    return CALLABLE_CODE_OF.get(error.code) or CALLABLE_CODE_OF_STATUS.get(error.status, "internal")


T = TypeVar("T")


def found_or_404(fetch: Callable[[], T | None], what: str, doc_id: str) -> T:
    """A stored document, or 404 when there is none and 409 `invalid_document`
    when a console edit left it unreadable."""
    try:
        found = fetch()
    except InvalidDocument as invalid:
        raise ApiError("invalid_document", f"The stored {what} is invalid: {invalid}") from invalid
    if found is None:
        raise ApiError("not_found", f"There is no {what} {doc_id!r}.")
    return found


def problem(status: int, code: str, detail: str, **extra: object) -> JSONResponse:
    body = {
        "type": f"about:blank#{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def field_errors(raw: list[dict]) -> list[dict[str, str]]:
    """Pydantic errors as [{field, message}] (field: dotted location)."""
    return [
        {"field": ".".join(str(p) for p in err.get("loc", ())), "message": str(err.get("msg", ""))}
        for err in raw
    ]


def validation_error(error: ValidationError, *, prefix: tuple[str, ...] = ("body",)) -> ApiError:
    raw = [{**e, "loc": (*prefix, *e.get("loc", ()))} for e in error.errors()]
    return ApiError("validation_failed", "The request did not validate.", errors=field_errors(raw))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        raw = exc.errors()
        if any(err.get("type") == "json_invalid" for err in raw):
            return problem(400, "bad_request", "The request body is not valid JSON.")
        return problem(422, "validation_failed", "The request did not validate.", errors=field_errors(raw))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return problem(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:  # a bug, never bad input
        log.exception("unhandled error", exc_info=exc)
        return problem(500, "internal", "Something went wrong on our side.")
