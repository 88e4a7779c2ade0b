"""The waitlist in a real browser (issue 18): join it from the booking page,
see the entry in "My appointments", withdraw it; the entry is written
through the rules with exactly the client contract."""

from __future__ import annotations

from datetime import timedelta

from google.cloud.firestore_v1.base_query import FieldFilter
from support.world import wait_for

from .booking_page import BROWSER_ZONE, PROVIDER, TYPE, book_url, booking_world, local, slot


def entries_of(db, uid):
    return [(s.id, s.to_dict()) for s in db.collection("waitlist").where(filter=FieldFilter("customerId", "==", uid)).get()]


def test_join_the_waitlist_see_it_in_my_appointments_and_withdraw_it(db, clean_firestore, new_user, tabs):
    world = booking_world(db, new_user, type_fields={"horizonDays": 10})
    day = world["day"]
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then=book_url(day))
    page = customer.page
    page.get_by_role("heading", name="Pick a time").wait_for()

    page.get_by_role("button", name="Join the waitlist").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("First day").fill(day.isoformat())
    dialog.get_by_label("Last day").fill((day + timedelta(days=2)).isoformat())
    dialog.get_by_label("Starting after (optional)").fill("17:00")
    dialog.get_by_label("Tell me (first to book it gets it)").check()
    customer.shot("waitlist-01-join", full_page=False)
    dialog.get_by_role("button", name="Join the waitlist").click()
    page.locator("dialog[open]").wait_for(state="detached")

    stored = wait_for(lambda: entries_of(db, world["uid"]))
    assert len(stored) == 1
    entry_id, entry = stored[0]
    assert {k: v for k, v in entry.items() if k != "createdAt"} == {
        "customerId": world["uid"], "appointmentTypeId": TYPE, "providerId": PROVIDER,
        "firstDay": day.isoformat(), "lastDay": (day + timedelta(days=2)).isoformat(), "after": "17:00",
        "timeZone": BROWSER_ZONE, "mode": "notify", "status": "waiting"}

    customer.open("appointments")
    card = page.locator(f'#waitlist article[data-id="{entry_id}"]')
    card.wait_for()
    assert "Consultation with Dr. Ada Lovelace" in card.inner_text() and "after 17:00" in card.inner_text()
    customer.shot("waitlist-02-my-appointments", full_page=False)

    card.get_by_role("button", name="Withdraw").click()
    card.wait_for(state="detached")
    assert page.locator("#waitlist").inner_text().strip().endswith("You are not waiting for any time.")
    assert wait_for(lambda: entries_of(db, world["uid"])[0][1]["status"] == "withdrawn")
    assert not customer.errors, customer.errors


def test_a_tell_me_link_opens_the_booking_dialog_of_its_start_once_and_only_while_it_is_free(
        db, clean_firestore, new_user, tabs):
    world = booking_world(db, new_user)
    day = world["day"]
    freed = local(day, 10)  # 10:00 London is 11:00 in the Berlin browser
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then=f"{book_url(day)}&start={freed:%Y-%m-%dT%H:%M:%SZ}")
    dialog = customer.page.locator("dialog[open]")
    dialog.get_by_role("heading", name="Confirm your booking").wait_for()
    assert "11:00" in dialog.inner_text()

    closed = local(day, 3)  # before opening hours: nothing to offer
    other = tabs(zone=BROWSER_ZONE)
    other.sign_in(world["email"], then=f"{book_url(day)}&start={closed:%Y-%m-%dT%H:%M:%SZ}")
    slot(other, freed).wait_for()  # the week's times are drawn
    assert other.page.locator("dialog[open]").count() == 0
    assert not customer.errors and not other.errors, (customer.errors, other.errors)

