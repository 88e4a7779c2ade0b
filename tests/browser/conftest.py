"""Browser tests: Python Playwright driving Debian's Chromium against the web
app served by the Hosting emulator (scripts/suite.py exec sets HOSTING_URL).

Skipped, with a message saying how to enable them, where Playwright or a
Chromium binary is missing; CI installs Chromium with scripts/setup_browser.sh.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "browser"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
HOW = ("run `bash scripts/setup_browser.sh` as root (installs Debian chromium), "
       "or `sudo apt-get install -y chromium`, or set CHROMIUM_PATH")


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing: `functions/venv/bin/pip install -r requirements.txt`"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM}: {HOW}"
    return None


def pytest_collection_modifyitems(config, items):  # noqa: ARG001
    reason = _missing()
    for item in items:
        if "/tests/browser/" in str(item.path) and reason:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def hosting_url() -> str:
    if not (ROOT / "web" / "dist" / "index.html").exists():
        pytest.fail("the web app is not built: run `bash scripts/build_web.sh` (scripts/setup.sh does)")
    return os.environ.get("HOSTING_URL", "http://127.0.0.1:5000")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


class Tab:
    """One browser context and page, recording console errors."""

    def __init__(self, browser, base: str, *, zone: str = "Europe/Berlin", width: int = 1280, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           timezone_id=zone, locale="en-GB")
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base}/#/{path}")

    def sign_in(self, email: str, password: str = "password123", then: str = "book") -> None:
        self.open(f"signin?next={quote(then, safe='')}")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in", exact=True).click()
        self.page.locator(".account .who").wait_for()

    def shot(self, name: str, full_page: bool = True) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tabs(browser, hosting_url):
    opened: list[Tab] = []

    def make(**kwargs) -> Tab:
        tab = Tab(browser, hosting_url, **kwargs)
        opened.append(tab)
        return tab

    yield make
    for tab in opened:
        tab.close()


@pytest.fixture
def world(db, clean_firestore, new_user):
    """The booking page's usual world (booking_page.booking_world): a provider
    in London open 09:00-17:00 every day and one customer; the target day is
    three days ahead (past the notice, before the horizon). Files with a
    world of their own define their own fixture."""
    from .booking_page import booking_world

    return booking_world(db, new_user)
