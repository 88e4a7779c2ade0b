"""Races that really race: the trigger's entry point run from many threads
at once, each with its own Firestore client, against the real emulator.

The functions emulator runs one trigger event at a time, so a race sent
through it is sequential processing. Here the documents are written first
(through the rules, with the backend's triggers switched off), then the
same service function the trigger calls runs in N threads at once. The
Firestore client releases the GIL while it waits on the network, so the
threads' reads and commits interleave as production instances' do.

`PausingStore` is the real store with pause points: a test stops one
writer right after a chosen read (or right before its commit), lets other
writers finish, then lets it go on, forcing the dangerous interleaving
every time instead of hoping a random schedule hits it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from booking.services.booking import Outcome, process_request
from booking.store.clients import project_id
from booking.store.firestore_store import FirestoreStore
from google.cloud import firestore

from support import emulator

GATE_TIMEOUT = 60.0


def own_store() -> FirestoreStore:
    """A store on a Firestore client of its own, as each instance has."""
    return FirestoreStore(firestore.Client(project=project_id()))


@contextlib.contextmanager
def triggers_off() -> Iterator[None]:
    """Documents written inside are not processed by the functions emulator."""
    emulator.set_background_triggers(False)
    try:
        yield
    finally:
        emulator.set_background_triggers(True)


@dataclass
class Gate:
    """A one-shot pause point: the first caller to reach it waits there
    until the test opens it; later callers pass straight through."""

    reached: threading.Event = field(default_factory=threading.Event)
    opened: threading.Event = field(default_factory=threading.Event)

    def pause(self) -> None:
        if self.reached.is_set():
            return
        self.reached.set()
        if not self.opened.wait(GATE_TIMEOUT):
            raise TimeoutError("a pause point was never opened")

    def wait_reached(self) -> None:
        if not self.reached.wait(GATE_TIMEOUT):
            raise TimeoutError("no writer reached the pause point")

    def open(self) -> None:
        self.opened.set()


class PausingStore(FirestoreStore):
    """The real store, pausing at `gates[name]` right after the read `name`
    returns, or right before the commit for `gates["commit"]`."""

    def __init__(self, client: firestore.Client, gates: dict[str, Gate]) -> None:
        super().__init__(client)
        self.gates = gates

    def _after(self, name: str, value: Any) -> Any:
        if name in self.gates:
            self.gates[name].pause()
        return value

    def appointment_versioned(self, appointment_id: str):
        return self._after("appointment_versioned", super().appointment_versioned(appointment_id))

    def sheets(self, provider_id, days):
        return self._after("sheets", super().sheets(provider_id, days))

    def booking_documents(self, customer_id, provider_id, type_id, reschedule_of=None):
        return self._after("booking_documents",
                           super().booking_documents(customer_id, provider_id, type_id, reschedule_of))

    def commit(self, commit) -> None:
        if "commit" in self.gates:
            self.gates["commit"].pause()
        super().commit(commit)


def pausing_store(**gates: Gate) -> PausingStore:
    return PausingStore(firestore.Client(project=project_id()), gates)


def process_stored(store: FirestoreStore, request_id: str, now: datetime | None = None) -> Outcome:
    """What `on_booking_request_created` does with its event: the stored
    document and its version, handed to the booking routine."""
    snapshot = store.db.document(f"bookingRequests/{request_id}").get()
    return process_request(store, request_id, snapshot.to_dict(), version=snapshot.update_time,
                           now=now or datetime.now(UTC))


@dataclass
class RaceResult:
    outcomes: dict[str, Outcome]
    seconds: float


def race(request_ids: Sequence[str], *, workers: int | None = None,
         run: Callable[[FirestoreStore, str], Outcome] = process_stored) -> RaceResult:
    """Processes every request at once, each on its own thread and client;
    they all start together behind a barrier."""
    workers = workers or len(request_ids)
    stores = [own_store() for _ in request_ids]
    # With fewer workers than requests, each worker takes the next request
    # as soon as it is free, as a busy instance takes the next event.
    barrier = threading.Barrier(len(request_ids)) if workers >= len(request_ids) else None

    def one(pair: tuple[FirestoreStore, str]) -> tuple[str, Outcome]:
        store, request_id = pair
        if barrier is not None:
            barrier.wait(timeout=GATE_TIMEOUT)
        return request_id, run(store, request_id)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = dict(pool.map(one, zip(stores, request_ids)))
    return RaceResult(outcomes, time.monotonic() - started)
