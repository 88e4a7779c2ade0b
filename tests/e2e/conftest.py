"""The `world` every REST and callable test starts from."""

from __future__ import annotations

import pytest

# The helpers assert on responses (support.api.problem): have pytest rewrite
# those asserts as it does a test's, before anything imports the module.
pytest.register_assert_rewrite("support.api")

from support.api import Actor, World  # noqa: E402
from support.world import a_future_day, add_customer, seed, wait_for_sheet  # noqa: E402


@pytest.fixture
def world(db, clean_firestore, new_user) -> World:
    seed(db)
    admin = Actor(*new_user({"admin": True}))
    staff = Actor(*new_user({"providerId": "dr-ada"}))
    customer = Actor(*new_user())
    other = Actor(*new_user())
    add_customer(db, customer.uid, "Grace Hopper")
    add_customer(db, other.uid, "Alan Turing")
    day = a_future_day()
    assert wait_for_sheet(db, "dr-ada", day, lambda s: len(s["available"].get("consult", [])) == 16)
    return World(admin, staff, customer, other, day)
