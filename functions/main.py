"""Cloud Functions entry points: what `firebase deploy` discovers here.

The handlers live in booking.entry, grouped by kind; this module sets the
global options, creates the default admin app and exports them. Deploy
discovery and every cold start import it, so nothing else happens here.
"""

from __future__ import annotations

import os

from booking.store.clients import admin_app
from firebase_functions import options

options.set_global_options(region="us-central1", max_instances=10)
# The one thing done at import: on_call verifies the caller's ID token with
# the default firebase_admin app before any handler of ours runs, so that
# app must exist by then. It reads no credentials and makes no call.
admin_app()

# The options above apply to the functions defined below them.
from booking.entry.calls import book_appointment, cancel_appointment, search_slots  # noqa: E402
from booking.entry.http import (  # noqa: E402
    appointment_types_api,
    appointments_api,
    available_slots_api,
    customers_api,
    providers_api,
    time_off_api,
)
from booking.entry.schedules import daily_sweep, poll_calendar_feeds, redrive_pending  # noqa: E402
from booking.entry.tasks import remind, upkeep  # noqa: E402
from booking.entry.triggers import (  # noqa: E402
    on_appointment_type_written,
    on_appointment_updated,
    on_appointment_written,
    on_availability_written,
    on_booking_request_created,
    on_customer_written,
    on_mail_updated,
    on_provider_written,
    on_slot_sheet_written,
    on_time_off_written,
)
from booking.entry.waitlist import on_waitlist_entry_created, waitlist_api  # noqa: E402

__all__ = [
    "appointment_types_api", "appointments_api", "available_slots_api", "customers_api", "providers_api",
    "time_off_api", "waitlist_api",
    "on_booking_request_created", "on_appointment_updated", "on_appointment_written", "on_mail_updated",
    "on_availability_written", "on_provider_written", "on_appointment_type_written", "on_time_off_written",
    "on_customer_written", "on_slot_sheet_written", "on_waitlist_entry_created",
    "remind", "upkeep", "redrive_pending", "daily_sweep", "poll_calendar_feeds",
    "search_slots", "book_appointment", "cancel_appointment",
]

# The benchmark's no-op trigger, for the emulator suite only (see its module).
if os.environ.get("FUNCTIONS_EMULATOR") == "true":
    from booking.entry.bench_floor import bench_floor  # noqa: E402, F401 (exported: discovery reads it)

    __all__.append("bench_floor")
