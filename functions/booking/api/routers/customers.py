"""/customers: a signed-in user manages its own profile (customer id = its
uid); admins manage every profile. Provider staff do not read customers
(appointments carry `customerName`)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import ValidationError

from booking.api import crud, policies
from booking.api.auth import CurrentUser, Principal
from booking.api.deps import CustomerId, Paging, Repo, new_id
from booking.api.errors import ApiError, found_or_404, validation_error
from booking.api.policies import AdminUser
from booking.api.schemas import CustomerCreate, CustomerPage, CustomerUpdate
from booking.domain.ids import SAFE_ID_RULE, is_safe_id
from booking.domain.models import Customer
from booking.store.queries import CustomerQuery
from booking.store.repository import AlreadyExists, Repository

router = APIRouter(tags=["customers"])


def _allowed(user: Principal, customer_id: str) -> None:
    policies.require(policies.may_use_profile(user, customer_id),
                     "Customers may only see and change their own profile.")


def _load(repo: Repository, customer_id: str) -> Customer:
    return found_or_404(lambda: repo.customer(customer_id), "customer", customer_id)


def _model(customer_id: str, body) -> Customer:
    try:
        return Customer.model_validate({**body.model_dump(exclude={"id"}), "id": customer_id})
    except ValidationError as error:
        raise validation_error(error) from error


@router.get("", response_model=CustomerPage, summary="List customers (admins)")
def list_customers(_: AdminUser, repo: Repo, paging: Paging):
    """Ordered by id."""
    return crud.page_of(repo.customers_page, CustomerQuery(), paging)


@router.get("/{customer_id}", response_model=Customer, summary="Get a customer")
def get_customer(customer_id: CustomerId, user: CurrentUser, repo: Repo):
    """The customer itself, or an admin."""
    _allowed(user, customer_id)
    return _load(repo, customer_id)


@router.post("", response_model=Customer, status_code=status.HTTP_201_CREATED, summary="Create a customer profile",
             responses={409: {"description": "The profile exists already."}})
def create_customer(user: CurrentUser, body: CustomerCreate, repo: Repo):
    """A customer creates its own profile (`id` left out or equal to its uid); an admin
    may create any (a random id when left out)."""
    policies.require(policies.may_create_profile(user, body.id),
                     "A customer may only create its own profile (id = its uid).")
    if policies.is_admin(user):
        customer_id = new_id(body.id)
    else:
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
    """Full replacement, validated like create. The customer itself, or an admin."""
    _allowed(user, customer_id)
    model = _model(customer_id, body)
    if not repo.customer_exists(customer_id):
        raise ApiError("not_found", f"There is no customer {customer_id!r}.")
    repo.save_customer(model, create=False)
    return model


@router.delete("/{customer_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               summary="Delete a customer profile (admins)")
def delete_customer(_: AdminUser, customer_id: CustomerId, repo: Repo):
    """Removes the profile; the customer's appointments stay (they carry `customerName`)."""
    if not repo.customer_exists(customer_id):
        raise ApiError("not_found", f"There is no customer {customer_id!r}.")
    repo.delete_customer(customer_id)
    return Response(status_code=204)
