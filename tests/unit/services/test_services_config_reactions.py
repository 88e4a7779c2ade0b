"""config_changes.REACTIONS says which reaction a write in each watched
collection fires, and main.py's document-written triggers watch exactly those
collections, each handing its own collection's edits on. The one other
document-written triggers keep an appointment's reminders in step with it
(services/reminders.py, tested there) and a customer's search keys
(services/customer_search.py)."""

from __future__ import annotations

import importlib
import inspect
from types import SimpleNamespace

import pytest
from booking.services.config_changes import (
    REACTIONS,
    appointment_type_changed,
    availability_changed,
    provider_changed,
    time_off_changed,
)

WRITTEN = "google.cloud.firestore.document.v1.written"
NOT_CONFIG = {"on_appointment_written": "appointments", "on_customer_written": "customers",
              "on_slot_sheet_written": "slots"}


@pytest.fixture(scope="module")
def main():
    # Importing main.py does only what deploy discovery does: it sets the
    # global options and creates the default admin app, offline.
    return importlib.import_module("main")


def _written_triggers(main, *, config_only: bool = True) -> dict[str, str]:
    """Trigger name -> the collection it watches (only the config
    reactions', unless `config_only` is false)."""
    triggers = {}
    for name, fn in inspect.getmembers(main, inspect.isfunction):
        trigger = getattr(getattr(fn, "__firebase_endpoint__", None), "eventTrigger", None)
        if trigger and trigger["eventType"] == WRITTEN:
            triggers[name] = trigger["eventFilterPathPatterns"]["document"].split("/")[0]
    return {n: c for n, c in triggers.items() if n not in NOT_CONFIG} if config_only else triggers


def test_each_admin_edited_collection_fires_its_own_reaction():
    assert {collection: reaction.handle for collection, reaction in REACTIONS.items()} == {
        "availability": availability_changed,
        "providers": provider_changed,
        "appointmentTypes": appointment_type_changed,
        "timeOff": time_off_changed,
    }


def test_main_watches_writes_to_exactly_the_collections_with_a_reaction(main):
    assert sorted(_written_triggers(main).values()) == sorted(REACTIONS)


def test_the_only_other_written_triggers_sync_reminders_customer_search_keys_and_the_type_slot_view(main):
    everything = _written_triggers(main, config_only=False)
    assert {n: c for n, c in everything.items() if n not in _written_triggers(main)} == NOT_CONFIG


def test_each_written_trigger_hands_on_edits_of_the_collection_it_watches(main, monkeypatch):
    handed = []
    monkeypatch.setattr(importlib.import_module("booking.entry.triggers"), "_config_change", lambda collection, doc_id, change: handed.append(collection))
    for name, collection in _written_triggers(main).items():
        # The SDK's wrapper turns a CloudEvent into this event; call what it wraps.
        event = SimpleNamespace(params={"providerId": "p", "typeId": "t", "timeOffId": "o"}, data=None)
        getattr(main, name).__wrapped__(event)
        assert handed.pop() == collection, name
