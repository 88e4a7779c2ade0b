"""How `verify_token` answers when the token cannot be checked at all: a 503,
never a 401 (the caller did nothing wrong) and never a 500.

Real firebase_admin clients against a closed local port stand in for an
unreachable Google: nothing here is mocked. What a revoked, disabled or
deleted account gets is shown against the Auth emulator in
tests/e2e/test_revocation.py.
"""

from __future__ import annotations

import base64
import json
import socket
import time
import uuid

import firebase_admin
import pytest
from booking.api.auth import verify_token
from booking.api.errors import ApiError
from firebase_admin import _token_gen, credentials
from google.auth.credentials import AnonymousCredentials

PROJECT = "demo-unit"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")


def _id_token(header: dict) -> str:
    now = int(time.time())
    claims = {"iss": f"https://securetoken.google.com/{PROJECT}", "aud": PROJECT, "sub": "u1",
              "iat": now, "exp": now + 3600, "auth_time": now}
    return f"{_b64(header)}.{_b64(claims)}.c2lnbmF0dXJl"


class _NoCredential(credentials.Base):
    def get_credential(self):
        return AnonymousCredentials()


@pytest.fixture
def app():
    instance = firebase_admin.initialize_app(_NoCredential(), {"projectId": PROJECT, "httpTimeout": 5},
                                             name=f"unit-{uuid.uuid4().hex}")
    yield instance
    firebase_admin.delete_app(instance)


def test_unreachable_google_signing_keys_are_503_auth_unavailable(app, monkeypatch):
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)
    monkeypatch.setattr(_token_gen, "ID_TOKEN_CERT_URI", f"http://127.0.0.1:{_closed_port()}/certs")

    with pytest.raises(ApiError) as raised:
        verify_token(_id_token({"alg": "RS256", "kid": "k1", "typ": "JWT"}), app=app)

    assert (raised.value.status, raised.value.code) == (503, "auth_unavailable")


def test_an_unreachable_auth_backend_during_the_revocation_check_is_503_auth_unavailable(app, monkeypatch):
    # Emulator mode skips the signature, so the revocation lookup is the
    # first call that leaves the process.
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", f"127.0.0.1:{_closed_port()}")

    with pytest.raises(ApiError) as raised:
        verify_token(_id_token({"alg": "none", "typ": "JWT"}), app=app)

    assert (raised.value.status, raised.value.code) == (503, "auth_unavailable")


def test_a_malformed_token_is_401_without_asking_anyone(app, monkeypatch):
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", f"127.0.0.1:{_closed_port()}")

    with pytest.raises(ApiError) as raised:
        verify_token("not-a-jwt", app=app)

    assert (raised.value.status, raised.value.code) == (401, "unauthenticated")
