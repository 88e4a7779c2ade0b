"""The front desk's schedule page in a real browser (issue 14): the desk books
a phone caller without an account and a customer's open week loses that
time; a customer's own booking appears on the schedule without a reload; the
desk moves an appointment and the customer's "My appointments" follows; staff
mark a past visit no-show; staff see only their own provider's column; the
page is used with the keyboard alone. The provider is in London and the
browsers in Berlin, an hour ahead, so every time shown proves its zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.world import add_customer, seed, wait_for, wait_for_sheet, wait_for_status

from .pictures import refresh_docs_picture


PROVIDER = "dr-ada"
OTHER = "dr-bob"
TYPE = "consult"
ZONE = "Europe/London"
BROWSER_ZONE = "Europe/Berlin"
ROOT = Path(__file__).resolve().parents[2]


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), ZoneInfo(ZONE)).astimezone(UTC)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def all_starts(day: date) -> list[datetime]:
    return [local(day, 9) + timedelta(minutes=30 * i) for i in range(16)]


def week_starts(tab, day: date) -> list[str]:
    return sorted(tab.page.locator(f'.day[data-day="{day.isoformat()}"] button.slot')
                  .evaluate_all("els => els.map(e => e.dataset.start)"))


def wait_for_week(tab, day: date, expected: list[datetime]) -> None:
    tab.page.wait_for_function(
        """([day, want]) => JSON.stringify([...document.querySelectorAll(`.day[data-day="${day}"] button.slot`)]
              .map((e) => e.dataset.start).sort()) === JSON.stringify(want)""",
        arg=[day.isoformat(), sorted(iso(s) for s in expected)], timeout=60_000)


def column(page, day: date, provider: str = PROVIDER):
    return page.locator(f'.sch-col[data-provider="{provider}"][data-date="{day.isoformat()}"]')


def request_booking(db, request_id: str, customer_uid: str, start: datetime) -> dict:
    db.document(f"bookingRequests/{request_id}").set({
        "customerId": customer_uid, "providerId": PROVIDER, "appointmentTypeId": TYPE,
        "start": start, "status": "pending", "createdAt": datetime.now(UTC),
    })
    booked = wait_for_status(db, f"bookingRequests/{request_id}")
    assert booked.get("status") == "confirmed", booked
    return booked


@pytest.fixture
def world(db, clean_firestore, new_user):
    """Dr. Ada in London, open 09:00-17:00 daily (30-minute consultations);
    Dr. Bob beside her; an admin, Ada's staff member and a customer. The day
    is three days ahead."""
    seed(db, provider_id=PROVIDER, type_id=TYPE, tz=ZONE)
    db.document(f"providers/{OTHER}").set({"name": "Dr. Bob Moog", "timeZone": ZONE, "typeIds": [TYPE], "active": True})
    db.document(f"availability/{OTHER}").set({"providerId": OTHER, "weekly": {}, "overrides": []})
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=3)
    assert wait_for_sheet(db, PROVIDER, day, lambda s: s.get("available", {}).get(TYPE) == all_starts(day))
    _, _, admin_email = new_user({"admin": True})
    staff_uid, _, staff_email = new_user({"providerId": PROVIDER})
    customer_uid, _, customer_email = new_user()
    add_customer(db, customer_uid, name="Grace Hopper")
    # searchable once the backend's trigger has written her search keys
    wait_for(lambda: db.document(f"customers/{customer_uid}").get().to_dict().get("search"), timeout=60)
    return {"day": day, "admin_email": admin_email, "staff_email": staff_email, "staff_uid": staff_uid,
            "customer_uid": customer_uid, "customer_email": customer_email}


def open_schedule(tabs, email: str, day: date, view: str = "day", width: int = 1280):
    desk = tabs(zone=BROWSER_ZONE, width=width)
    desk.sign_in(email, then=f"schedule?view={view}&date={day.isoformat()}")
    desk.page.get_by_role("heading", name="Schedule", level=1).wait_for()
    column(desk.page, day).locator(".sch-slot").first.wait_for()
    return desk


def test_the_desk_books_a_phone_caller_without_an_account_and_the_slot_leaves_a_customers_open_week(world, tabs, db):
    day = world["day"]
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["customer_email"], then=f"book?type={TYPE}&provider={PROVIDER}&week={day.isoformat()}")
    wait_for_week(customer, day, all_starts(day))

    desk = open_schedule(tabs, world["admin_email"], day)
    page = desk.page
    # London's 10:00 (11:00 on the desk's Berlin clock), named in London time.
    slot = column(page, day).locator(f'.sch-slot[data-start="{iso(local(day, 10))}"]')
    assert "10:00" in slot.inner_text()
    slot.click()
    dialog = page.locator("#schedule-dialog")
    assert "Europe/London" in dialog.locator(".desk-when").inner_text()
    dialog.get_by_text("New customer (walk-in or phone caller)").click()
    dialog.get_by_label("Name", exact=True).fill("Ada Caller")
    dialog.get_by_label("Phone", exact=True).fill("+44 20 7946 0018")
    dialog.get_by_role("button", name="Add walk-in").click()
    dialog.locator("#desk-picked").get_by_text("Ada Caller").wait_for()
    dialog.get_by_role("button", name="Book", exact=True).click()

    block = column(page, day).locator(".sch-appt").filter(has_text="Ada Caller")
    block.wait_for(timeout=30_000)
    assert "10:00–10:30" in block.inner_text() and "Confirmed" in block.inner_text()
    stored = [d.to_dict() for d in db.collection("appointments").get()]
    assert [(a["customerName"], a["start"], a["status"]) for a in stored] == [("Ada Caller", local(day, 10), "confirmed")]
    caller = db.document(f"customers/{stored[0]['customerId']}").get().to_dict()
    assert (caller["name"], caller.get("email")) == ("Ada Caller", None)
    assert caller["phone"].replace(" ", "") == "+442079460018"

    # The customer's week, never reloaded, no longer offers 10:00.
    wait_for_week(customer, day, [s for s in all_starts(day) if s != local(day, 10)])


def test_a_customers_own_booking_appears_on_the_schedule_without_a_reload(world, tabs, db):
    day = world["day"]
    desk = open_schedule(tabs, world["staff_email"], day)
    page = desk.page
    assert column(page, day).locator(".sch-appt").count() == 0
    request_booking(db, "graces-own", world["customer_uid"], local(day, 11, 30))
    block = column(page, day).locator(".sch-appt")
    block.wait_for(timeout=30_000)
    text = block.inner_text()
    assert "Grace Hopper" in text and "11:30–12:00" in text and "Consultation" in text and "Confirmed" in text
    # The booked start is no longer offered to the desk either.
    page.locator(f'.sch-slot[data-start="{iso(local(day, 11, 30))}"]').wait_for(state="detached")


def test_the_desk_moves_an_appointment_and_my_appointments_shows_the_new_time(world, tabs, db):
    day = world["day"]
    booked = request_booking(db, "to-move", world["customer_uid"], local(day, 9))
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["customer_email"], then="appointments")
    mine = customer.page.locator('.appt[data-status="confirmed"]')
    mine.wait_for()
    assert "10:00" in mine.locator(".appt-when").inner_text()  # 09:00 London on a Berlin clock

    desk = open_schedule(tabs, world["admin_email"], day)
    page = desk.page
    column(page, day).locator(".sch-appt").click()
    page.get_by_role("button", name="Reschedule…").click()
    page.locator("#schedule-banner").get_by_text("Moving Grace Hopper's appointment").wait_for()
    column(page, day).locator(f'.sch-slot.move[data-start="{iso(local(day, 14))}"]').click()
    page.get_by_role("button", name="Move", exact=True).click()
    page.locator("#schedule-status").get_by_text("Moved Grace Hopper's appointment to 14:00").wait_for()

    moved = wait_for(lambda: (d := db.document(f"appointments/{booked['appointmentId']}").get().to_dict())
                     and d.get("rescheduledTo") and d)
    new = db.document(f"appointments/{moved['rescheduledTo']}").get().to_dict()
    assert (new["start"], new["status"], moved["status"]) == (local(day, 14), "confirmed", "cancelled")
    # Focus lands on the moved appointment in its new place.
    focused = page.evaluate("() => document.activeElement?.dataset.appointment")
    assert focused == moved["rescheduledTo"]
    # The customer's list follows live: 14:00 London is 15:00 in Berlin.
    customer.page.locator('.appt[data-status="confirmed"] .appt-when').filter(has_text="15:00").wait_for(timeout=30_000)


def test_staff_mark_a_past_appointment_no_show(world, tabs, db):
    day = world["day"]
    booked = request_booking(db, "future-visit", world["customer_uid"], local(day, 9))
    # A visit yesterday, seeded with the Admin SDK as the booking wrote its twin.
    yesterday = datetime.now(ZoneInfo(ZONE)).date() - timedelta(days=1)
    past = db.document(f"appointments/{booked['appointmentId']}").get().to_dict()
    start = local(yesterday, 15)
    past.update(start=start, end=start + timedelta(minutes=30), cancellableUntil=start - timedelta(hours=2),
                requestId="past-visit")
    db.document("appointments/past-visit").set(past)

    desk = tabs(zone=BROWSER_ZONE)
    desk.sign_in(world["staff_email"], then=f"schedule?view=day&date={yesterday.isoformat()}")
    page = desk.page
    block = column(page, yesterday).locator('.sch-appt[data-appointment="past-visit"]')
    block.click()
    dialog = page.locator("#schedule-dialog")
    # Its start has passed: it can be marked, no longer moved.
    assert dialog.get_by_role("button", name="Reschedule…").count() == 0
    dialog.get_by_role("button", name="Mark no-show").click()
    page.locator("#schedule-status").get_by_text("Marked no-show.").wait_for()
    assert wait_for(lambda: db.document("appointments/past-visit").get().to_dict()["status"] == "no_show")
    # The state is written out, not only coloured.
    block.filter(has_text="No-show").wait_for(timeout=30_000)
    assert page.evaluate("() => document.activeElement?.dataset.appointment") == "past-visit"
    stored = db.document("appointments/past-visit").get().to_dict()
    assert [(h["status"], h["by"]) for h in stored["history"]][-1] == ("no_show", world["staff_uid"])

    # The customer's record, as this provider's staff may see it, counts it.
    block.click()
    dialog.get_by_role("button", name="Customer record").click()
    dialog.locator("#record-no-shows").wait_for()
    assert dialog.locator("#record-no-shows").inner_text() == "No-shows: 1"
    page.wait_for_function("() => document.activeElement?.id === 'record-title'")


def test_staff_of_one_provider_see_no_other_providers_column(world, tabs, db):
    day = world["day"]
    desk = open_schedule(tabs, world["staff_email"], day, view="week")
    page = desk.page
    providers = set(page.locator(".sch-col").evaluate_all("els => els.map(e => e.dataset.provider)"))
    assert providers == {PROVIDER}
    assert page.locator(".sch-col").count() == 7
    assert page.locator("#sch-provider").count() == 0  # no provider filter for staff

    admin = open_schedule(tabs, world["admin_email"], day)
    admin_cols = admin.page.locator(".sch-col").evaluate_all("els => els.map(e => e.dataset.provider)")
    assert admin_cols == [PROVIDER, OTHER]  # by name: Ada, then Bob
    admin.page.get_by_label("Provider").select_option(OTHER)
    admin.page.wait_for_function("() => [...document.querySelectorAll('.sch-col')].every(e => e.dataset.provider === 'dr-bob')")


def test_staff_book_with_the_keyboard_alone_on_a_tablet_and_focus_follows_each_step(world, tabs, db):
    day = world["day"]
    desk = open_schedule(tabs, world["staff_email"], day, width=768)
    page = desk.page
    slot = column(page, day).locator(f'.sch-slot[data-start="{iso(local(day, 9, 30))}"]')
    slot.focus()
    page.keyboard.press("Enter")
    # The dialog opens on the search field.
    page.wait_for_function("() => document.activeElement?.id === 'desk-search'")
    page.keyboard.type("Grac")
    hit = page.locator(".desk-hit").filter(has_text="Grace Hopper")
    hit.wait_for()
    hit.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.id === 'desk-book-confirm'")
    page.keyboard.press("Enter")
    page.locator("#schedule-status").get_by_text("Booked 09:30 with Dr. Ada Lovelace.").wait_for()
    page.wait_for_function("() => document.activeElement?.classList.contains('sch-appt')")
    assert "Grace Hopper" in page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    stored = [d.to_dict() for d in db.collection("appointments").get()]
    assert [(a["customerId"], a["start"], a["history"][0]["by"]) for a in stored] == [
        (world["customer_uid"], local(day, 9, 30), world["staff_uid"])]

    # Enter opens its details; Escape closes them and focus returns to the grid.
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.id === 'appt-title'")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement?.classList.contains('sch-appt')")
    desk.shot("schedule-02-tablet-768")


def test_a_screenshot_of_the_day_view(world, tabs, db):
    day = world["day"]
    request_booking(db, "shot-one", world["customer_uid"], local(day, 10))
    db.document("timeOff/lunch-meeting").set({
        "providerIds": [PROVIDER], "start": local(day, 13), "end": local(day, 14), "title": "Team meeting",
        "source": "manual", "allDay": False, "createdAt": datetime.now(UTC), "createdBy": world["staff_uid"],
    })
    desk = open_schedule(tabs, world["admin_email"], day)
    page = desk.page
    column(page, day).locator(".sch-appt").wait_for()
    column(page, day).locator(".sch-off").wait_for(timeout=30_000)
    # The meeting's starts leave the grid once the backend has applied it.
    column(page, day).locator(f'.sch-slot[data-start="{iso(local(day, 13))}"]').wait_for(state="detached", timeout=30_000)
    assert "Team meeting" in column(page, day).locator(".sch-off").inner_text()
    path = desk.shot("schedule-01-day-view")
    assert path.stat().st_size > 10_000
    refresh_docs_picture(path, "schedule.png")


def test_the_desk_notes_then_cancels_with_a_reason_and_the_time_is_free_again(world, tabs, db):
    day = world["day"]
    booked = request_booking(db, "to-cancel", world["customer_uid"], local(day, 12))
    desk = open_schedule(tabs, world["admin_email"], day)
    page = desk.page
    appointment_id = booked["appointmentId"]
    block = column(page, day).locator(f'.sch-appt[data-appointment="{appointment_id}"]')
    block.click()
    dialog = page.locator("#schedule-dialog")
    dialog.get_by_label("Notes").fill("Prefers mornings")
    dialog.get_by_role("button", name="Save notes").click()
    page.locator("#schedule-status").get_by_text("Notes saved.").wait_for()
    # The notes marker is text, and focus is back on the appointment.
    block.filter(has_text="notes").wait_for(timeout=30_000)
    assert "has notes" in block.get_attribute("aria-label")
    page.wait_for_function("(id) => document.activeElement?.dataset.appointment === id", arg=booked["appointmentId"])

    block.click()
    dialog.get_by_role("button", name="Cancel appointment").click()
    # No reason: refused here, focus on the reason field.
    dialog.get_by_text("Give a reason for the cancellation.").wait_for()
    page.wait_for_function("() => document.activeElement?.id === 'appt-cancel-reason'")
    page.keyboard.type("Called in sick")
    dialog.get_by_role("button", name="Cancel appointment").click()
    page.locator("#schedule-status").get_by_text("Appointment cancelled.").wait_for()
    page.wait_for_function("() => document.activeElement?.id === 'schedule-status'")
    stored = wait_for(lambda: (d := db.document(f"appointments/{booked['appointmentId']}").get().to_dict())
                      and d["status"] == "cancelled" and d)
    assert (stored["cancelReason"], stored["notes"]) == ("Called in sick", "Prefers mornings")
    column(page, day).locator(f'.sch-slot[data-start="{iso(local(day, 12))}"]').wait_for(timeout=30_000)
    block.wait_for(state="detached")
