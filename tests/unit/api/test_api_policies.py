"""The API's who-may-do-what (booking.api.policies), row by row as the
README's table reads; the rules' side of the same table is rules/."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from booking.api import policies
from booking.api.auth import Principal
from booking.api.errors import ApiError


@dataclass(frozen=True)
class Booked:
    """The two fields of an appointment that access depends on."""

    customer_id: str = "cust-a"
    provider_id: str = "prov-p"


ADMIN = Principal(uid="boss", admin=True)
STAFF_P = Principal(uid="desk-p", provider_id="prov-p")
STAFF_Q = Principal(uid="desk-q", provider_id="prov-q")
CUSTOMER = Principal(uid="cust-a")
STRANGER = Principal(uid="cust-b")

APPOINTMENT_TABLE = {
    # predicate:                   admin, staff P, staff Q, its customer, another customer
    policies.may_read_appointment: (True, True, False, True, False),
    policies.may_cancel: (True, False, False, True, False),
    policies.may_reschedule: (True, False, False, True, False),
    policies.may_change_notes: (True, False, False, True, False),
    policies.may_mark: (True, True, False, False, False),
}


@pytest.mark.parametrize("may", list(APPOINTMENT_TABLE), ids=lambda f: f.__name__)
def test_each_appointment_action_is_allowed_to_exactly_the_roles_of_the_table(may):
    answers = tuple(may(user, Booked()) for user in (ADMIN, STAFF_P, STAFF_Q, CUSTOMER, STRANGER))

    assert answers == APPOINTMENT_TABLE[may]


def test_the_provider_s_staff_may_mark_completed_and_no_show_but_not_cancel():
    assert policies.MARKS == {"completed", "no_show"}
    assert policies.may_mark(STAFF_P, Booked()) and not policies.may_cancel(STAFF_P, Booked())


def test_the_cutoff_and_the_cap_bind_everyone_but_an_admin_acting_for_someone_else():
    assert [policies.cutoff_applies(u) for u in (ADMIN, STAFF_P, CUSTOMER)] == [False, True, True]
    assert policies.cap_applies(CUSTOMER, "cust-a") and policies.cap_applies(ADMIN, "boss")
    assert not policies.cap_applies(ADMIN, "cust-a")
    assert policies.may_book_for(ADMIN, "cust-a") and not policies.may_book_for(STRANGER, "cust-a")


def test_lists_are_scoped_by_role():
    scope = policies.list_scope

    assert scope(ADMIN, "prov-q", "cust-b") == policies.ListScope("prov-q", "cust-b")
    assert scope(STAFF_P, None, None) == policies.ListScope("prov-p", None)
    assert scope(STAFF_P, "prov-q", None) == policies.ListScope("prov-q", "desk-p")  # its own bookings there
    assert scope(STAFF_P, None, "desk-p") == policies.ListScope(None, "desk-p")
    assert scope(CUSTOMER, "prov-p", None) == policies.ListScope("prov-p", "cust-a")
    with pytest.raises(ApiError) as refused:
        scope(CUSTOMER, None, "cust-b")
    assert (refused.value.status, refused.value.code) == (403, "forbidden")


def test_contacts_hours_and_profiles_follow_the_table():
    assert [policies.sees_contact(u, "prov-p") for u in (None, ADMIN, STAFF_P, STAFF_Q, CUSTOMER)] == [
        False, True, True, False, False]
    assert [policies.may_edit_hours(u, "prov-p") for u in (ADMIN, STAFF_P, STAFF_Q, CUSTOMER)] == [
        True, True, False, False]
    assert [policies.may_use_profile(u, "cust-a") for u in (ADMIN, STAFF_P, CUSTOMER, STRANGER)] == [
        True, False, True, False]
    assert [policies.may_create_profile(CUSTOMER, i) for i in (None, "cust-a", "cust-b")] == [True, True, False]
    assert policies.may_create_profile(ADMIN, "walk-in-1")
    assert [policies.sees_inactive(u) for u in (None, CUSTOMER, STAFF_P, ADMIN)] == [False, False, False, True]
