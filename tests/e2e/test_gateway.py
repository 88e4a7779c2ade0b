"""HTTP functions are reachable through Hosting rewrites and check tokens."""

from __future__ import annotations

import pytest
import requests
from support.emulator import HOSTING

SERVICES = ["appointment-types", "providers", "customers", "appointments", "available-slots"]


@pytest.mark.parametrize("prefix", SERVICES)
def test_every_service_answers_its_health_probe_through_hosting(prefix):
    resp = requests.get(f"{HOSTING}/{prefix}/healthz", timeout=60)

    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "service": prefix}


def test_a_protected_route_without_a_token_is_401_problem_json():
    resp = requests.get(f"{HOSTING}/appointments/whoami", timeout=60)

    assert resp.status_code == 401
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["code"] == "unauthenticated"


def test_a_protected_route_with_a_forged_token_is_401():
    resp = requests.get(
        f"{HOSTING}/appointments/whoami", headers={"Authorization": "Bearer not-a-jwt"}, timeout=60
    )

    assert resp.status_code == 401
    assert resp.json()["code"] == "unauthenticated"


def test_a_protected_route_accepts_an_auth_emulator_token_with_its_claims(new_user):
    uid, token, _ = new_user({"admin": True})

    resp = requests.get(
        f"{HOSTING}/appointments/whoami", headers={"Authorization": f"Bearer {token}"}, timeout=60
    )

    assert resp.status_code == 200
    assert resp.json() == {"uid": uid, "admin": True, "providerId": None}
