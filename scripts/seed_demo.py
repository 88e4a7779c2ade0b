"""Loads the demo data set into the running emulator suite (idempotent).

Two appointment types, three providers in different time zones (weekly
hours with a lunch break, one date override each), customers, an admin and
a provider staff user in the Auth emulator, and one confirmed appointment
booked through the real trigger path. Waits until the backend has computed
the slot sheets, then prints the sign-in details.

Run by `scripts/suite.py run` with FIRESTORE_EMULATOR_HOST,
FIREBASE_AUTH_EMULATOR_HOST, GCLOUD_PROJECT and HOSTING_URL set. Refuses to
run against anything but the emulators.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))

from booking.domain.documents import without_backend_fields  # noqa: E402  (needs the path above)

PASSWORD = "password123"

TYPES: dict[str, dict[str, Any]] = {
    "consultation": {
        "name": "Consultation",
        "description": "A first 30-minute conversation about what you need.",
        "durationMinutes": 30, "bufferBeforeMinutes": 0, "bufferAfterMinutes": 10,
        "slotIntervalMinutes": 30, "minNoticeMinutes": 60, "horizonDays": 60, "capacity": 1,
        "cancelCutoffMinutes": 120, "price": 40, "currency": "USD", "active": True,
    },
    "therapy": {
        "name": "Therapy session",
        "description": "A full 60-minute session.",
        "durationMinutes": 60, "bufferBeforeMinutes": 0, "bufferAfterMinutes": 0,
        "slotIntervalMinutes": 60, "minNoticeMinutes": 120, "horizonDays": 90, "capacity": 1,
        "cancelCutoffMinutes": 1440, "price": 90, "currency": "USD", "active": True,
    },
}


def hours(*spans: str) -> list[dict[str, str]]:
    return [{"start": s.split("-")[0], "end": s.split("-")[1]} for s in spans]


def next_weekday(zone: str, weekday: int, weeks_ahead: int = 1) -> str:
    """The provider-local date of `weekday` (0 = Monday) in a later week."""
    today = datetime.now(ZoneInfo(zone)).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return (monday + timedelta(days=weekday)).isoformat()


def providers() -> dict[str, dict[str, Any]]:
    return {
        "amelia-hughes": {
            "public": {"name": "Dr Amelia Hughes", "timeZone": "Europe/London",
                       "typeIds": ["consultation", "therapy"], "active": True},
            "contact": {"email": "amelia.hughes@clinic.example", "phone": "+44 20 7946 0018"},
            "weekly": {d: hours("09:00-12:30", "13:30-17:00") for d in ("mon", "tue", "wed", "thu", "fri")}
            | {"sat": hours("10:00-13:00")},
            # Closed on next week's Wednesday (a training day).
            "overrides": [{"date": next_weekday("Europe/London", 2), "intervals": []}],
        },
        "marcus-reed": {
            "public": {"name": "Dr Marcus Reed", "timeZone": "America/New_York",
                       "typeIds": ["consultation"], "active": True},
            "contact": {"email": "marcus.reed@clinic.example", "phone": "+1 212 555 0142"},
            "weekly": {d: hours("08:00-12:00", "13:00-16:00") for d in ("mon", "tue", "wed", "thu")}
            | {"fri": hours("08:00-12:00")},
            # Opens on next week's Saturday morning.
            "overrides": [{"date": next_weekday("America/New_York", 5), "intervals": hours("09:00-12:00")}],
        },
        "priya-nair": {
            "public": {"name": "Dr Priya Nair", "timeZone": "Asia/Kolkata",
                       "typeIds": ["consultation", "therapy"], "active": True},
            "contact": {"email": "priya.nair@clinic.example", "phone": "+91 22 5550 1234"},
            "weekly": {d: hours("10:00-13:00", "14:00-18:00") for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
            # Short day on next week's Friday.
            "overrides": [{"date": next_weekday("Asia/Kolkata", 4), "intervals": hours("10:00-13:00")}],
        },
    }


USERS = [
    # (email, name, claims, is a customer)
    ("grace@example.com", "Grace Hopper", None, True),
    ("alan@example.com", "Alan Turing", None, True),
    ("katherine@example.com", "Katherine Johnson", None, True),
    ("admin@example.com", "Avery Admin", {"admin": True}, True),
    ("amelia@clinic.example", "Amelia Hughes (staff)", {"providerId": "amelia-hughes"}, False),
]


def _same(existing: dict[str, Any] | None, wanted: dict[str, Any]) -> bool:
    if existing is None:
        return False
    return without_backend_fields(existing) == wanted


def put(db, path: str, data: dict[str, Any]) -> bool:
    """Writes `data` unless the document already holds exactly that (so a
    re-run does not fire the triggers again). True when it wrote."""
    ref = db.document(path)
    snap = ref.get()
    if _same(snap.to_dict() if snap.exists else None, data):
        return False
    ref.set(data)
    return True


def ensure_user(auth, app, email: str, name: str, claims: dict | None) -> str:
    try:
        user = auth.get_user_by_email(email, app=app)
        auth.update_user(user.uid, password=PASSWORD, display_name=name, app=app)
    except auth.UserNotFoundError:
        user = auth.create_user(email=email, password=PASSWORD, display_name=name, app=app)
    if claims is not None and (user.custom_claims or {}) != claims:
        auth.set_custom_user_claims(user.uid, claims, app=app)
    return user.uid


def FieldFilter(*args):  # noqa: N802 - imported lazily: google.cloud is in functions/venv
    from google.cloud.firestore_v1.base_query import FieldFilter as _FieldFilter

    return _FieldFilter(*args)


def wait_for_sheets(db, provider_ids: list[str], timeout: float = 120.0) -> bool:
    """True once every provider has slot sheets with bookable starts."""
    deadline = time.monotonic() + timeout
    pending = set(provider_ids)
    while pending and time.monotonic() < deadline:
        for pid in list(pending):
            docs = db.collection("slots").where(filter=FieldFilter("providerId", "==", pid)).limit(20).get()
            if any(any((d.to_dict() or {}).get("available", {}).values()) for d in docs):
                pending.discard(pid)
        if pending:
            time.sleep(0.5)
    return not pending


def first_free_start(db, provider_id: str, type_id: str, after: datetime) -> datetime | None:
    docs = db.collection("slots").where(filter=FieldFilter("providerId", "==", provider_id)).get()
    starts = sorted(
        s for d in docs for s in (d.to_dict() or {}).get("available", {}).get(type_id, [])
        if s > after
    )
    return starts[0] if starts else None


def book_demo_appointment(db, customer_uid: str) -> None:
    """One confirmed appointment for Grace, through the real trigger path."""
    ref = db.document("bookingRequests/demo-grace-consultation")
    if ref.get().exists:
        return
    start = first_free_start(db, "amelia-hughes", "consultation", datetime.now(UTC) + timedelta(days=2))
    if start is None:
        return
    ref.set({
        "customerId": customer_uid, "providerId": "amelia-hughes", "appointmentTypeId": "consultation",
        "start": start, "status": "pending", "createdAt": datetime.now(UTC),
        "notes": "Demo booking made by the seed script.",
    })
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if (ref.get().to_dict() or {}).get("status") != "pending":
            return
        time.sleep(0.3)


def main() -> int:
    if not os.environ.get("FIRESTORE_EMULATOR_HOST") or not os.environ.get("FIREBASE_AUTH_EMULATOR_HOST"):
        print("seed_demo: FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST must point at the emulators",
              file=sys.stderr)
        return 2
    os.environ.setdefault("GCLOUD_PROJECT", "demo-booking")

    from booking.store.clients import admin_app
    from booking.store.clients import db as client
    from firebase_admin import auth

    db = client()
    app = admin_app()
    started = time.monotonic()
    print("[seed] loading demo data...", flush=True)

    for type_id, data in TYPES.items():
        put(db, f"appointmentTypes/{type_id}", data)
    catalog = providers()
    for pid, spec in catalog.items():
        put(db, f"providers/{pid}", spec["public"])
        put(db, f"providerContacts/{pid}", spec["contact"])
        put(db, f"availability/{pid}", {"providerId": pid, "weekly": spec["weekly"], "overrides": spec["overrides"]})

    uids: dict[str, str] = {}
    for email, name, claims, customer in USERS:
        uid = ensure_user(auth, app, email, name, claims)
        uids[email] = uid
        if customer:
            put(db, f"customers/{uid}", {"name": name, "email": email, "timeZone": "Europe/London"})

    if not wait_for_sheets(db, list(catalog)):
        print("[seed] the slot sheets did not appear within 120 s: are the functions running?", file=sys.stderr)
        return 1
    book_demo_appointment(db, uids["grace@example.com"])

    hosting = os.environ.get("HOSTING_URL", "http://127.0.0.1:5000")
    print(f"[seed] ready in {time.monotonic() - started:.1f} s. Open {hosting} and sign in with "
          f"(password for all: {PASSWORD}):", flush=True)
    for email, name, claims, _ in USERS:
        role = "admin" if claims and claims.get("admin") else (
            f"staff of {claims['providerId']}" if claims else "customer")
        print(f"  {email:26} {role:28} {name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
