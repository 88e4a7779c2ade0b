"""Builds one FastAPI app per service; each is deployed as its own function."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from booking.api.auth import CurrentUser
from booking.api.errors import install_error_handlers


def build_app(prefix: str, *routers: APIRouter, title: str) -> FastAPI:
    """An app whose routes, docs and OpenAPI document all live under `prefix`
    (Hosting passes the full path through to the function)."""
    app = FastAPI(
        title=title,
        docs_url=f"{prefix}/docs",
        openapi_url=f"{prefix}/openapi.json",
        redoc_url=None,
    )
    install_error_handlers(app)
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
