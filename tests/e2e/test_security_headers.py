"""What Hosting and the API send besides the content: a Content-Security-Policy
under which the web app runs and nobody frames it, a referrer policy, nosniff;
API answers that no cache keeps; no Swagger UI page unless a deployment asks."""

from __future__ import annotations

import re

import pytest
import requests
from support.api import call
from support.emulator import HOSTING

PREFIXES = ["appointment-types", "providers", "customers", "appointments", "available-slots"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def web_asset_paths() -> list[str]:
    page = requests.get(f"{HOSTING}/", timeout=60).text
    return re.findall(r'(?:src|href)="(/assets/[^"]+)"', page)


@pytest.fixture(scope="module")
def app_page() -> requests.Response:
    return requests.get(f"{HOSTING}/", timeout=60)


def test_the_web_app_page_has_a_policy_that_allows_only_its_own_code_and_firebase(app_page):
    policy = directives(app_page.headers["content-security-policy"])

    assert app_page.status_code == 200 and "text/html" in app_page.headers["content-type"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["connect-src"] == [
        "'self'", "https://identitytoolkit.googleapis.com", "https://securetoken.googleapis.com",
        "https://firestore.googleapis.com", "https://content-firebaseappcheck.googleapis.com",
        "https://www.google.com/recaptcha/", "http://127.0.0.1:*", "http://localhost:*",
    ]
    assert not any("'unsafe-inline'" in v or "'unsafe-eval'" in v for vs in policy.values() for v in vs)


def test_nobody_may_frame_the_web_app(app_page):
    assert directives(app_page.headers["content-security-policy"])["frame-ancestors"] == ["'none'"]
    assert app_page.headers["x-frame-options"] == "DENY"


def test_the_web_app_sends_a_referrer_policy_and_nosniff(app_page):
    assert app_page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert app_page.headers["x-content-type-options"] == "nosniff"


def test_the_built_scripts_and_styles_carry_the_same_headers():
    assets = web_asset_paths()

    assert any(path.endswith(".js") for path in assets) and any(path.endswith(".css") for path in assets)
    for path in assets:
        resp = requests.get(f"{HOSTING}{path}", timeout=60)
        assert resp.status_code == 200, path
        assert resp.headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in resp.headers["content-security-policy"], path


@pytest.mark.parametrize(("path", "status"), [
    ("/available-slots/healthz", 200),
    ("/appointments/whoami", 401),
    ("/providers/no-such-provider", 404),
    ("/customers/healthz/nowhere", 404),
])
def test_every_api_answer_through_hosting_is_no_store_and_nosniff(path, status):
    resp = call("GET", path)

    assert resp.status_code == status, resp.text
    assert resp.headers["cache-control"] == "no-store"
    assert resp.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("prefix", "status", "code"), [
    # Without the docs route, "docs" is just an id: a public lookup finds no
    # such record, a protected one asks for a token first.
    ("appointment-types", 404, "not_found"),
    ("providers", 404, "not_found"),
    ("available-slots", 404, "not_found"),
    ("customers", 401, "unauthenticated"),
    ("appointments", 401, "unauthenticated"),
])
def test_the_docs_page_is_not_served_by_default_but_the_openapi_document_is(prefix, status, code):
    docs = call("GET", f"/{prefix}/docs")
    spec = call("GET", f"/{prefix}/openapi.json")

    assert (docs.status_code, docs.json()["code"]) == (status, code)
    assert "swagger" not in docs.text.lower()
    assert spec.status_code == 200
    assert spec.json()["paths"] and all(path.startswith(f"/{prefix}") for path in spec.json()["paths"])
