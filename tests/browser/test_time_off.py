"""Time off on the working-hours page in a real browser (issue 12): staff
add a meeting in their provider's zone, and a customer's open week view
loses those slots without a reload; deleting it brings them back; a meeting
over a booked appointment is saved with a warning naming it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from support.world import add_customer, seed, wait_for, wait_for_sheet, wait_for_status

PROVIDER = "dr-ada"
TYPE = "consult"
ZONE = "Europe/London"  # the provider's; the browsers are in Berlin, an hour ahead
BROWSER_ZONE = "Europe/Berlin"


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), ZoneInfo(ZONE)).astimezone(UTC)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def starts(day: date, first: tuple[int, int], last: tuple[int, int]) -> list[datetime]:
    """Every half-hour start from `first` to `last` inclusive (London)."""
    out, at, end = [], local(day, *first), local(day, *last)
    while at <= end:
        out.append(at)
        at += timedelta(minutes=30)
    return out


def shown_starts(tab, day: date) -> list[str]:
    column = tab.page.locator(f'.day[data-day="{day.isoformat()}"] button.slot')
    return sorted(column.evaluate_all("els => els.map(e => e.dataset.start)"))


def wait_for_starts(tab, day: date, expected: list[datetime], timeout_ms: int = 60_000) -> None:
    want = sorted(iso(s) for s in expected)
    tab.page.wait_for_function(
        """([day, want]) => {
            const got = [...document.querySelectorAll(`.day[data-day="${day}"] button.slot`)]
              .map((e) => e.dataset.start).sort();
            return JSON.stringify(got) === JSON.stringify(want);
        }""",
        arg=[day.isoformat(), want], timeout=timeout_ms)


@pytest.fixture
def world(db, clean_firestore, new_user):
    """Dr. Ada in London, open 09:00-17:00 every day (30-minute consultations,
    no buffers); her staff member; a customer. The day is three days ahead."""
    seed(db, provider_id=PROVIDER, type_id=TYPE, tz=ZONE)
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=3)
    assert wait_for_sheet(db, PROVIDER, day, lambda s: s.get("available", {}).get(TYPE) == starts(day, (9, 0), (16, 30)))
    staff_uid, _, staff_email = new_user({"providerId": PROVIDER})
    customer_uid, _, customer_email = new_user()
    add_customer(db, customer_uid, name="Grace Hopper")
    return {"day": day, "staff_uid": staff_uid, "staff_email": staff_email,
            "customer_uid": customer_uid, "customer_email": customer_email}


def open_time_off(tabs, email: str):
    staff = tabs(zone=BROWSER_ZONE)
    staff.sign_in(email, then="admin")
    page = staff.page
    page.get_by_role("heading", name="Time off", exact=True).wait_for()
    page.locator("#time-off-list .empty").wait_for()
    # Times are entered and shown in the provider's zone, which the page names.
    assert "Europe/London" in page.locator("#time-off-zone").inner_text()
    return staff


def add_meeting(page, day: date, start: str, end: str, title: str) -> None:
    page.get_by_label("Meeting (from–to on one date)").check()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("From", exact=True).fill(start)
    page.get_by_label("To", exact=True).fill(end)
    page.get_by_role("button", name="Add time off").click()


def test_staff_add_a_meeting_and_the_customers_open_week_loses_those_slots_live(world, tabs, db):
    day = world["day"]
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["customer_email"], then=f"book?type={TYPE}&provider={PROVIDER}&week={day.isoformat()}")
    wait_for_starts(customer, day, starts(day, (9, 0), (16, 30)))

    staff = open_time_off(tabs, world["staff_email"])
    page = staff.page
    add_meeting(page, day, "14:00", "15:30", "Staff meeting")
    page.locator("#time-off-status .ok").wait_for(timeout=30_000)
    item = page.locator("#time-off-list li.time-off")
    item.wait_for()
    # Listed live, in London time (the browser's Berlin clock would say 15:00-16:30).
    assert "Staff meeting" in item.inner_text()
    assert "14:00–15:30" in item.inner_text() and "Added here" in item.inner_text()
    staff.shot("time-off-01-meeting-added")

    stored = db.collection("timeOff").get()
    assert len(stored) == 1
    doc = stored[0].to_dict()
    assert (doc["providerIds"], doc["start"], doc["end"], doc["title"], doc["source"], doc["createdBy"]) == (
        [PROVIDER], local(day, 14), local(day, 15, 30), "Staff meeting", "manual", world["staff_uid"])

    # 14:00, 14:30 and 15:00 overlap the meeting; 13:30 ends as it starts and
    # 15:30 starts as it ends. The customer's page was never reloaded.
    without = [s for s in starts(day, (9, 0), (16, 30)) if s not in (local(day, 14), local(day, 14, 30), local(day, 15))]
    wait_for_starts(customer, day, without)
    assert shown_starts(customer, day) == sorted(iso(s) for s in without)
    customer.shot("time-off-02-customer-week-without-meeting")

    page.get_by_role("button", name="Delete Staff meeting").click()
    page.locator("#time-off-list .empty").wait_for(timeout=30_000)
    assert db.collection("timeOff").get() == []
    wait_for_starts(customer, day, starts(day, (9, 0), (16, 30)))


def test_a_meeting_over_a_booked_appointment_is_added_with_a_warning_naming_it(world, tabs, db):
    day = world["day"]
    db.document("bookingRequests/before-the-meeting").set({
        "customerId": world["customer_uid"], "providerId": PROVIDER, "appointmentTypeId": TYPE,
        "start": local(day, 16), "status": "pending", "createdAt": datetime.now(UTC),
    })
    booked = wait_for_status(db, "bookingRequests/before-the-meeting")
    assert booked.get("status") == "confirmed"

    staff = open_time_off(tabs, world["staff_email"])
    page = staff.page
    add_meeting(page, day, "15:30", "16:30", "Team training")
    warning = page.locator("#time-off-status .conflicts")
    warning.wait_for(timeout=30_000)
    text = warning.inner_text()
    assert "overlaps 1 booked appointment" in text and "They stay booked" in text
    assert warning.locator("li").get_attribute("data-appointment") == booked["appointmentId"]
    assert "16:00–16:30" in warning.locator("li").inner_text()
    staff.shot("time-off-03-conflict-warning")

    appointment = wait_for(lambda: (d := db.document(f"appointments/{booked['appointmentId']}").get().to_dict())
                           and d.get("timeOffConflicts") and d)
    assert appointment["status"] == "confirmed"
    assert appointment["timeOffConflicts"] == [db.collection("timeOff").get()[0].id]
