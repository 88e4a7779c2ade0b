""""Add to calendar" saves the backend's own .ics (the confirmation mail's
UID, so its cancellation removes the event) and, when that download fails,
says so instead of building a second file in the browser."""

from __future__ import annotations

from datetime import UTC, datetime

from browser.test_web_app import BROWSER_ZONE, PROVIDER, TYPE, local, world  # noqa: F401
from support.world import wait_for_status

FAILED = "Could not download the calendar file. Please try again in a moment."


def booked(db, world, request_id):
    db.document(f"bookingRequests/{request_id}").set({
        "customerId": world["uid"], "providerId": PROVIDER, "appointmentTypeId": TYPE,
        "start": local(world["day"], 11, 0), "status": "pending", "createdAt": datetime.now(UTC),
    })
    assert wait_for_status(db, f"bookingRequests/{request_id}").get("status") == "confirmed"


def my_appointments(tabs, world, request_id):
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then="appointments")
    card = customer.page.locator(f'article.appt[data-id="{request_id}"]')
    card.wait_for()
    return customer, card


def test_add_to_calendar_saves_the_servers_file_with_the_mails_uid(world, tabs, db):
    booked(db, world, "cal-1")
    customer, card = my_appointments(tabs, world, "cal-1")

    with customer.page.expect_download() as download:
        card.get_by_role("button", name="Add to calendar").click()

    assert download.value.suggested_filename == "appointment-cal-1.ics"
    ics = open(download.value.path(), encoding="utf-8").read().replace("\r\n ", "")
    mail = db.document("mail/cal-1-confirmed").get().to_dict()["message"]["attachments"][0]["content"]
    uids = [line for line in ics.splitlines() if line.startswith("UID:")]
    assert uids == ["UID:cal-1@booking.firebaseapp"]
    assert uids[0] in mail.replace("\r\n ", "").splitlines()
    assert f"DTSTART:{local(world['day'], 11, 0):%Y%m%dT%H%M%SZ}" in ics


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
