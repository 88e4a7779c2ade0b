"""Who is calling: Firebase ID tokens turned into a Principal with roles.

Roles come from custom claims: `admin: true`, or `providerId` for a
provider's staff account. Every signed-in user is also a customer whose
customer id is their uid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header
from firebase_admin import auth

from booking.api.errors import ApiError
from booking.store.clients import admin_app


@dataclass(frozen=True)
class Principal:
    uid: str
    email: str | None = None
    admin: bool = False
    provider_id: str | None = None


def principal_from_claims(claims: dict) -> Principal:
    provider_id = claims.get("providerId")
    return Principal(
        uid=claims["uid"],
        email=claims.get("email"),
        admin=claims.get("admin") is True,
        provider_id=provider_id if isinstance(provider_id, str) else None,
    )


def verify_bearer(authorization: str | None) -> Principal | None:
    """None when no credentials were sent; ApiError(401) when they are bad."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthenticated", "Authorization must be 'Bearer <Firebase ID token>'.")
    try:
        claims = auth.verify_id_token(token.strip(), app=admin_app())
    except (ValueError, auth.InvalidIdTokenError, auth.ExpiredIdTokenError,
            auth.RevokedIdTokenError, auth.CertificateFetchError, auth.UserDisabledError) as exc:
        raise ApiError(401, "unauthenticated", f"Invalid ID token: {exc}") from exc
    return principal_from_claims(claims)


def optional_principal(authorization: Annotated[str | None, Header()] = None) -> Principal | None:
    return verify_bearer(authorization)


def current_principal(authorization: Annotated[str | None, Header()] = None) -> Principal:
    principal = verify_bearer(authorization)
    if principal is None:
        raise ApiError(401, "unauthenticated", "This endpoint needs an ID token.")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]
OptionalUser = Annotated[Principal | None, Depends(optional_principal)]


def require_admin(principal: Principal) -> None:
    if not principal.admin:
        raise ApiError(403, "forbidden", "Only admins may do this.")


def admin_principal(principal: CurrentUser) -> Principal:
    require_admin(principal)
    return principal


AdminUser = Annotated[Principal, Depends(admin_principal)]


def is_staff_of(principal: Principal | None, provider_id: str) -> bool:
    return principal is not None and principal.provider_id is not None and principal.provider_id == provider_id
