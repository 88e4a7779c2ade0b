"""The waitlist's documents (`waitlist/{id}`) on Firestore, counting reads and
writes like the main store. Every status write is conditioned on the
update time it was read at (services/waitlist.py relies on it)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from booking.domain.ids import is_document_id
from booking.domain.waitlist import ACTIVE, EntryStatus, InvalidEntry, entry_from
from booking.services.ports import Conflict, Versioned
from booking.store import paths

WAITLIST = "waitlist"
_CONFLICTS = (gexc.FailedPrecondition, gexc.AlreadyExists, gexc.Aborted, gexc.NotFound)


class FirestoreWaitlist:
    def __init__(self, client: firestore.Client, counts: Counter | None = None) -> None:
        self.db = client
        self.counts: Counter = counts if counts is not None else Counter()

    def _versioned(self, snapshot: Any) -> Versioned | None:
        try:
            return Versioned(entry_from(snapshot.id, snapshot.to_dict()), snapshot.update_time)
        except InvalidEntry:
            return None  # a broken document is never matched; the API reports it on read

    def _query(self, query: Any) -> list[Versioned]:
        found = []
        reads = 0
        for snapshot in query.stream():
            reads += 1
            if (versioned := self._versioned(snapshot)) is not None:
                found.append(versioned)
        self.counts["reads"] += max(reads, 1)
        return found

    def _snapshot(self, entry_id: str) -> Any:
        if not is_document_id(entry_id):
            return None  # an id Firestore refuses names no document
        snapshot = self.db.document(f"{WAITLIST}/{entry_id}").get()
        self.counts["reads"] += 1
        return snapshot if snapshot.exists else None

    def entry(self, entry_id: str) -> Versioned | None:
        snapshot = self._snapshot(entry_id)
        return self._versioned(snapshot) if snapshot is not None else None

    def raw(self, entry_id: str) -> dict[str, Any] | None:
        """The stored document as it is (the API shows it), or None."""
        snapshot = self._snapshot(entry_id)
        return {"id": snapshot.id, **snapshot.to_dict()} if snapshot is not None else None

    def waiting(self, type_id: str, limit: int) -> list[Versioned]:
        """Waiting entries of a type, oldest first."""
        query = (self.db.collection(WAITLIST)
                 .where(filter=FieldFilter("appointmentTypeId", "==", type_id))
                 .where(filter=FieldFilter("status", "==", EntryStatus.WAITING.value))
                 .order_by("createdAt").limit(limit))
        return self._query(query)

    def with_status(self, status: EntryStatus, limit: int, last_day_before: str | None = None) -> list[Versioned]:
        query = self.db.collection(WAITLIST).where(filter=FieldFilter("status", "==", status.value))
        if last_day_before is not None:
            query = query.where(filter=FieldFilter("lastDay", "<", last_day_before))
        return self._query(query.limit(limit))

    def active_of(self, customer_id: str) -> list[tuple[Any, str]]:
        """(createdAt, id) of the customer's active entries, valid or not."""
        query = (self.db.collection(WAITLIST).where(filter=FieldFilter("customerId", "==", customer_id))
                 .where(filter=FieldFilter("status", "in", [s.value for s in ACTIVE])))
        found = [(s.get("createdAt"), s.id) for s in query.stream()]
        self.counts["reads"] += max(len(found), 1)
        return found

    def listed(self, field: str, value: str, limit: int, after: tuple[datetime, str] | None) -> list[dict[str, Any]]:
        """One page of entries where `field == value`, newest first, keyset on (createdAt, id)."""
        query = (self.db.collection(WAITLIST).where(filter=FieldFilter(field, "==", value))
                 .order_by("createdAt", direction=firestore.Query.DESCENDING)
                 .order_by("__name__", direction=firestore.Query.DESCENDING))
        if after is not None:
            query = query.start_after({"createdAt": after[0], "__name__": self.db.document(f"{WAITLIST}/{after[1]}")})
        found = [{"id": s.id, **s.to_dict()} for s in query.limit(limit).stream()]
        self.counts["reads"] += max(len(found), 1)
        return found

    def create(self, entry_id: str, data: dict[str, Any]) -> dict[str, Any]:
        ref = self.db.document(f"{WAITLIST}/{entry_id}")
        try:
            ref.create({**data, "createdAt": firestore.SERVER_TIMESTAMP})
        except _CONFLICTS as error:
            raise Conflict(str(error)) from error
        self.counts["writes"] += 1
        return self.raw(entry_id) or {}

    def update(self, entry_id: str, fields: dict[str, Any], version: Any,
               mails: list[tuple[str, dict[str, Any]]] = (), requests: list[tuple[str, dict[str, Any]]] = ()) -> Any:
        """Writes `fields` if the entry is still at `version`, with the mails
        and new booking requests (create-only) in the same batch; returns the
        entry's new version. Raises Conflict when anything was first."""
        batch = self.db.batch()
        batch.update(self.db.document(f"{WAITLIST}/{entry_id}"), fields,
                     option=self.db.write_option(last_update_time=version))
        for mail_id, message in mails:
            batch.create(self.db.document(f"{paths.MAIL}/{mail_id}"),
                         {**message, "createdAt": firestore.SERVER_TIMESTAMP})
        for request_id, doc in requests:
            batch.create(self.db.document(f"{paths.BOOKING_REQUESTS}/{request_id}"), doc)
        try:
            results = batch.commit()
        except _CONFLICTS as error:
            self.counts["conflicts"] += 1
            raise Conflict(str(error)) from error
        self.counts["writes"] += 1 + len(mails) + len(requests)
        return results[0].update_time
