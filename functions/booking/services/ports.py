"""What the services need from storage. `booking.store.firestore_store` is the
real implementation; tests of pure service logic use an in-memory fake
that implements this same interface."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from booking.domain.customer_cap import Held
from booking.domain.ledger import DaySheet
from booking.domain.models import AppointmentType, Availability, Customer, Provider
from booking.domain.settings import BookingSettings
from booking.domain.appointments import Appointment
from booking.domain.time_off import TimeOff
from booking.domain.type_slots import ViewEntry, ViewKey


class Conflict(Exception):
    """Another writer got there first: a precondition failed or a document
    that this commit creates already exists. Re-read and try again."""


class InvalidDocument(ValueError):
    """A stored document does not validate; the message says why."""


@dataclass(frozen=True)
class Versioned:
    """A value read together with the version (update time) it had."""

    value: Any
    version: Any


@dataclass(frozen=True)
class Fetched:
    """One document of a batched read: its converted value (None: no such
    document) and the version it was read at, or why it does not validate,
    raised by `get` so the caller meets it where a single read would have."""

    value: Any = None
    version: Any = None
    invalid: InvalidDocument | None = None

    def get(self) -> Any:
        if self.invalid is not None:
            raise self.invalid
        return self.value


@dataclass(frozen=True)
class BookingDocuments:
    """What a booking reads before its sheets, in one round trip."""

    customer: Fetched  # value: Customer
    provider: Fetched  # value: Provider (public fields)
    appointment_type: Fetched  # value: AppointmentType
    ledger: Fetched  # value: dict[str, Held], the customer's
    settings: BookingSettings
    previous: Fetched | None = None  # value: Appointment, the one a reschedule moves


@dataclass
class Commit:
    """One atomic batch. Sheets carry the version they were read at (None:
    create, fails if someone created it meanwhile)."""

    sheets: list[tuple[DaySheet, Any]] = field(default_factory=list)
    create_appointments: list[Appointment] = field(default_factory=list)
    # appointment id -> (fields to merge, version the appointment was read
    # at). Every update that rebuilds something from a read (history, a
    # status move) carries that version, so a concurrent writer makes it
    # fail rather than be overwritten; None is only for fields that no other
    # writer derives from (the recompute's outsideAvailability flag).
    update_appointments: list[tuple[str, dict[str, Any], Any]] = field(default_factory=list)
    # An appointment's move through its lifecycle (domain/appointments.py): the
    # record as read, the record after the move, and the version read; the
    # store writes the fields that differ, conditioned on that version.
    appointment_moves: list[tuple[Appointment, Appointment, Any]] = field(default_factory=list)
    # request id -> (fields to merge, version the request was read at, or
    # None to create it: a REST or callable booking writes its own request)
    requests: list[tuple[str, dict[str, Any], Any]] = field(default_factory=list)
    mails: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # text messages for the Twilio extension (`messages/{id}`): create-only, like mails
    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # customer id -> (upcoming entries, version read, or None to create)
    customer_ledgers: list[tuple[str, dict[str, Held], Any]] = field(default_factory=list)
    # time off id -> (the document, or None to delete it; version read, or
    # None: create it (a delete without a version is unconditional))
    time_off: list[tuple[str, TimeOff | None, Any]] = field(default_factory=list)
    # What the conditioned sheet and ledger writes were planned from: the
    # sheet (by id) and the ledger (by customer id) as read at the version
    # the write is conditioned on. Optional: with it a store may send only
    # what changed, which the precondition makes the same document as a
    # whole write (and a booking then costs O(change), not O(day)).
    sheet_bases: dict[str, DaySheet] = field(default_factory=dict)
    ledger_bases: dict[str, dict[str, Held]] = field(default_factory=dict)

    def writes(self) -> int:
        return (len(self.sheets) + len(self.create_appointments) + len(self.update_appointments)
                + len(self.appointment_moves) + len(self.requests) + len(self.mails) + len(self.messages)
                + len(self.customer_ledgers) + len(self.time_off))


class QueueError(Exception):
    """The task queue refused or could not be reached. "Already there" on
    enqueue and "not there" on delete are not errors: tasks are named."""


class TaskQueue(Protocol):
    """Named tasks run at a time (the reminders' Cloud Tasks queue)."""

    def enqueue(self, task_id: str, payload: dict[str, Any], schedule_time: datetime) -> None: ...
    def delete(self, task_id: str) -> bool: ...  # False: there was none (ran, or deleted before)


class Store(Protocol):
    counts: Counter

    def provider(self, provider_id: str) -> Provider | None: ...
    def providers(self) -> list[Provider]: ...
    def appointment_type(self, type_id: str) -> AppointmentType | None: ...
    def appointment_types(self) -> list[AppointmentType]: ...
    def customer(self, customer_id: str) -> Customer | None: ...
    def customers(self, customer_ids: list[str]) -> dict[str, Customer | None]: ...  # one round trip; invalid: None
    def availability(self, provider_id: str) -> Availability | None: ...
    def appointment(self, appointment_id: str) -> Appointment | None: ...
    def appointment_versioned(self, appointment_id: str) -> Versioned | None: ...  # value: Appointment
    def request(self, request_id: str) -> Versioned | None: ...
    def customer_ledger(self, customer_id: str) -> Versioned | None: ...  # value: dict[str, Held]
    def customer_ledgers(self, customer_ids: list[str]) -> dict[str, Versioned | None]: ...  # one round trip
    def booking_documents(self, customer_id: str, provider_id: str, type_id: str,
                          reschedule_of: str | None = None) -> BookingDocuments: ...  # one round trip
    def booking_settings(self) -> BookingSettings: ...  # settings/booking, defaults for what is unusable
    def sheets(self, provider_id: str, days: list[date]) -> dict[date, Versioned | None]: ...
    def held_blocks_between(self, provider_id: str, start: datetime, end: datetime) -> list[Appointment]: ...
    def held_between_versioned(self, provider_id: str, start: datetime,
                               end: datetime) -> list[Versioned]: ...  # the same, value: Appointment
    def pending_requests(self, created_before: datetime, limit: int) -> list[tuple[str, dict[str, Any], Any]]: ...
    def unreleased_cancels(self, limit: int) -> list[str]: ...  # cancelled, block still held
    def confirmed_starting_between(self, start: datetime, end: datetime, limit: int,
                                   after: tuple[datetime, str] | None = None) -> list[Appointment]: ...  # by (start, id)
    def pending_requests_between(self, provider_id: str, start: datetime, end: datetime,
                                 limit: int) -> list[tuple[str, dict[str, Any], Any]]: ...  # by start
    def series_appointments(self, series_id: str) -> list[Appointment]: ...  # every occurrence, any status
    def time_off(self, time_off_id: str) -> Versioned | None: ...  # value: TimeOff
    def time_off_for(self, provider_id: str) -> list[TimeOff]: ...  # valid ones that apply to it
    def commit(self, commit: Commit) -> None: ...
    def set_validation(self, collection: str, doc_id: str, validation: dict[str, Any]) -> None: ...


class TypeSlotViews(Protocol):
    """The "any provider" view's documents (`typeSlots`, domain/type_slots.py).
    Kept apart from `Store`: only the view's keeper and the search use it."""

    counts: Counter

    # value: {sheet id: ViewEntry}; with `only`, just those sheets' entries
    # (a view document holds every provider's: a writer needs its own)
    def type_slot_views(self, keys: list[ViewKey], only: list[str] | None = None) -> dict[ViewKey, Versioned | None]: ...
    # Sets (an entry) or removes (None) the named sheets' entries in view
    # documents, each conditioned on the version read (None: create it; fails
    # if it exists by then), all in one atomic batch. Raises Conflict when
    # someone wrote one of them first; then nothing is written.
    def write_type_slot_views(self, writes: list[tuple[ViewKey, dict[str, ViewEntry | None], Any]]) -> None: ...
