"""The parties of a booking (customer, provider, type, and the appointment a
reschedule moves), read in one round trip together with what the first
round's plan needs (the customer's ledger, the settings): the booking's
reads before its sheets cost one wait instead of five or six."""

from __future__ import annotations

from datetime import datetime

from booking.domain.booking_requests import BookingRequest, Reason
from booking.services.planning import Parties, Rejection
from booking.services.ports import BookingDocuments, Fetched, InvalidDocument, Store


def load_parties(store: Store, request: BookingRequest, now: datetime) -> tuple[Parties, BookingDocuments]:
    try:
        return _read_parties(store, request, now)
    except InvalidDocument as invalid:
        # A console edit broke a document: refuse this booking, never crash.
        raise Rejection(Reason.INVALID_REQUEST, f"Booking is unavailable: a stored setting is invalid ({invalid}).") from invalid


def _read_parties(store: Store, request: BookingRequest, now: datetime) -> tuple[Parties, BookingDocuments]:
    """The parties, from one batched read that also brings the customer's
    ledger and the settings for the first round's plan. Each document is
    checked in the order single reads used to take, so an unknown customer
    is refused as such even when the provider's document is broken."""
    docs = store.booking_documents(request.customer_id, request.provider_id, request.appointment_type_id,
                                   request.reschedule_of)
    customer = docs.customer.get()
    if customer is None:
        raise Rejection(Reason.UNKNOWN_CUSTOMER)
    provider = docs.provider.get()
    if provider is None:
        raise Rejection(Reason.UNKNOWN_PROVIDER)
    if not provider.active:
        raise Rejection(Reason.PROVIDER_INACTIVE)
    appt_type = docs.appointment_type.get()
    if appt_type is None:
        raise Rejection(Reason.UNKNOWN_TYPE)
    if not appt_type.active:
        raise Rejection(Reason.TYPE_INACTIVE)
    if appt_type.id not in provider.type_ids:
        raise Rejection(Reason.TYPE_NOT_OFFERED)
    parties = Parties(customer, provider, appt_type)
    if request.reschedule_of:
        parties = with_previous(store, parties, request, now, read=docs.previous)
    return parties, docs


def with_previous(store: Store, parties: Parties, request: BookingRequest, now: datetime,
                  read: Fetched | None = None) -> Parties:
    """`parties` with the appointment a reschedule moves, with the version it
    was read at (`read`: as the batched read found it; None: read it now):
    the commit that cancels it is conditioned on that version, so two
    reschedules (or a reschedule and a cancel) of one appointment cannot
    both win. Moving to another provider is a new booking plus a cancel,
    not a reschedule."""
    if read is None:
        found = store.appointment_versioned(request.reschedule_of) if request.reschedule_of else None
        read = Fetched(found.value, found.version) if found else Fetched()
    previous = read.get()
    if (
        previous is None
        or previous.id == request.id
        or previous.customer_id != request.customer_id
        or previous.provider_id != request.provider_id
        or not previous.cancellable_at(now)
    ):
        raise Rejection(Reason.NOT_RESCHEDULABLE)
    return Parties(parties.customer, parties.provider, parties.appointment_type, previous, read.version)
