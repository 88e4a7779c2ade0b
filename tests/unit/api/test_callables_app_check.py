"""App Check on the callables: enforced per call when the deployment sets
ENFORCE_APP_CHECK, ignored otherwise. The functions SDK has already verified
any App Check token by then: `request.app` is None when it was missing or
rejected."""

from __future__ import annotations

import pytest
from booking.api import callables
from firebase_functions import https_fn


def _no_store():
    raise AssertionError("the store must not be reached")


def _call(app: https_fn.AppCheckData | None, data) -> https_fn.HttpsError:
    request = https_fn.CallableRequest(raw_request=None, data=data, app=app)
    with pytest.raises(https_fn.HttpsError) as raised:
        callables.search_slots(_no_store, request, now=None)
    return raised.value


VALID_APP = https_fn.AppCheckData(app_id="1:123:web:abc", token={"sub": "1:123:web:abc"})


@pytest.mark.parametrize("value", ["1", "true", "Yes"])
def test_enforced_app_check_refuses_a_call_without_a_valid_app_token(monkeypatch, value):
    monkeypatch.setenv("ENFORCE_APP_CHECK", value)

    error = _call(None, {"appointmentTypeId": "consult"})

    assert error.code == https_fn.FunctionsErrorCode.UNAUTHENTICATED
    assert error.details == {"code": "app_check_required"}


def test_enforced_app_check_lets_a_call_with_a_valid_app_token_through(monkeypatch):
    monkeypatch.setenv("ENFORCE_APP_CHECK", "1")

    error = _call(VALID_APP, "not an object")  # reaches the input check, past App Check

    assert error.code == https_fn.FunctionsErrorCode.INVALID_ARGUMENT


@pytest.mark.parametrize("value", [None, "", "0", "false"])
def test_without_enforce_app_check_a_call_needs_no_app_token(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("ENFORCE_APP_CHECK", raising=False)
    else:
        monkeypatch.setenv("ENFORCE_APP_CHECK", value)

    error = _call(None, "not an object")

    assert error.code == https_fn.FunctionsErrorCode.INVALID_ARGUMENT
