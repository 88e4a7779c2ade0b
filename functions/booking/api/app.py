"""Builds one FastAPI app per service; each is deployed as its own function."""

from __future__ import annotations

import os
from collections import Counter

from fastapi import APIRouter, FastAPI

from booking.api.auth import CurrentUser
from booking.api.errors import PROBLEM_JSON, install_error_handlers
from booking.api.schemas import Problem

DESCRIPTION = """Appointment booking REST API.

* Authentication: `Authorization: Bearer <Firebase ID token>`. Roles come from
  custom claims: `admin: true`; `providerId` for a provider's staff; every
  signed-in user is a customer whose customer id is its uid.
* JSON fields are camelCase as stored in Firestore; instants are ISO 8601 with an offset.
* Lists take `pageSize` (default 50, max 200) and `pageToken`, and answer `nextPageToken`.
* Errors are `application/problem+json` (RFC 9457) with a stable `code`.
* Every response carries `X-Doc-Reads`: the Firestore documents it read.
"""

PROBLEM_RESPONSES = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": text}
    for status, text in {
        400: "Bad input (malformed JSON, a bad page token).",
        401: "Missing or invalid ID token.",
        403: "The caller's role may not do this.",
        404: "No such resource.",
        405: "Method not allowed.",
        422: "Validation failed; `errors` lists the failing fields.",
    }.items()
}


class _ResponseHeaders:
    """ASGI middleware that adds headers to every HTTP response, replacing
    any value of the same name a route set. `headers(scope)` runs when the
    request arrives and returns what to add, called as the response starts."""

    def __init__(self, app) -> None:
        self.app = app

    def headers(self, scope) -> list[tuple[bytes, bytes]]:
        raise NotImplementedError

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = self.headers(scope)

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in added()}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": [*kept, *added()]}
            await send(message)

        await self.app(scope, receive, with_headers)


class DocReads(_ResponseHeaders):
    """`X-Doc-Reads` and `X-Doc-Writes` on every response: the Firestore
    documents the request read and wrote (counted once the route is done)."""

    def headers(self, scope):
        meter = Counter()
        scope.setdefault("state", {})["meter"] = meter
        return lambda: [(b"x-doc-reads", str(meter["reads"]).encode()),
                        (b"x-doc-writes", str(meter["writes"]).encode())]


# Answers may carry one customer's data: no cache (browser, proxy or CDN)
# keeps them, and no browser second-guesses their declared content type.
SECURITY_HEADERS = ((b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff"))


class SecurityHeaders(_ResponseHeaders):
    """SECURITY_HEADERS on every response."""

    def headers(self, scope):
        return lambda: list(SECURITY_HEADERS)


class _SecuredFastAPI(FastAPI):
    def build_middleware_stack(self):
        # Outside Starlette's ServerErrorMiddleware, which answers a 500
        # itself and so bypasses middleware added with add_middleware.
        return SecurityHeaders(super().build_middleware_stack())


def docs_enabled() -> bool:
    """API_DOCS=1 (or true/yes) in the functions' environment serves Swagger
    UI at /<prefix>/docs. Off by default: the page runs scripts from a CDN
    on the app's origin without integrity checks."""
    return os.environ.get("API_DOCS", "").strip().lower() in {"1", "true", "yes"}


def build_app(prefix: str, *routers: APIRouter, title: str, docs: bool | None = None) -> FastAPI:
    """An app whose routes and OpenAPI document (and docs page, when `docs`
    or else docs_enabled()) all live under `prefix` (Hosting passes the full
    path through to the function)."""
    app = _SecuredFastAPI(
        title=title,
        docs_url=f"{prefix}/docs" if (docs_enabled() if docs is None else docs) else None,
        openapi_url=f"{prefix}/openapi.json",
        redoc_url=None,
        description=DESCRIPTION,
        version="1.0.0",
        responses=PROBLEM_RESPONSES,
    )
    install_error_handlers(app)
    app.add_middleware(DocReads)
    meta = APIRouter(prefix=prefix, tags=["meta"])

    @meta.get("/healthz", summary="Liveness probe")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "service": prefix.strip("/")}

    @meta.get("/whoami", summary="The caller as the API sees it")
    def whoami(user: CurrentUser) -> dict[str, object]:
        return {"uid": user.uid, "admin": user.admin, "providerId": user.provider_id}

    app.include_router(meta)
    for router in routers:
        app.include_router(router, prefix=prefix)
    return app
