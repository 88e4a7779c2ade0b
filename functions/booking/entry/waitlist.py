"""The waitlist's entry points (issue 18): the matcher the slot-sheet trigger
calls, and the parts of the re-drive and the daily job that are its own.
Handlers only: parse, call one service, log."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from booking.entry import runtime
from firebase_functions import firestore_fn, https_fn, logger


# The REST service of booking.api.services.SERVICES["waitlist_api"], served
# like the others in booking.entry.http.
@https_fn.on_request()
def waitlist_api(request: https_fn.Request) -> https_fn.Response:
    from booking.entry import http

    return http._serve("waitlist_api", request)


@functools.cache
def waitlists():
    from booking.store.clients import db
    from booking.store.waitlist import FirestoreWaitlist

    return FirestoreWaitlist(db())


def _sheet(data: dict[str, Any] | None):
    from booking.services.ports import InvalidDocument
    from booking.store.converters import sheet_from

    if data is None:
        return None
    try:
        return sheet_from(data)
    except (InvalidDocument, KeyError, TypeError, ValueError):
        return None  # not a sheet the matcher can read: nothing freed


def match_freed_starts(sheet_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Called by `on_slot_sheet_written` with the event's two versions of
    one day sheet: the seats the write freed go to the waitlist."""
    from booking.services.waitlist import after_sheet_change

    report = after_sheet_change(runtime.store(), waitlists(), _sheet(before), _sheet(after), now=runtime.now())
    if report.booked or report.notified or report.refused or report.left:
        logger.info("waitlist matched freed starts", sheetId=sheet_id, booked=report.booked,
                    notified=report.notified, refused=report.refused, left=report.left)


def redrive_waitlist(now: datetime) -> None:
    """The frequent re-drive's part: claims whose booking never finished."""
    from booking.services.waitlist_upkeep import settle_stale_claims

    report = settle_stale_claims(runtime.store(), waitlists(), now=now)
    if report.settled or report.errors:
        logger.info("waitlist claims settled", settled=report.settled, errors=report.errors)


def daily_waitlist(now: datetime) -> None:
    """The daily job's part: entries whose window has passed expire."""
    from booking.services.waitlist_upkeep import expire_entries

    report = expire_entries(waitlists(), now=now)
    logger.info("waitlist entries expired", expired=len(report.expired), errors=report.errors)


# Entries written through the rules: what the rules cannot check (the zone's
# name, the cap on active entries) is checked here.
@firestore_fn.on_document_created(document="waitlist/{entryId}")
def on_waitlist_entry_created(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    from booking.services.waitlist_entries import check_created

    snapshot = event.data
    if snapshot is None:
        return
    reason = check_created(waitlists(), snapshot.id, runtime.data(snapshot), snapshot.update_time, now=runtime.now())
    if reason:
        logger.info("waitlist entry withdrawn on creation", entryId=snapshot.id, reason=reason)
