"""One refusal vocabulary: a service's refusal, a booking's rejection and an
API error are all `Refusal`s, and one table says how each reaches a client."""

from __future__ import annotations

import pytest
from booking.api.errors import ApiError, callable_code
from booking.domain.booking_requests import Reason
from booking.domain.refusals import Refusal
from booking.services.planning import Rejection


@pytest.mark.parametrize(("code", "status"), [("not_found", 404), ("invalid_request", 422),
                                              ("cutoff_passed", 409), ("invalid_transition", 409)])
def test_a_services_refusal_answers_with_the_status_of_its_code(code, status):
    error = ApiError.of(Refusal(code, "why"))
    assert (error.status, error.code, error.detail) == (status, code, "why")


def test_a_booking_rejection_is_a_refusal_whose_code_is_its_reason():
    rejection = Rejection(Reason.SLOT_TAKEN)
    assert isinstance(rejection, Refusal)
    assert (rejection.code, rejection.message) == ("slot_taken", "Sorry, that slot was just taken.")


@pytest.mark.parametrize(("status", "code", "expected"), [
    (409, "slot_taken", "already-exists"), (409, "not_on_slot", "failed-precondition"),
    (422, "validation_failed", "invalid-argument"), (400, "bad_request", "invalid-argument"),
    (401, "unauthenticated", "unauthenticated"), (403, "forbidden", "permission-denied"),
    (404, "not_found", "not-found"), (503, "busy", "unavailable"), (503, "auth_unavailable", "unavailable"),
    (401, "app_check_required", "unauthenticated"), (409, "concurrent_update", "failed-precondition"),
])
def test_each_code_answers_with_its_http_status_and_callable_error_code(status, code, expected):
    error = ApiError(code, "why")
    assert (error.status, callable_code(error)) == (status, expected)


def test_a_booking_rejected_as_invalid_is_a_409_like_every_rejected_booking():
    error = ApiError("invalid_request", "A stored setting is invalid.", status=409)
    assert (error.status, callable_code(error)) == (409, "failed-precondition")
