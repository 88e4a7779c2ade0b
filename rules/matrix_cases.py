"""The access matrix: one row per (who, operation, document, data) case.

Read a row as: "<who> may / may not <op> <target> [with <data>] (<why>)".

* who: anonymous, customerA (uid cust-a), customerB (cust-b), providerP
  (staff of prov-p), providerQ (staff of prov-q), admin.
* op: get, list (target is a `Query`), create (a new document), update (the
  named fields of an existing document; `DELETE` removes a field), delete.
* target: a document path; `*` as the id means a fresh id for this row.
* data: field values; `SERVER_TIME` is the request time (serverTimestamp),
  `Rel(minutes)` a time relative to now, `DELETE` removes the field.

The fixture documents the rows run against are in matrix_fixtures.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from matrix_client import DELETE, Query
from matrix_fixtures import OVERRIDES, WEEKLY, Rel
from support.emulator import SERVER_TIME

ALLOW = "allow"
DENY = "deny"
WHO = ("anonymous", "customerA", "customerB", "providerP", "providerQ", "admin")
OPS = ("get", "list", "create", "update", "delete")


@dataclass(frozen=True)
class Case:
    who: str
    op: str
    target: str | Query
    expect: str
    why: str
    data: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def collection(self) -> str:
        if isinstance(self.target, Query):
            return self.target.collection
        return self.target.split("/")[0]

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.why.lower()).strip("-")
        return f"{self.collection}:{self.who}:{self.op}:{self.expect}:{slug}"


def allow(who: str, op: str, target: str | Query, why: str, data: dict | None = None) -> Case:
    return Case(who, op, target, ALLOW, why, data)


def deny(who: str, op: str, target: str | Query, why: str, data: dict | None = None) -> Case:
    return Case(who, op, target, DENY, why, data)


def q(collection: str, *where: tuple[str, str, Any], group: bool = False) -> Query:
    return Query(collection, tuple(where), group=group)


def but(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """`base` with some fields changed (a value of DELETE removes the field)."""
    out = {**base, **changes}
    return {k: v for k, v in out.items() if v is not DELETE}


def long(n: int) -> str:
    return "x" * n


SAFE_128 = "Az09_-" * 21 + "ab"  # every kind of character of the id alphabet, 128 in all


# ---------------------------------------------------------------------------
# Valid payloads
# ---------------------------------------------------------------------------

NEW_TYPE = {
    "name": "Check-up",
    "description": "Fifteen minutes",
    "durationMinutes": 15,
    "bufferBeforeMinutes": 0,
    "bufferAfterMinutes": 5,
    "slotIntervalMinutes": 15,
    "minNoticeMinutes": 120,
    "horizonDays": 30,
    "capacity": 1,
    "cancelCutoffMinutes": 60,
    "dailyLimit": 8,
    "price": 20,
    "currency": "EUR",
    "active": True,
}

NEW_PROVIDER = {
    "name": "Dr R",
    "timeZone": "Europe/Paris",
    "typeIds": ["consult"],
    "active": True,
    "bio": "General practice",
    "photoUrl": "https://example.com/r.png",
}

NEW_CONTACT = {"email": "r@clinic.example.com", "phone": "+33 1 00 00 00 00", "updatedAt": SERVER_TIME}

FULL_DAY = [{"start": f"{h:02d}:00", "end": f"{h:02d}:30"} for h in range(8, 20)]  # 12 intervals

# Every day open and an override with hours: the most expensive valid write
# (a rules request may evaluate at most 1000 expressions).
NEW_AVAILABILITY_P = {
    "providerId": "prov-p",
    "timeZone": "Europe/London",
    "weekly": WEEKLY,
    "overrides": OVERRIDES,
    "updatedAt": SERVER_TIME,
}

NEW_CUSTOMER_B = {
    "name": "Bob",
    "email": "bob@example.com",
    "phone": "+1 555 0100",
    "timeZone": "America/New_York",
    "createdAt": SERVER_TIME,
    "updatedAt": SERVER_TIME,
}

START = Rel(2 * 24 * 60)  # two days ahead, whole minute

REQUEST_A = {
    "customerId": "cust-a",
    "providerId": "prov-p",
    "appointmentTypeId": "consult",
    "start": START,
    "status": "pending",
    "createdAt": SERVER_TIME,
}


def overrides(n: int) -> list[dict[str, Any]]:
    """n closed days from 2031-01-01 on."""
    first = date(2031, 1, 1)
    return [{"date": (first + timedelta(days=i)).isoformat(), "intervals": []} for i in range(n)]


# ---------------------------------------------------------------------------
# The rows
# ---------------------------------------------------------------------------

ACTIVE = ("active", "==", True)

APPOINTMENT_TYPES = [
    allow("anonymous", "get", "appointmentTypes/consult", "an active type is public"),
    deny("anonymous", "get", "appointmentTypes/retired", "an inactive type is hidden"),
    deny("customerA", "get", "appointmentTypes/retired", "an inactive type is hidden from customers"),
    allow("admin", "get", "appointmentTypes/retired", "admins read inactive types"),
    allow("anonymous", "list", q("appointmentTypes", ACTIVE), "list filtered on active"),
    deny("customerA", "list", q("appointmentTypes"), "unfiltered list could include inactive"),
    deny("anonymous", "list", q("appointmentTypes", ("active", "==", False)), "list of inactive"),
    allow("admin", "list", q("appointmentTypes"), "admins list everything"),
    allow("admin", "create", "appointmentTypes/checkup", "admin creates a type", NEW_TYPE),
    deny("providerP", "create", "appointmentTypes/checkup", "staff cannot create types", NEW_TYPE),
    deny("customerA", "create", "appointmentTypes/checkup", "customers cannot create types", NEW_TYPE),
    deny("anonymous", "create", "appointmentTypes/checkup", "anonymous cannot create types", NEW_TYPE),
    deny("admin", "create", "appointmentTypes/checkup", "missing name", but(NEW_TYPE, name=DELETE)),
    deny("admin", "create", "appointmentTypes/checkup", "missing active", but(NEW_TYPE, active=DELETE)),
    deny("admin", "create", "appointmentTypes/checkup", "extra field", but(NEW_TYPE, secret="x")),
    deny("admin", "create", "appointmentTypes/checkup", "active not a bool", but(NEW_TYPE, active="yes")),
    deny("admin", "create", "appointmentTypes/checkup", "empty name", but(NEW_TYPE, name="")),
    deny("admin", "create", "appointmentTypes/checkup", "name over 120", but(NEW_TYPE, name=long(121))),
    deny("admin", "create", "appointmentTypes/checkup", "client sets validation",
         but(NEW_TYPE, validation={"ok": True})),
    allow("admin", "create", f"appointmentTypes/{SAFE_128}", "a type id of 128 safe characters", NEW_TYPE),
    deny("admin", "create", f"appointmentTypes/{long(129)}", "a type id over 128 characters", NEW_TYPE),
    deny("admin", "create", "appointmentTypes/ ", "a type id of one space", NEW_TYPE),
    deny("admin", "create", "appointmentTypes/Check up", "a type id with a space", NEW_TYPE),
    allow("admin", "update", "appointmentTypes/consult", "admin renames a type (keeps validation)",
          {"name": "Long consultation", "durationMinutes": 45}),
    allow("admin", "update", "appointmentTypes/consult", "admin drops backend fields",
          {"validation": DELETE, "updatedAt": DELETE}),
    deny("admin", "update", "appointmentTypes/consult", "client changes validation",
         {"validation": {"ok": False}}),
    deny("admin", "update", "appointmentTypes/consult", "client stamps updatedAt", {"updatedAt": SERVER_TIME}),
    allow("admin", "update", "appointmentTypes/consult", "admin sets a type's own per-customer cap",
          {"maxUpcomingPerCustomer": 2}),
    allow("admin", "update", "appointmentTypes/consult", "admin sets reminders a day and two hours ahead",
          {"reminders": [{"beforeMinutes": 1440}, {"beforeMinutes": 120}]}),
    allow("admin", "update", "appointmentTypes/consult", "admin turns reminders off", {"reminders": []}),
    allow("admin", "create", "appointmentTypes/checkup", "five reminders, the longest a week ahead",
          but(NEW_TYPE, reminders=[{"beforeMinutes": m} for m in (10080, 1440, 120, 30, 1)])),
    deny("admin", "create", "appointmentTypes/checkup", "six reminders",
         but(NEW_TYPE, reminders=[{"beforeMinutes": m} for m in (10080, 1440, 120, 30, 5, 1)])),
    deny("admin", "create", "appointmentTypes/checkup", "the same reminder twice",
         but(NEW_TYPE, reminders=[{"beforeMinutes": 60}, {"beforeMinutes": 60}])),
    deny("admin", "create", "appointmentTypes/checkup", "a reminder over a week ahead",
         but(NEW_TYPE, reminders=[{"beforeMinutes": 10081}])),
    deny("admin", "create", "appointmentTypes/checkup", "a reminder at the start",
         but(NEW_TYPE, reminders=[{"beforeMinutes": 0}])),
    deny("admin", "create", "appointmentTypes/checkup", "the fifth reminder not a whole number",
         but(NEW_TYPE, reminders=[{"beforeMinutes": m} for m in (1440, 120, 30, 5)] + [{"beforeMinutes": 1.5}])),
    deny("admin", "create", "appointmentTypes/checkup", "a reminder with another key",
         but(NEW_TYPE, reminders=[{"beforeMinutes": 60, "channel": "sms"}])),
    deny("admin", "update", "appointmentTypes/consult", "reminders not a list", {"reminders": {"beforeMinutes": 60}}),
    deny("providerP", "update", "appointmentTypes/consult", "staff cannot edit types", {"price": 0}),
    allow("admin", "delete", "appointmentTypes/retired", "admin deletes a type"),
    deny("customerA", "delete", "appointmentTypes/consult", "customers cannot delete types"),
]

PROVIDERS = [
    allow("anonymous", "get", "providers/prov-p", "an active provider is public"),
    deny("anonymous", "get", "providers/prov-gone", "an inactive provider is hidden"),
    allow("admin", "get", "providers/prov-gone", "admins read inactive providers"),
    allow("customerB", "list", q("providers", ACTIVE), "list filtered on active"),
    deny("customerB", "list", q("providers"), "unfiltered list could include inactive"),
    allow("admin", "list", q("providers"), "admins list everything"),
    allow("admin", "create", "providers/prov-r", "admin creates a provider", NEW_PROVIDER),
    deny("providerP", "create", "providers/prov-r", "staff cannot create providers", NEW_PROVIDER),
    deny("admin", "create", "providers/prov-r", "contact email on the public doc",
         but(NEW_PROVIDER, email="r@clinic.example.com")),
    deny("admin", "create", "providers/prov-r", "missing name", but(NEW_PROVIDER, name=DELETE)),
    deny("admin", "create", "providers/prov-r", "missing active", but(NEW_PROVIDER, active=DELETE)),
    deny("admin", "create", "providers/prov-r", "client stamps updatedAt", but(NEW_PROVIDER, updatedAt=SERVER_TIME)),
    deny("admin", "create", "providers/trail ", "a provider id with a trailing space", NEW_PROVIDER),
    deny("admin", "create", "providers/dr.r", "a provider id with a dot", NEW_PROVIDER),
    allow("admin", "create", "providers/prov-r", "bio of exactly 2000 and photoUrl of 2048",
          but(NEW_PROVIDER, bio=long(2000), photoUrl=long(2048))),
    allow("admin", "create", "providers/prov-r", "null bio and photoUrl", but(NEW_PROVIDER, bio=None, photoUrl=None)),
    deny("admin", "create", "providers/prov-r", "bio over 2000", but(NEW_PROVIDER, bio=long(2001))),
    deny("admin", "create", "providers/prov-r", "photoUrl over 2048", but(NEW_PROVIDER, photoUrl=long(2049))),
    deny("admin", "create", "providers/prov-r", "bio not a string", but(NEW_PROVIDER, bio=["GP"])),
    deny("admin", "update", "providers/prov-p", "photoUrl not a string", {"photoUrl": 7}),
    allow("admin", "update", "providers/prov-p", "admin deactivates a provider", {"active": False}),
    deny("admin", "update", "providers/prov-p", "name not a string", {"name": 123}),
    deny("admin", "update", "providers/prov-p", "client changes validation", {"validation": {"ok": False}}),
    deny("providerP", "update", "providers/prov-p", "staff cannot edit their public profile", {"bio": "hi"}),
    allow("admin", "delete", "providers/prov-gone", "admin deletes a provider"),
    deny("providerQ", "delete", "providers/prov-q", "staff cannot delete providers"),
]

PROVIDER_CONTACTS = [
    allow("providerP", "get", "providerContacts/prov-p", "a provider reads its own contact"),
    deny("providerQ", "get", "providerContacts/prov-p", "another provider's contact"),
    deny("customerA", "get", "providerContacts/prov-p", "customers never see contacts"),
    deny("anonymous", "get", "providerContacts/prov-p", "anonymous never sees contacts"),
    allow("admin", "get", "providerContacts/prov-p", "admins read contacts"),
    allow("admin", "list", q("providerContacts"), "admins list contacts"),
    deny("providerP", "list", q("providerContacts"), "staff cannot list all contacts"),
    allow("admin", "create", "providerContacts/prov-r", "admin creates a contact", NEW_CONTACT),
    deny("admin", "create", "providerContacts/prov-r", "extra field", but(NEW_CONTACT, address="Main St")),
    deny("admin", "create", f"providerContacts/{long(129)}", "a contact id over 128 characters", NEW_CONTACT),
    deny("admin", "update", "providerContacts/prov-p", "email over 254 (the backend's Email)", {"email": long(255)}),
    deny("admin", "update", "providerContacts/prov-p", "phone not a string", {"phone": 123}),
    deny("admin", "update", "providerContacts/prov-p", "updatedAt not a timestamp", {"updatedAt": "today"}),
    deny("providerP", "update", "providerContacts/prov-p", "only admins edit contacts", {"phone": "+44 1"}),
    allow("admin", "delete", "providerContacts/prov-q", "admin deletes a contact"),
    deny("providerQ", "delete", "providerContacts/prov-q", "staff cannot delete contacts"),
]

AV_P = "availability/prov-p"  # absent in the fixtures: created by the rows
AV_Q = "availability/prov-q"  # present, with a backend `validation`

AVAILABILITY = [
    deny("anonymous", "get", AV_Q, "availability needs sign-in"),
    allow("customerA", "get", AV_Q, "any signed-in user reads availability"),
    allow("customerA", "list", q("availability"), "any signed-in user lists availability"),
    deny("anonymous", "list", q("availability"), "anonymous cannot list availability"),
    allow("providerP", "create", AV_P, "a provider writes its own hours", NEW_AVAILABILITY_P),
    allow("admin", "create", AV_P, "admin writes any provider's hours", NEW_AVAILABILITY_P),
    deny("providerQ", "create", AV_P, "another provider's hours", NEW_AVAILABILITY_P),
    deny("customerA", "create", AV_P, "customers cannot write hours", NEW_AVAILABILITY_P),
    deny("providerP", "create", AV_P, "providerId is not the doc id",
         but(NEW_AVAILABILITY_P, providerId="prov-q")),
    deny("providerP", "create", AV_P, "missing providerId", but(NEW_AVAILABILITY_P, providerId=DELETE)),
    deny("admin", "create", "availability/ ", "hours of a provider id of one space",
         but(NEW_AVAILABILITY_P, providerId=" ")),
    deny("providerP", "create", AV_P, "extra field", but(NEW_AVAILABILITY_P, holidays=[])),
    deny("providerP", "create", AV_P, "client sets validation",
         but(NEW_AVAILABILITY_P, validation={"ok": True})),
    allow("providerP", "create", AV_P, "minimal doc: closed every day", {"providerId": "prov-p"}),
    allow("providerP", "create", AV_P, "null timeZone means the provider's zone",
          but(NEW_AVAILABILITY_P, timeZone=None)),
    deny("providerP", "create", AV_P, "timeZone not a string", but(NEW_AVAILABILITY_P, timeZone=5)),
    deny("providerP", "create", AV_P, "empty timeZone", but(NEW_AVAILABILITY_P, timeZone="")),
    deny("providerP", "create", AV_P, "timeZone over 64", but(NEW_AVAILABILITY_P, timeZone=long(65))),
    deny("providerP", "create", AV_P, "updatedAt not a timestamp", but(NEW_AVAILABILITY_P, updatedAt="now")),
    deny("providerP", "create", AV_P, "weekly not a map", but(NEW_AVAILABILITY_P, weekly=[])),
    deny("providerP", "create", AV_P, "weekly key not a weekday",
         but(NEW_AVAILABILITY_P, weekly={"monday": []})),
    deny("providerP", "create", AV_P, "weekday not a list",
         but(NEW_AVAILABILITY_P, weekly={"mon": {"start": "09:00", "end": "17:00"}})),
    allow("providerP", "create", AV_P, "12 intervals in a day",
          but(NEW_AVAILABILITY_P, weekly={"wed": FULL_DAY})),
    deny("providerP", "create", AV_P, "13 intervals in a day",
         but(NEW_AVAILABILITY_P, weekly={"wed": FULL_DAY + [{"start": "21:00", "end": "22:00"}]})),
    deny("providerP", "create", AV_P, "interval not a map",
         but(NEW_AVAILABILITY_P, weekly={"tue": ["09:00-17:00"]})),
    deny("providerP", "create", AV_P, "interval missing end",
         but(NEW_AVAILABILITY_P, weekly={"tue": [{"start": "09:00"}]})),
    deny("providerP", "create", AV_P, "interval extra key",
         but(NEW_AVAILABILITY_P, weekly={"tue": [{"start": "09:00", "end": "17:00", "room": 1}]})),
    deny("providerP", "create", AV_P, "start without leading zero",
         but(NEW_AVAILABILITY_P, weekly={"thu": [{"start": "9:00", "end": "17:00"}]})),
    deny("providerP", "create", AV_P, "start 24:00",
         but(NEW_AVAILABILITY_P, weekly={"thu": [{"start": "24:00", "end": "23:00"}]})),
    allow("providerP", "create", AV_P, "end 24:00",
          but(NEW_AVAILABILITY_P, weekly={"thu": [{"start": "18:00", "end": "24:00"}]})),
    deny("providerP", "create", AV_P, "end 24:01",
         but(NEW_AVAILABILITY_P, weekly={"thu": [{"start": "18:00", "end": "24:01"}]})),
    deny("providerP", "create", AV_P, "start not a string",
         but(NEW_AVAILABILITY_P, weekly={"fri": [{"start": 900, "end": "17:00"}]})),
    allow("providerP", "create", AV_P, "a bad second interval is left to the backend trigger",
          but(NEW_AVAILABILITY_P, weekly={"sun": [{"start": "09:00", "end": "12:00"},
                                                   {"start": "13:00", "end": "25:00"}]})),
    deny("providerP", "create", AV_P, "overrides not a list", but(NEW_AVAILABILITY_P, overrides={})),
    allow("providerP", "create", AV_P, "366 overrides", but(NEW_AVAILABILITY_P, overrides=overrides(366))),
    deny("providerP", "create", AV_P, "367 overrides", but(NEW_AVAILABILITY_P, overrides=overrides(367))),
    deny("providerP", "create", AV_P, "override not a map", but(NEW_AVAILABILITY_P, overrides=["2030-12-25"])),
    deny("providerP", "create", AV_P, "override missing date",
         but(NEW_AVAILABILITY_P, overrides=[{"intervals": []}])),
    deny("providerP", "create", AV_P, "override extra key",
         but(NEW_AVAILABILITY_P, overrides=[{"date": "2030-12-25", "intervals": [], "why": "xmas"}])),
    deny("providerP", "create", AV_P, "override month 13",
         but(NEW_AVAILABILITY_P, overrides=[{"date": "2030-13-01"}])),
    deny("providerP", "create", AV_P, "override intervals not a list",
         but(NEW_AVAILABILITY_P, overrides=[{"date": "2030-12-25", "intervals": "closed"}])),
    deny("providerP", "create", AV_P, "bad interval in an override",
         but(NEW_AVAILABILITY_P, overrides=[{"date": "2030-12-31", "intervals": [{"start": "9", "end": "12"}]}])),
    allow("providerP", "create", AV_P, "a bad second override is left to the backend trigger",
          but(NEW_AVAILABILITY_P, overrides=[{"date": "2030-12-24"}, {"date": "2030-02-31", "x": 1}])),
    allow("providerQ", "update", AV_Q, "a provider edits its week (keeps validation)",
          {"weekly": {"mon": [{"start": "08:00", "end": "16:00"}]}, "updatedAt": SERVER_TIME}),
    allow("admin", "update", AV_Q, "admin edits a provider's overrides", {"overrides": []}),
    allow("providerQ", "update", AV_Q, "dropping validation is allowed", {"validation": DELETE}),
    deny("providerQ", "update", AV_Q, "client changes validation", {"validation": {"ok": True, "errors": ["x"]}}),
    deny("providerP", "update", AV_Q, "another provider's hours", {"overrides": []}),
    deny("customerB", "update", AV_Q, "customers cannot edit hours", {"overrides": []}),
    deny("providerQ", "delete", AV_Q, "providers cannot delete hours"),
    deny("admin", "delete", AV_Q, "nobody deletes hours (admins clear them)"),
]

CUSTOMERS = [
    allow("customerA", "get", "customers/cust-a", "a customer reads itself"),
    deny("customerB", "get", "customers/cust-a", "another customer"),
    deny("providerP", "get", "customers/cust-a", "staff do not read customers (appointments carry the name)"),
    deny("anonymous", "get", "customers/cust-a", "anonymous"),
    allow("admin", "get", "customers/cust-a", "admins read customers"),
    allow("admin", "list", q("customers"), "admins list customers"),
    deny("customerA", "list", q("customers"), "customers cannot list customers"),
    deny("customerA", "list", q("customers", ("email", "==", "ada@example.com")),
         "even a query matching only itself"),
    deny("providerP", "list", q("customers"), "staff cannot list customers"),
    allow("customerB", "create", "customers/cust-b", "a customer creates itself", NEW_CUSTOMER_B),
    allow("customerB", "create", "customers/cust-b", "minimal profile, null phone",
          {"name": "Bob", "email": "bob@example.com", "phone": None}),
    allow("admin", "create", "customers/cust-b", "admin creates a customer", NEW_CUSTOMER_B),
    deny("customerA", "create", "customers/cust-b", "under someone else's uid", NEW_CUSTOMER_B),
    deny("anonymous", "create", "customers/cust-b", "anonymous", NEW_CUSTOMER_B),
    deny("customerB", "create", "customers/cust-b", "missing name", but(NEW_CUSTOMER_B, name=DELETE)),
    deny("admin", "create", f"customers/{long(129)}", "a customer id over 128 characters", NEW_CUSTOMER_B),
    deny("admin", "create", "customers/trail ", "a customer id with a trailing space", NEW_CUSTOMER_B),
    deny("customerB", "create", "customers/cust-b", "missing email", but(NEW_CUSTOMER_B, email=DELETE)),
    deny("customerB", "create", "customers/cust-b", "role field admin", but(NEW_CUSTOMER_B, admin=True)),
    deny("customerB", "create", "customers/cust-b", "role field providerId", but(NEW_CUSTOMER_B, providerId="prov-p")),
    deny("customerB", "create", "customers/cust-b", "empty name", but(NEW_CUSTOMER_B, name="")),
    allow("customerB", "create", "customers/cust-b", "name of exactly 120", but(NEW_CUSTOMER_B, name=long(120))),
    deny("customerB", "create", "customers/cust-b", "name over 120", but(NEW_CUSTOMER_B, name=long(121))),
    deny("customerB", "create", "customers/cust-b", "email not a string", but(NEW_CUSTOMER_B, email=["bob"])),
    deny("customerB", "create", "customers/cust-b", "email over 254", but(NEW_CUSTOMER_B, email=long(255))),
    deny("customerB", "create", "customers/cust-b", "phone over 40", but(NEW_CUSTOMER_B, phone=long(41))),
    deny("customerB", "create", "customers/cust-b", "phone not a string", but(NEW_CUSTOMER_B, phone=5550100)),
    deny("customerB", "create", "customers/cust-b", "timeZone over 64", but(NEW_CUSTOMER_B, timeZone=long(65))),
    deny("customerB", "create", "customers/cust-b", "createdAt not a timestamp", but(NEW_CUSTOMER_B, createdAt="today")),
    deny("customerB", "create", "customers/cust-b", "updatedAt not a timestamp", but(NEW_CUSTOMER_B, updatedAt=1)),
    allow("customerA", "update", "customers/cust-a", "a customer edits itself",
          {"phone": "+44 7700 900001", "updatedAt": SERVER_TIME}),
    deny("customerA", "update", "customers/cust-a", "adds a role field", {"roles": ["admin"]}),
    deny("customerA", "update", "customers/cust-a", "rewrites the backend's search keys",
         {"search": {"name": "zzz"}}),
    allow("customerA", "update", "customers/cust-a", "drops the search keys (the trigger writes them again)",
          {"search": DELETE}),
    deny("customerB", "create", "customers/cust-b", "sets search keys", but(NEW_CUSTOMER_B, search={"name": "bob"})),
    deny("customerB", "create", "customers/cust-b", "claims a front desk", but(NEW_CUSTOMER_B, addedBy={"uid": "x"})),
    deny("customerA", "update", "customers/cust-a", "removes its email", {"email": DELETE}),
    deny("customerB", "update", "customers/cust-a", "another customer", {"name": "Mallory"}),
    deny("providerP", "update", "customers/cust-a", "staff", {"name": "Ada L"}),
    allow("admin", "update", "customers/cust-a", "admin edits a customer", {"name": "Ada L"}),
    deny("customerA", "delete", "customers/cust-a", "customers cannot delete themselves"),
    allow("admin", "delete", "customers/cust-a", "admin deletes a customer"),
]

NEW_REQUEST = "bookingRequests/*"

BOOKING_REQUESTS = [
    allow("customerA", "create", NEW_REQUEST, "a customer books for itself", REQUEST_A),
    allow("customerA", "create", NEW_REQUEST, "with notes and a reschedule of its own appointment",
          but(REQUEST_A, notes=long(1000), rescheduleOf="appt-a-move")),
    allow("providerP", "create", NEW_REQUEST, "staff book as customers too", but(REQUEST_A, customerId="staff-p")),
    allow("customerA", "create", NEW_REQUEST, "a weekly series of 26",
          but(REQUEST_A, recurrence={"frequency": "weekly", "count": 26})),
    allow("customerA", "create", NEW_REQUEST, "a monthly series of 2 that skips what is taken",
          but(REQUEST_A, recurrence={"frequency": "monthly_same_weekday", "count": 2}, onConflict="skip")),
    deny("customerA", "create", NEW_REQUEST, "a series of 27",
         but(REQUEST_A, recurrence={"frequency": "weekly", "count": 27})),
    deny("customerA", "create", NEW_REQUEST, "a series of 1",
         but(REQUEST_A, recurrence={"frequency": "weekly", "count": 1})),
    deny("customerA", "create", NEW_REQUEST, "a series count that is not a whole number",
         but(REQUEST_A, recurrence={"frequency": "weekly", "count": 2.5})),
    deny("customerA", "create", NEW_REQUEST, "a daily series",
         but(REQUEST_A, recurrence={"frequency": "daily", "count": 3})),
    deny("customerA", "create", NEW_REQUEST, "a series with an end date",
         but(REQUEST_A, recurrence={"frequency": "weekly", "count": 3, "until": "2030-01-01"})),
    deny("customerA", "create", NEW_REQUEST, "a series that also reschedules",
         but(REQUEST_A, recurrence={"frequency": "weekly", "count": 3}, rescheduleOf="appt-a-move")),
    deny("customerA", "create", NEW_REQUEST, "onConflict without a series", but(REQUEST_A, onConflict="skip")),
    deny("customerA", "create", NEW_REQUEST, "an unknown onConflict",
         but(REQUEST_A, recurrence={"frequency": "weekly", "count": 3}, onConflict="retry")),
    deny("customerA", "create", NEW_REQUEST, "for another customer", but(REQUEST_A, customerId="cust-b")),
    deny("admin", "create", NEW_REQUEST, "not even admins book for others", REQUEST_A),
    deny("anonymous", "create", NEW_REQUEST, "anonymous", REQUEST_A),
    deny("customerA", "create", NEW_REQUEST, "missing start", but(REQUEST_A, start=DELETE)),
    deny("customerA", "create", NEW_REQUEST, "missing status", but(REQUEST_A, status=DELETE)),
    deny("customerA", "create", NEW_REQUEST, "missing createdAt", but(REQUEST_A, createdAt=DELETE)),
    deny("customerA", "create", NEW_REQUEST, "missing providerId", but(REQUEST_A, providerId=DELETE)),
    deny("customerA", "create", NEW_REQUEST, "extra field appointmentId", but(REQUEST_A, appointmentId="x")),
    deny("customerA", "create", NEW_REQUEST, "status confirmed", but(REQUEST_A, status="confirmed")),
    deny("customerA", "create", NEW_REQUEST, "createdAt from the client clock", but(REQUEST_A, createdAt=Rel(0))),
    deny("customerA", "create", NEW_REQUEST, "start in the past", but(REQUEST_A, start=Rel(-60))),
    deny("customerA", "create", NEW_REQUEST, "start not on a whole minute",
         but(REQUEST_A, start=Rel(START.minutes, seconds=30))),
    deny("customerA", "create", NEW_REQUEST, "start not a timestamp", but(REQUEST_A, start="2030-01-07T10:00:00Z")),
    deny("customerA", "create", NEW_REQUEST, "providerId not a string", but(REQUEST_A, providerId=42)),
    deny("customerA", "create", NEW_REQUEST, "empty appointmentTypeId", but(REQUEST_A, appointmentTypeId="")),
    deny("customerA", "create", NEW_REQUEST, "appointmentTypeId over 128",
         but(REQUEST_A, appointmentTypeId=long(129))),
    deny("customerA", "create", NEW_REQUEST, "notes over 1000", but(REQUEST_A, notes=long(1001))),
    deny("customerA", "create", NEW_REQUEST, "notes not a string", but(REQUEST_A, notes=["hi"])),
    deny("customerA", "create", NEW_REQUEST, "reschedule someone else's appointment",
         but(REQUEST_A, rescheduleOf="appt-b")),
    deny("customerA", "create", NEW_REQUEST, "reschedule a missing appointment",
         but(REQUEST_A, rescheduleOf="no-such-appointment")),
    deny("customerA", "create", NEW_REQUEST, "rescheduleOf not a string", but(REQUEST_A, rescheduleOf=7)),
    # ids: the request's own and those it names (isSafeId)
    allow("customerA", "create", f"bookingRequests/{SAFE_128}", "a request id of 128 safe characters", REQUEST_A),
    allow("customerA", "create", "bookingRequests/Req_2030-a", "a request id of letters digits _ and -", REQUEST_A),
    deny("customerA", "create", f"bookingRequests/{long(129)}", "a request id over 128 characters", REQUEST_A),
    deny("customerA", "create", f"bookingRequests/{long(1496)}", "a request id of 1496 characters", REQUEST_A),
    deny("customerA", "create", "bookingRequests/ ", "a request id of one space", REQUEST_A),
    deny("customerA", "create", "bookingRequests/trail ", "a request id with a trailing space", REQUEST_A),
    deny("customerA", "create", "bookingRequests/req.a", "a request id with a dot", REQUEST_A),
    deny("customerA", "create", NEW_REQUEST, "providerId of one space", but(REQUEST_A, providerId=" ")),
    deny("customerA", "create", NEW_REQUEST, "appointmentTypeId with a trailing space",
         but(REQUEST_A, appointmentTypeId="consult ")),
    deny("customerA", "create", NEW_REQUEST, "rescheduleOf with a slash", but(REQUEST_A, rescheduleOf="appt-a/x")),
    allow("customerA", "get", "bookingRequests/req-a", "a customer reads its request"),
    deny("customerB", "get", "bookingRequests/req-a", "another customer's request"),
    deny("providerP", "get", "bookingRequests/req-a", "staff do not read requests"),
    deny("anonymous", "get", "bookingRequests/req-a", "anonymous"),
    allow("admin", "get", "bookingRequests/req-b", "admins read requests"),
    allow("customerA", "list", q("bookingRequests", ("customerId", "==", "cust-a")), "own requests"),
    deny("customerA", "list", q("bookingRequests"), "unfiltered list would leak others"),
    deny("customerA", "list", q("bookingRequests", ("customerId", "==", "cust-b")), "someone else's requests"),
    deny("providerP", "list", q("bookingRequests", ("providerId", "==", "prov-p")), "staff listing their requests"),
    allow("admin", "list", q("bookingRequests"), "admins list all requests"),
    deny("customerA", "update", "bookingRequests/req-a", "customers cannot change a request", {"status": "pending"}),
    deny("admin", "update", "bookingRequests/req-a", "only functions change a request", {"status": "rejected"}),
    deny("customerA", "delete", "bookingRequests/req-a", "customers cannot withdraw a request"),
    deny("admin", "delete", "bookingRequests/req-a", "only functions delete requests"),
]

CANCEL = {"status": "cancelled"}

APPOINTMENTS = [
    allow("customerA", "get", "appointments/appt-a", "a customer reads its appointment"),
    deny("customerB", "get", "appointments/appt-a", "another customer's appointment"),
    allow("providerP", "get", "appointments/appt-a", "the provider reads its appointment"),
    deny("providerQ", "get", "appointments/appt-a", "another provider's appointment"),
    deny("anonymous", "get", "appointments/appt-a", "anonymous"),
    allow("admin", "get", "appointments/appt-b", "admins read appointments"),
    allow("customerA", "list", q("appointments", ("customerId", "==", "cust-a")), "own appointments"),
    allow("customerA", "list", q("appointments", ("customerId", "==", "cust-a"), ("status", "==", "confirmed")),
          "own confirmed appointments"),
    deny("customerA", "list", q("appointments"), "unfiltered list would leak others"),
    deny("customerA", "list", q("appointments", ("customerId", "==", "cust-b")), "someone else's appointments"),
    deny("customerA", "list", q("appointments", ("providerId", "==", "prov-p")),
         "a provider's calendar would leak other customers"),
    deny("customerA", "list", q("appointments", ("customerId", "==", "cust-a"), group=True),
         "collection-group query"),
    allow("providerP", "list", q("appointments", ("providerId", "==", "prov-p")), "a provider's own calendar"),
    deny("providerP", "list", q("appointments", ("providerId", "==", "prov-q")), "another provider's calendar"),
    deny("providerP", "list", q("appointments"), "unfiltered list by staff"),
    deny("anonymous", "list", q("appointments", ("customerId", "==", "cust-a")), "anonymous"),
    allow("admin", "list", q("appointments"), "admins list all appointments"),
    allow("customerA", "update", "appointments/appt-a", "cancel before the cutoff", CANCEL),
    allow("customerA", "update", "appointments/appt-a", "cancel with a reason",
          but(CANCEL, cancelReason=long(500))),
    deny("customerA", "update", "appointments/appt-a-late", "cancel after the cutoff", CANCEL),
    deny("customerA", "update", "appointments/appt-a-done", "cancel a completed appointment", CANCEL),
    deny("customerA", "update", "appointments/appt-a", "reason over 500", but(CANCEL, cancelReason=long(501))),
    deny("customerA", "update", "appointments/appt-a", "reason not a string", but(CANCEL, cancelReason=1)),
    deny("customerA", "update", "appointments/appt-a", "cancel and move", but(CANCEL, start=Rel(5 * 24 * 60))),
    deny("customerA", "update", "appointments/appt-a", "cancel and stamp cancelledBy",
         but(CANCEL, cancelledBy="cust-a")),
    deny("customerA", "update", "appointments/appt-a", "mark own appointment completed", {"status": "completed"}),
    deny("customerA", "update", "appointments/appt-a", "change notes only", {"notes": "bring files"}),
    deny("customerB", "update", "appointments/appt-a", "cancel someone else's appointment", CANCEL),
    deny("providerP", "update", "appointments/appt-a", "staff cannot cancel", CANCEL),
    # The front desk records who came: staff of the appointment's provider,
    # as over REST (booking/api/policies.py, may_mark).
    allow("providerP", "update", "appointments/appt-a-late", "staff mark their provider's appointment completed",
          {"status": "completed"}),
    allow("providerP", "update", "appointments/appt-a-late", "staff mark their provider's appointment no-show",
          {"status": "no_show"}),
    deny("providerQ", "update", "appointments/appt-a-late", "staff of another provider cannot mark it completed",
         {"status": "completed"}),
    deny("providerQ", "update", "appointments/appt-a-late", "staff of another provider cannot mark it no-show",
         {"status": "no_show"}),
    deny("customerA", "update", "appointments/appt-a-late", "a customer cannot mark its own no-show",
         {"status": "no_show"}),
    deny("providerP", "update", "appointments/appt-a-done", "staff cannot re-mark a closed appointment",
         {"status": "no_show"}),
    deny("providerP", "update", "appointments/appt-a-late", "staff mark and change the notes",
         {"status": "completed", "notes": "seen"}),
    deny("providerP", "update", "appointments/appt-a-late", "staff mark with a cancel reason",
         {"status": "no_show", "cancelReason": "did not come"}),
    deny("anonymous", "update", "appointments/appt-a", "anonymous cancel", CANCEL),
    allow("admin", "update", "appointments/appt-b", "admin cancels with a reason",
          but(CANCEL, cancelReason="provider ill")),
    allow("admin", "update", "appointments/appt-a-late", "admin marks completed", {"status": "completed"}),
    allow("admin", "update", "appointments/appt-a-late", "admin marks no-show", {"status": "no_show"}),
    deny("admin", "update", "appointments/appt-a", "admin sets another status", {"status": "pending"}),
    deny("admin", "update", "appointments/appt-a-done", "admin changes a closed appointment", {"status": "no_show"}),
    deny("admin", "update", "appointments/appt-a", "admin moves an appointment", {"start": Rel(5 * 24 * 60)}),
    deny("admin", "update", "appointments/appt-a", "admin cancels and changes provider",
         but(CANCEL, providerId="prov-q")),
    deny("admin", "update", "appointments/appt-a", "admin reason over 500",
         but(CANCEL, cancelReason=long(501))),
    deny("customerA", "create", "appointments/*", "customers cannot create appointments",
         {"customerId": "cust-a", "providerId": "prov-p", "status": "confirmed"}),
    deny("admin", "create", "appointments/*", "only functions create appointments",
         {"customerId": "cust-a", "providerId": "prov-p", "status": "confirmed"}),
    deny("customerA", "delete", "appointments/appt-a", "customers cannot delete appointments"),
    deny("admin", "delete", "appointments/appt-a", "only functions delete appointments"),
]

SLOTS = [
    allow("anonymous", "get", "slots/prov-p_2030-01-07", "slots are public"),
    allow("anonymous", "list", q("slots", ("providerId", "==", "prov-p")), "a provider's slot days"),
    allow("customerA", "list", q("slots"), "all slot days"),
    deny("providerP", "update", "slots/prov-p_2030-01-07", "staff cannot write slots", {"available": {}}),
    deny("admin", "create", "slots/prov-p_2030-01-08", "only functions write slots", {"providerId": "prov-p"}),
    deny("admin", "delete", "slots/prov-p_2030-01-07", "only functions delete slots"),
    allow("anonymous", "get", "typeSlots/consult_2030-01-07", "the any-provider view is public"),
    allow("customerA", "list", q("typeSlots", ("typeId", "==", "consult")), "a type's view days"),
    deny("providerP", "update", "typeSlots/consult_2030-01-07", "staff cannot write the view", {"sheets": {}}),
    deny("admin", "create", "typeSlots/consult_2030-01-08", "only functions write the view", {"typeId": "consult"}),
    deny("admin", "delete", "typeSlots/consult_2030-01-07", "only functions delete the view"),
]

MAIL = [
    deny("customerA", "get", "mail/mail-1", "the outbox is private"),
    deny("admin", "get", "mail/mail-1", "not even admins read mail from a client"),
    deny("admin", "list", q("mail"), "nobody lists mail"),
    deny("customerA", "create", "mail/*", "clients cannot send mail", {"to": "x@example.com"}),
    deny("admin", "update", "mail/mail-1", "clients cannot edit mail", {"to": "x@example.com"}),
]

# The Twilio extension's outbox (reminders by text message): like mail, functions only.
MESSAGES = [
    deny("customerA", "get", "messages/sms-1", "text messages are private"),
    deny("admin", "list", q("messages"), "nobody lists text messages from a client"),
    deny("customerA", "create", "messages/*", "clients cannot send text messages",
         {"to": "+442079460958", "body": "hi"}),
    deny("admin", "update", "messages/sms-1", "clients cannot edit text messages", {"to": "+12015550123"}),
]

SETTINGS = [
    allow("admin", "get", "settings/booking", "admins read the booking settings"),
    deny("customerA", "get", "settings/booking", "customers do not read the settings"),
    deny("providerP", "get", "settings/booking", "staff do not read the settings"),
    allow("admin", "list", q("settings"), "admins list the settings"),
    deny("anonymous", "list", q("settings"), "strangers cannot list the settings"),
    allow("admin", "update", "settings/booking", "admins set the per-customer cap",
          {"maxUpcomingPerCustomer": 5, "updatedAt": SERVER_TIME}),
    deny("admin", "update", "settings/booking", "the cap is at least one", {"maxUpcomingPerCustomer": 0}),
    deny("admin", "update", "settings/booking", "the cap is at most 1000", {"maxUpcomingPerCustomer": 1001}),
    deny("admin", "update", "settings/booking", "the cap is a whole number", {"maxUpcomingPerCustomer": "ten"}),
    deny("admin", "update", "settings/booking", "no unknown settings", {"freeForAll": True}),
    allow("admin", "update", "settings/booking", "admins set what the mails and reminders say and where they link",
          {"businessName": "Praxis Nord", "appUrl": "https://book.example.com:8443/clinic?x=1",
           "organizerEmail": "desk@praxis.example", "smsReminders": True}),
    allow("admin", "update", "settings/booking", "a business name of 120 characters, spaces around it aside",
          {"businessName": "  " + long(120) + " ", "smsReminders": False}),
    deny("admin", "update", "settings/booking", "the business name is not blank", {"businessName": "   "}),
    deny("admin", "update", "settings/booking", "the business name is at most 120 characters",
         {"businessName": long(121)}),
    deny("admin", "update", "settings/booking", "the business name is text", {"businessName": 42}),
    deny("admin", "update", "settings/booking", "the app URL is https", {"appUrl": "http://book.example.com"}),
    deny("admin", "update", "settings/booking", "the app URL has no spaces",
         {"appUrl": "https://book.example.com/my appointments"}),
    deny("admin", "update", "settings/booking", "the app URL is at most 2048 characters",
         {"appUrl": "https://book.example.com/" + long(2024)}),
    deny("admin", "update", "settings/booking", "the organizer is an email address", {"organizerEmail": "desk"}),
    deny("admin", "update", "settings/booking", "the organizer address is at most 254 characters",
         {"organizerEmail": long(250) + "@x.io"}),
    deny("admin", "update", "settings/booking", "text-message reminders are on or off", {"smsReminders": "yes"}),
    allow("admin", "update", "settings/booking", "admins set how long requests and mail are kept",
          {"requestRetentionDays": 1, "mailRetentionDays": 3650}),
    deny("admin", "update", "settings/booking", "requests are kept at least a day", {"requestRetentionDays": 0}),
    deny("admin", "update", "settings/booking", "mail is kept at most ten years", {"mailRetentionDays": 3651}),
    deny("admin", "update", "settings/booking", "a retention period is whole days", {"mailRetentionDays": 1.5}),
    deny("customerA", "update", "settings/booking", "customers cannot shorten how long mail is kept",
         {"mailRetentionDays": 1}),
    deny("providerP", "update", "settings/booking", "staff cannot rename the business",
         {"businessName": "Dr P's"}),
    deny("customerA", "update", "settings/booking", "customers cannot turn on text messages",
         {"smsReminders": True}),
    deny("customerA", "update", "settings/booking", "customers cannot lift their own cap",
         {"maxUpcomingPerCustomer": 1000}),
    deny("providerP", "update", "settings/booking", "staff cannot change the cap", {"maxUpcomingPerCustomer": 50}),
    deny("admin", "create", "settings/*", "only the booking settings document exists",
         {"maxUpcomingPerCustomer": 5}),
    allow("admin", "delete", "settings/booking", "admins reset the settings to their defaults"),
    deny("customerA", "delete", "settings/booking", "customers cannot reset the settings"),
]

CUSTOMER_LEDGERS = [
    deny("customerA", "get", "customerLedgers/cust-a", "the ledger is the backend's, even one's own"),
    deny("admin", "list", q("customerLedgers"), "nobody lists ledgers from a client"),
    deny("customerA", "update", "customerLedgers/cust-a", "customers cannot empty their own ledger",
         {"upcoming": {}}),
]

# A customer's erasure job and audit record: the backend's alone. Erasing
# goes through the API (DELETE /customers/{id}), which asks
# booking.api.policies.may_handle_personal_data.
ERASURES = [
    deny("customerB", "get", "erasures/cust-b", "an erasure record is the backend's, even one's own"),
    deny("admin", "get", "erasures/cust-b", "admins read erasure records through the API, not a client"),
    deny("admin", "list", q("erasures"), "nobody lists erasures from a client"),
    deny("customerA", "create", "erasures/cust-a", "a client cannot start an erasure by writing the job",
         {"customerId": "cust-a", "state": "running"}),
    deny("admin", "update", "erasures/cust-b", "nobody marks an erasure done from a client", {"state": "done"}),
    deny("admin", "delete", "erasures/cust-b", "nobody deletes the audit record from a client"),
]

OTHER = [
    deny("admin", "get", "secrets/anything", "unknown collections are closed"),
    deny("admin", "list", q("secrets"), "unknown collections cannot be listed"),
    deny("customerA", "create", "auditProbe/*", "unknown collections cannot be written", {"x": 1}),
]

# Time off and calendar feeds have their own module, which uses the helpers
# above (so it is imported here, once they exist).
from matrix_cases_time_off import CALENDAR_FEEDS, TIME_OFF  # noqa: E402
from matrix_cases_waitlist import WAITLIST  # noqa: E402

CASES: list[Case] = (
    APPOINTMENT_TYPES
    + PROVIDERS
    + PROVIDER_CONTACTS
    + AVAILABILITY
    + CUSTOMERS
    + BOOKING_REQUESTS
    + APPOINTMENTS
    + SLOTS
    + MAIL
    + MESSAGES
    + SETTINGS
    + CUSTOMER_LEDGERS
    + ERASURES
    + OTHER
    + TIME_OFF
    + CALENDAR_FEEDS
    + WAITLIST
)
