"""Which routers make up each deployed service (one HTTP function each)."""

from __future__ import annotations

import functools

from fastapi import FastAPI

from booking.api.app import build_app

SERVICES: dict[str, tuple[str, str]] = {
    # function name: (path prefix, title)
    "appointment_types_api": ("/appointment-types", "Appointment types"),
    "providers_api": ("/providers", "Providers"),
    "customers_api": ("/customers", "Customers"),
    "appointments_api": ("/appointments", "Appointments"),
    "available_slots_api": ("/available-slots", "Available slots"),
}


def routers_for(service: str) -> list:
    from booking.api.routers import appointment_types, appointments, available_slots, customers, providers

    return {
        "appointment_types_api": [appointment_types.router],
        "providers_api": [providers.router],
        "customers_api": [customers.router],
        "appointments_api": [appointments.router],
        "available_slots_api": [available_slots.router],
    }[service]


@functools.cache
def app_for(service: str) -> FastAPI:
    prefix, title = SERVICES[service]
    return build_app(prefix, *routers_for(service), title=title)
