"""Cloud Functions entry points, and nothing else.

Each handler parses its event or request, calls one service function and
maps errors. Clients, config and the ASGI bridge are created lazily on
first use: this module is imported during deploy discovery and at every
cold start.
"""

from __future__ import annotations

import functools

from firebase_functions import firestore_fn, https_fn, logger, options

options.set_global_options(region="us-central1", max_instances=10)


@functools.cache
def _wsgi(service: str):
    # Built on first call, inside the worker: an a2wsgi bridge created at
    # import time loses its event-loop thread when the server forks.
    from a2wsgi import ASGIMiddleware

    from booking.api.services import app_for

    return ASGIMiddleware(app_for(service))


def _serve(service: str, request: https_fn.Request) -> https_fn.Response:
    return https_fn.Response.from_app(_wsgi(service), request.environ)


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


@firestore_fn.on_document_created(document="bookingRequests/{requestId}")
def on_booking_request_created(
    event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None],
) -> None:
    snapshot = event.data
    if snapshot is None:
        return
    from booking.store.clients import db

    db().document(snapshot.reference.path).update({"receivedByBackend": True})
    logger.info("booking request received", requestId=event.params["requestId"])
