"""/appointment-types: anyone lists and reads; admins write.

DELETE deactivates (`active: false`): existing appointments keep pointing
at the type, and it stops offering slots.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import ValidationError

from booking.api import crud, policies
from booking.api.auth import OptionalUser
from booking.api.deps import Paging, Repo, TypeId, new_id
from booking.api.errors import ApiError, found_or_404, validation_error
from booking.api.policies import AdminUser
from booking.api.schemas import AppointmentTypeCreate, AppointmentTypePage, AppointmentTypeUpdate
from booking.domain.models import AppointmentType
from booking.store.queries import TypeQuery
from booking.store.repository import AlreadyExists

router = APIRouter(tags=["appointment types"])


def _load(repo: Repo, type_id: str) -> AppointmentType:
    return found_or_404(lambda: repo.appointment_type(type_id), "appointment type", type_id)


def _model(type_id: str, body) -> AppointmentType:
    try:
        return AppointmentType.model_validate({**body.model_dump(exclude={"id"}), "id": type_id})
    except ValidationError as error:
        raise validation_error(error) from error


@router.get("", response_model=AppointmentTypePage, summary="List appointment types")
def list_types(repo: Repo, paging: Paging, user: OptionalUser,
               active: Annotated[bool | None, Query(description="Admins only: filter by `active`. "
                                                                "Everyone else sees active types only.")] = None):
    """Ordered by id. Without an admin token only active types are listed."""
    if not policies.sees_inactive(user):
        active = True
    return crud.page_of(repo.appointment_types_page, TypeQuery(active=active), paging)


@router.get("/{type_id}", response_model=AppointmentType, summary="Get an appointment type")
def get_type(type_id: TypeId, repo: Repo):
    return _load(repo, type_id)


@router.post("", response_model=AppointmentType, status_code=status.HTTP_201_CREATED,
             summary="Create an appointment type", responses={409: {"description": "The id is taken."}})
def create_type(_: AdminUser, body: AppointmentTypeCreate, repo: Repo):
    type_id = new_id(body.id)
    model = _model(type_id, body)
    try:
        repo.save_appointment_type(model, create=True)
    except AlreadyExists as error:
        raise ApiError("already_exists", f"An appointment type {type_id!r} exists already.") from error
    return model


@router.put("/{type_id}", response_model=AppointmentType, summary="Replace an appointment type")
def replace_type(_: AdminUser, type_id: TypeId, body: AppointmentTypeUpdate, repo: Repo):
    """Full replacement, validated like create. Providers' slot sheets are recomputed in the background."""
    model = _model(type_id, body)
    if not repo.appointment_type_exists(type_id):
        raise ApiError("not_found", f"There is no appointment type {type_id!r}.")
    repo.save_appointment_type(model, create=False)
    return model


@router.delete("/{type_id}", response_model=AppointmentType, summary="Deactivate an appointment type")
def delete_type(_: AdminUser, type_id: TypeId, repo: Repo):
    """Sets `active: false`: no more slots or bookings; the record and its appointments stay."""
    model = _load(repo, type_id)
    if model.active:
        model = model.model_copy(update={"active": False})
        repo.save_appointment_type(model, create=False)
    return model
