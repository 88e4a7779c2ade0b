"""Fixture documents of the waitlist rows (matrix_cases_waitlist.py):
cust-a's entry naming prov-p, cust-b's for any provider, and cust-a's
booked one."""

from __future__ import annotations

from typing import Any


def waitlist_documents() -> dict[str, dict[str, Any]]:
    entry = {"customerId": "cust-a", "appointmentTypeId": "consult", "providerId": "prov-p",
             "firstDay": "2030-01-07", "lastDay": "2030-01-11", "timeZone": "Europe/London", "mode": "book",
             "status": "waiting", "claims": 0}
    any_provider = {k: v for k, v in entry.items() if k != "providerId"}
    return {
        "waitlist/wl-a": entry,
        "waitlist/wl-b": {**any_provider, "customerId": "cust-b", "mode": "notify"},
        "waitlist/wl-a-booked": {**entry, "status": "booked", "appointmentId": "appt-a"},
    }
