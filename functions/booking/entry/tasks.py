"""Task-queue functions: Cloud Tasks runs each at its time, retried on failure."""

from __future__ import annotations

from booking.entry import runtime
from firebase_functions import logger, options, tasks_fn

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

    report = deliver_reminder(runtime.store(), req.data, now=runtime.now())
    logger.info("reminder task done", outcome=report.outcome.value, key=report.key, detail=report.detail,
                sms=report.sms)


# One provider's daily upkeep. A recompute that kept conflicting raises, and
# Cloud Tasks runs the task again minutes later; a few run at once, so that
# hundreds of recomputes do not all contend with the day's first bookings.
@tasks_fn.on_task_dispatched(retry_config=options.RetryConfig(max_attempts=5, min_backoff_seconds=60,
                                                             max_doublings=3),
                             rate_limits=options.RateLimits(max_concurrent_dispatches=5), timeout_sec=300)
def upkeep(req: tasks_fn.CallableRequest) -> None:
    from booking.services.upkeep import InvalidTask, run_upkeep_task

    try:
        report = run_upkeep_task(runtime.store(), req.data, now=runtime.now())
    except InvalidTask as invalid:
        logger.warn("upkeep task dropped", error=str(invalid))  # retrying would not help
        return
    logger.info("provider upkeep done", providerId=report.provider_id, sheetsWritten=report.sheets_written,
                released=report.released, viewWritten=report.view_written, error=report.error)
