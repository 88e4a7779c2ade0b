"""One OpenAPI document for the whole API, merged from the five services'
own documents (each served at `/<prefix>/openapi.json`)."""

from __future__ import annotations

import json
from typing import Any

from booking.api.app import DESCRIPTION
from booking.api.services import SERVICES, app_for


def merged() -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": None,
        "info": {"title": "Appointment booking API", "version": "1.0.0", "description": DESCRIPTION},
        "paths": {},
        "components": {"schemas": {}},
        "tags": [],
    }
    for service in SERVICES:
        part = app_for(service).openapi()
        doc["openapi"] = doc["openapi"] or part["openapi"]
        for path, item in part["paths"].items():
            if path in doc["paths"]:
                raise ValueError(f"two services define {path}")
            doc["paths"][path] = item
        for name, schema in part.get("components", {}).get("schemas", {}).items():
            known = doc["components"]["schemas"].setdefault(name, schema)
            if known != schema:
                raise ValueError(f"schema {name} differs between services")
        for tag in part.get("tags", []):
            if tag not in doc["tags"]:
                doc["tags"].append(tag)
    if not doc["tags"]:
        del doc["tags"]
    return doc


def render() -> str:
    return json.dumps(merged(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
