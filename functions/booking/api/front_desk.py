"""The front desk's customer operations: the prefix search, walk-ins
(customers without an account, added by staff or an admin, created once
per idempotency key) and a customer's record. Who may do which is
`policies`; the routers only translate HTTP."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from booking.api import crud, policies
from booking.api.auth import Principal
from booking.api.deps import PageParams
from booking.api.errors import ApiError
from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.customer_search import MAX_QUERY, SearchField, mask_email, mask_phone, parse_query
from booking.domain.models import Customer
from booking.store.queries import AppointmentQuery, CustomerSearchQuery
from booking.store.repository import AlreadyExists, Repository

# A record reads at most this many of the customer's appointments.
MAX_RECORD_APPOINTMENTS = 1000
_RECORD_PAGE = 200
MAX_IDEMPOTENCY_KEY = 200
WALK_IN_PREFIX = "walkin-"


def _invalid(field: str, message: str) -> ApiError:
    return ApiError("validation_failed", "The request did not validate.",
                    errors=[{"field": field, "message": message}])


# -- search ---------------------------------------------------------------------


def full_profile(customer: Customer) -> dict[str, Any]:
    """As plain data: `GET /customers` answers one of two page shapes, and a
    dict fits exactly one of them (both forbid unknown fields), where a model
    instance could be read as either."""
    return customer.model_dump(mode="json", by_alias=True)


def _match(customer: Customer) -> dict[str, Any]:
    return {"id": customer.id, "name": customer.name,
            "emailHint": mask_email(customer.email), "phoneHint": mask_phone(customer.phone)}


def search(repo: Repository, user: Principal, q: str, by: SearchField | None, paging: PageParams) -> dict[str, Any]:
    """One page of the customers whose name, e-mail or phone starts with
    `q` (`domain.customer_search.parse_query` picks which), ordered by that key."""
    policies.require(policies.may_search_customers(user), "Only admins and provider staff search customers.")
    if len(q) > MAX_QUERY:
        raise _invalid("query.q", f"at most {MAX_QUERY} characters")
    parsed = parse_query(q, by)
    if parsed is None:
        raise _invalid("query.q", "nothing to search for: give letters of a name, an e-mail or phone digits")
    query = CustomerSearchQuery(field=parsed.field.value, prefix=parsed.prefix)
    show = full_profile if policies.sees_full_profiles(user) else _match
    return crud.page_of(repo.customers_search_page, query, paging, show)


# -- walk-ins ---------------------------------------------------------------------


def walk_in_id(user: Principal, idempotency_key: str | None) -> str:
    """The same key from the same person names the same customer, so a
    double submit creates one; without a key, a fresh id."""
    if idempotency_key is None:
        return WALK_IN_PREFIX + uuid.uuid4().hex
    if not 1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        raise _invalid("header.Idempotency-Key", f"1 to {MAX_IDEMPOTENCY_KEY} characters")
    digest = hashlib.sha256(f"{user.uid}\n{idempotency_key}".encode()).hexdigest()
    return WALK_IN_PREFIX + digest[:40]


def add_walk_in(repo: Repository, user: Principal, model: Customer, *, now: datetime) -> tuple[Customer, bool]:
    """Creates the customer (no account, no mail now: a booking's
    confirmation goes to its e-mail, if any); a repeat of the same id gives
    back the stored one. True when this call created it."""
    policies.require(policies.may_add_walk_in(user), "Only admins and provider staff add walk-in customers.")
    added_by = {"uid": user.uid, "providerId": user.provider_id, "at": now}
    try:
        repo.save_customer(model, create=True, added_by=added_by)
    except AlreadyExists:
        stored = repo.customer(model.id)
        if stored is None:  # deleted since, or no longer valid: say so instead of guessing
            raise ApiError("already_exists", f"A customer {model.id!r} exists already.") from None
        return stored, False
    return model, True


# -- the record -------------------------------------------------------------------


def _appointments(repo: Repository, customer_id: str, provider_id: str | None) -> tuple[list[Appointment], bool]:
    """The customer's appointments by start, the first MAX_RECORD_APPOINTMENTS
    of them (a bound on one request's reads); True when there were more."""
    query = AppointmentQuery(customer_id=customer_id, provider_id=provider_id)
    found: list[Appointment] = []
    after = None
    while len(found) < MAX_RECORD_APPOINTMENTS:
        page = repo.appointments_page(query, page_size=_RECORD_PAGE, after=after)
        found.extend(page.items)
        if page.cursor is None:
            return found, False
        after = page.cursor
    return found, True


def record(repo: Repository, user: Principal, customer_id: str, *, now: datetime,
           show: Any) -> dict[str, Any]:
    """Contacts, upcoming and past appointments and the no-show count;
    for staff, of their own provider only and only for a customer of theirs."""
    found = repo.customer_and_desk(customer_id)
    if found is None:
        raise ApiError("not_found", f"There is no customer {customer_id!r}.")
    customer, desk = found
    scope = policies.record_scope(user, customer_id)
    appointments, truncated = _appointments(repo, customer_id, scope)
    seen = bool(appointments) or (desk is not None and desk == scope)
    policies.require(policies.may_read_record(user, customer_id, seen_at_desk=seen), policies.RECORD_REFUSED)
    upcoming = [a for a in appointments if a.start >= now]
    past = [a for a in reversed(appointments) if a.start < now]
    return {
        "customer": customer,
        "providerId": scope,
        "upcoming": [show(a) for a in upcoming],
        "past": [show(a) for a in past],
        "noShows": sum(a.status is AppointmentStatus.NO_SHOW for a in appointments),
        "truncated": truncated,
    }
