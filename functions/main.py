"""Cloud Functions entry points, and nothing else.

Each handler parses its event or request, calls one service function and
logs. Clients, config and the ASGI bridge are created lazily on first use:
this module is imported during deploy discovery and at every cold start.
The clock is read here and handed to the services as `now`.
"""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime
from typing import Any

from booking.store.clients import admin_app
from firebase_functions import firestore_fn, https_fn, logger, options, scheduler_fn, tasks_fn

options.set_global_options(region="us-central1", max_instances=10)
# The one thing done at import: on_call verifies the caller's ID token with
# the default firebase_admin app before any handler of ours runs, so that
# app must exist by then. It reads no credentials and makes no call.
admin_app()


def _now() -> datetime:
    return datetime.now(UTC)


@functools.cache
def _store():
    from booking.store.clients import db
    from booking.store.firestore_store import FirestoreStore

    return FirestoreStore(db())


# The reminders' task-queue function. Its name is its Cloud Tasks queue's
# id, which allows letters, digits and hyphens only: no snake_case here.
REMINDER_FUNCTION = "remind"


@functools.cache
def _reminder_queue():
    from booking.store.task_queue import FirebaseTaskQueue

    return FirebaseTaskQueue(REMINDER_FUNCTION, app=admin_app())


# The daily upkeep's task-queue function: one task per provider (issue 17).
UPKEEP_FUNCTION = "upkeep"


@functools.cache
def _upkeep_queue():
    from booking.store.task_queue import FirebaseTaskQueue

    return FirebaseTaskQueue(UPKEEP_FUNCTION, app=admin_app())


def _data(snapshot: Any) -> dict[str, Any] | None:
    if snapshot is None or not getattr(snapshot, "exists", False):
        return None
    return snapshot.to_dict()


# -- HTTP: one FastAPI app per service, routed by Hosting rewrites ----------
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


# -- Firestore triggers -------------------------------------------------------


