"""A booking writes only what changed in the day sheet and the customer's
ledger (store/partial_writes.py); on the real emulator the documents it
leaves are exactly those a whole write of the planned sheet and ledger
would have left, whatever order the bookings come in and after a cancel
rewrote the sheet whole."""

from __future__ import annotations

from datetime import UTC, datetime

from booking.domain.booking_requests import parse_request
from booking.services.booking import book
from booking.services.cancel import cancel
from booking.services.ports import Commit
from booking.store import converters as conv
from booking.store.firestore_store import FirestoreStore
from support.world import a_future_day, add_customer, at, seed, wait_for_sheet


class PlannedStore(FirestoreStore):
    """The real store, remembering what each commit meant to leave."""

    def __init__(self, client) -> None:
        super().__init__(client)
        self.planned_sheets: dict = {}
        self.planned_ledgers: dict = {}
        self.partial = 0

    def commit(self, commit: Commit) -> None:
        super().commit(commit)
        self.partial += len(commit.sheet_bases)
        self.planned_sheets.update({sheet.id: sheet for sheet, _ in commit.sheets})
        self.planned_ledgers.update({c: entries for c, entries, _ in commit.customer_ledgers})


def _book(store, uid, request_id, start, now):
    request = parse_request(request_id, {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult",
                                         "start": start, "status": "pending", "createdAt": now})
    outcome = book(store, request, now=now, create_request=True)
    assert outcome.status.value == "confirmed", outcome


def _assert_stored_as_planned(db, store, uid, sheet_id):
    raw = db.document(f"slots/{sheet_id}").get().to_dict()
    planned = store.planned_sheets[sheet_id]
    assert conv.sheet_from(raw) == planned
    whole = conv.sheet_to(planned)
    assert raw["available"] == whole["available"]
    assert sorted(raw["booked"], key=lambda b: b["appointmentId"]) == sorted(whole["booked"],
                                                                             key=lambda b: b["appointmentId"])
    ledger = db.document(f"customerLedgers/{uid}").get().to_dict()
    assert conv.ledger_from(ledger) == store.planned_ledgers[uid]


def test_bookings_in_any_order_and_a_cancel_leave_the_sheet_and_ledger_a_whole_write_would(db, clean_firestore):
    seed(db, type_fields={"bufferAfterMinutes": 15, "minNoticeMinutes": 0})
    db.document("settings/booking").set({"maxUpcomingPerCustomer": 20})
    add_customer(db, "grace")
    day = a_future_day(4)
    wait_for_sheet(db, "dr-ada", day)
    store = PlannedStore(db)
    now = datetime.now(UTC)
    sheet_id = f"dr-ada_{day.isoformat()}"

    for n, hour in enumerate((14, 9, 16, 11)):  # out of order: appended blocks are not sorted
        _book(store, "grace", f"p-{n}", at(day, hour), now)
        _assert_stored_as_planned(db, store, "grace", sheet_id)
    assert store.partial == 4  # each booking sent its sheet as changes

    cancel(store, "p-1", now=now, by="grace", notify=False)  # the cancel rewrites the sheet whole
    raw = db.document(f"slots/{sheet_id}").get().to_dict()
    assert at(day, 9) in raw["available"]["consult"]
    _book(store, "grace", "p-4", at(day, 9, 30), now)
    _assert_stored_as_planned(db, store, "grace", sheet_id)
    stored = db.document(f"slots/{sheet_id}").get().to_dict()
    assert {b["appointmentId"] for b in stored["booked"]} == {"p-0", "p-2", "p-3", "p-4"}
    # blocks 9:30, 11:00, 14:00, 16:00, each with its 15-minute after-buffer, on a
    # 30-minute grid in 9:00-17:00: a start fits only where its visit and buffer do
    assert stored["available"]["consult"] == [at(day, 12), at(day, 12, 30), at(day, 13), at(day, 15)]
