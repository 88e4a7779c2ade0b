"""What a booking reads, and in how many round trips: everything it needs
before its sheets (customer, provider, type, the customer's ledger, the
settings, and the appointment a reschedule moves) comes from one batched
read (`Store.booking_documents`), and what a booking decides is unchanged."""

from __future__ import annotations

from booking.domain.booking_requests import Reason
from booking.services.recompute import recompute_provider
from booking.store import paths
from fake_store import CUSTOMER_ID, NOW, PROVIDER_ID, FakeStore, seeded, submit, utc

TEN_BERLIN = utc(2026, 1, 12, 9)
TWO_PM_BERLIN = utc(2026, 1, 12, 13)
READS = ("booking_documents", "customer", "provider", "appointment_type", "appointment_versioned",
         "customer_ledger", "customer_ledgers", "booking_settings", "sheets", "request")


class CallsRecorded(FakeStore):
    """The fake store, naming each read method a service called, in order
    (one name per call: a batched read is one round trip)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []
        self._inner = 0

    def __getattribute__(self, name: str):
        attribute = super().__getattribute__(name)
        if name not in READS:
            return attribute

        def recorded(*args, **kwargs):
            # Only the outermost call: the fake's batched read reuses its own single reads.
            if self._inner == 0:
                self.calls.append(name)
            self._inner += 1
            try:
                return attribute(*args, **kwargs)
            finally:
                self._inner -= 1

        return recorded


def ready() -> CallsRecorded:
    store = seeded()
    recorded = CallsRecorded()
    recorded.collections = store.collections
    recompute_provider(recorded, PROVIDER_ID, now=NOW)  # every sheet exists, as after set-up
    recorded.calls.clear()
    recorded.counts.clear()
    return recorded


def test_a_booking_reads_customer_provider_type_ledger_and_settings_in_one_round_trip_then_its_sheet():
    store = ready()

    outcome = submit(store, "req-1", TEN_BERLIN)

    assert outcome.status == "confirmed"
    assert store.calls == ["booking_documents", "sheets"]
    assert store.counts == {"reads": 6, "writes": 5, "commits": 1}


def test_a_reschedule_reads_the_appointment_it_moves_in_the_same_round_trip():
    store = ready()
    submit(store, "orig", TEN_BERLIN)
    store.calls.clear()
    store.counts.clear()

    outcome = submit(store, "move", TWO_PM_BERLIN, rescheduleOf="orig")

    assert outcome.status == "confirmed"
    assert store.calls == ["booking_documents", "sheets"]
    assert store.counts["reads"] == 7
    assert store.doc(paths.APPOINTMENTS, "orig")["status"] == "cancelled"


def test_a_lost_round_reads_the_ledger_and_settings_again_instead_of_reusing_the_early_read():
    store = ready()
    # another writer changes the day's sheet between the first round's read and its commit
    store.before_commit.append(lambda: store.touch(paths.SLOTS, f"{PROVIDER_ID}_2026-01-12"))

    outcome = submit(store, "req-1", TEN_BERLIN)

    assert (outcome.status, outcome.rounds) == ("confirmed", 2)
    assert store.calls == ["booking_documents", "sheets", "request", "sheets", "customer_ledger",
                           "booking_settings"]


def test_an_unknown_customer_is_refused_as_such_even_when_the_providers_document_is_broken():
    store = ready()
    store.patch(paths.PROVIDERS, PROVIDER_ID, {"timeZone": "Mars/Olympus_Mons"})
    store.delete(paths.CUSTOMERS, CUSTOMER_ID)

    outcome = submit(store, "req-1", TEN_BERLIN)

    assert (outcome.status, outcome.reason) == ("rejected", Reason.UNKNOWN_CUSTOMER)


def test_a_broken_provider_document_of_a_known_customer_refuses_the_booking_as_invalid():
    store = ready()
    store.patch(paths.PROVIDERS, PROVIDER_ID, {"timeZone": "Mars/Olympus_Mons"})

    outcome = submit(store, "req-1", TEN_BERLIN)

    assert (outcome.status, outcome.reason) == ("rejected", Reason.INVALID_REQUEST)
    assert outcome.message.startswith("Booking is unavailable: a stored setting is invalid (")


def test_a_broken_type_is_not_reported_when_the_provider_is_unknown():
    store = ready()
    store.patch(paths.APPOINTMENT_TYPES, "consult", {"durationMinutes": -5})

    outcome = submit(store, "req-1", TEN_BERLIN, provider="dr-nobody")

    assert (outcome.status, outcome.reason) == ("rejected", Reason.UNKNOWN_PROVIDER)
