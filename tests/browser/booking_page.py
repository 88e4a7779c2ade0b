"""What the browser tests of the booking page share: one provider in London
open 09:00-17:00 every day, the browser in Berlin, and how a free start's
button is found (by its instant, as the page writes it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from support.world import add_customer, seed, wait_for_sheet

PROVIDER = "dr-ada"
TYPE = "consult"
ZONE = "Europe/London"
BROWSER_ZONE = "Europe/Berlin"


def local(day: date, hh: int, mm: int = 0, zone: str = ZONE) -> datetime:
    return datetime.combine(day, time(hh, mm), ZoneInfo(zone)).astimezone(UTC)


def iso(instant: datetime) -> str:
    """The slot button's data-start (JavaScript's toISOString)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def slot(tab, instant: datetime):
    return tab.page.locator(f'button.slot[data-start="{iso(instant)}"]')


def book_url(day: date) -> str:
    return f"book?type={TYPE}&provider={PROVIDER}&week={day.isoformat()}"


def booking_world(db, new_user, *, days_ahead: int = 3, type_fields: dict | None = None) -> dict:
    """The provider and one signed-up customer; the target day is
    `days_ahead` days ahead in London, and its slot sheet is written."""
    seed(db, provider_id=PROVIDER, type_id=TYPE, tz=ZONE, type_fields=type_fields or {})
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=days_ahead)
    assert wait_for_sheet(db, PROVIDER, day, lambda s: bool(s.get("available", {}).get(TYPE))), "no slot sheet"
    uid, _, email = new_user()
    add_customer(db, uid, name="Grace Hopper")
    return {"day": day, "uid": uid, "email": email}
