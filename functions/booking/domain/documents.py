"""The fields the backend owns on the documents admins edit.

Appointment types, providers and availability are edited by admins (the
console, the API); the backend adds to them the verdict of its config
triggers (``validation``) and its timestamps (``updatedAt``,
``createdAt``). These fields are never part of a model, and an edit that
changes only them is the backend's own write coming back (recording a
verdict fires the trigger again), not an admin's edit. `firestore.rules`
lets a client keep or drop them, never set them (``keepsOrDrops``).

A booking request's own backend fields (its outcome) are a different
set, kept with its contract in ``records``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["BACKEND_FIELDS", "only_backend_fields_changed", "without_backend_fields"]

BACKEND_FIELDS = frozenset({"validation", "updatedAt", "createdAt"})


def without_backend_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The admin's part of a document."""
    return {k: v for k, v in data.items() if k not in BACKEND_FIELDS}


def only_backend_fields_changed(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> bool:
    """Whether an edit touched nothing an admin owns (a creation or a
    deletion always counts as an admin's edit)."""
    if before is None or after is None:
        return False
    return without_backend_fields(before) == without_backend_fields(after)
