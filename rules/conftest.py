"""Fixtures and reporting for the security-rules access matrix.

tests/conftest.py (shared) marks everything here as an emulator test and
skips it when no emulator is running.
"""

from __future__ import annotations

from dataclasses import dataclass

import matrix_coverage
import matrix_fixtures
import pytest


@dataclass
class World:
    db: object
    tokens: dict[str, str | None]  # matrix actor name -> ID token (None: anonymous)


@pytest.fixture(scope="module")
def world():
    """The real firestore.rules (fresh coverage), the actors, the fixture data.

    The backend's triggers are switched off meanwhile: the matrix tests the
    rules alone, and its resets of a document (a cancelled appointment put
    back to confirmed) would otherwise look like console edits that the
    appointment trigger reverts, racing the next row. The client booking
    flow through the rules, triggers on, is tested in tests/integration."""
    from booking.store.clients import db as client
    from support.emulator import set_background_triggers

    set_background_triggers(False)
    try:
        matrix_coverage.load_rules()
        db = client()
        tokens = matrix_fixtures.ensure_actors()
        matrix_fixtures.load(db)
        yield World(db=db, tokens=tokens)
    finally:
        set_background_triggers(True)


def pytest_terminal_summary(terminalreporter) -> None:
    if matrix_coverage.HTML_FILE.exists() and getattr(matrix_coverage, "saved_this_run", False):
        terminalreporter.write_sep("-", "Firestore rules coverage")
        terminalreporter.write_line(f"report: {matrix_coverage.HTML_FILE}")
        terminalreporter.write_line(f"json:   {matrix_coverage.JSON_FILE}")
        terminalreporter.write_line(f"live (while the emulator runs): {matrix_coverage.COVERAGE_HTML_URL}")
