"""Who is calling: Firebase ID tokens turned into a Principal with roles.

Roles come from custom claims: `admin: true`, or `providerId` for a
provider's staff account. Every signed-in user is also a customer whose
customer id is their uid.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

import firebase_admin
from fastapi import Depends, Header
from firebase_admin import auth, exceptions
from google.auth.exceptions import GoogleAuthError

from booking.api.errors import ApiError
from booking.store.clients import admin_app

log = logging.getLogger(__name__)


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
        raise ApiError("unauthenticated", "Authorization must be 'Bearer <Firebase ID token>'.")
    return principal_from_claims(verify_token(token.strip()))


def verify_token(token: str, app: firebase_admin.App | None = None) -> dict:
    """The claims of a well-signed, unexpired ID token whose account still
    exists, is enabled and has not had its sessions revoked since the token
    was issued.

    The revocation check costs one Auth backend lookup per call; without it a
    token stays good for up to an hour after its account is disabled,
    deleted or signed out everywhere. ApiError(401) when the token or its
    account is no good; ApiError(503) when Google's signing keys or the Auth
    backend could not be reached, which says nothing about the caller.
    """
    try:
        return auth.verify_id_token(token, app=app or admin_app(), check_revoked=True)
    except auth.RevokedIdTokenError as exc:  # before InvalidIdTokenError: a subclass
        raise ApiError("unauthenticated", "The ID token was revoked: sign in again.") from exc
    except auth.UserDisabledError as exc:
        raise ApiError("unauthenticated", "The account of this ID token is disabled.") from exc
    except auth.UserNotFoundError as exc:
        raise ApiError("unauthenticated", "The account of this ID token no longer exists.") from exc
    except (ValueError, auth.InvalidIdTokenError) as exc:
        raise ApiError("unauthenticated", f"Invalid ID token: {exc}") from exc
    except (exceptions.FirebaseError, GoogleAuthError) as exc:
        # CertificateFetchError, and the lookup's transport errors
        # (UnavailableError, DeadlineExceededError, ...).
        log.warning("ID token could not be checked: %s", exc)
        raise ApiError("auth_unavailable",
                       "The ID token could not be checked right now; retry shortly.") from exc


def optional_principal(authorization: Annotated[str | None, Header()] = None) -> Principal | None:
    return verify_bearer(authorization)


def current_principal(authorization: Annotated[str | None, Header()] = None) -> Principal:
    principal = verify_bearer(authorization)
    if principal is None:
        raise ApiError("unauthenticated", "This endpoint needs an ID token.")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]
OptionalUser = Annotated[Principal | None, Depends(optional_principal)]
# What each role may do, and AdminUser: booking.api.policies.
