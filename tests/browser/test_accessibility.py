"""Every page of the web app passes axe-core's WCAG 2.1 A/AA check with no
serious or critical violation, at a phone's size and a desktop's (issue 15):
booking signed out and signed in, the booking dialog's confirm and result
steps, "My appointments" and its cancel dialog, signing in, and the staff
pages (the schedule and its desk dialog, working hours with time off and the
calendar feed) as an admin and as a provider's staff member.

Each size is one browser tab walked through the pages by their hash routes
(one document load per signed-in user), so the check costs few page loads.
A screenshot of every page checked, named after page and size, goes to
test-output/browser/."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from booking.domain.time_off import TimeOff
from booking.store import converters as conv
from support.axe import axe_source, contrast, problems
from support.world import ALL_WEEK, add_customer, seed, wait_for, wait_for_sheet, wait_for_status

PROVIDER = "dr-ada"
TYPE = "consult"
ZONE = "Europe/London"
BROWSER_ZONE = "Europe/Berlin"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SIZES = {"phone": (375, 812), "desktop": (1280, 900)}


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), ZoneInfo(ZONE)).astimezone(UTC)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def book_route(day: date) -> str:
    return f"book?type={TYPE}&provider={PROVIDER}&week={day.isoformat()}"


def confirmed(db, request_id: str, customer_uid: str, start: datetime) -> None:
    db.document(f"bookingRequests/{request_id}").set({
        "customerId": customer_uid, "providerId": PROVIDER, "appointmentTypeId": TYPE,
        "start": start, "status": "pending", "createdAt": datetime.now(UTC),
    })
    assert wait_for_status(db, f"bookingRequests/{request_id}").get("status") == "confirmed"


def meeting(db, time_off_id: str, start: datetime, title: str) -> None:
    item = TimeOff(id=time_off_id, provider_ids=[PROVIDER], start=start, end=start + timedelta(hours=1), title=title)
    db.document(f"timeOff/{time_off_id}").set(conv.time_off_to(item))


@pytest.fixture
def world(db, clean_firestore, new_user):
    """Dr. Ada in London, open 09:00-17:00 except on the day after the
    target day (three days ahead); an admin, her staff member and a customer.
    On the target day: a confirmed appointment, a cancelled one and a
    meeting; a meeting yesterday. So every kind of muted text is on show:
    a closed day, a day without free times, past and cancelled entries."""
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=3)
    closed = WEEKDAYS[(day + timedelta(days=1)).weekday()]
    seed(db, provider_id=PROVIDER, type_id=TYPE, tz=ZONE, weekly={d: h for d, h in ALL_WEEK.items() if d != closed})
    assert wait_for_sheet(db, PROVIDER, day, lambda s: bool(s.get("available", {}).get(TYPE))), "no slot sheet"
    _, _, admin_email = new_user({"admin": True})
    _, _, staff_email = new_user({"providerId": PROVIDER})
    customer_uid, _, customer_email = new_user()
    add_customer(db, customer_uid, name="Grace Hopper")
    confirmed(db, "seen-by-staff", customer_uid, local(day, 9))
    confirmed(db, "called-off", customer_uid, local(day, 11))
    db.document("appointments/called-off").update({"status": "cancelled"})
    meeting(db, "team-meeting", local(day, 13), "Team meeting")
    meeting(db, "last-meeting", local(day - timedelta(days=4), 13), "Last meeting")
    assert wait_for(lambda: db.document("appointments/called-off").get().to_dict().get("cancelledAt"))
    return {"day": day, "admin_email": admin_email, "staff_email": staff_email, "customer_email": customer_email}


def tab_of(tabs, size: str):
    width, height = SIZES[size]
    return tabs(zone=BROWSER_ZONE, width=width, height=height)


class Checks:
    """axe on each page a walk passes, collected, so that one run names
    every page's violations rather than only the first page's."""

    def __init__(self, tab, size: str):
        self.tab, self.size, self.found = tab, size, []

    def page(self, name: str, include: str | None = None) -> None:
        """Checks what the tab shows now and saves its screenshot (a
        dialog's without scrolling: the page behind it is not checked)."""
        width, height = SIZES[self.size]
        self.tab.shot(f"a11y-{name}-{self.size}-{width}x{height}", full_page=include is None)
        if found := problems(self.tab.page, f"{name} at {width}x{height}", include):
            self.found.append(found)

    def legible(self, name: str, selector: str) -> None:
        """Text that axe exempts (a disabled button) still reads at 4.5:1."""
        ratio = contrast(self.tab.page, selector)
        if ratio < 4.5:
            self.found.append(f"{name}: {selector} has a text contrast of {ratio:.2f}, below 4.5:1")

    def assert_none(self) -> None:
        if self.found:
            pytest.fail("axe: serious or critical violations on\n" + "\n\n".join(self.found), pytrace=False)


def slot(tab, instant: datetime):
    return tab.page.locator(f'button.slot[data-start="{iso(instant)}"]')


@pytest.mark.parametrize("size", SIZES)
def test_customer_pages_have_no_serious_or_critical_violations(world, tabs, size):
    day = world["day"]
    tab = tab_of(tabs, size)
    page = tab.page
    checks = Checks(tab, size)

    tab.open(book_route(day))
    slot(tab, local(day, 10)).wait_for()
    checks.page("book-signed-out")

    tab.open(f"signin?next={quote(book_route(day), safe='')}")
    page.get_by_role("heading", name="Sign in").wait_for()
    checks.page("sign-in")
    page.get_by_label("Email").fill(world["customer_email"])
    page.get_by_label("Password").fill("password123")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.locator(".account .who").wait_for()

    slot(tab, local(day, 10)).wait_for()
    checks.page("book-signed-in")

    slot(tab, local(day, 10)).click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_role("heading", name="Confirm your booking").wait_for()
    checks.page("booking-dialog-confirm", include="dialog[open]")
    dialog.get_by_role("button", name="Book").click()
    dialog.locator('[data-status="confirmed"]').wait_for(timeout=60_000)
    checks.page("booking-dialog-booked", include="dialog[open]")

    dialog.get_by_role("button", name="My appointments").click()
    page.locator('article.appt[data-status="confirmed"]').nth(1).wait_for()
    checks.page("my-appointments")

    page.locator("article.appt").first.get_by_role("button", name="Cancel").click()
    page.locator("dialog[open]").get_by_role("heading", name="Cancel this appointment?").wait_for()
    checks.page("cancel-dialog", include="dialog[open]")
    checks.assert_none()


@pytest.mark.parametrize("size", SIZES)
def test_staff_pages_have_no_serious_or_critical_violations(world, tabs, size):
    day = world["day"]
    tab = tab_of(tabs, size)
    page = tab.page
    checks = Checks(tab, size)

    for role, email in (("admin", world["admin_email"]), ("staff", world["staff_email"])):
        if role == "staff":
            page.get_by_role("button", name="Sign out").click()
            # signing out ends on the booking page; only then is signing in not overridden
            page.wait_for_function("location.hash === '#/book'")
            page.get_by_role("link", name="Sign in").wait_for()
        tab.sign_in(email, then=f"schedule?view=day&date={day.isoformat()}")
        page.get_by_role("heading", name="Schedule", level=1).wait_for()
        page.locator('.sch-appt[data-appointment="seen-by-staff"]').wait_for()
        page.get_by_label("Show cancelled").check()
        page.locator('.sch-appt[data-appointment="called-off"]').wait_for()
        checks.page(f"schedule-{role}")

        if role == "admin":
            page.locator(f'.sch-slot[data-start="{iso(local(day, 10))}"]').click()
            page.locator("#schedule-dialog[open]").wait_for()
            checks.page("schedule-desk-dialog", include="#schedule-dialog")
            # "Book" stays disabled until a customer is picked
            checks.legible("schedule-desk-dialog", "#desk-book-confirm:disabled")
            page.keyboard.press("Escape")
            page.locator("#schedule-dialog[open]").wait_for(state="detached")

        tab.open("admin")
        page.get_by_role("heading", name="Working hours").wait_for()
        page.locator('#time-off-list .past[data-id="last-meeting"]').wait_for()
        page.locator(".day-row .closed").wait_for()
        page.get_by_role("heading", name="Calendar feed").wait_for()
        checks.page(f"working-hours-{role}")
    checks.assert_none()


def test_axe_runs_under_the_apps_content_security_policy_only_through_devtools(world, tabs):
    """Why support/axe.py evaluates axe instead of adding a <script>: the
    page's CSP refuses an inline script, and the DevTools protocol is not
    subject to it."""
    from playwright.sync_api import Error

    tab = tabs(zone=BROWSER_ZONE)
    tab.open("book")
    tab.page.locator("#nav a").first.wait_for()
    with pytest.raises(Error, match="Content Security Policy"):
        tab.page.add_script_tag(content="window.viaScriptTag = true;")
    assert tab.page.evaluate("typeof window.viaScriptTag") == "undefined"

    tab.page.evaluate(axe_source())
    assert wait_for(lambda: tab.page.evaluate("typeof window.axe.run") == "function", timeout=5)
