"""A weekly series in a real browser: the dialog previews every date with
whether it is free, books the series, and "My appointments" groups it."""

from __future__ import annotations

from datetime import timedelta

from google.cloud.firestore_v1.base_query import FieldFilter

from .booking_page import confirm_dialog, local


def test_book_a_four_week_series_from_the_preview_and_see_it_grouped(world, tabs, db):
    start = local(world["day"], 10, 0)
    customer, dialog = confirm_dialog(tabs, world, start)
    page = customer.page

    dialog.get_by_label("Repeat weekly for").check()
    dialog.get_by_label("weeks", exact=True).fill("4")
    preview = dialog.locator("#repeat-preview li[data-free]")
    preview.nth(3).wait_for()
    weekly = [start + timedelta(weeks=n) for n in range(4)]  # London wall time, no DST change within 4 weeks
    assert [li.get_attribute("data-start") for li in preview.all()] == [
        w.strftime("%Y-%m-%dT%H:%M:%S.000Z") for w in weekly]
    assert [li.get_attribute("data-free") for li in preview.all()] == ["true"] * 4
    assert not dialog.get_by_label("Book only the free dates").is_visible()  # offered when a date is taken
    customer.shot("series-01-preview", full_page=False)

    dialog.get_by_role("button", name="Book").click()
    dialog.locator('[data-status="confirmed"]').wait_for(timeout=60_000)
    assert "(4 in all)" in dialog.inner_text()

    [request] = db.collection("bookingRequests").where(filter=FieldFilter("customerId", "==", world["uid"])).get()
    data = request.to_dict()
    assert (data["recurrence"], data["status"]) == ({"frequency": "weekly", "count": 4}, "confirmed")
    ids = [f"{request.id}-{n:02d}" for n in range(1, 5)]

    dialog.get_by_role("button", name="My appointments").click()
    group = page.locator(f'section.series-group[data-series="{request.id}"]')
    group.wait_for()
    assert [c.get_attribute("data-id") for c in group.locator("article.appt").all()] == ids
    assert group.locator(".series-title").inner_text() == "Series · 4 upcoming"
    customer.shot("series-02-grouped")
    assert not customer.errors, customer.errors
