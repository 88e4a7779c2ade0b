"""Scheduled jobs: the frequent re-drive, the daily upkeep's fan-out and the
calendar feeds' poll."""

from __future__ import annotations

from booking.entry import runtime
from booking.store.clients import admin_app
from firebase_functions import logger, scheduler_fn

@scheduler_fn.on_schedule(schedule="every 2 minutes", timeout_sec=240)
def redrive_pending(event: scheduler_fn.ScheduledEvent) -> None:
    from booking.services.redrive import redrive

    report = redrive(runtime.store(), now=runtime.now())
    if report.requests or report.released or report.errors:
        logger.info("re-drive done", requests=report.requests, released=report.released, errors=report.errors)
    from booking.entry.waitlist import redrive_waitlist

    redrive_waitlist(runtime.now())
    _resume_erasures()


def _resume_erasures() -> None:
    """Erasures cut short (a crash, or too large for the request that began
    them) go on here, so each ends within minutes."""
    from booking.services.erasure import resume_erasures
    from booking.store.clients import db
    from booking.store.privacy import FirebaseAccounts, FirestorePrivacy

    jobs = resume_erasures(FirestorePrivacy(db()), FirebaseAccounts(admin_app()), now=runtime.now())
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

    report = daily(runtime.store(), runtime.upkeep_queue(), now=runtime.now())
    logger.info("daily upkeep enqueued", requests=len(report.requests), released=len(report.released),
                providers=len(report.enqueued), failed=report.failed, errors=report.errors)
    cleared = clear_removed_feeds(runtime.store(), FirestoreFeeds(db()), now=runtime.now())
    if cleared:
        logger.info("busy time of removed feeds cleared", providers=[r.provider_id for r in cleared])
    from booking.services.reminders import enqueue_coming_reminders

    queued = enqueue_coming_reminders(runtime.store(), runtime.reminder_queue(), now=runtime.now())
    logger.info("coming reminders enqueued", appointments=queued.appointments, enqueued=len(queued.enqueued),
                failed=queued.failed)
    from booking.entry.waitlist import daily_waitlist

    daily_waitlist(runtime.now())


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
    reports = poll_feeds(runtime.store(), FirestoreFeeds(db()), now=runtime.now(),
                         fetch=lambda url: fetch_feed(url, allow_loopback=allow_loopback))
    logger.info("calendar feeds polled", feeds=len(reports),
                failed={r.provider_id: r.error for r in reports if r.state != "ok"},
                written=sum(r.created + r.updated + r.deleted for r in reports))
