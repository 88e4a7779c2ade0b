"""Helpers for the REST API and callable tests in tests/e2e (their `world`
fixture is in tests/e2e/conftest.py).

Everything goes through Hosting rewrites (`HOSTING_URL`), as a deployed
app's clients would; callables through the functions emulator.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import requests
from support.emulator import HOSTING

FUNCTIONS = os.environ.get("FUNCTIONS_URL", "http://127.0.0.1:5001/demo-booking/us-central1")
PROBLEM = "application/problem+json"

SESSION = requests.Session()


def call(method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
    headers = dict(kwargs.pop("headers", {}) or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return SESSION.request(method, f"{HOSTING}{path}", headers=headers, timeout=60, **kwargs)


def callable_(name: str, data: Any, token: str | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return SESSION.post(f"{FUNCTIONS}/{name}", json={"data": data}, headers=headers, timeout=60)


def problem(resp: requests.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Asserts a problem+json answer with `status` (and `code`); returns its body."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM), resp.headers["content-type"]
    body = resp.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


def iso(dt) -> str:
    """How the API writes an instant (UTC, `Z`)."""
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


CONSULT = {
    "id": "consult", "name": "Consultation", "description": "", "durationMinutes": 30,
    "bufferBeforeMinutes": 0, "bufferAfterMinutes": 0, "slotIntervalMinutes": None, "minNoticeMinutes": 60,
    "horizonDays": 30, "capacity": 1, "cancelCutoffMinutes": 120, "dailyLimit": None,
    "maxUpcomingPerCustomer": None, "price": 50.0, "currency": "EUR", "active": True,
    "reminders": [{"beforeMinutes": 1440}],
}
ADA_PUBLIC = {"id": "dr-ada", "name": "Dr. Ada Lovelace", "timeZone": "UTC", "typeIds": ["consult"], "active": True}


@dataclass
class Actor:
    uid: str
    token: str
    email: str


@dataclass
class World:
    admin: Actor
    staff: Actor      # staff of dr-ada
    customer: Actor   # has a customers/ profile
    other: Actor      # another customer with a profile
    day: Any          # a future day with open hours 09:00-17:00 UTC


def book(world: World, start, token: str | None = None, **extra: Any) -> requests.Response:
    body = {"providerId": "dr-ada", "appointmentTypeId": "consult", "start": iso(start), **extra}
    return call("POST", "/appointments", token or world.customer.token, json=body)
