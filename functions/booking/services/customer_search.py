"""Keeping a customer's search keys (`search`) in step with its profile,
whoever wrote it: a customer from an app, an admin in the console, a
script. The API writes them with the profile already, so for its writes
this finds nothing to do."""

from __future__ import annotations

from typing import Any, Protocol

from booking.domain.customer_search import search_keys
from booking.services.ports import Conflict


class SearchKeyStore(Protocol):
    def set_customer_search(self, customer_id: str, keys: dict[str, str], *, version: Any) -> None:
        """Set `search` only while the document is at `version`, else `Conflict`."""


def _text(data: dict[str, Any], field: str) -> str | None:
    value = data.get(field)
    return value if isinstance(value, str) else None


def keep_search_keys(store: SearchKeyStore, customer_id: str, data: dict[str, Any] | None, *,
                     version: Any) -> bool:
    """Write the keys the profile `data` (read at `version`) calls for, when
    they differ from those stored. False when nothing was written: deleted,
    already right, or written over since (that write's own trigger follows)."""
    if data is None:
        return False
    wanted = search_keys(_text(data, "name"), _text(data, "email"), _text(data, "phone"))
    if data.get("search") == wanted:
        return False
    try:
        store.set_customer_search(customer_id, wanted, version=version)
    except Conflict:
        return False
    return True
