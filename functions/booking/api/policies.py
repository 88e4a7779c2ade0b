"""Who may do what through the REST API and the callables: every access
decision of the API, and only those, in the order of the README's "Who may
do what" table (which `firestore.rules` enforces for client apps; where
both front doors offer the same move they answer the same).

Roles come from the ID token (`booking.api.auth.Principal`): **admin** is
the claim `admin: true`; **staff of provider X** the claim `providerId:
"X"`; every signed-in user is also a **customer** whose id is its uid.

The routers, `operations`, `changes` and the callables ask these
functions; none of them looks at `admin` or `provider_id` itself. The
predicates answer yes or no; `require` turns a no into 403 `forbidden`.
Refusing to *read* an appointment is not a 403 but the 404 of a missing
one (`operations.readable_versioned`), so a stranger learns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from booking.api.auth import CurrentUser, Principal
from booking.api.errors import ApiError
from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.time_off import TimeOff, TimeOffSource

# What a provider's staff may set, besides what every customer may do:
# the front desk records who came.
MARKS = frozenset({AppointmentStatus.COMPLETED.value, AppointmentStatus.NO_SHOW.value})


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ApiError("forbidden", message)


# -- roles --------------------------------------------------------------------


def is_admin(user: Principal | None) -> bool:
    return user is not None and user.admin


def is_staff_of(user: Principal | None, provider_id: str) -> bool:
    return user is not None and user.provider_id is not None and user.provider_id == provider_id


def is_customer(user: Principal | None, customer_id: str | None) -> bool:
    """The customer itself (customer id = uid)."""
    return user is not None and customer_id is not None and user.uid == customer_id


def require_admin(user: Principal) -> None:
    require(is_admin(user), "Only admins may do this.")


def admin_principal(user: CurrentUser) -> Principal:
    require_admin(user)
    return user


AdminUser = Annotated[Principal, Depends(admin_principal)]


# -- appointment types and providers: public profiles, admins write ----------


def sees_inactive(user: Principal | None) -> bool:
    """Lists show everyone the active ones; admins may list and filter on
    `active` (writes are `AdminUser` endpoints)."""
    return is_admin(user)


# -- providerContacts: admins, and the provider's own staff --------------------


def sees_contact(user: Principal | None, provider_id: str) -> bool:
    return is_admin(user) or is_staff_of(user, provider_id)


# -- availability: anyone signed in reads; admins and its staff write ---------


def may_edit_hours(user: Principal, provider_id: str) -> bool:
    return is_admin(user) or is_staff_of(user, provider_id)


# -- customers: the customer itself and admins; staff through the front desk ----
#
#   staff of X:  search every customer (a returning customer of the business
#                is found, not added twice) seeing the id, the name and
#                masked contacts only; add walk-ins (name plus e-mail or
#                phone, no account); read the record (contacts, X's
#                appointments, no-shows at X) of a customer who has an
#                appointment with X or was added at X's desk
#   admin:       all of it, full profiles, every provider's appointments


def is_front_desk(user: Principal | None) -> bool:
    return is_admin(user) or (user is not None and user.provider_id is not None)


def may_search_customers(user: Principal) -> bool:
    return is_front_desk(user)


def sees_full_profiles(user: Principal) -> bool:
    """In search results: admins see e-mail and phone; staff a masked hint."""
    return is_admin(user)


def may_add_walk_in(user: Principal) -> bool:
    """A customer without an account, with an id the API chooses."""
    return is_front_desk(user)


def record_scope(user: Principal, customer_id: str) -> str | None:
    """Whose appointments a customer's record shows: None for all (admins,
    the customer itself), else the staff's provider."""
    if is_admin(user) or is_customer(user, customer_id):
        return None
    return user.provider_id


def may_read_record(user: Principal, customer_id: str, *, seen_at_desk: bool) -> bool:
    """`seen_at_desk`: the customer has an appointment with the staff's
    provider, or was added at its desk."""
    if is_admin(user) or is_customer(user, customer_id):
        return True
    return user.provider_id is not None and seen_at_desk


RECORD_REFUSED = "Staff see the record of their own provider's customers only."


def may_use_profile(user: Principal, customer_id: str) -> bool:
    """Read and replace (list is an `AdminUser` endpoint; delete is an
    erasure: `may_handle_personal_data`)."""
    return is_admin(user) or is_customer(user, customer_id)


def may_create_profile(user: Principal, requested_id: str | None) -> bool:
    """A customer creates only its own profile (no id, or its uid); an admin any."""
    return is_admin(user) or requested_id is None or is_customer(user, requested_id)


# -- a customer's personal data: erasure and export (GDPR art. 15, 17, 20) -----
#
#   customer:    erase its own account and data; export its own data
#   staff of X:  neither (the front desk's record is not an export)
#   admin:       both, for any customer


def may_handle_personal_data(user: Principal, customer_id: str) -> bool:
    """Erase a customer (`DELETE /customers/{id}`) or export its data."""
    return is_admin(user) or is_customer(user, customer_id)


PERSONAL_DATA_REFUSED = "Only the customer themselves or an admin may erase or export a customer's data."


