"""What one booking commit will write, planned step by step.

A commit's day sheets are held here twice: as read (with the version the
commit is conditioned on) and as planned so far, and so are the customers'
ledgers. Planning one booking after another into the same `Working` is
what lets a burst of requests for one provider-day be confirmed by one
commit (`booking.services.booking`), each checked against the blocks the
ones before it added.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from booking.domain.customer_cap import Held
from booking.domain.ledger import DaySheet
from booking.domain.models import BookedBlock
from booking.domain.ranges import Range
from booking.domain.settings import BookingSettings
from booking.services.ports import Fetched, Store
from booking.services.sheet_loader import SheetLoader


class Working:
    def __init__(self, store: Store, loader: SheetLoader) -> None:
        self.store = store
        self.loader = loader
        self._sheets: dict[date, tuple[DaySheet, Any]] = {}  # planned sheet, version read
        self._read: dict[date, DaySheet] = {}
        self._ledgers: dict[str, tuple[dict[str, Held], Any]] = {}
        self._ledgers_changed: set[str] = set()
        self._ledger_bases: dict[str, dict[str, Held]] = {}  # as read, before the first change
        self._settings: BookingSettings | None = None
        self._early_ledgers: dict[str, Fetched] = {}  # read up front, not yet looked at
        self.planned: set[str] = set()  # appointments this commit will create

    def preload(self, customer_id: str, ledger: Fetched, settings: BookingSettings) -> None:
        """The customer's ledger and the settings, read up front with the
        booking's other documents (`Store.booking_documents`): planning then
        reads neither again. The ledger keeps the version it was read at, so
        the commit is conditioned on it as on a ledger read later."""
        self._early_ledgers[customer_id] = ledger
        self._settings = settings

    # -- sheets ---------------------------------------------------------------

    def touch(self, day: date, span: Range) -> dict[date, DaySheet]:
        """The planned sheets of `day`, of every local day `span` lies on,
        and of every neighbour whose reach it overlaps."""
        days = self.loader.with_neighbours(day, span)
        for d, (sheet, version) in days.items():
            if d not in self._sheets:
                self._sheets[d] = (sheet, version)
                self._read[d] = sheet
        return {d: self._sheets[d][0] for d in days}

    def add(self, block: BookedBlock) -> None:
        """Every sheet whose reach the block overlaps holds it."""
        self.planned.add(block.appointment_id)
        for d, (sheet, version) in self._sheets.items():
            if sheet.reach.overlaps(block.block):
                self._sheets[d] = (sheet.with_block(block), version)

    def remove(self, appointment_id: str) -> None:
        for d, (sheet, version) in self._sheets.items():
            if sheet.holds(appointment_id):
                self._sheets[d] = (sheet.without(appointment_id), version)

    def changed_sheets(self) -> list[tuple[DaySheet, Any]]:
        return [(sheet, version) for d, (sheet, version) in self._sheets.items() if sheet is not self._read[d]]

    def sheet_bases(self) -> dict[str, DaySheet]:
        """Each changed sheet as read, at the version its write is conditioned on."""
        return {self._read[d].id: self._read[d] for d, (sheet, _v) in self._sheets.items()
                if sheet is not self._read[d]}

    # -- customers' ledgers ----------------------------------------------------

    def ledger(self, customer_id: str) -> dict[str, Held]:
        if customer_id not in self._ledgers and customer_id in self._early_ledgers:
            early = self._early_ledgers.pop(customer_id)
            entries = early.get()  # a ledger that does not validate raises here, as a read would
            self._ledgers[customer_id] = (entries, early.version) if entries is not None else ({}, None)
        if customer_id not in self._ledgers:
            found = self.store.customer_ledger(customer_id)
            self._ledgers[customer_id] = (found.value, found.version) if found else ({}, None)
        return dict(self._ledgers[customer_id][0])

    def prefetch_ledgers(self, customer_ids: list[str]) -> None:
        """Reads the ledgers not read yet in one round trip."""
        wanted = [c for c in dict.fromkeys(customer_ids) if c not in self._ledgers and c not in self._early_ledgers]
        for customer_id, found in (self.store.customer_ledgers(wanted).items() if wanted else ()):
            self._ledgers[customer_id] = (found.value, found.version) if found else ({}, None)

    def set_ledger(self, customer_id: str, entries: dict[str, Held]) -> None:
        as_read = self.ledger(customer_id)  # keeps the version read
        self._ledger_bases.setdefault(customer_id, as_read)
        self._ledgers[customer_id] = (entries, self._ledgers[customer_id][1])
        self._ledgers_changed.add(customer_id)

    def ledger_writes(self) -> list[tuple[str, dict[str, Held], Any]]:
        return [(c, *self._ledgers[c]) for c in sorted(self._ledgers_changed)]

    def ledger_bases(self) -> dict[str, dict[str, Held]]:
        """Each changed ledger as read (those that exist), at the version its write is conditioned on."""
        return {c: self._ledger_bases[c] for c in self._ledgers_changed if self._ledgers[c][1] is not None}

    def settings(self) -> BookingSettings:
        """settings/booking, read once per plan (the cap needs it; the mails too)."""
        if self._settings is None:
            self._settings = self.store.booking_settings()
        return self._settings

    def max_upcoming(self) -> int:
        return self.settings().max_upcoming_per_customer
