"""The reads and writes of a customer's erasure and export
(`booking.services.erasure`, `booking.services.export`), on Firestore, and
the Auth accounts they end. Counted like every other store method."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import firebase_admin
from firebase_admin import auth
from google.api_core import exceptions as gexc
from google.cloud import firestore

from booking.domain.appointments import AppointmentStatus
from booking.domain.ids import is_document_id
from booking.domain.privacy import REMOVE, ErasureJob, ErasureState, job_from, job_to
from booking.services.ports import Conflict, Versioned
from booking.store import paths
from booking.store.firestore_store import FirestoreStore

ERASURES = "erasures"  # erasures/{customerId}: the job and audit record, backend only

# The kinds of document an erasure touches, by the collection each lives in.
COLLECTIONS = {"appointment": paths.APPOINTMENTS, "request": paths.BOOKING_REQUESTS,
               "mail": paths.MAIL, "message": paths.MESSAGES}
# Firestore's limit on the values of one `in` filter.
_IN_LIMIT = 30
# Writes per batch, below Firestore's 500.
_BATCH_WRITES = 400


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


class FirestorePrivacy(FirestoreStore):
    def __init__(self, client: firestore.Client, counts: Counter | None = None) -> None:
        super().__init__(client)
        if counts is not None:
            self.counts = counts

    # -- the job ------------------------------------------------------------------

    def erasure_job(self, customer_id: str) -> Versioned | None:
        snapshot = self._get(f"{ERASURES}/{customer_id}")
        return Versioned(job_from(snapshot.to_dict()), snapshot.update_time) if snapshot else None

    def save_erasure_job(self, job: ErasureJob, version: Any) -> Any:
        """Create (version None) or update at `version`; `Conflict` when
        another run got there first. The new version."""
        ref = self.db.document(f"{ERASURES}/{job.customer_id}")
        try:
            if version is None:
                result = ref.create(job_to(job))
            else:
                result = ref.update(job_to(job), option=self.db.write_option(last_update_time=version))
        except (gexc.AlreadyExists, gexc.FailedPrecondition, gexc.NotFound) as error:
            self.counts["conflicts"] += 1
            raise Conflict(str(error)) from error
        self.counts["writes"] += 1
        return result.update_time

    def unfinished_erasures(self, limit: int) -> list[str]:
        query = (self.db.collection(ERASURES)
                 .where(filter=firestore.FieldFilter("state", "==", ErasureState.RUNNING.value)).limit(limit))
        found = [s.id for s in query.stream()]
        self.counts["reads"] += max(len(found), 1)
        return found

    # -- what there is about a customer ------------------------------------------------

    def customer_profile(self, customer_id: str) -> dict[str, Any] | None:
        """The stored profile as it is (valid or not: an erasure and an
        export must not stop at a profile that no longer validates)."""
        snapshot = self._get(f"{paths.CUSTOMERS}/{customer_id}")
        return snapshot.to_dict() if snapshot else None

    def upcoming_confirmed_of(self, customer_id: str, now: datetime, limit: int) -> list[str]:
        query = (self.db.collection(paths.APPOINTMENTS)
                 .where(filter=firestore.FieldFilter("customerId", "==", customer_id))
                 .where(filter=firestore.FieldFilter("status", "==", AppointmentStatus.CONFIRMED.value))
                 .where(filter=firestore.FieldFilter("start", ">=", now))
                 .limit(limit))
        found = [s.id for s in query.stream()]
        self.counts["reads"] += max(len(found), 1)
        return found

    def documents_of(self, kind: str, customer_id: str, *, after: str | None,
                     limit: int) -> list[tuple[str, dict[str, Any], Any]]:
        """A page of the customer's appointments or booking requests, by id
        after `after`: (id, data, version)."""
        query = (self.db.collection(COLLECTIONS[kind])
                 .where(filter=firestore.FieldFilter("customerId", "==", customer_id))
                 .order_by("__name__"))
        if after is not None:
            query = query.start_after([after])
        return self._versioned_stream(query.limit(limit))

    def outbox_about(self, field: str, ids: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
        """Mail and text messages whose `field` (appointmentId, requestId) is
        one of `ids`: (kind, id, data)."""
        found = []
        for kind in ("mail", "message"):
            for chunk in _chunks([i for i in ids if is_document_id(i)], _IN_LIMIT):
                query = self.db.collection(COLLECTIONS[kind]).where(filter=firestore.FieldFilter(field, "in", chunk))
                rows = [(kind, s.id, s.to_dict()) for s in query.stream()]
                self.counts["reads"] += max(len(rows), 1)
                found.extend(rows)
        return found

    def outbox_to(self, kind: str, address: str, limit: int) -> list[tuple[str, str, dict[str, Any]]]:
        """Mail (kind "mail", an e-mail) or text messages ("message", a phone) sent to `address`."""
        query = (self.db.collection(COLLECTIONS[kind])
                 .where(filter=firestore.FieldFilter("to", "==", address)).limit(limit))
        rows = [(kind, s.id, s.to_dict()) for s in query.stream()]
        self.counts["reads"] += max(len(rows), 1)
        return rows

    # -- writes -------------------------------------------------------------------------

    def apply_erasure(self, updates: list[tuple[str, str, dict[str, Any], Any]],
                      deletes: list[tuple[str, str]]) -> None:
        """Updates (kind, id, changes, version read: each conditioned on it)
        and deletes (kind, id), in batches of at most 400 writes; each batch
        is atomic, and a rerun of the whole is harmless. `Conflict` when a
        document changed since it was read."""
        writes: list[tuple[str, Any]] = [("update", u) for u in updates] + [("delete", d) for d in deletes]
        for chunk in _chunks(writes, _BATCH_WRITES):
            batch = self.db.batch()
            for op, item in chunk:
                if op == "update":
                    kind, doc_id, changes, version = item
                    fields = {k: firestore.DELETE_FIELD if v is REMOVE else v for k, v in changes.items()}
                    batch.update(self.db.document(f"{COLLECTIONS[kind]}/{doc_id}"), fields,
                                 option=self.db.write_option(last_update_time=version))
                else:
                    kind, doc_id = item
                    batch.delete(self.db.document(f"{COLLECTIONS[kind]}/{doc_id}"))
            try:
                batch.commit()
            except (gexc.FailedPrecondition, gexc.NotFound, gexc.Aborted) as error:
                self.counts["conflicts"] += 1
                raise Conflict(str(error)) from error
            self.counts["writes"] += len(chunk)

    def delete_profile(self, customer_id: str) -> bool:
        """The profile (its search keys with it) and the customer's ledger.
        True when there was a profile."""
        existed = self._get(f"{paths.CUSTOMERS}/{customer_id}") is not None
        batch = self.db.batch()
        batch.delete(self.db.document(f"{paths.CUSTOMERS}/{customer_id}"))
        batch.delete(self.db.document(f"{paths.CUSTOMER_LEDGERS}/{customer_id}"))
        batch.commit()
        self.counts["writes"] += 2
        return existed


class FirebaseAccounts:
    """Auth accounts through the Admin SDK."""

    def __init__(self, app: firebase_admin.App | None = None) -> None:
        self.app = app

    def end_account(self, uid: str) -> bool:
        """Revoke the account's sessions (an ID token issued before is refused
        by the API's revocation check) and delete it. False when there was
        no account (a walk-in, or deleted by an earlier run)."""
        try:
            auth.revoke_refresh_tokens(uid, app=self.app)
            auth.delete_user(uid, app=self.app)
        except auth.UserNotFoundError:
            return False
        return True
