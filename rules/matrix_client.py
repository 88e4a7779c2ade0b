"""A Firestore client app, as the rules see it: REST calls with an ID token.

Every call returns the raw `requests.Response`; the matrix only looks at the
HTTP status (200 allowed, 403 denied by the rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from support import emulator

TIMEOUT = 30
DOC_ROOT = f"projects/{emulator.PROJECT}/databases/(default)/documents"

DELETE = object()  # marker in update data: remove this field


@dataclass(frozen=True)
class Query:
    """A list query: a collection and AND-ed equality/comparison filters."""

    collection: str
    where: tuple[tuple[str, str, Any], ...] = ()
    group: bool = False  # a collection-group query (all `collection`s at any depth)
    limit: int | None = None

    def describe(self) -> str:
        conds = " and ".join(f"{f} {op} {v!r}" for f, op, v in self.where) or "no filter"
        kind = "group " if self.group else ""
        return f"{kind}{self.collection} where {conds}"


_OPS = {
    "==": "EQUAL",
    "!=": "NOT_EQUAL",
    "<": "LESS_THAN",
    "<=": "LESS_THAN_OR_EQUAL",
    ">": "GREATER_THAN",
    ">=": "GREATER_THAN_OR_EQUAL",
    "in": "IN",
    "array-contains": "ARRAY_CONTAINS",
}


def _headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]], list[str]]:
    """Fields to write, server-time transforms, and the field mask."""
    fields = {
        k: emulator.to_value(v)
        for k, v in data.items()
        if v is not emulator.SERVER_TIME and v is not DELETE
    }
    transforms = [
        {"fieldPath": k, "setToServerValue": "REQUEST_TIME"}
        for k, v in data.items()
        if v is emulator.SERVER_TIME
    ]
    mask = [k for k, v in data.items() if v is not emulator.SERVER_TIME]
    return fields, transforms, mask


def _commit(write: dict[str, Any], token: str | None) -> requests.Response:
    return requests.post(
        f"{emulator.DOCS}:commit", json={"writes": [write]}, headers=_headers(token), timeout=TIMEOUT
    )


def get(path: str, token: str | None) -> requests.Response:
    return requests.get(f"{emulator.DOCS}/{path}", headers=_headers(token), timeout=TIMEOUT)


def create(path: str, data: dict[str, Any], token: str | None) -> requests.Response:
    """`set` of a new document (precondition: it does not exist yet)."""
    fields, transforms, _ = _split(data)
    write: dict[str, Any] = {
        "update": {"name": f"{DOC_ROOT}/{path}", "fields": fields},
        "currentDocument": {"exists": False},
    }
    if transforms:
        write["updateTransforms"] = transforms
    return _commit(write, token)


def update(path: str, data: dict[str, Any], token: str | None) -> requests.Response:
    """`update` of the named fields of an existing document (DELETE removes one)."""
    fields, transforms, mask = _split(data)
    write: dict[str, Any] = {
        "update": {"name": f"{DOC_ROOT}/{path}", "fields": fields},
        "updateMask": {"fieldPaths": [f"`{k}`" if not k.isidentifier() else k for k in mask]},
        "currentDocument": {"exists": True},
    }
    if transforms:
        write["updateTransforms"] = transforms
    return _commit(write, token)


def delete(path: str, token: str | None) -> requests.Response:
    return _commit({"delete": f"{DOC_ROOT}/{path}"}, token)


def _filter(field: str, op: str, value: Any) -> dict[str, Any]:
    return {
        "fieldFilter": {
            "field": {"fieldPath": field},
            "op": _OPS[op],
            "value": emulator.to_value(value),
        }
    }


def run_query(query: Query, token: str | None) -> requests.Response:
    """`:runQuery` with a structured query; 200 with the matches, or 403."""
    structured: dict[str, Any] = {
        "from": [{"collectionId": query.collection, "allDescendants": query.group}]
    }
    filters = [_filter(*cond) for cond in query.where]
    if len(filters) == 1:
        structured["where"] = filters[0]
    elif filters:
        structured["where"] = {"compositeFilter": {"op": "AND", "filters": filters}}
    if query.limit is not None:
        structured["limit"] = query.limit
    return requests.post(
        f"{emulator.DOCS}:runQuery",
        json={"structuredQuery": structured},
        headers=_headers(token),
        timeout=TIMEOUT,
    )


def matched_ids(response: requests.Response) -> list[str]:
    """Document ids in a successful `:runQuery` answer."""
    return [
        item["document"]["name"].rsplit("/", 1)[1]
        for item in response.json()
        if "document" in item
    ]
