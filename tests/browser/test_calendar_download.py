""""Add to calendar" saves the backend's own .ics (the confirmation mail's
invitation: same UID and SEQUENCE, so a later move or cancel updates the
one event) and, when that download fails, says so instead of building a
second file in the browser."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from support.world import wait_for_status

from .booking_page import BROWSER_ZONE, PROVIDER, TYPE, local

FAILED = "Could not download the calendar file. Please try again in a moment."


def booked(db, world, request_id, hour=11, **extra):
    db.document(f"bookingRequests/{request_id}").set({
        "customerId": world["uid"], "providerId": PROVIDER, "appointmentTypeId": TYPE,
        "start": local(world["day"], hour, 0), "status": "pending", "createdAt": datetime.now(UTC), **extra,
    })
    assert wait_for_status(db, f"bookingRequests/{request_id}").get("status") == "confirmed"


def event_of(ics: bytes | str):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), str(event["UID"]), event["SEQUENCE"], event.decoded("DTSTART")


def downloaded(customer, card):
    with customer.page.expect_download() as download:
        card.get_by_role("button", name="Add to calendar").click()
    with open(download.value.path(), "rb") as saved:
        return download.value.suggested_filename, saved.read()


def mailed(db, mail_id):
    return db.document(f"mail/{mail_id}").get().to_dict()["message"]["attachments"][0]["content"]


def my_appointments(tabs, world, request_id):
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then="appointments")
    card = customer.page.locator(f'article.appt[data-id="{request_id}"]')
    card.wait_for()
    return customer, card


def test_add_to_calendar_saves_the_servers_file_with_the_mails_uid(world, tabs, db):
    booked(db, world, "cal-1")
    customer, card = my_appointments(tabs, world, "cal-1")

    name, ics = downloaded(customer, card)

    assert name == "appointment-cal-1.ics"
    assert event_of(ics) == event_of(mailed(db, "cal-1-confirmed")) == (
        "REQUEST", "cal-1@booking.firebaseapp", 0, local(world["day"], 11, 0))


def test_after_a_reschedule_add_to_calendar_saves_the_moved_event_under_the_first_uid(world, tabs, db):
    booked(db, world, "cal-3", hour=9)
    booked(db, world, "cal-4", hour=15, rescheduleOf="cal-3")
    customer, card = my_appointments(tabs, world, "cal-4")

    name, ics = downloaded(customer, card)

    assert name == "appointment-cal-4.ics"
    assert event_of(ics) == event_of(mailed(db, "cal-4-confirmed")) == (
        "REQUEST", "cal-3@booking.firebaseapp", 1, local(world["day"], 15, 0))


def test_a_failed_download_shows_a_message_and_saves_no_file_of_its_own(world, tabs, db):
    booked(db, world, "cal-2")
    customer, card = my_appointments(tabs, world, "cal-2")
    page = customer.page
    page.route("**/appointments/cal-2.ics", lambda route: route.fulfill(
        status=503, content_type="application/problem+json", body='{"status": 503, "code": "busy"}'))
    downloads = []
    page.on("download", lambda download: downloads.append(download))

    card.get_by_role("button", name="Add to calendar").click()

    toast = page.locator("#toast")
    toast.get_by_text(FAILED).wait_for()
    assert toast.get_attribute("role") == "status"
    page.wait_for_timeout(1000)  # a download would have started by now
    assert downloads == []
    customer.shot("14-calendar-download-failed", full_page=False)
