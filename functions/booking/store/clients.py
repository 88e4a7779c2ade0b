"""Lazily created Firebase clients.

Nothing here runs at import time: deploy discovery and every cold start
import main.py, and a client built then would slow both (and break forks).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

import firebase_admin

if TYPE_CHECKING:
    from google.cloud import firestore

DEFAULT_PROJECT = "demo-booking"


def project_id() -> str:
    return (
        os.environ.get("GCLOUD_PROJECT")
        or os.environ.get("GOOGLE_CLOUD_PROJECT")
        or DEFAULT_PROJECT
    )


@functools.cache
def admin_app() -> firebase_admin.App:
    try:
        return firebase_admin.get_app()
    except ValueError:
        return firebase_admin.initialize_app(options={"projectId": project_id()})


@functools.cache
def db() -> firestore.Client:
    from google.cloud import firestore  # heavy; only when a handler needs it

    admin_app()
    return firestore.Client(project=project_id())
