"""The web app in a real browser against the emulator suite: the client
contract of docs/design.md exercised by a real Firebase JS SDK client."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from google.cloud.firestore_v1.base_query import FieldFilter
from support import emulator
from support.world import add_customer, wait_for, wait_for_sheet, wait_for_status

from .booking_page import BROWSER_ZONE, PROVIDER, TYPE, book_url, iso, local, slot

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def assert_no_console_errors(*tabs, allow: tuple[str, ...] = ()) -> None:
    for tab in tabs:
        errors = [e for e in tab.errors if not any(a in e for a in allow)]
        assert not errors, f"console errors: {errors}"


def test_book_see_it_vanish_elsewhere_cancel_and_see_it_return(world, tabs, db):
    day = world["day"]
    start = local(day, 10, 0)

    watcher = tabs(zone=BROWSER_ZONE)  # a second browser, signed out, just looking
    watcher.open(book_url(day))
    slot(watcher, start).wait_for()

    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then=book_url(day))
    page = customer.page
    page.get_by_role("heading", name="Pick a time").wait_for()
    slot(customer, start).wait_for()
    # The week view is in the browser's zone, and says so.
    assert "Europe/Berlin" in page.locator("#zone-note").inner_text()
    assert slot(customer, start).inner_text() == start.astimezone(ZoneInfo(BROWSER_ZONE)).strftime("%H:%M")
    customer.shot("01-booking-week")

    slot(customer, start).click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_role("heading", name="Confirm your booking").wait_for()
    dialog.get_by_label("Notes").fill("First visit")
    customer.shot("02-booking-dialog", full_page=False)
    dialog.get_by_role("button", name="Book").click()
    dialog.locator('[data-status="confirmed"]').wait_for(timeout=60_000)
    assert "You're booked" in dialog.inner_text()
    customer.shot("03-booking-confirmed", full_page=False)

    # The request followed the client contract and was confirmed by the backend.
    requests = db.collection("bookingRequests").where(filter=FieldFilter("customerId", "==", world["uid"])).get()
    assert len(requests) == 1
    request = requests[0].to_dict()
    assert request["status"] == "confirmed" and request["notes"] == "First visit"
    assert request["start"] == start
    appointment_id = request["appointmentId"]

    # The other browser's week view drops the slot without a reload.
    slot(watcher, start).wait_for(state="detached", timeout=30_000)
    watcher.shot("04-second-browser-slot-gone")

    dialog.get_by_role("button", name="My appointments").click()
    card = page.locator(f'article.appt[data-id="{appointment_id}"]')
    card.wait_for()
    assert card.get_attribute("data-status") == "confirmed"
    customer.shot("05-my-appointments")

    card.get_by_role("button", name="Cancel").click()
    cancel = page.locator("dialog[open]")
    cancel.get_by_label("Reason (optional)").fill("Feeling better")
    customer.shot("06-cancel-dialog", full_page=False)
    cancel.get_by_role("button", name="Cancel appointment").click()
    page.locator(f'article.appt[data-id="{appointment_id}"][data-status="cancelled"]').wait_for()
    page.get_by_text("Appointment cancelled.").wait_for()  # the server acknowledged the write
    stored = wait_for(lambda: (d := db.document(f"appointments/{appointment_id}").get().to_dict())
                      and d["status"] == "cancelled" and d)
    assert stored["cancelReason"] == "Feeling better"
    customer.shot("07-cancelled")

    # ...and the freed slot comes back in the other browser, live.
    slot(watcher, start).wait_for(timeout=30_000)
    assert_no_console_errors(customer, watcher)


def test_a_rejected_booking_shows_the_human_message(world, tabs, db, new_user):
    day = world["day"]
    start = local(day, 11, 0)
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then=book_url(day))
    page = customer.page
    slot(customer, start).click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_role("heading", name="Confirm your booking").wait_for()

    # While the dialog is open, somebody else takes the same time.
    other, _, _ = new_user()
    add_customer(db, other, name="Alan Turing")
    db.document("bookingRequests/someone-else").set({
        "customerId": other, "providerId": PROVIDER, "appointmentTypeId": TYPE, "start": start,
        "status": "pending", "createdAt": datetime.now(UTC),
    })
    assert wait_for_status(db, "bookingRequests/someone-else").get("status") == "confirmed"

    dialog.get_by_role("button", name="Book").click()
    dialog.locator('[data-status="rejected"]').wait_for(timeout=60_000)
    mine = db.collection("bookingRequests").where(filter=FieldFilter("customerId", "==", world["uid"])).get()[0].to_dict()
    assert mine["status"] == "rejected" and mine["reason"] == "slot_taken"
    # The backend's human-readable message, not the code alone.
    assert mine["message"] in dialog.locator(".reject-message").inner_text()
    customer.shot("08-booking-rejected", full_page=False)
    dialog.get_by_role("button", name="Pick another time").click()
    assert not slot(customer, start).count()
    assert_no_console_errors(customer)


def test_the_admin_edits_hours_and_the_slots_change(world, tabs, db, new_user):
    day = world["day"]
    weekday = WEEKDAYS[day.weekday()]
    _, _, admin_email = new_user({"admin": True})

    admin = tabs(zone=BROWSER_ZONE)
    admin.sign_in(admin_email, then="admin")
    page = admin.page
    page.get_by_role("heading", name="Working hours").wait_for()
    row = page.locator(f'.day-row[data-day="{weekday}"]')
    row.locator('input[type="time"]').first.wait_for()
    assert row.locator('input[type="time"]').nth(0).input_value() == "09:00"

    # First an invalid edit: the backend's validation error is shown, nothing changes.
    row.locator('input[type="time"]').nth(1).fill("09:00")
    page.get_by_role("button", name="Save hours").click()
    error = page.locator("#save-status .validation")
    error.wait_for(timeout=30_000)
    assert "differ" in error.inner_text()
    admin.shot("09-admin-validation-error")
    assert wait_for_sheet(db, PROVIDER, day, lambda s: local(day, 9) in s["available"][TYPE])

    # Then a real change: that weekday becomes 12:00-14:00 with no other hours.
    row.locator('input[type="time"]').nth(0).fill("12:00")
    row.locator('input[type="time"]').nth(1).fill("14:00")
    page.get_by_role("button", name="Save hours").click()
    page.locator("#save-status .ok").wait_for(timeout=30_000)
    admin.shot("10-admin-hours-saved")

    expected = [local(day, 12, 0), local(day, 12, 30), local(day, 13, 0), local(day, 13, 30)]
    assert wait_for_sheet(db, PROVIDER, day, lambda s: s["available"].get(TYPE) == expected, timeout=60)
    stored = db.document(f"availability/{PROVIDER}").get().to_dict()
    assert stored["weekly"][weekday] == [{"start": "12:00", "end": "14:00"}]

    # The week view shows the new hours, live.
    viewer = tabs(zone=BROWSER_ZONE)
    viewer.open(book_url(day))
    slot(viewer, local(day, 12, 0)).wait_for()
    column = viewer.page.locator(f'.day[data-day="{day.isoformat()}"] button.slot')
    # London 12:00-14:00 is Berlin 13:00-15:00 on the same date: exactly these starts.
    assert sorted(column.evaluate_all("els => els.map(e => e.dataset.start)")) == [iso(s) for s in expected]
    viewer.shot("11-week-after-admin-edit")
    # A 422 from the REST API's validation (the invalid edit) is logged by the browser.
    assert_no_console_errors(admin, viewer, allow=("422",))


def test_sign_up_creates_the_customer_profile_and_phone_layout(tabs, db, clean_firestore, world):
    day = world["day"]
    phone = tabs(zone=BROWSER_ZONE, width=390, height=844)
    phone.open("signin?next=" + quote(book_url(day), safe=""))
    page = phone.page
    page.get_by_role("button", name="Create an account").click()
    page.get_by_label("Your name").fill("Katherine Johnson")
    email = f"katherine-{datetime.now().timestamp():.0f}@example.com"
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("password123")
    page.get_by_role("button", name="Create account").click()
    page.locator(".account .who").wait_for()
    slot(phone, local(day, 10, 0)).wait_for()
    uid = emulator.sign_in(email)["localId"]
    profile = wait_for(lambda: db.document(f"customers/{uid}").get().to_dict())
    assert profile["name"] == "Katherine Johnson" and profile["email"] == email
    assert profile["timeZone"] == BROWSER_ZONE
    # No horizontal scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("12-phone-booking")
    assert_no_console_errors(phone)


def test_reschedule_and_add_to_calendar(world, tabs, db):
    day = world["day"]
    before, after = local(day, 9, 0), local(day, 14, 0)
    db.document("bookingRequests/original").set({
        "customerId": world["uid"], "providerId": PROVIDER, "appointmentTypeId": TYPE, "start": before,
        "status": "pending", "createdAt": datetime.now(UTC),
    })
    assert wait_for_status(db, "bookingRequests/original").get("status") == "confirmed"

    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then="appointments")
    page = customer.page
    card = page.locator('article.appt[data-id="original"]')
    card.wait_for()

    with page.expect_download() as download:
        card.get_by_role("button", name="Add to calendar").click()
    ics = open(download.value.path(), encoding="utf-8").read()
    assert "BEGIN:VCALENDAR" in ics and "BEGIN:VEVENT" in ics
    assert before.strftime("%Y%m%dT%H%M%S") in ics.replace("\r\n ", "")

    card.get_by_role("button", name="Reschedule").click()
    page.get_by_text("Rescheduling.").wait_for()
    slot(customer, after).click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_role("heading", name="Move your appointment here?").wait_for()
    customer.shot("13-reschedule-dialog", full_page=False)
    dialog.get_by_role("button", name="Reschedule").click()
    dialog.locator('[data-status="confirmed"]').wait_for(timeout=60_000)
    assert "Rescheduled" in dialog.inner_text()

    moved = db.collection("bookingRequests").where(filter=FieldFilter("rescheduleOf", "==", "original")).get()
    assert len(moved) == 1 and moved[0].to_dict()["status"] == "confirmed"
    new_id = moved[0].to_dict()["appointmentId"]
    old = wait_for(lambda: (d := db.document("appointments/original").get().to_dict()) and d["status"] == "cancelled" and d)
    assert old, "the original appointment was not released"
    # The old time is free again and the new one is taken, live.
    slot(customer, before).wait_for()
    dialog.get_by_role("button", name="My appointments").click()
    page.locator(f'article.appt[data-id="{new_id}"][data-status="confirmed"]').wait_for()
    page.locator('article.appt[data-id="original"][data-status="cancelled"]').wait_for()
    assert_no_console_errors(customer)


def focused(page) -> str:
    """The focused element, as `tag#id.text` for readable failures."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}|${e.closest('dialog') ? 'in-dialog' : 'page'}|${e.textContent.trim()}`; })()"
    )


def test_booking_works_from_the_keyboard_and_focus_follows_each_step(world, tabs, db):
    day = world["day"]
    start = local(day, 15, 0)
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then=book_url(day))
    page = customer.page
    slot(customer, start).wait_for()

    slot(customer, start).focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog[open]")
    dialog.get_by_role("heading", name="Confirm your booking").wait_for()
    wait_for(lambda: focused(page).startswith("button|in-dialog|Book"), timeout=5)
    assert focused(page).startswith("button|in-dialog|Book")

    page.keyboard.press("Enter")
    dialog.locator('[data-status="confirmed"]').wait_for(timeout=60_000)
    wait_for(lambda: focused(page).startswith("h2|in-dialog|"), timeout=5)
    assert focused(page) == "h2|in-dialog|You're booked"

    page.keyboard.press("Escape")
    page.locator("dialog[open]").wait_for(state="detached", timeout=5_000)
    request = db.collection("bookingRequests").where(filter=FieldFilter("customerId", "==", world["uid"])).get()
    assert [r.to_dict()["status"] for r in request] == ["confirmed"]
    assert_no_console_errors(customer)
