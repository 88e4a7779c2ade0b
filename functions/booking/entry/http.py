"""HTTP: one FastAPI app per service, routed by Hosting rewrites."""

from __future__ import annotations

import functools

from firebase_functions import https_fn

# One function per row of booking.api.services.SERVICES, each serving the row
# of its own name. They are written out rather than generated from the table
# so that a cold start imports no FastAPI until a request comes (deploy
# discovery reads these attributes); tests/unit/api/test_api_service_table.py
# holds them, and the rewrites, to the table.


@functools.cache
def _wsgi(function: str):
    # Built on first call, inside the worker: an a2wsgi bridge created at
    # import time loses its event-loop thread when the server forks.
    from a2wsgi import ASGIMiddleware
    from booking.api.services import app_for

    return ASGIMiddleware(app_for(function))


def _serve(function: str, request: https_fn.Request) -> https_fn.Response:
    return https_fn.Response.from_app(_wsgi(function), request.environ)


@https_fn.on_request()
def appointment_types_api(request: https_fn.Request) -> https_fn.Response:
    return _serve("appointment_types_api", request)


@https_fn.on_request()
def providers_api(request: https_fn.Request) -> https_fn.Response:
    return _serve("providers_api", request)


@https_fn.on_request()
def customers_api(request: https_fn.Request) -> https_fn.Response:
    return _serve("customers_api", request)


@https_fn.on_request()
def appointments_api(request: https_fn.Request) -> https_fn.Response:
    return _serve("appointments_api", request)


@https_fn.on_request()
def available_slots_api(request: https_fn.Request) -> https_fn.Response:
    return _serve("available_slots_api", request)


@https_fn.on_request()
def time_off_api(request: https_fn.Request) -> https_fn.Response:
    return _serve("time_off_api", request)
