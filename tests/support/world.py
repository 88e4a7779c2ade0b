"""A small, realistic world written with the admin client, for tests.

Dates are chosen relative to the real clock (the triggers read it), on a
provider in UTC open every day, so expected instants stay literal per test.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any, Callable

ALL_WEEK = {day: [{"start": "09:00", "end": "17:00"}] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def a_future_day(days_ahead: int = 7) -> date:
    return (datetime.now(UTC) + timedelta(days=days_ahead)).date()


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=UTC)


def wait_for(probe: Callable[[], Any], timeout: float = 30.0, interval: float = 0.2) -> Any:
    """Polls until `probe` returns something truthy; returns it (or the last falsy value)."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = probe()
    return value


def seed(db, *, provider_id: str = "dr-ada", type_id: str = "consult", tz: str = "UTC",
         type_fields: dict[str, Any] | None = None, weekly: dict | None = None,
         customers: tuple[str, ...] = ()) -> None:
    db.document(f"appointmentTypes/{type_id}").set({
        "name": "Consultation", "durationMinutes": 30, "bufferBeforeMinutes": 0,
        "bufferAfterMinutes": 0, "minNoticeMinutes": 60, "horizonDays": 30, "capacity": 1,
        "cancelCutoffMinutes": 120, "price": 50, "currency": "EUR", "active": True,
        **(type_fields or {}),
    })
    # Hours before the provider: the provider's own recompute then writes each
    # day sheet once, with its hours (the other way round every sheet is
    # written twice, and each write is one more trigger event to wait for).
    db.document(f"availability/{provider_id}").set({
        "providerId": provider_id, "weekly": weekly if weekly is not None else ALL_WEEK, "overrides": [],
    })
    db.document(f"providerContacts/{provider_id}").set({"email": "ada@clinic.example"})
    db.document(f"providers/{provider_id}").set({
        "name": "Dr. Ada Lovelace", "timeZone": tz, "typeIds": [type_id], "active": True,
    })
    for uid in customers:
        add_customer(db, uid)


def add_customer(db, uid: str, name: str = "Grace Hopper") -> None:
    db.document(f"customers/{uid}").set({"name": name, "email": f"{uid.lower()}@example.com"})


def signed_up_customers(db, new_user, n: int) -> list[tuple[str, str]]:
    """`n` fresh accounts with customer profiles: (uid, id token) each."""
    users = []
    for _ in range(n):
        uid, token, _ = new_user()
        add_customer(db, uid)
        users.append((uid, token))
    return users


def sheet(db, provider_id: str, day: date) -> dict[str, Any] | None:
    snapshot = db.document(f"slots/{provider_id}_{day.isoformat()}").get()
    return snapshot.to_dict() if snapshot.exists else None


def wait_for_sheet(db, provider_id: str, day: date, predicate: Callable[[dict], bool] = lambda s: True,
                   timeout: float = 60.0) -> dict[str, Any] | None:
    def probe():
        found = sheet(db, provider_id, day)
        return found if found is not None and predicate(found) else None

    return wait_for(probe, timeout)


def wait_for_status(db, path: str, statuses=("confirmed", "rejected"), timeout: float = 30.0,
                    interval: float = 0.2) -> dict[str, Any]:
    def probe():
        snapshot = db.document(path).get()
        data = snapshot.to_dict() if snapshot.exists else None
        return data if data and data.get("status") in statuses else None

    return wait_for(probe, timeout, interval) or (db.document(path).get().to_dict() or {})
