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
    policies.may_cancel: (True, True, False, True, False),
    policies.may_reschedule: (True, True, False, True, False),
    policies.may_change_notes: (True, True, False, True, False),
    policies.may_mark: (True, True, False, False, False),
}


@pytest.mark.parametrize("may", list(APPOINTMENT_TABLE), ids=lambda f: f.__name__)
def test_each_appointment_action_is_allowed_to_exactly_the_roles_of_the_table(may):
    answers = tuple(may(user, Booked()) for user in (ADMIN, STAFF_P, STAFF_Q, CUSTOMER, STRANGER))

    assert answers == APPOINTMENT_TABLE[may]


def test_the_provider_s_staff_may_mark_and_cancel_its_own_provider_s_appointments_only():
    assert policies.MARKS == {"completed", "no_show"}
    assert policies.may_mark(STAFF_P, Booked()) and policies.may_cancel(STAFF_P, Booked())
    assert not policies.may_mark(STAFF_Q, Booked()) and not policies.may_cancel(STAFF_Q, Booked())


def test_the_cutoff_binds_the_customer_and_staff_of_another_provider_only():
    assert [policies.cutoff_applies(u, Booked()) for u in (ADMIN, STAFF_P, STAFF_Q, CUSTOMER)] == [
        False, False, True, True]


def test_the_cap_and_the_notice_bind_a_customer_booking_for_itself_only():
    for applies in (policies.cap_applies, policies.notice_applies):
        assert [applies(u, "cust-a") for u in (ADMIN, STAFF_P, CUSTOMER)] == [False, False, True]
        assert applies(ADMIN, "boss") and applies(STAFF_P, "desk-p")


def test_staff_book_on_behalf_for_their_own_provider_only():
    assert [policies.may_book_for(u, "cust-a", "prov-p") for u in (ADMIN, STAFF_P, STAFF_Q, CUSTOMER, STRANGER)] == [
        True, True, False, True, False]


def test_the_front_desk_searches_and_adds_walk_ins_and_staff_see_records_of_their_customers_only():
    desk = (ADMIN, STAFF_P, CUSTOMER)
    assert [policies.may_search_customers(u) for u in desk] == [True, True, False]
    assert [policies.may_add_walk_in(u) for u in desk] == [True, True, False]
    assert [policies.sees_full_profiles(u) for u in desk] == [True, False, False]
    assert [policies.record_scope(u, "cust-a") for u in (ADMIN, STAFF_P, CUSTOMER)] == [None, "prov-p", None]
    assert [policies.may_read_record(u, "cust-a", seen_at_desk=False) for u in (ADMIN, STAFF_P, CUSTOMER, STRANGER)] == [
        True, False, True, False]
    assert policies.may_read_record(STAFF_P, "cust-a", seen_at_desk=True)


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
