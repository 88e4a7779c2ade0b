"""booking.api.services.SERVICES is the one list of deployed HTTP services:
main.py deploys exactly its functions, each serving its own row, and
Hosting routes exactly each row's prefix to its function."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest
from booking.api.services import SERVICES, app_for

FIREBASE_JSON = Path(__file__).resolve().parents[3] / "firebase.json"


@pytest.fixture(scope="module")
def main():
    # Importing main.py does only what deploy discovery does: it sets the
    # global options and creates the default admin app, offline.
    return importlib.import_module("main")


def _endpoints(main) -> dict:
    return {name: fn.__firebase_endpoint__ for name, fn in inspect.getmembers(main, inspect.isfunction)
            if hasattr(fn, "__firebase_endpoint__")}


def _http_functions(main) -> dict:
    return {name: endpoint for name, endpoint in _endpoints(main).items() if endpoint.httpsTrigger is not None}


def _function_rewrites() -> list[dict]:
    rewrites = json.loads(FIREBASE_JSON.read_text())["hosting"]["rewrites"]
    return [rewrite for rewrite in rewrites if "function" in rewrite]


def test_main_deploys_one_http_function_per_service_and_no_other(main):
    assert set(_http_functions(main)) == set(SERVICES)


def test_each_http_function_serves_the_service_of_its_own_name(main, monkeypatch):
    monkeypatch.setattr(importlib.import_module("booking.entry.http"), "_serve", lambda function, request: (function, request))
    request = object()
    for name in SERVICES:
        assert getattr(main, name)(request) == (name, request)


def test_hosting_routes_exactly_each_prefix_and_what_lies_under_it_to_its_function():
    routed = sorted((rewrite["source"], rewrite["function"]["functionId"]) for rewrite in _function_rewrites())
    expected = sorted(pair for function, service in SERVICES.items()
                      for pair in ((service.prefix, function), (f"{service.prefix}/**", function)))
    assert routed == expected


def test_hosting_calls_each_function_in_the_region_it_is_deployed_to(main):
    regions = {name: endpoint.region for name, endpoint in _http_functions(main).items()}
    for rewrite in _function_rewrites():
        assert [rewrite["function"]["region"]] == regions[rewrite["function"]["functionId"]], rewrite


@pytest.mark.parametrize("function", sorted(SERVICES))
def test_every_route_of_a_service_lies_under_its_prefix(function):
    prefix = SERVICES[function].prefix
    app = app_for(function)
    paths = [*app.openapi()["paths"], app.openapi_url]
    assert [path for path in paths if path != prefix and not path.startswith(f"{prefix}/")] == []