@firestore_fn.on_document_created(document="bookingRequests/{requestId}")
def on_booking_request_created(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    from booking.services.booking import process_request

    snapshot = event.data
    if snapshot is None:
        return
    # The document's own id: the SDK's path parameters trim white space.
    request_id = snapshot.id
    outcome = process_request(_store(), request_id, _data(snapshot), version=snapshot.update_time, now=_now())
    logger.info("booking request processed", requestId=request_id, status=outcome.status.value,
                reason=outcome.reason.value if outcome.reason else None, replayed=outcome.replayed)


@firestore_fn.on_document_updated(document="appointments/{appointmentId}")
def on_appointment_updated(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    from booking.services.appointment_changes import ChangeAction, appointment_changed

    if event.data is None:
        return
    from booking.services.ports import Conflict

    appointment_id = event.params["appointmentId"]
    try:
        outcome = appointment_changed(_store(), appointment_id, _data(event.data.before),
                                      _data(event.data.after), now=_now(),
                                      version=getattr(event.data.after, "update_time", None))
    except Conflict as conflict:
        # Still contended when its time budget ran out; the re-drive
        # finishes cancels whose block is still held within minutes.
        logger.warn("appointment change left to the re-drive", appointmentId=appointment_id, error=str(conflict))
        return
    if outcome.action is not ChangeAction.NONE:
        logger.info("appointment change handled", appointmentId=appointment_id, action=outcome.action.value)


@firestore_fn.on_document_written(document="appointments/{appointmentId}")
def on_appointment_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    from booking.services.ports import InvalidDocument
    from booking.services.reminders import sync_reminders
    from booking.store.converters import appointment_from

    if event.data is None:
        return
    appointment_id = event.params["appointmentId"]

    def appointment(snapshot: Any):
        data = _data(snapshot)
        try:
            return appointment_from(appointment_id, data) if data is not None else None
        except InvalidDocument:
            return None  # no usable record, no reminders

    report = sync_reminders(_store(), _reminder_queue(), appointment(event.data.before),
                            appointment(event.data.after), now=_now())
    if report.enqueued or report.deleted or report.failed:
        logger.info("reminders synced", appointmentId=appointment_id, enqueued=report.enqueued,
                    deleted=report.deleted, failed=report.failed)


# Cloud Tasks runs each reminder at its time; a failed run (Firestore
# unavailable) is retried within minutes, while the reminder is still useful.
# At most 10 at once: the reminders of a busy hour are sent within seconds
# anyway, and the mail extension and Firestore are spared a burst (the
# Cloud Tasks emulator, which runs every task at once whatever its time,
# would otherwise start a worker process per reminder).
@tasks_fn.on_task_dispatched(retry_config=options.RetryConfig(max_attempts=5, min_backoff_seconds=30,
                                                             max_doublings=4),
                             rate_limits=options.RateLimits(max_concurrent_dispatches=10))
def remind(req: tasks_fn.CallableRequest) -> None:
    from booking.services.reminders import deliver_reminder

    report = deliver_reminder(_store(), req.data, now=_now())
    logger.info("reminder task done", outcome=report.outcome.value, key=report.key, detail=report.detail,
                sms=report.sms)


# The Trigger Email extension reports on each mail it handles (delivery.state);
# a failed mail about an appointment is recorded on it for staff to see.
@firestore_fn.on_document_updated(document="mail/{mailId}")
def on_mail_updated(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    from booking.services.delivery import Recorded, mail_delivery_changed

    if event.data is None:
        return
    mail_id = event.data.after.id  # the document's own id (path parameters are trimmed)
    outcome = mail_delivery_changed(_store(), mail_id, _data(event.data.after), now=_now())
    if outcome.result is Recorded.RECORDED:
        logger.info("failed mail recorded on its appointment", mailId=mail_id, appointmentId=outcome.appointment_id)


def _config_change(collection: str, doc_id: str, change: Any) -> None:
    from booking.services.config_changes import REACTIONS
    from booking.services.ports import Conflict

    reaction = REACTIONS[collection]
    before = _data(change.before) if change is not None else None
    after = _data(change.after) if change is not None else None
    try:
        report = reaction.handle(_store(), doc_id, before, after, now=_now())
    except Conflict as conflict:
        # Sheets kept changing under the recompute; the daily sweep
        # recomputes every provider again.
        logger.warn(f"{reaction.noun} change left to the sweep", id=doc_id, error=str(conflict))
        return
    logger.info(f"{reaction.noun} change handled", id=doc_id, applied=report.applied, error=report.error,
                sheetsWritten=report.sheets_written,
                conflicts=report.time_off.conflicts.get(doc_id) if report.time_off else None)


@firestore_fn.on_document_written(document="availability/{providerId}")
def on_availability_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    _config_change("availability", event.params["providerId"], event.data)


@firestore_fn.on_document_written(document="providers/{providerId}")
def on_provider_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    _config_change("providers", event.params["providerId"], event.data)


@firestore_fn.on_document_written(document="appointmentTypes/{typeId}")
def on_appointment_type_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    _config_change("appointmentTypes", event.params["typeId"], event.data)


@firestore_fn.on_document_written(document="timeOff/{timeOffId}")
def on_time_off_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    _config_change("timeOff", event.params["timeOffId"], event.data)


# Search keys for the front desk's customer search, whoever wrote the profile.
@firestore_fn.on_document_written(document="customers/{customerId}")
def on_customer_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    from booking.services.customer_search import keep_search_keys
    from booking.store.clients import db
    from booking.store.repository import Repository

    if event.data is None or event.data.after is None:
        return
    after = event.data.after
    if keep_search_keys(Repository(db()), event.params["customerId"], _data(after),
                        version=getattr(after, "update_time", None)):
        logger.info("customer search keys written", customerId=event.params["customerId"])


# The "any provider" view (typeSlots) follows every provider day sheet; it
# re-reads the sheet, so late or repeated events change nothing (issue 17).
@firestore_fn.on_document_written(document="slots/{sheetId}")
def on_slot_sheet_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    from booking.services.type_slots import after_sheet_write

    change = event.data
    written = after_sheet_write(_store(), _store(), event.params["sheetId"],
                                _data(change.before) if change is not None else None,
                                _data(change.after) if change is not None else None)
    if written:
        logger.debug("type slot view refreshed", sheetId=event.params["sheetId"], viewsWritten=written)


# -- Scheduled ------------------------------------------------------------------


@scheduler_fn.on_schedule(schedule="every 2 minutes", timeout_sec=240)
def redrive_pending(event: scheduler_fn.ScheduledEvent) -> None:
    from booking.services.redrive import redrive

    report = redrive(_store(), now=_now())
    if report.requests or report.released or report.errors:
        logger.info("re-drive done", requests=report.requests, released=report.released, errors=report.errors)
    _resume_erasures()


def _resume_erasures() -> None:
    """Erasures cut short (a crash, or too large for the request that began
    them) go on here, so each ends within minutes."""
    from booking.services.erasure import resume_erasures
    from booking.store.clients import db
    from booking.store.privacy import FirebaseAccounts, FirestorePrivacy

    jobs = resume_erasures(FirestorePrivacy(db()), FirebaseAccounts(admin_app()), now=_now())
    if jobs:
        logger.info("erasures resumed", jobs={j.customer_id: j.state.value for j in jobs})


# The re-drive once more, then one `upkeep` task per provider instead of a
# loop over all of them: at hundreds of providers the loop would outlast one
# invocation's time limit.
@scheduler_fn.on_schedule(schedule="every day 03:00", timezone=scheduler_fn.Timezone("UTC"))
def daily_sweep(event: scheduler_fn.ScheduledEvent) -> None:
    from booking.services.feed_import import clear_removed_feeds
    from booking.services.upkeep import daily
    from booking.store.calendar_feeds import FirestoreFeeds
    from booking.store.clients import db

    report = daily(_store(), _upkeep_queue(), now=_now())
    logger.info("daily upkeep enqueued", requests=len(report.requests), released=len(report.released),
                providers=len(report.enqueued), failed=report.failed, errors=report.errors)
    cleared = clear_removed_feeds(_store(), FirestoreFeeds(db()), now=_now())
    if cleared:
        logger.info("busy time of removed feeds cleared", providers=[r.provider_id for r in cleared])
    from booking.services.reminders import enqueue_coming_reminders

    queued = enqueue_coming_reminders(_store(), _reminder_queue(), now=_now())
    logger.info("coming reminders enqueued", appointments=queued.appointments, enqueued=len(queued.enqueued),
                failed=queued.failed)


# One provider's daily upkeep. A recompute that kept conflicting raises, and
# Cloud Tasks runs the task again minutes later; a few run at once, so that
# hundreds of recomputes do not all contend with the day's first bookings.
@tasks_fn.on_task_dispatched(retry_config=options.RetryConfig(max_attempts=5, min_backoff_seconds=60,
                                                             max_doublings=3),
                             rate_limits=options.RateLimits(max_concurrent_dispatches=5), timeout_sec=300)
def upkeep(req: tasks_fn.CallableRequest) -> None:
    from booking.services.upkeep import InvalidTask, run_upkeep_task

    try:
        report = run_upkeep_task(_store(), req.data, now=_now())
    except InvalidTask as invalid:
        logger.warn("upkeep task dropped", error=str(invalid))  # retrying would not help
        return
    logger.info("provider upkeep done", providerId=report.provider_id, sheetsWritten=report.sheets_written,
                released=report.released, viewWritten=report.view_written, error=report.error)


# -- The benchmark's floor (issue 17) ----------------------------------------
# bench/booking_bench.py times this exactly like a booking: a document
# created, a trigger that only writes one field back on it. The booking's
# latency then reads as a multiple of the least that Firestore and the
# functions runtime cost. Defined only when the functions emulator loads
# this module (it sets FUNCTIONS_EMULATOR=true); `firebase deploy` discovers
# functions without that variable, so deploy never sees this trigger.
if os.environ.get("FUNCTIONS_EMULATOR") == "true":

    @firestore_fn.on_document_created(document="benchFloor/{floorId}")
    def bench_floor(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
        from booking.store.clients import db
        from google.cloud.firestore import SERVER_TIMESTAMP

        if event.data is not None:
            db().document(f"benchFloor/{event.data.id}").update({"echoedAt": SERVER_TIMESTAMP})


# -- Callables: slot search and synchronous booking for client apps ----------


@https_fn.on_call()
def search_slots(req: https_fn.CallableRequest) -> Any:
    from booking.api import callables

    return callables.search_slots(callables.new_repository, req, now=_now())


@https_fn.on_call()
def book_appointment(req: https_fn.CallableRequest) -> Any:
    from booking.api import callables

    return callables.book_appointment(callables.new_repository, req, now=_now())


@https_fn.on_call()
def cancel_appointment(req: https_fn.CallableRequest) -> Any:
    from booking.api import callables

    return callables.cancel_appointment(callables.new_repository, req, now=_now())


# -- Calendar feeds: busy time from the providers' own calendars (issue 12) --


# Each fetch ends within 20 s (booking.services.feeds.fetch), so 600 s holds
# about 30 unresponsive feeds; a run that overlaps the next one is harmless
# (the imports' writes are conditioned like every other).
@scheduler_fn.on_schedule(schedule="every 15 minutes", timeout_sec=600)
def poll_calendar_feeds(event: scheduler_fn.ScheduledEvent) -> None:
    import os

    from booking.services.feed_import import poll_feeds
    from booking.services.feeds.fetch import fetch_feed, loopback_allowed
    from booking.store.calendar_feeds import FirestoreFeeds
    from booking.store.clients import db

    allow_loopback = loopback_allowed(os.environ)
    reports = poll_feeds(_store(), FirestoreFeeds(db()), now=_now(),
                         fetch=lambda url: fetch_feed(url, allow_loopback=allow_loopback))
    logger.info("calendar feeds polled", feeds=len(reports),
                failed={r.provider_id: r.error for r in reports if r.state != "ok"},
                written=sum(r.created + r.updated + r.deleted for r in reports))
