"""The merged OpenAPI document matches the code, every service serves its
own, and a bounded schemathesis run over the merged document against the
running suite finds no 5xx and no response outside its documented schema."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from booking.api.openapi_doc import merged, render
from hypothesis import HealthCheck, settings
from schemathesis import checks
from support import emulator
from support.api import SESSION, call

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ["appointment-types", "providers", "customers", "appointments", "available-slots"]


def test_the_committed_openapi_json_matches_the_code():
    assert (ROOT / "openapi.json").read_text() == render(), "run `python scripts/openapi.py`"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_service_serves_its_openapi_under_its_prefix(prefix):
    # The Swagger UI page is off unless API_DOCS is set: test_security_headers.py.
    spec = call("GET", f"/{prefix}/openapi.json")

    assert spec.status_code == 200
    served = spec.json()["paths"]
    assert served and all(path.startswith(f"/{prefix}") for path in served)
    assert all(merged()["paths"][path] == item for path, item in served.items())


# -- schemathesis ---------------------------------------------------------------

SCHEMA = schemathesis.openapi.from_dict(json.loads((ROOT / "openapi.json").read_text()))
SCHEMA.config.phases.coverage.enabled = False
SCHEMA.config.phases.stateful.enabled = False

CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]


@pytest.fixture(scope="module")
def admin_headers():
    if not emulator.running():
        pytest.skip("needs the emulator suite")
    email = f"fuzz-admin-{uuid.uuid4().hex[:8]}@example.com"
    uid = emulator.sign_up(email)["localId"]
    emulator.set_claims(uid, {"admin": True})
    return {"Authorization": f"Bearer {emulator.sign_in(email)['idToken']}"}


@SCHEMA.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi(case, admin_headers):
    response = case.call(base_url=emulator.HOSTING, headers=admin_headers, session=SESSION)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if "x-doc-reads" not in response.headers:
        # Answered before our app ran (every answer of the app carries
        # X-Doc-Reads): the Hosting emulator refusing an over-long URL (431),
        # or the functions framework's router refusing a path with control
        # characters (404 text/html). Not part of the API's contract.
        CALLS[f"(infrastructure) {case.method} {case.path} {response.status_code}"] += 1
        return
    case.validate_response(response, checks=CHECKS, headers=admin_headers)
    CALLS[f"{case.method} {case.path} {response.status_code}"] += 1


CALLS: Counter = Counter()


def test_zz_the_schemathesis_run_reached_every_operation():
    """Runs after the parametrized run above (same module, later in the file)."""
    if not CALLS:
        pytest.skip("the schemathesis run was not part of this session")
    print("schemathesis calls:", sum(CALLS.values()))
    for key, count in sorted(CALLS.items()):
        print(f"  {count:4d}  {key}")
    reached = {" ".join(key.split(" ")[-3:-1]) for key in CALLS}
    expected = {f"{method.upper()} {path}" for path, item in SCHEMA.raw_schema["paths"].items() for method in item}
    assert expected <= reached, expected - reached
