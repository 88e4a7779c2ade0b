"""Firestore triggers: each parses its event, calls one service and logs."""

from __future__ import annotations

from typing import Any

from booking.entry import runtime
from firebase_functions import firestore_fn, logger

@firestore_fn.on_document_created(document="bookingRequests/{requestId}")
def on_booking_request_created(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    from booking.services.booking import process_request

    snapshot = event.data
    if snapshot is None:
        return
    # The document's own id: the SDK's path parameters trim white space.
    request_id = snapshot.id
    outcome = process_request(runtime.store(), request_id, runtime.data(snapshot), version=snapshot.update_time, now=runtime.now())
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
        outcome = appointment_changed(runtime.store(), appointment_id, runtime.data(event.data.before),
                                      runtime.data(event.data.after), now=runtime.now(),
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
        data = runtime.data(snapshot)
        try:
            return appointment_from(appointment_id, data) if data is not None else None
        except InvalidDocument:
            return None  # no usable record, no reminders

    report = sync_reminders(runtime.store(), runtime.reminder_queue(), appointment(event.data.before),
                            appointment(event.data.after), now=runtime.now())
    if report.enqueued or report.deleted or report.failed:
        logger.info("reminders synced", appointmentId=appointment_id, enqueued=report.enqueued,
                    deleted=report.deleted, failed=report.failed)


# The Trigger Email extension reports on each mail it handles (delivery.state);
# a failed mail about an appointment is recorded on it for staff to see.
@firestore_fn.on_document_updated(document="mail/{mailId}")
def on_mail_updated(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    from booking.services.delivery import Recorded, mail_delivery_changed

    if event.data is None:
        return
    mail_id = event.data.after.id  # the document's own id (path parameters are trimmed)
    outcome = mail_delivery_changed(runtime.store(), mail_id, runtime.data(event.data.after), now=runtime.now())
    if outcome.result is Recorded.RECORDED:
        logger.info("failed mail recorded on its appointment", mailId=mail_id, appointmentId=outcome.appointment_id)


def _config_change(collection: str, doc_id: str, change: Any) -> None:
    from booking.services.config_changes import REACTIONS
    from booking.services.ports import Conflict

    reaction = REACTIONS[collection]
    before = runtime.data(change.before) if change is not None else None
    after = runtime.data(change.after) if change is not None else None
    try:
        report = reaction.handle(runtime.store(), doc_id, before, after, now=runtime.now())
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
    if keep_search_keys(Repository(db()), event.params["customerId"], runtime.data(after),
                        version=getattr(after, "update_time", None)):
        logger.info("customer search keys written", customerId=event.params["customerId"])


# The "any provider" view (typeSlots) follows every provider day sheet; it
# re-reads the sheet, so late or repeated events change nothing (issue 17).
@firestore_fn.on_document_written(document="slots/{sheetId}")
def on_slot_sheet_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    from booking.services.type_slots import after_sheet_write

    change = event.data
    written = after_sheet_write(runtime.store(), runtime.store(), event.params["sheetId"],
                                runtime.data(change.before) if change is not None else None,
                                runtime.data(change.after) if change is not None else None)
    if written:
        logger.debug("type slot view refreshed", sheetId=event.params["sheetId"], viewsWritten=written)
    from booking.entry.waitlist import match_freed_starts  # issue 18: freed seats go to the waitlist

    match_freed_starts(event.params["sheetId"], runtime.data(change.before) if change is not None else None,
                       runtime.data(change.after) if change is not None else None)
