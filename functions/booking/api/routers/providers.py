"""/providers: public profiles for everyone; contact details, writes and
availability for admins (availability also for the provider's own staff).

Public fields live in providers/{id}; email and phone in
providerContacts/{id}, which only admins and the provider's staff read.
DELETE deactivates: the provider stays readable with `active: false`,
offers no slots and keeps its appointments. Writes fire the triggers that
recompute the provider's slot sheets in the background.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import ValidationError

from booking.api import crud, policies
from booking.api.auth import CurrentUser, OptionalUser
from booking.api.deps import Paging, ProviderId, Repo, new_id
from booking.api.errors import ApiError, found_or_404, validation_error
from booking.api.policies import AdminUser
from booking.api.schemas import AvailabilityUpdate, ProviderCreate, ProviderOut, ProviderPage, ProviderUpdate
from booking.domain.ids import SAFE_ID_PATTERN
from booking.domain.models import Availability, Provider
from booking.domain.zones import zone_refusal
from booking.services.ports import InvalidDocument
from booking.store.queries import ProviderQuery
from booking.store.repository import AlreadyExists, Repository

router = APIRouter(tags=["providers"])


def _out(provider: Provider, with_contact: bool) -> dict:
    data = provider.model_dump(include={"id", "name", "time_zone", "type_ids", "active"})
    # bio and photoUrl only when set, as they are stored
    data.update(provider.model_dump(include={"bio", "photo_url"}, exclude_none=True))
    if with_contact:
        data.update(email=provider.email, phone=provider.phone)
    return data


def _load(repo: Repository, provider_id: str, with_contact: bool) -> Provider:
    fetch = repo.provider_with_contact if with_contact else repo.provider
    return found_or_404(lambda: fetch(provider_id), "provider", provider_id)


def _model(provider_id: str, body) -> Provider:
    try:
        return Provider.model_validate({**body.model_dump(exclude={"id"}), "id": provider_id})
    except ValidationError as error:
        raise validation_error(error) from error


@router.get("", response_model=ProviderPage, response_model_exclude_unset=True, summary="List providers")
def list_providers(repo: Repo, paging: Paging, user: OptionalUser,
                   active: Annotated[bool | None, Query(description="Admins only: filter by `active`. "
                                                                    "Everyone else sees active ones.")] = None,
                   appointment_type_id: Annotated[str | None, Query(alias="appointmentTypeId", pattern=SAFE_ID_PATTERN,
                                                                    description="Only providers offering "
                                                                                "this type.")] = None):
    """Public fields, ordered by id (admins may filter on `active`; others see active providers only)."""
    if not policies.sees_inactive(user):
        active = True
    return crud.page_of(repo.providers_page, ProviderQuery(active=active, offers=appointment_type_id), paging,
                        lambda provider: _out(provider, False))


@router.get("/{provider_id}", response_model=ProviderOut, response_model_exclude_none=True,
            summary="Get a provider")
def get_provider(provider_id: ProviderId, repo: Repo, user: OptionalUser):
    """Anyone reads the public profile (also of an inactive provider); admins and
    the provider's staff also get `email` and `phone`."""
    contact = policies.sees_contact(user, provider_id)
    return _out(_load(repo, provider_id, contact), contact)


@router.post("", response_model=ProviderOut, response_model_exclude_none=True,
             status_code=status.HTTP_201_CREATED, summary="Create a provider",
             responses={409: {"description": "The id is taken."}})
def create_provider(_: AdminUser, body: ProviderCreate, repo: Repo):
    model = _model(new_id(body.id), body)
    try:
        repo.save_provider(model, create=True)
    except AlreadyExists as error:
        raise ApiError("already_exists", f"A provider {model.id!r} exists already.") from error
    return _out(model, True)


@router.put("/{provider_id}", response_model=ProviderOut, response_model_exclude_none=True,
            summary="Replace a provider")
def replace_provider(_: AdminUser, provider_id: ProviderId, body: ProviderUpdate, repo: Repo):
    """Full replacement, contact details included (left out: removed)."""
    model = _model(provider_id, body)
    if not repo.provider_exists(provider_id):
        raise ApiError("not_found", f"There is no provider {provider_id!r}.")
    repo.save_provider(model, create=False)
    return _out(model, True)


@router.delete("/{provider_id}", response_model=ProviderOut, response_model_exclude_none=True,
               summary="Deactivate a provider")
def delete_provider(_: AdminUser, provider_id: ProviderId, repo: Repo):
    """Sets `active: false`: the provider stays readable, offers no slots and keeps its appointments."""
    model = _load(repo, provider_id, True)
    if model.active:
        model = model.model_copy(update={"active": False})
        repo.save_provider(model, create=False)
    return _out(model, True)


# -- availability -------------------------------------------------------------


@router.get("/{provider_id}/availability", response_model=Availability, summary="Get a provider's hours")
def get_availability(provider_id: ProviderId, repo: Repo, user: CurrentUser):
    """Any signed-in user. A provider without hours yet has an empty schedule."""
    _load(repo, provider_id, False)
    try:
        found = repo.availability(provider_id)
    except InvalidDocument as invalid:
        raise ApiError("invalid_document", f"The stored availability is invalid: {invalid}") from invalid
    return found or Availability(provider_id=provider_id)


@router.put("/{provider_id}/availability", response_model=Availability, summary="Replace a provider's hours")
def replace_availability(provider_id: ProviderId, body: AvailabilityUpdate, repo: Repo, user: CurrentUser):
    """Admins and the provider's own staff. Validated before it is stored (422 on bad
    hours); the answer is the canonical form (overlapping intervals merged, overrides
    sorted). The slot sheets are recomputed in the background."""
    policies.require(policies.may_edit_hours(user, provider_id),
                     "Only admins and the provider's own staff may change its hours.")
    provider = _load(repo, provider_id, False)
    try:
        model = Availability.model_validate({**body.model_dump(), "providerId": provider_id})
    except ValidationError as error:
        raise validation_error(error) from error
    zone_refused = zone_refusal(model.time_zone, provider.time_zone)
    if zone_refused is not None:
        raise ApiError("validation_failed", "The request did not validate.", errors=[{
            "field": "body.timeZone", "message": zone_refused}])
    repo.save_availability(model)
    return model
