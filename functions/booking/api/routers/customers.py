"""/customers: a signed-in user manages its own profile (customer id = its
uid), downloads its data and erases itself; admins manage every profile. The front desk (admins and provider
staff) searches customers, adds walk-ins and reads a customer's record
(`booking.api.front_desk`; what staff see: `policies`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from booking.api import crud, front_desk, policies, privacy
from booking.api.auth import CurrentUser, Principal
from booking.api.deps import CustomerId, Now, Paging, Repo, new_id
from booking.api.errors import ApiError, found_or_404, validation_error
from booking.api.front_desk_schemas import CustomerMatchPage, CustomerRecord
from booking.api.privacy import CustomerExport, Erasure
from booking.api.routers.appointments import out as appointment_out
from booking.api.schemas import CustomerCreate, CustomerPage, CustomerUpdate
from booking.domain.customer_search import MAX_QUERY, SearchField
from booking.domain.ids import SAFE_ID_RULE, is_safe_id
from booking.domain.models import Customer
from booking.domain.privacy import ErasureState
from booking.services.erasure import erase
from booking.store.queries import CustomerQuery
from booking.store.repository import AlreadyExists, Repository

router = APIRouter(tags=["customers"])


def _allowed(user: Principal, customer_id: str) -> None:
    policies.require(policies.may_use_profile(user, customer_id),
                     "Customers may only see and change their own profile.")


def _load(repo: Repository, customer_id: str) -> Customer:
    return found_or_404(lambda: repo.customer(customer_id), "customer", customer_id)


def _needs_email(body) -> None:
    """A profile of one's own has an e-mail, as the rules ask of one written
    from an app (walk-ins, added by the front desk, may have a phone only)."""
    if body.email is None:
        raise ApiError("validation_failed", "The request did not validate.",
                       errors=[{"field": "body.email", "message": "your own profile needs an e-mail"}])


def _model(customer_id: str, body) -> Customer:
    try:
        return Customer.model_validate({**body.model_dump(exclude={"id"}), "id": customer_id})
    except ValidationError as error:
        raise validation_error(error) from error


@router.get("", response_model=CustomerPage | CustomerMatchPage, summary="List or search customers")
def list_customers(
    user: CurrentUser,
    repo: Repo,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=MAX_QUERY, description=(
        "Prefix search (admins and provider staff): phone digits with the country code (`+44 20 79`), an "
        "e-mail (holds `@`) or a name, case- and accent-insensitive (`jose gar` finds José García).")),
    ] = None,
    by: Annotated[SearchField | None, Query(description="Search this key instead of guessing it from `q`.")] = None,
):
    """Without `q`: every customer ordered by id (admins). With `q`: the
    customers whose normalised name, e-mail or phone starts with it, ordered
    by that key; admins get full profiles (`CustomerPage`), staff id, name and
    masked contacts (`CustomerMatchPage`)."""
    if q is None:
        policies.require_admin(user)
        return crud.page_of(repo.customers_page, CustomerQuery(), paging, front_desk.full_profile)
    return front_desk.search(repo, user, q, by, paging)


@router.get("/{customer_id}/record", response_model=CustomerRecord, summary="A customer's record (front desk)")
def get_record(customer_id: CustomerId, user: CurrentUser, repo: Repo, now: Now):
    """Contact details, upcoming and past appointments and the no-show count.
    Admins and the customer itself: every provider's. A provider's staff: that
    provider's appointments only, and only for a customer who has one with it
    or was added at its desk (else 403)."""
    return front_desk.record(repo, user, customer_id, now=now, show=appointment_out)


@router.get("/{customer_id}", response_model=Customer, summary="Get a customer")
def get_customer(customer_id: CustomerId, user: CurrentUser, repo: Repo):
    """The customer itself, or an admin."""
    _allowed(user, customer_id)
    return _load(repo, customer_id)


@router.post("", response_model=Customer, status_code=status.HTTP_201_CREATED, summary="Create a customer profile",
             responses={200: {"model": Customer, "description": "A repeat of an earlier walk-in (same "
                                                                "Idempotency-Key): the customer it created."},
                        409: {"description": "The profile exists already."}})
def create_customer(
    user: CurrentUser,
    body: CustomerCreate,
    repo: Repo,
    now: Now,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", description=(
        "Walk-ins: the same key from the same user creates one customer, however often it is sent."))] = None,
):
    """A customer creates its own profile (`id` left out or equal to its uid; an e-mail needed).

    A walk-in (no account): a provider's staff leaving `id` out, or an admin
    sending `Idempotency-Key`, adds a customer with name plus e-mail or phone
    under an id the API chooses (`walkin-…`); a repeat with the same key gives
    200 and the customer first created. An admin may also give any `id`."""
    walk_in = policies.may_add_walk_in(user) and body.id is None and (
        idempotency_key is not None or not policies.is_admin(user))
    if walk_in:
        created, fresh = front_desk.add_walk_in(
            repo, user, _model(front_desk.walk_in_id(user, idempotency_key), body), now=now)
        if not fresh:
            response.status_code = status.HTTP_200_OK
        return created
    policies.require(policies.may_create_profile(user, body.id),
                     "A customer may only create its own profile (id = its uid).")
    if policies.is_admin(user):
        customer_id = new_id(body.id)
    else:
        _needs_email(body)
        if not is_safe_id(user.uid):
            # a custom-token uid outside the id alphabet (see booking.domain.ids)
            raise ApiError("validation_failed", "The request did not validate.", errors=[{
                "field": "uid", "message": f"this account's uid cannot be a customer id: it must be {SAFE_ID_RULE}"}])
        customer_id = user.uid
    model = _model(customer_id, body)
    try:
        repo.save_customer(model, create=True)
    except AlreadyExists as error:
        raise ApiError("already_exists", f"A customer {customer_id!r} exists already.") from error
    return model


@router.put("/{customer_id}", response_model=Customer, summary="Replace a customer profile")
def replace_customer(customer_id: CustomerId, user: CurrentUser, body: CustomerUpdate, repo: Repo):
    """Full replacement, validated like create. The customer itself (with an e-mail), or an admin."""
    _allowed(user, customer_id)
    if not policies.is_admin(user):
        _needs_email(body)
    model = _model(customer_id, body)
    if not repo.customer_exists(customer_id):
        raise ApiError("not_found", f"There is no customer {customer_id!r}.")
    repo.save_customer(model, create=False)
    return model


@router.get("/{customer_id}/export", response_model=CustomerExport, summary="Download a customer's data",
            responses={200: {"description": "A JSON file (`Content-Disposition: attachment`)."}})
def export_customer(customer_id: CustomerId, user: CurrentUser, repo: Repo, now: Now):
    """Everything held about the customer as one JSON document: profile,
    appointments with their history, booking requests, mails and text
    messages sent to them; of anyone else only the provider's and the
    type's names. The customer themselves, or an admin."""
    body = privacy.export(repo, user, customer_id, now=now)
    return JSONResponse(body, headers={
        "Content-Disposition": f'attachment; filename="customer-{customer_id}-export.json"'})


@router.delete("/{customer_id}", response_model=Erasure, summary="Erase a customer (themselves or an admin)",
               responses={202: {"model": Erasure, "description": "Started; the re-drive finishes it within "
                                                                 "minutes (`state: running`)."}})
def erase_customer(customer_id: CustomerId, user: CurrentUser, repo: Repo, now: Now, response: Response):
    """Erases the customer's personal data: their account is deleted (its
    tokens stop working), upcoming appointments are cancelled (reason
    `customer_erased`), past ones and booking requests lose name, notes and
    contact, mails and text messages to them are deleted, and the profile
    goes. 200 when done, 202 while it runs on; a repeat is harmless and
    answers the same record."""
    by = privacy.requester(user, customer_id)
    store = privacy.privacy_store(repo)
    if store.erasure_job(customer_id) is None and store.customer_profile(customer_id) is None:
        raise ApiError("not_found", f"There is no customer {customer_id!r}.")
    job = erase(store, privacy.accounts(), customer_id, now=now, by=by)
    if job.state is not ErasureState.DONE:
        response.status_code = status.HTTP_202_ACCEPTED
    return privacy.erasure_out(job)
