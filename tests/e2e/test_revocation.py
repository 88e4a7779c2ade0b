"""An ID token stops working as soon as its account is disabled, deleted or
signed out everywhere, on the REST API (through Hosting) and on the callables,
though the token itself has not expired.

The Auth emulator keeps `validSince` in whole seconds and a token issued in
the revoking second still counts as issued after it, hence the sleeps.
"""

from __future__ import annotations

import time

import pytest
from firebase_admin import auth
from support import emulator
from support.api import call, callable_


@pytest.fixture
def admin():
    from booking.store.clients import admin_app

    return admin_app()


def rest_status(token: str) -> tuple[int, str | None, str | None]:
    resp = call("GET", "/appointments/whoami", token)
    body = resp.json()
    return resp.status_code, body.get("code"), body.get("detail")


def callable_status(token: str) -> tuple[str | None, dict | None]:
    """A signed-in callable on an unknown appointment: NOT_FOUND when the
    token is accepted, UNAUTHENTICATED when it is not."""
    error = callable_("cancel_appointment", {"appointmentId": "no-such-appointment"}, token).json()["error"]
    return error["status"], error.get("details")


ACCEPTED_CALL = ("NOT_FOUND", {"code": "not_found"})
REFUSED_CALL = ("UNAUTHENTICATED", {"code": "unauthenticated"})


def test_a_token_works_until_its_account_is_disabled_and_again_once_re_enabled(new_user, admin):
    uid, token, _ = new_user()
    assert call("GET", "/appointments/whoami", token).json() == {"uid": uid, "admin": False, "providerId": None}
    assert callable_status(token) == ACCEPTED_CALL

    auth.update_user(uid, disabled=True, app=admin)

    assert rest_status(token) == (401, "unauthenticated", "The account of this ID token is disabled.")
    assert callable_status(token) == REFUSED_CALL

    auth.update_user(uid, disabled=False, app=admin)

    assert rest_status(token)[0] == 200
    assert callable_status(token) == ACCEPTED_CALL


def test_a_token_issued_before_its_sessions_were_revoked_is_refused_and_a_new_sign_in_works(new_user, admin):
    uid, token, email = new_user()
    assert rest_status(token)[0] == 200
    time.sleep(1.1)  # so the token's second is before the revocation's

    auth.revoke_refresh_tokens(uid, app=admin)

    assert rest_status(token) == (401, "unauthenticated", "The ID token was revoked: sign in again.")
    assert callable_status(token) == REFUSED_CALL
    fresh = emulator.sign_in(email)["idToken"]
    assert rest_status(fresh)[0] == 200
    assert callable_status(fresh) == ACCEPTED_CALL


def test_a_token_of_a_deleted_account_is_refused(new_user, admin):
    uid, token, _ = new_user()
    assert rest_status(token)[0] == 200

    auth.delete_user(uid, app=admin)

    assert rest_status(token) == (401, "unauthenticated", "The account of this ID token no longer exists.")
    assert callable_status(token) == REFUSED_CALL
