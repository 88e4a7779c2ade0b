"""Loading day sheets for one provider, building any that do not exist yet.

A missing sheet is built from availability, the types, the provider's time
off and its held (confirmed, completed, no-show) appointments, and committed with
`create`, so two writers that both find it missing cannot both win.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from booking.domain.ledger import DaySheet, block_of, build_sheet, days_under
from booking.domain.models import Availability, Provider
from booking.domain.ranges import Range
from booking.services.ports import InvalidDocument, Store

# Far enough that any block which can overlap a day's reach is found when
# building that day from the appointments collection.
BLOCK_SEARCH_MARGIN = timedelta(days=3)


class SheetLoader:
    """Reads sheets of one provider; remembers what it read this round."""

    def __init__(self, store: Store, provider: Provider) -> None:
        self.store = store
        self.provider = provider
        self.loaded: dict[date, tuple[DaySheet, Any]] = {}
        self._availability: tuple[Availability | None] | None = None
        self._types = None
        self._time_off: list[tuple[str, Range]] | None = None

    def availability(self) -> Availability | None:
        if self._availability is None:
            try:
                self._availability = (self.store.availability(self.provider.id),)
            except InvalidDocument:
                # An admin's broken edit is not applied; the trigger that saw
                # it records why. Building a new day treats it as closed.
                self._availability = (None,)
        return self._availability[0]

    def types(self):
        if self._types is None:
            self._types = self.store.appointment_types()
        return self._types

    def load(self, days: list[date]) -> dict[date, tuple[DaySheet, Any]]:
        wanted = [d for d in days if d not in self.loaded]
        if wanted:
            for day, found in self.store.sheets(self.provider.id, wanted).items():
                if found is None:
                    self.loaded[day] = (self._build(day), None)
                else:
                    self.loaded[day] = (found.value, found.version)
        return {d: self.loaded[d] for d in days}

    def time_off(self) -> list[tuple[str, Range]]:
        """The provider's time off as (id, span), read once per loader."""
        if self._time_off is None:
            tz = self.provider.time_zone
            self._time_off = [(t.id, t.span_in(tz)) for t in self.store.time_off_for(self.provider.id)]
        return self._time_off

    def _build(self, day: date) -> DaySheet:
        draft = build_sheet(self.provider, self.availability(), self.types(), day, [])
        appointments = self.store.held_blocks_between(
            self.provider.id,
            draft.reach.start - BLOCK_SEARCH_MARGIN,
            draft.reach.end + BLOCK_SEARCH_MARGIN,
        )
        blocks = [block_of(a) for a in appointments]
        return build_sheet(self.provider, self.availability(), self.types(), day, blocks, self.time_off())

    def with_neighbours(self, day: date, block: Range) -> dict[date, tuple[DaySheet, Any]]:
        """`day`'s sheet, the sheets of every local day `block` lies on, and
        every adjacent sheet whose reach `block` overlaps.

        The days under the block are taken from the clock, not from stored
        reach edges: edges computed before an admin widened a buffer would
        miss a neighbour, and every block is stored at least in the sheets
        of the days it lies on, so reading those makes a check complete."""
        tz = self.provider.time_zone
        start_days = sorted({day, *days_under(tz, block)})
        result = self.load(start_days)
        frontier = list(start_days)
        while frontier:
            current = frontier.pop()
            sheet, _ = result[current]
            for neighbour in sheet.neighbours_for(block):
                if neighbour not in result:
                    result.update(self.load([neighbour]))
                    if result[neighbour][0].reach.overlaps(block):
                        frontier.append(neighbour)
        return result
