"""A customer's erasure and export through the API: who may is `policies`,
the erasure is `booking.services.erasure`; this module shapes the answers.
The routes are in `routers/customers.py`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from booking.api import policies
from booking.api.auth import Principal
from booking.api.errors import ApiError
from booking.domain.privacy import (
    ErasureJob,
    ErasureState,
    Requester,
    exported_appointment,
    exported_message,
    exported_profile,
    exported_request,
)
from booking.store.repository import Repository

# An export reads at most this many appointments and as many requests (a
# bound on one request's reads; `truncated` says when there were more).
MAX_EXPORTED = 1000
_PAGE = 200


class ErasureRequester(BaseModel):
    uid: str
    role: str = Field(description="`admin`, or `customer`: the customer themselves.")


class Erasure(BaseModel):
    """The erasure job, which is also its audit record: no personal data."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customerId": "u1", "state": "done", "phase": "done", "requestedAt": "2026-11-30T10:00:00Z",
        "requestedBy": {"uid": "admin-1", "role": "admin"}, "completedAt": "2026-11-30T10:00:01Z",
        "counts": {"accounts": 1, "cancelled": 2, "appointments": 7, "requests": 1, "mails": 9,
                   "messages": 0, "profiles": 1}}]})

    customerId: str
    state: ErasureState = Field(description="`done`, or `running`: the re-drive finishes it within minutes.")
    phase: str = Field(description="The step it is at (`done` when finished).")
    requestedAt: datetime
    requestedBy: ErasureRequester
    completedAt: datetime | None = None
    counts: dict[str, int] = Field(description="Accounts deleted, upcoming appointments cancelled, "
                                               "appointments and booking requests gone through (anonymised), "
                                               "mails and text messages deleted, profiles deleted.")


class CustomerExport(BaseModel):
    """Everything the system holds about one customer (GDPR art. 15 and 20)."""

    model_config = ConfigDict(extra="allow")

    customerId: str
    exportedAt: datetime
    profile: dict[str, Any]
    appointments: list[dict[str, Any]] = Field(description="Each with its history; who else acted on it "
                                                           "shows as `business`.")
    bookingRequests: list[dict[str, Any]]
    mail: list[dict[str, Any]] = Field(description="Mails sent to them: subject, text, delivery state.")
    textMessages: list[dict[str, Any]]
    truncated: bool = Field(description="True when they have more than 1000 appointments or requests; "
                                        "the latest are left out.")


def erasure_out(job: ErasureJob) -> Erasure:
    return Erasure(customerId=job.customer_id, state=job.state, phase=job.phase.value,
                   requestedAt=job.requested_at,
                   requestedBy=ErasureRequester(uid=job.requested_by.uid, role=job.requested_by.role),
                   completedAt=job.completed_at, counts=job.counts)


def requester(user: Principal, customer_id: str) -> Requester:
    """Who asks, as the audit record keeps it; 403 unless they may."""
    policies.require(policies.may_handle_personal_data(user, customer_id), policies.PERSONAL_DATA_REFUSED)
    return Requester(uid=user.uid, role="admin" if policies.is_admin(user) else "customer")


def privacy_store(repo: Repository):
    from booking.store.privacy import FirestorePrivacy

    return FirestorePrivacy(repo.db, counts=repo.counts)


def accounts():
    from booking.store.clients import admin_app
    from booking.store.privacy import FirebaseAccounts

    return FirebaseAccounts(admin_app())


def _all_of(store, kind: str, customer_id: str) -> tuple[list[tuple[str, dict[str, Any], Any]], bool]:
    found: list[tuple[str, dict[str, Any], Any]] = []
    after = None
    while len(found) < MAX_EXPORTED:
        page = store.documents_of(kind, customer_id, after=after, limit=_PAGE)
        found.extend(page)
        if len(page) < _PAGE:
            return found, False
        after = page[-1][0]
    return found, True


def plain(value: Any) -> Any:
    """As JSON: instants in ISO 8601 UTC, anything Firestore-specific as text."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def export(repo: Repository, user: Principal, customer_id: str, *, now: datetime) -> dict[str, Any]:
    requester(user, customer_id)
    store = privacy_store(repo)
    profile = store.customer_profile(customer_id)
    if profile is None:
        raise ApiError("not_found", f"There is no customer {customer_id!r}.")
    appointments, more_appointments = _all_of(store, "appointment", customer_id)
    requests, more_requests = _all_of(store, "request", customer_id)
    outbox = {(k, i): d for k, i, d in store.outbox_about("appointmentId", [i for i, _, _ in appointments])}
    outbox.update({(k, i): d for k, i, d in store.outbox_about("requestId", [i for i, _, _ in requests])})
    for kind, field in (("mail", "email"), ("message", "phone")):
        address = profile.get(field)
        if isinstance(address, str) and address:
            outbox.update({(k, i): d for k, i, d in store.outbox_to(kind, address, MAX_EXPORTED)})
    return plain({
        "customerId": customer_id,
        "exportedAt": now,
        "profile": exported_profile(customer_id, profile),
        "appointments": [exported_appointment(i, d, customer_id) for i, d, _ in appointments],
        "bookingRequests": [exported_request(i, d) for i, d, _ in requests],
        "mail": [exported_message(i, d) for (k, i), d in sorted(outbox.items()) if k == "mail"],
        "textMessages": [exported_message(i, d) for (k, i), d in sorted(outbox.items()) if k == "message"],
        "truncated": more_appointments or more_requests,
    })
