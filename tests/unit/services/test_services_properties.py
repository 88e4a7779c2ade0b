"""Property: whatever sequence of bookings, cancels, reschedules and races
runs against the store, (a) no two confirmed appointments' blocks overlap
(group sessions of one type and start aside, up to capacity), and (b) every
stored sheet equals the sheet built from scratch from the confirmed
appointments."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

from booking.domain.appointments import AppointmentStatus
from booking.domain.models import AppointmentType
from booking.domain.refusals import Refusal
from booking.services.cancel import cancel
from booking.services.ports import Commit
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, FakeStore, consult, from_scratch, seeded, submit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BERLIN = ZoneInfo("Europe/Berlin")
WEEKLY = {
    "sun": [{"start": "22:00", "end": "02:00"}],
    "mon": [{"start": "09:00", "end": "12:00"}, {"start": "22:00", "end": "02:00"}],
    "tue": [{"start": "22:00", "end": "02:00"}],
    "wed": [{"start": "09:00", "end": "12:00"}],
}
DAYS = [date(2026, 1, 11) + timedelta(days=n) for n in range(6)]  # Sun 11 .. Fri 16 January
CUSTOMERS = ("cust-grace", "cust-alan", "cust-3", "cust-4")
TYPES = [
    consult(),  # 30 minutes, 10 before / 5 after, every 30 minutes
    AppointmentType(id="group", name="Group", duration_minutes=60, slot_interval_minutes=60,
                    buffer_after_minutes=15, capacity=2),
    AppointmentType(id="quick", name="Quick", duration_minutes=15, slot_interval_minutes=15, daily_limit=2),
]


def _candidates() -> list[datetime]:
    """Half hours inside Monday to Wednesday's open hours (local), plus a few
    quarter hours (on the grid of some types only) and starts just outside."""
    def local(d: int, minutes: int) -> datetime:
        return (datetime(2026, 1, d, tzinfo=BERLIN) + timedelta(minutes=minutes)).astimezone(ZoneInfo("UTC"))

    out = []
    for d, first, last in ((12, 9 * 60, 11 * 60 + 30), (12, 22 * 60, 25 * 60 + 30), (13, 22 * 60, 25 * 60 + 30),
                           (14, 9 * 60, 11 * 60 + 30)):
        out += [local(d, m) for m in range(first, last + 1, 30)]
    out += [local(12, 9 * 60 + 15), local(12, 23 * 60 + 45), local(13, 0 * 60 + 15), local(12, 8 * 60 + 30),
            local(12, 12 * 60), local(14, 2 * 60)]
    return out


STARTS = _candidates()

book_op = st.tuples(st.just("book"), st.sampled_from(CUSTOMERS), st.sampled_from([t.id for t in TYPES]),
                    st.sampled_from(STARTS))
cancel_op = st.tuples(st.just("cancel"), st.integers(0, 50))
move_op = st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(STARTS))
race_op = st.tuples(st.just("race"), book_op, book_op)
operations = st.lists(st.one_of(book_op, book_op, cancel_op, move_op, race_op), min_size=1, max_size=14)


class Run:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.n = 0

    def new_id(self) -> str:
        self.n += 1
        return f"r{self.n:02d}"

    def confirmed(self):
        return [a for a in self.store.stored_appointments().values() if a.status is AppointmentStatus.CONFIRMED]

    def apply(self, op) -> None:
        kind = op[0]
        if kind == "book":
            _, customer, type_id, start = op
            submit(self.store, self.new_id(), start, customer=customer, type_id=type_id)
        elif kind == "cancel":
            live = self.confirmed()
            if live:
                try:
                    cancel(self.store, live[op[1] % len(live)].id, now=NOW, by="admin", enforce_cutoff=False)
                except Refusal:
                    pass
        elif kind == "move":
            live = self.confirmed()
            if live:
                original = live[op[1] % len(live)]
                submit(self.store, self.new_id(), op[2], customer=original.customer_id,
                       type_id=original.appointment_type_id, rescheduleOf=original.id)
        elif kind == "race":
            _, first, second = op
            self.store.before_commit.append(lambda: self.apply(second))
            self.apply(first)
            self.store.before_commit.clear()


def assert_invariants(store: FakeStore) -> None:
    confirmed = [a for a in store.stored_appointments().values() if a.status is AppointmentStatus.CONFIRMED]
    capacity = {t.id: t.capacity for t in TYPES}
    for a, b in combinations(confirmed, 2):
        shares = a.appointment_type_id == b.appointment_type_id and a.start == b.start
        overlap = a.block_start < b.block_end and b.block_start < a.block_end
        assert shares or not overlap, f"{a.id} and {b.id} overlap"
    groups = Counter((a.appointment_type_id, a.start) for a in confirmed)
    assert all(n <= capacity[type_id] for (type_id, _), n in groups.items()), groups
    for doc_id, sheet in store.stored_sheets(PROVIDER_ID).items():
        assert sheet == from_scratch(store, PROVIDER_ID, sheet.day), doc_id
    for request_id in store.ids(paths.BOOKING_REQUESTS):
        request = store.doc(paths.BOOKING_REQUESTS, request_id)
        assert request["status"] in ("confirmed", "rejected"), request
        assert (request["status"] == "confirmed") == (store.doc(paths.APPOINTMENTS, request_id) is not None)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, sheets_first=st.booleans())
def test_any_sequence_of_bookings_cancels_moves_and_races_keeps_the_ledger_exact(ops, sheets_first):
    store = seeded(weekly=WEEKLY, types=TYPES, customers=CUSTOMERS)
    if sheets_first:  # the days' sheets exist, as after a recompute
        store.commit(Commit(sheets=[(from_scratch(store, PROVIDER_ID, day), None) for day in DAYS]))
    run = Run(store)
    for op in ops:
        run.apply(op)
        assert_invariants(store)
