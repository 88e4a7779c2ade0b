"""Writes of only what changed in a day sheet or a customer's ledger.

A booking changes a few values of a sheet that holds the whole day: its
blocks and every type's free starts. Encoding the whole sheet for each
booking costs the SDK about as much as the commit's call itself. These
updates carry the changed fields only: a block added becomes an
`ArrayUnion` of it, a start taken an `ArrayRemove`. They are sent only with a precondition on the
version they were computed from, so the document they leave is exactly the
one a whole write would have left.
"""

from __future__ import annotations

from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.field_path import FieldPath

from booking.domain.customer_cap import Held
from booking.domain.ledger import DaySheet
from booking.store import converters as conv


def sheet_changes(base: DaySheet, planned: DaySheet) -> dict[str, Any]:
    """The update that turns `base`'s document into `planned`'s."""
    before, after = conv.sheet_to(base), conv.sheet_to(planned)
    changes: dict[str, Any] = {}
    for key, value in after.items():
        if before.get(key) == value:
            continue
        if key == "available" and isinstance(before.get(key), dict):
            changes.update(_available_changes(before[key], value))
        elif key == "booked" and _only_added(before.get(key) or [], value):
            # Blocks are kept in order by whoever reads them, so appending is enough.
            changes[key] = firestore.ArrayUnion([b for b in value if b not in before[key]])
        else:
            changes[key] = value
    changes.update({key: firestore.DELETE_FIELD for key in before.keys() - after.keys()})
    return changes


def _available_changes(before: dict[str, list], after: dict[str, list]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for type_id in before.keys() | after.keys():
        path = FieldPath("available", type_id).to_api_repr()
        if type_id not in after:
            changes[path] = firestore.DELETE_FIELD
        elif before.get(type_id) == after[type_id]:
            continue
        elif type_id in before and _only_removed(before[type_id], after[type_id]):
            kept = set(after[type_id])
            changes[path] = firestore.ArrayRemove([s for s in before[type_id] if s not in kept])
        else:
            changes[path] = after[type_id]
    return changes


def _only_removed(before: list, after: list) -> bool:
    """`after` is `before` with some of its starts taken out, in order: what
    ArrayRemove leaves (it removes every equal element, so the starts must
    be distinct)."""
    kept = set(after)
    return len(set(before)) == len(before) and [s for s in before if s in kept] == after


def _only_added(before: list, after: list) -> bool:
    """`after` holds every block of `before` and others: what ArrayUnion
    leaves, up to order (it appends only what no element equals)."""
    return bool(before) and all(b in after for b in before) and len(after) > len(before) \
        and all(after.count(b) == 1 for b in after) and all(before.count(b) == 1 for b in before)


def ledger_changes(base: dict[str, Held], planned: dict[str, Held]) -> dict[str, Any]:
    """The update that turns the ledger `base` into `planned`, entry by entry."""
    before, after = conv.ledger_to(base)["upcoming"], conv.ledger_to(planned)["upcoming"]
    changes: dict[str, Any] = {FieldPath("upcoming", i).to_api_repr(): entry
                               for i, entry in after.items() if before.get(i) != entry}
    changes.update({FieldPath("upcoming", i).to_api_repr(): firestore.DELETE_FIELD
                    for i in before.keys() - after.keys()})
    return changes
