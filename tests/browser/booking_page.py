"""What the browser tests of the booking page share: one provider in London
open 09:00-17:00 every day, the browser in Berlin, and how a free start's
button is found (by its instant, as the page writes it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.store.converters import view_from
from google.cloud.firestore_v1.base_query import FieldFilter
from support.world import add_customer, seed, wait_for, wait_for_sheet

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


def view_caught_up(db, first: date, last: date) -> bool:
    """The typeSlots view lists the sheets' starts of UTC dates `first`..`last`
    (the page's "any provider" week reads the view, a trigger behind)."""
    def inside(instant) -> bool:
        return first <= instant.astimezone(UTC).date() <= last

    in_sheets = {(s, snap.get("providerId")) for snap in db.collection("slots").stream()
                 for s in (snap.to_dict().get("available") or {}).get(TYPE, []) if inside(s)}
    views = db.collection("typeSlots").where(filter=FieldFilter("typeId", "==", TYPE)).stream()
    in_view = {(s, e.provider_id) for snap in views for e in view_from(snap.to_dict()).values()
               for s in e.starts if inside(s)}
    return in_sheets == in_view


def booking_world(db, new_user, *, days_ahead: int = 3, type_fields: dict | None = None) -> dict:
    """The provider and one signed-up customer; the target day is
    `days_ahead` days ahead in London. Returns once the sheets are written
    and the any-provider view lists their starts from yesterday to a week
    after the target day (the page's "any provider" week reads the view)."""
    seed(db, provider_id=PROVIDER, type_id=TYPE, tz=ZONE, type_fields=type_fields or {})
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=days_ahead)
    assert wait_for_sheet(db, PROVIDER, day, lambda s: bool(s.get("available", {}).get(TYPE))), "no slot sheet"
    assert wait_for(lambda: view_caught_up(db, day - timedelta(days=days_ahead + 1), day + timedelta(days=7))), \
        "the any-provider view did not follow the sheets"
    uid, _, email = new_user()
    add_customer(db, uid, name="Grace Hopper")
    return {"day": day, "uid": uid, "email": email}


def confirm_dialog(tabs, world: dict, start: datetime, zone: str = BROWSER_ZONE):
    """The world's customer, signed in, picks `start` on the booking page;
    returns the tab and the open "Confirm your booking" dialog."""
    customer = tabs(zone=zone)
    customer.sign_in(world["email"], then=book_url(world["day"]))
    slot(customer, start).click()
    dialog = customer.page.locator("dialog[open]")
    dialog.get_by_role("heading", name="Confirm your booking").wait_for()
    return customer, dialog