# -- appointments ---------------------------------------------------------------
#
#   customer:    read, list, cancel (before the cutoff), reschedule and
#                annotate its own; book for itself, within its cap and notice
#   staff of X:  read and list X's; book for any customer with X (past the
#                cap and the notice), cancel X's past the cutoff, reschedule
#                and annotate X's; mark X's `completed` / `no_show`
#   admin:       everything; books for anyone (past their cap and the
#                notice), cancels past the cutoff


def may_read_appointment(user: Principal, appointment: Appointment) -> bool:
    return (is_admin(user) or is_customer(user, appointment.customer_id)
            or is_staff_of(user, appointment.provider_id))


def sees_invalid_documents(user: Principal) -> bool:
    """Whether a stored appointment that no longer validates is reported as
    such (409 `invalid_document`) rather than as missing."""
    return is_admin(user)


@dataclass(frozen=True)
class ListScope:
    provider_id: str | None
    customer_id: str | None


def list_scope(user: Principal, provider_id: str | None, customer_id: str | None) -> ListScope:
    """The filters a list of appointments runs with: admins as asked; staff
    without a customer filter their provider's; everyone else (staff too,
    when they ask for `customerId`) its own as a customer, else 403."""
    if is_admin(user):
        return ListScope(provider_id, customer_id)
    staff = user.provider_id
    if staff is not None and customer_id is None and provider_id in (None, staff):
        return ListScope(staff, None)
    require(customer_id in (None, user.uid), "You may only list your own appointments.")
    return ListScope(provider_id, user.uid)


def may_book_for(user: Principal, customer_id: str, provider_id: str) -> bool:
    return is_admin(user) or is_customer(user, customer_id) or is_staff_of(user, provider_id)


BOOK_REFUSED = "Only admins, and a provider's staff for that provider, may book for someone else."


def cap_applies(user: Principal, customer_id: str) -> bool:
    """Staff or an admin booking on a customer's behalf may exceed that customer's cap."""
    return is_customer(user, customer_id)


def notice_applies(user: Principal, customer_id: str) -> bool:
    """Minimum notice binds a customer's own booking; the front desk booking
    on its behalf may book a walk-in now."""
    return is_customer(user, customer_id)


def may_cancel(user: Principal, appointment: Appointment) -> bool:
    return (is_admin(user) or is_customer(user, appointment.customer_id)
            or is_staff_of(user, appointment.provider_id))


CANCEL_REFUSED = "Only the customer, the provider's staff or an admin may cancel an appointment."


def cutoff_applies(user: Principal, appointment: Appointment) -> bool:
    """The type's cancellation cutoff binds the customer, not the provider's staff or admins."""
    return not (is_admin(user) or is_staff_of(user, appointment.provider_id))


def may_reschedule(user: Principal, appointment: Appointment) -> bool:
    return (is_admin(user) or is_customer(user, appointment.customer_id)
            or is_staff_of(user, appointment.provider_id))


def may_change_notes(user: Principal, appointment: Appointment) -> bool:
    return (is_admin(user) or is_customer(user, appointment.customer_id)
            or is_staff_of(user, appointment.provider_id))


def may_mark(user: Principal, appointment: Appointment) -> bool:
    """Set `completed` / `no_show` (MARKS); the state machine decides from
    which status (`domain.appointments.can_transition`: confirmed only)."""
    return is_admin(user) or is_staff_of(user, appointment.provider_id)


# -- time off and calendar feeds (firestore.rules: timeOff, calendarFeeds) ------
#
#   staff of X:  read X's time off and the closures; create, change and delete
#                time off of X alone (providerIds == [X], no allProviders),
#                before and after the change; read and set X's feed URL
#   admin:       every manual time off, closures (several or all providers) too
#   customer:    nothing: titles are private (the slots they see reflect it)
#   nobody:      time off imported from a feed (source "feed") changes only
#                with the feed


def may_read_time_off_of(user: Principal, provider_id: str) -> bool:
    return is_admin(user) or is_staff_of(user, provider_id)


def may_write_time_off(user: Principal, time_off: TimeOff) -> bool:
    """Asked of the time off as stored and as written."""
    if time_off.source is not TimeOffSource.MANUAL:
        return False
    own = not time_off.all_providers and len(time_off.provider_ids) == 1
    return is_admin(user) or (own and is_staff_of(user, time_off.provider_ids[0]))


TIME_OFF_REFUSED = ("Only admins and the provider's own staff may change its time off; "
                    "closures of several or all providers are for admins.")
FEED_TIME_OFF_REFUSED = "Time off imported from a calendar feed changes only with the feed."


def may_use_feed(user: Principal, provider_id: str) -> bool:
    """Read, set and remove the provider's feed URL (a secret); its status is the backend's."""
    return is_admin(user) or is_staff_of(user, provider_id)


def may_list_conflicts(user: Principal, scope: ListScope) -> bool:
    """The appointments that time off overlaps: admins all, staff their
    provider's; a customer (or staff listing as one) gets 403."""
    return is_admin(user) or (scope.customer_id is None and scope.provider_id is not None
                              and is_staff_of(user, scope.provider_id))
