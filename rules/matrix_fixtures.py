"""The world the access matrix runs in: six actors and a small data set.

Actors are real Auth-emulator users with fixed uids, so matrix rows can name
documents literally (`customers/cust-a`). The documents are written with the
admin client (which bypasses the rules) before the first row and again after
every row that wrote, so each row sees exactly this data.

Times are relative to the moment the data is loaded; `now` is rounded down to
a whole minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from matrix_fixtures_waitlist import waitlist_documents
from support import emulator

# uid -> custom claims
ACTOR_CLAIMS: dict[str, dict[str, Any]] = {
    "cust-a": {},
    "cust-b": {},
    "staff-p": {"providerId": "prov-p"},
    "staff-q": {"providerId": "prov-q"},
    "admin-1": {"admin": True},
}

# matrix name -> uid (None: no token at all)
WHO: dict[str, str | None] = {
    "anonymous": None,
    "customerA": "cust-a",
    "customerB": "cust-b",
    "providerP": "staff-p",
    "providerQ": "staff-q",
    "admin": "admin-1",
}


@dataclass(frozen=True)
class Rel:
    """A timestamp relative to the current whole minute (plus extra seconds)."""

    minutes: int
    seconds: int = 0

    def resolve(self, now: datetime) -> datetime:
        return now + timedelta(minutes=self.minutes, seconds=self.seconds)

    def __repr__(self) -> str:  # shows up in parametrize ids and failure messages
        extra = f"{self.seconds:+d}s" if self.seconds else ""
        return f"now{self.minutes:+d}min{extra}"


def whole_minute_now() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


def resolve(value: Any, now: datetime) -> Any:
    """Replaces every `Rel` inside `value` with a datetime."""
    if isinstance(value, Rel):
        return value.resolve(now)
    if isinstance(value, dict):
        return {k: resolve(v, now) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, now) for v in value]
    return value


def ensure_actors() -> dict[str, str | None]:
    """Creates (or refreshes) the actors; returns matrix name -> ID token."""
    from booking.store.clients import admin_app
    from firebase_admin import auth

    app = admin_app()
    tokens: dict[str, str | None] = {}
    for uid, claims in ACTOR_CLAIMS.items():
        email = f"{uid}@rules-matrix.example.com"
        try:
            auth.get_user(uid, app=app)
        except auth.UserNotFoundError:
            auth.create_user(uid=uid, email=email, password="password123", app=app)
        else:
            auth.update_user(uid, email=email, password="password123", app=app)
        auth.set_custom_user_claims(uid, claims or None, app=app)
    for name, uid in WHO.items():
        tokens[name] = None if uid is None else emulator.sign_in(f"{uid}@rules-matrix.example.com")["idToken"]
    return tokens


WEEKLY = {
    "mon": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
    "tue": [{"start": "09:00", "end": "17:00"}],
    "wed": [{"start": "09:00", "end": "17:00"}],
    "thu": [{"start": "09:00", "end": "17:00"}],
    "fri": [{"start": "09:00", "end": "15:00"}],
    "sat": [{"start": "22:00", "end": "02:00"}],
    "sun": [{"start": "10:00", "end": "14:00"}],
}

OVERRIDES = [
    {"date": "2030-12-24", "intervals": [{"start": "09:00", "end": "12:00"}]},
    {"date": "2030-12-25", "intervals": []},
]


def appointment(customer: str, provider: str, status: str, cancellable_until: Rel, start: Rel) -> dict[str, Any]:
    return {
        "providerId": provider,
        "customerId": customer,
        "appointmentTypeId": "consult",
        "start": start,
        "end": Rel(start.minutes + 30),
        "status": status,
        "requestId": "req-origin",
        "createdAt": Rel(-24 * 60),
        "updatedAt": Rel(-24 * 60),
        "cancellableUntil": cancellable_until,
        "customerName": "Ada" if customer == "cust-a" else "Bob",
        "typeName": "Consultation",
        "providerName": "Dr P" if provider == "prov-p" else "Dr Q",
        "notes": "",
        "timeZone": "Europe/London",
        "blockStart": Rel(start.minutes - 5),
        "blockEnd": Rel(start.minutes + 35),
        "history": [{"status": status, "at": Rel(-24 * 60)}],
        "outsideAvailability": False,
    }


def documents() -> dict[str, dict[str, Any]]:
    """path -> data (with `Rel` timestamps) of every fixture document."""
    consult = {
        "name": "Consultation",
        "description": "Thirty minutes",
        "durationMinutes": 30,
        "bufferBeforeMinutes": 5,
        "bufferAfterMinutes": 5,
        "slotIntervalMinutes": 30,
        "minNoticeMinutes": 60,
        "horizonDays": 60,
        "capacity": 1,
        "cancelCutoffMinutes": 1440,
        "dailyLimit": None,
        "price": 50.0,
        "currency": "EUR",
        "active": True,
        "validation": {"ok": True, "errors": []},
        "updatedAt": Rel(-60),
    }
    return {
        "appointmentTypes/consult": consult,
        "appointmentTypes/retired": {**consult, "name": "Old service", "active": False},
        "providers/prov-p": {
            "name": "Dr P", "timeZone": "Europe/London", "typeIds": ["consult"], "active": True,
            "bio": "", "photoUrl": "", "validation": {"ok": True, "errors": []}, "updatedAt": Rel(-60),
        },
        "providers/prov-q": {
            "name": "Dr Q", "timeZone": "America/New_York", "typeIds": ["consult"], "active": True,
        },
        "providers/prov-gone": {"name": "Dr Gone", "timeZone": "UTC", "typeIds": [], "active": False},
        "providerContacts/prov-p": {"email": "p@clinic.example.com", "phone": "+44 20 0000 0000"},
        "providerContacts/prov-q": {"email": "q@clinic.example.com", "phone": "+1 212 000 0000"},
        # No availability/prov-p: the rows create it. prov-q's exists, with a
        # backend-written `validation`.
        "availability/prov-q": {
            "providerId": "prov-q",
            "timeZone": "America/New_York",
            "weekly": WEEKLY,
            "overrides": OVERRIDES,
            "validation": {"ok": True, "errors": []},
            "updatedAt": Rel(-60),
        },
        # No customers/cust-b: customer B's rows create it.
        "customers/cust-a": {
            "name": "Ada", "email": "ada@example.com", "phone": "+44 7700 900000",
            "timeZone": "Europe/London", "createdAt": Rel(-10000), "updatedAt": Rel(-10000),
            # the backend's: the front desk's search keys (a customer's edit keeps them)
            "search": {"name": "ada", "email": "ada@example.com", "phone": "447700900000"},
        },
        "bookingRequests/req-a": {
            "customerId": "cust-a", "providerId": "prov-p", "appointmentTypeId": "consult",
            "start": Rel(3 * 24 * 60), "status": "confirmed", "createdAt": Rel(-60),
            "appointmentId": "appt-a",
        },
        "bookingRequests/req-b": {
            "customerId": "cust-b", "providerId": "prov-q", "appointmentTypeId": "consult",
            "start": Rel(3 * 24 * 60), "status": "rejected", "createdAt": Rel(-60),
            "reason": "slot_taken", "message": "That time was just booked.",
        },
        # before its cutoff
        "appointments/appt-a": appointment("cust-a", "prov-p", "confirmed", Rel(2 * 24 * 60), Rel(3 * 24 * 60)),
        # after its cutoff (starts in 30 minutes, cutoff an hour ago)
        "appointments/appt-a-late": appointment("cust-a", "prov-p", "confirmed", Rel(-60), Rel(30)),
        # already completed
        "appointments/appt-a-done": appointment("cust-a", "prov-p", "completed", Rel(2 * 24 * 60), Rel(3 * 24 * 60)),
        # only ever named by rescheduleOf rows (a live trigger may move it)
        "appointments/appt-a-move": appointment("cust-a", "prov-p", "confirmed", Rel(2 * 24 * 60), Rel(4 * 24 * 60)),
        "appointments/appt-b": appointment("cust-b", "prov-q", "confirmed", Rel(2 * 24 * 60), Rel(3 * 24 * 60)),
        "slots/prov-p_2030-01-07": {
            "providerId": "prov-p", "date": "2030-01-07", "timeZone": "Europe/London",
            "available": {"consult": [Rel(60 * 24 * 365 * 4)]},
        },
        "typeSlots/consult_2030-01-07": {
            "typeId": "consult", "date": "2030-01-07",
            "sheets": {"prov-p_2030-01-07": {"providerId": "prov-p", "version": Rel(0),
                                             "starts": [Rel(60 * 24 * 365 * 4)]}},
        },
        "mail/mail-1": {"to": "ada@example.com", "message": {"subject": "Confirmed", "text": "See you"}},
        "messages/sms-1": {"to": "+442079460958", "body": "Reminder: see you tomorrow at 09:00."},
        "settings/booking": {"maxUpcomingPerCustomer": 10},
        "customerLedgers/cust-a": {"upcoming": {"appt-a": {"start": Rel(3 * 24 * 60), "typeId": "consult"}}},
        "erasures/cust-b": {"customerId": "cust-b", "state": "running", "phase": "appointments",
                            "requestedBy": {"uid": "admin", "role": "admin"}},
        "secrets/anything": {"value": "not for clients"},
        **time_off_documents(),
        **waitlist_documents(),
    }


DAY = 24 * 60


def time_off_documents() -> dict[str, dict[str, Any]]:
    """Time off of each kind the rules tell apart, and prov-p's feed."""
    meeting = {"providerIds": ["prov-p"], "start": Rel(10 * DAY), "end": Rel(10 * DAY + 90),
               "title": "Staff meeting", "source": "manual", "createdBy": "staff-p"}
    return {
        "timeOff/to-p": {**meeting, "createdAt": Rel(-60)},
        "timeOff/to-q": {**meeting, "providerIds": ["prov-q"], "createdBy": "staff-q"},
        "timeOff/to-pq": {**meeting, "providerIds": ["prov-p", "prov-q"], "createdBy": "admin-1"},
        "timeOff/to-closure": {"allProviders": True, "allDay": True, "startDate": "2030-12-25",
                               "endDate": "2030-12-26", "title": "Christmas", "source": "manual",
                               "createdBy": "admin-1"},
        "timeOff/feed_0f": {"providerIds": ["prov-p"], "start": Rel(11 * DAY), "end": Rel(11 * DAY + 60),
                            "title": "Busy", "source": "feed"},
        "calendarFeeds/prov-p": {"url": "https://calendar.example.com/p/basic.ics",
                                 "status": {"state": "ok", "checkedAt": Rel(-15), "importedAt": Rel(-15),
                                            "events": 3, "error": None}},
    }


def load(db) -> None:
    """Clears Firestore and writes every fixture document."""
    emulator.clear_firestore()
    now = whole_minute_now()
    batch = db.batch()
    for path, data in documents().items():
        batch.set(db.document(path), resolve(data, now))
    batch.commit()


def restore(db, path: str) -> None:
    """Puts one document back to its fixture state (deleted if it has none).

    Run before every row that reads or writes a single document, so neither
    an earlier allowed write nor a backend trigger reacting to one can change
    what the row sees.
    """
    data = documents().get(path)
    if data is None:
        db.document(path).delete()
    else:
        db.document(path).set(resolve(data, whole_minute_now()))
