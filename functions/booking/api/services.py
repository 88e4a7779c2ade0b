"""The deployed HTTP services: one table, one row per HTTP function.

Each row is what `main.py` deploys (the function of that name), where
Hosting sends a request (`<prefix>` and `<prefix>/**` in firebase.json's
rewrites) and which router answers it. tests/unit/api/test_api_service_table.py
checks main.py and the rewrites against this table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI

from booking.api.app import build_app
from booking.api.routers import (
    appointment_types,
    appointments,
    available_slots,
    closures,
    customers,
    providers,
    time_off,
    waitlist,
)


@dataclass(frozen=True)
class Service:
    prefix: str
    title: str
    router: APIRouter
    # more routers under the same prefix (a provider's time off and feed)
    more: tuple[APIRouter, ...] = ()


# Keyed by the deployed function's name, which clients never see: they
# call the prefix, through Hosting.
SERVICES: dict[str, Service] = {
    "appointment_types_api": Service("/appointment-types", "Appointment types", appointment_types.router),
    "providers_api": Service("/providers", "Providers", providers.router, (time_off.router,)),
    "customers_api": Service("/customers", "Customers", customers.router),
    "appointments_api": Service("/appointments", "Appointments", appointments.router),
    "available_slots_api": Service("/available-slots", "Available slots", available_slots.router),
    "time_off_api": Service("/time-off", "Time off and closures", closures.router),
    "waitlist_api": Service("/waitlist", "Waitlist", waitlist.router),
}


@functools.cache
def app_for(function: str) -> FastAPI:
    service = SERVICES[function]
    return build_app(service.prefix, service.router, *service.more, title=service.title)
