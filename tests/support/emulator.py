"""Talking to the Local Emulator Suite the way real clients and admins do.

The Python Firestore client is always the owner and bypasses the rules;
to act as a client app we call the emulator's REST API with an ID token.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import requests

PROJECT = os.environ.get("GCLOUD_PROJECT", "demo-booking")
FIRESTORE = "http://" + os.environ.get("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8080")
AUTH = "http://" + os.environ.get("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
HOSTING = os.environ.get("HOSTING_URL", "http://127.0.0.1:5000")
DOCS = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents"
API_KEY = "fake-api-key"  # the Auth emulator accepts any key


def running() -> bool:
    return "FIRESTORE_EMULATOR_HOST" in os.environ


_LOG = Path(__file__).resolve().parents[2] / "test-output" / (
    "emulators.log" if os.environ.get("SUITE_PORT_OFFSET", "0") == "0"
    else f"emulators-offset-{os.environ['SUITE_PORT_OFFSET']}.log")
_seen = {"offset": 0, "running": 0, "last_begin": 0.0}


def wait_for_functions_idle(timeout: float = 90.0, quiet: float = 0.5) -> None:
    """Until the functions emulator has finished every trigger it began and
    begun none for `quiet` seconds (by its log): it runs events one at a
    time, so a previous test's backlog must drain before the next test's
    fresh database, or its late triggers write into it and delay the new
    test's own. Best effort: gives up quietly after `timeout`."""
    if not _LOG.exists():
        return
    deadline = time.monotonic() + timeout
    if _LOG.stat().st_size < _seen["offset"]:  # a new suite run started the log again
        _seen.update(offset=0, running=0)
    while True:
        with _LOG.open("rb") as log:
            log.seek(_seen["offset"])
            chunk = log.read()
        complete = chunk[:chunk.rfind(b"\n") + 1]
        _seen["offset"] += len(complete)
        begun = complete.count(b"functions: Beginning execution of")
        if begun:
            _seen["last_begin"] = time.monotonic()
        _seen["running"] += begun - complete.count(b'functions: Finished "')
        settled = _seen["running"] <= 0 and time.monotonic() - _seen["last_begin"] >= quiet
        if settled or time.monotonic() > deadline:
            _seen["running"] = max(_seen["running"], 0)
            return
        time.sleep(0.1)


def clear_firestore() -> None:
    wait_for_functions_idle()
    requests.delete(
        f"{FIRESTORE}/emulator/v1/projects/{PROJECT}/databases/(default)/documents", timeout=30
    ).raise_for_status()


def clear_auth() -> None:
    requests.delete(f"{AUTH}/emulator/v1/projects/{PROJECT}/accounts", timeout=30).raise_for_status()


def sign_up(email: str, password: str = "password123") -> dict[str, Any]:
    """Creates an Auth-emulator user; returns {'localId', 'idToken', ...}."""
    resp = requests.post(
        f"{AUTH}/identitytoolkit.googleapis.com/v1/accounts:signUp?key={API_KEY}",
        json={"email": email, "password": password, "returnSecureToken": True},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()


def sign_in(email: str, password: str = "password123") -> dict[str, Any]:
    resp = requests.post(
        f"{AUTH}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key={API_KEY}",
        json={"email": email, "password": password, "returnSecureToken": True},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()


def set_claims(uid: str, claims: dict[str, Any]) -> None:
    from booking.store.clients import admin_app
    from firebase_admin import auth

    auth.set_custom_user_claims(uid, claims, app=admin_app())


def to_value(value: Any) -> dict[str, Any]:
    """A Python value as a Firestore REST `Value`."""
    if value is None:
        return {"nullValue": None}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, datetime):
        return {"timestampValue": value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")}
    if isinstance(value, dict):
        return {"mapValue": {"fields": {k: to_value(v) for k, v in value.items()}}}
    if isinstance(value, (list, tuple)):
        return {"arrayValue": {"values": [to_value(v) for v in value]}}
    raise TypeError(f"no Firestore value for {type(value).__name__}")


SERVER_TIME = object()  # marker: set this field to the request time


def rest_create(path: str, data: dict[str, Any], token: str | None) -> requests.Response:
    """Creates `collection/id` as a client would, through the rules."""
    collection, _, doc_id = path.rpartition("/")
    fields = {k: to_value(v) for k, v in data.items() if v is not SERVER_TIME}
    transforms = [
        {"fieldPath": k, "setToServerValue": "REQUEST_TIME"}
        for k, v in data.items() if v is SERVER_TIME
    ]
    write = {
        "update": {"name": f"projects/{PROJECT}/databases/(default)/documents/{path}", "fields": fields},
        "currentDocument": {"exists": False},
    }
    if transforms:
        write["updateTransforms"] = transforms
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(f"{DOCS}:commit", json={"writes": [write]}, headers=headers, timeout=30)


def rest_get(path: str, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{DOCS}/{path}", headers=headers, timeout=30)


def rest_patch(path: str, data: dict[str, Any], token: str | None) -> requests.Response:
    """Updates the named fields of an existing document as a client would."""
    params = [("updateMask.fieldPaths", k) for k in data]
    params.append(("currentDocument.exists", "true"))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"fields": {k: to_value(v) for k, v in data.items()}}
    return requests.patch(f"{DOCS}/{path}", params=params, json=body, headers=headers, timeout=30)


def set_background_triggers(enabled: bool) -> None:
    """Turns Firestore-triggered functions on or off (the emulator hub's switch)."""
    hub = "http://" + os.environ.get("FIREBASE_EMULATOR_HUB", "127.0.0.1:4400")
    action = "enableBackgroundTriggers" if enabled else "disableBackgroundTriggers"
    # generous: the hub answers slowly while the machine is busy
    requests.put(f"{hub}/functions/{action}", timeout=90).raise_for_status()
