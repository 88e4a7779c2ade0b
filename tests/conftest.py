"""Fixtures shared by the emulator-backed suites (integration, e2e, rules)."""

from __future__ import annotations

import itertools
import uuid

import pytest
from support import emulator


def pytest_collection_modifyitems(config, items):  # noqa: ARG001
    for item in items:
        path = str(item.path)
        if "/tests/unit/" in path:
            continue
        item.add_marker(pytest.mark.emulator)
        if not emulator.running():
            item.add_marker(pytest.mark.skip(reason="needs the emulator suite: run `make test`"))


@pytest.fixture
def db():
    from booking.store.clients import db as client

    return client()


@pytest.fixture
def clean_firestore():
    emulator.clear_firestore()
    yield
    

_counter = itertools.count()


@pytest.fixture
def new_user():
    """Signs up a fresh Auth-emulator user: returns (uid, id_token, email)."""

    def make(claims: dict | None = None) -> tuple[str, str, str]:
        email = f"user{next(_counter)}-{uuid.uuid4().hex[:8]}@example.com"
        account = emulator.sign_up(email)
        uid = account["localId"]
        if claims:
            emulator.set_claims(uid, claims)
            account = emulator.sign_in(email)
        return uid, account["idToken"], email

    return make
