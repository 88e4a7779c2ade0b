"""Booking on a phone (375 x 812) and on a desktop (1280 x 900): on the phone
the free times show one day at a time under a sticky strip of the week's
days, chosen steps fold into summaries, and a customer books in a fixed
number of taps, never needing more than one screen of scrolling."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from google.cloud.firestore_v1.base_query import FieldFilter
from support.world import wait_for

from .booking_page import BROWSER_ZONE, booking_world
from .pictures import refresh_docs_picture

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def long_days(db, clean_firestore, new_user):
    """A start every 10 minutes: 46 a day, more than one screen holds."""
    return booking_world(db, new_user, type_fields={"slotIntervalMinutes": 10})


class Taps:
    """Taps on a page, refusing any target that lies below the second screen
    (reaching it would take more than one screen of scrolling)."""

    def __init__(self, page, height: int):
        self.page, self.height, self.count = page, height, 0

    def tap(self, locator) -> None:
        box = locator.bounding_box()
        assert box, "the target is not shown"
        bottom = box["y"] + box["height"] + self.page.evaluate("window.scrollY")
        assert bottom <= 2 * self.height, f"the target ends {bottom:.0f} px down the page, past the second screen"
        locator.click()
        self.count += 1


def berlin_day(iso_start: str) -> str:
    return datetime.fromisoformat(iso_start.replace("Z", "+00:00")).astimezone(ZoneInfo(BROWSER_ZONE)).date().isoformat()


def within_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["x"] >= 0 and box["y"] + box["height"] <= size["height"] \
        and box["x"] + box["width"] <= size["width"]


def test_on_a_phone_a_customer_books_in_two_taps_and_each_dialog_fits_the_screen(world, tabs, db):
    phone = tabs(zone=BROWSER_ZONE, **PHONE)
    phone.sign_in(world["email"], then="book")
    page = phone.page
    first = page.locator(".day-panel button.slot").first
    first.wait_for()
    page.evaluate("document.activeElement.blur()")  # no focus ring on the README's picture
    refresh_docs_picture(phone.shot("phone-375-booking", full_page=False), "booking-phone.png")
    phone.shot("phone-375-booking-page")

    # The first screen holds the chosen steps, the strip and the first free times.
    assert page.evaluate("window.scrollY") == 0
    assert within_viewport(page, page.locator(".strip"))
    assert within_viewport(page, first), "the first free time is below the first screen"
    assert page.get_by_role("button", name="Change provider").is_visible()
    assert not page.locator("#provider-options").count(), "the chosen provider's list stays folded"
    # The open day is the first with free times, and fits two screens.
    pressed = page.locator('.strip-day[aria-pressed="true"]')
    assert pressed.get_attribute("data-day") == berlin_day(first.get_attribute("data-start"))
    assert page.evaluate("document.documentElement.scrollHeight") <= 2 * PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    taps = Taps(page, PHONE["height"])
    start = first.get_attribute("data-start")
    taps.tap(first)
    dialog = page.locator("dialog[open]")
    dialog.get_by_role("heading", name="Confirm your booking").wait_for()
    assert within_viewport(page, dialog), "the confirm dialog does not fit the screen"
    phone.shot("phone-375-confirm", full_page=False)
    taps.tap(dialog.get_by_role("button", name="Book", exact=True))
    dialog.locator('[data-status="confirmed"]').wait_for(timeout=60_000)
    assert within_viewport(page, dialog), "the result does not fit the screen"
    phone.shot("phone-375-booked", full_page=False)
    assert taps.count == 2

    booked = db.collection("bookingRequests").where(filter=FieldFilter("customerId", "==", world["uid"])).get()
    assert [(r.to_dict()["status"], r.to_dict()["start"].isoformat()) for r in booked] == \
        [("confirmed", datetime.fromisoformat(start.replace("Z", "+00:00")).isoformat())]

    # "My appointments": the card's actions sit in equal cells (calendar across,
    # then reschedule | cancel), inside the card; nothing overflows.
    dialog.get_by_role("button", name="My appointments").click()
    card = page.locator('article.appt[data-status="confirmed"]')
    card.wait_for()
    calendar, move, cancel = (card.get_by_role("button", name=n).bounding_box() for n in ("Add to calendar", "Reschedule", "Cancel"))
    assert round(move["y"]) == round(cancel["y"]) > round(calendar["y"])
    assert round(move["width"]) == round(cancel["width"]) and round(calendar["width"]) > round(move["width"] * 2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.shot("phone-375-appointments", full_page=False)


def test_the_strip_moves_to_the_next_week_opens_its_first_free_day_and_stays_on_screen(long_days, tabs):
    phone = tabs(zone=BROWSER_ZONE, **PHONE)
    phone.open("book")
    page = phone.page
    page.locator(".day-panel button.slot").first.wait_for()
    this_week = page.locator("#week-label").inner_text()

    page.get_by_role("button", name="Next week").click()
    page.locator("#week-label").filter(has_not_text=this_week).wait_for()
    monday = datetime.fromisoformat(page.locator(".strip-day").first.get_attribute("data-day")).date()
    assert monday.weekday() == 0
    page.locator('.strip-day[aria-pressed="true"][data-day="%s"]' % monday.isoformat()).wait_for()
    page.locator(".day-panel button.slot").first.wait_for()
    starts = page.locator(".day-panel button.slot").evaluate_all("bs => bs.map(b => b.dataset.start)")
    # 09:00-17:00 in London is 10:00-18:00 in Berlin: the last 30-minute visit starts
    # at 17:30, so 46 starts, all on Monday.
    assert len(starts) == 46 and {berlin_day(s) for s in starts} == {monday.isoformat()}
    assert page.locator(".part h4").all_inner_texts() == ["MORNING · 12", "AFTERNOON · 30", "EVENING · 4"]

    # Another day of the strip opens with one tap; scrolled down, the strip stays at the top.
    tuesday = (monday + timedelta(days=1)).isoformat()
    page.locator(f'.strip-day[data-day="{tuesday}"]').click()
    page.locator(f'.strip-day[aria-pressed="true"][data-day="{tuesday}"]').wait_for()
    page.mouse.wheel(0, 2000)
    assert wait_for(lambda: page.evaluate("window.scrollY") > 100, timeout=5), "the page did not scroll"
    strip = page.locator(".strip").bounding_box()
    assert 0 <= strip["y"] <= 1, f"the strip scrolled away (top at {strip['y']})"

    page.get_by_role("button", name="Previous week").click()
    page.locator("#week-label", has_text=this_week).wait_for()


def test_on_a_phone_a_chosen_step_folds_and_reopens_and_the_keyboard_chooses_with_done(world, tabs):
    phone = tabs(zone=BROWSER_ZONE, **PHONE)
    phone.open("book")
    page = phone.page
    page.locator(".day-panel button.slot").first.wait_for()
    summary = page.locator(".step").nth(1).locator(".picked")
    assert "Any provider" in summary.inner_text()

    page.get_by_role("button", name="Change provider").click()
    page.locator("#provider-options").wait_for()
    page.get_by_text("Dr. Ada Lovelace").click()  # a tap chooses and folds at once
    page.locator("#provider-options").wait_for(state="detached")
    assert "Dr. Ada Lovelace" in summary.inner_text()
    assert wait_for(lambda: page.evaluate("document.activeElement.id") == "provider-change", timeout=5), \
        "focus did not return to the folded step's Change button"

    # From the keyboard an arrow press is a choice but does not fold; "Done" does.
    page.keyboard.press("Enter")
    page.locator("#provider-options").wait_for()
    assert wait_for(lambda: page.evaluate("document.activeElement.name") == "provider", timeout=5)
    page.keyboard.press("ArrowUp")
    assert page.locator("#provider-options").is_visible()
    page.get_by_role("button", name="Done").click()
    page.locator("#provider-options").wait_for(state="detached")
    assert "Any provider" in summary.inner_text()


def test_on_a_desktop_the_week_keeps_seven_columns_and_a_narrowed_window_switches_to_days(world, tabs):
    desktop = tabs(zone=BROWSER_ZONE, **DESKTOP)
    desktop.open("book")
    page = desktop.page
    page.locator(".week-grid button.slot").first.wait_for()
    assert page.locator(".week-grid .day").count() == 7
    assert not page.locator(".strip-day").count()
    assert page.locator("#provider-options").is_visible() and page.locator("#type-options").is_visible()
    page.evaluate("document.activeElement.blur()")
    refresh_docs_picture(desktop.shot("desktop-1280-booking", full_page=False), "booking-screen.png")

    page.set_viewport_size(PHONE)
    page.locator(".strip-day").first.wait_for()
    assert not page.locator(".week-grid").count()
    page.set_viewport_size(DESKTOP)
    page.locator(".week-grid .day").first.wait_for()
