"""Every API answer is uncacheable and nosniff, whatever produced it; the
Swagger UI page exists only where a deployment asks for it."""

from __future__ import annotations

import warnings

import pytest
from booking.api.app import build_app
from fastapi import APIRouter, Response

with warnings.catch_warnings():
    # Starlette's test client says it prefers httpx2; httpx is what is installed.
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient


def _client(**kwargs) -> TestClient:
    router = APIRouter()

    @router.get("/ok")
    def ok() -> dict[str, bool]:
        return {"ok": True}

    @router.get("/cached")
    def cached(response: Response) -> dict[str, bool]:
        response.headers["Cache-Control"] = "public, max-age=600"
        return {"ok": True}

    @router.get("/bug")
    def bug() -> None:
        raise RuntimeError("a bug")

    return TestClient(build_app("/things", router, title="Things", **kwargs), raise_server_exceptions=False)


@pytest.mark.parametrize(("path", "status"), [
    ("/things/ok", 200),
    ("/things/cached", 200),
    ("/things/whoami", 401),
    ("/things/nowhere", 404),
    ("/things/bug", 500),
    ("/things/openapi.json", 200),
])
def test_every_answer_is_no_store_and_nosniff(path, status):
    resp = _client().get(path)

    assert resp.status_code == status
    assert resp.headers.get_list("cache-control") == ["no-store"]
    assert resp.headers.get_list("x-content-type-options") == ["nosniff"]


def test_a_405_is_no_store_and_nosniff_too():
    resp = _client().delete("/things/ok")

    assert resp.status_code == 405
    assert (resp.headers["cache-control"], resp.headers["x-content-type-options"]) == ("no-store", "nosniff")


def test_the_docs_page_is_off_by_default_and_the_openapi_document_stays(monkeypatch):
    monkeypatch.delenv("API_DOCS", raising=False)
    client = _client()

    assert client.get("/things/docs").status_code == 404
    assert client.get("/things/docs/oauth2-redirect").status_code == 404
    assert client.get("/things/openapi.json").json()["info"]["title"] == "Things"


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_api_docs_turns_the_docs_page_on(monkeypatch, value):
    monkeypatch.setenv("API_DOCS", value)

    resp = _client().get("/things/docs")

    assert resp.status_code == 200
    assert "swagger-ui" in resp.text
    assert resp.headers["cache-control"] == "no-store"


def test_api_docs_0_keeps_the_docs_page_off(monkeypatch):
    monkeypatch.setenv("API_DOCS", "0")

    assert _client().get("/things/docs").status_code == 404
