""""My account": "Download my data" saves the backend's export as a file,
and "Delete my account" asks for the e-mail before it erases the account,
then signs out."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from booking.store.clients import admin_app
from firebase_admin import auth

from support.world import wait_for, wait_for_sheet, wait_for_status

from .booking_page import BROWSER_ZONE, PROVIDER, TYPE, local


def booked(db, world, request_id: str, hour: int) -> None:
    db.document(f"bookingRequests/{request_id}").set({
        "customerId": world["uid"], "providerId": PROVIDER, "appointmentTypeId": TYPE,
        "start": local(world["day"], hour, 0), "status": "pending", "createdAt": datetime.now(UTC),
    })
    assert wait_for_status(db, f"bookingRequests/{request_id}").get("status") == "confirmed"


def my_account(tabs, world):
    customer = tabs(zone=BROWSER_ZONE)
    customer.sign_in(world["email"], then="account")
    customer.page.get_by_role("heading", name="My account", exact=True).wait_for()
    return customer


def test_download_my_data_saves_the_export_with_my_appointments(world, tabs, db):
    booked(db, world, "mine-1", 10)
    customer = my_account(tabs, world)

    with customer.page.expect_download() as download:
        customer.page.get_by_role("button", name="Download my data").click()

    assert download.value.suggested_filename == f"my-data-{world['uid']}.json"
    with open(download.value.path(), encoding="utf-8") as saved:
        export = json.load(saved)
    assert export["profile"]["name"] == "Grace Hopper"
    assert [a["id"] for a in export["appointments"]] == ["mine-1"]


def test_delete_my_account_waits_for_my_email_then_erases_it_and_signs_out(world, tabs, db):
    booked(db, world, "mine-2", 11)
    customer = my_account(tabs, world)
    page = customer.page
    delete = page.get_by_role("button", name="Delete my account")

    assert delete.is_disabled()
    page.get_by_label("Type your e-mail to confirm").fill("someone-else@example.com")
    assert delete.is_disabled()
    page.get_by_label("Type your e-mail to confirm").fill(world["email"].upper())
    assert delete.is_enabled()
    delete.click()

    page.get_by_role("link", name="Sign in").wait_for()
    assert page.url.endswith("#/book")
    assert not db.document(f"customers/{world['uid']}").get().exists
    with pytest.raises(auth.UserNotFoundError):
        auth.get_user(world["uid"], app=admin_app())
    appointment = db.document("appointments/mine-2").get().to_dict()
    assert (appointment["status"], appointment["cancelReason"], appointment["customerName"]) == (
        "cancelled", "customer_erased", "")
    assert wait_for_sheet(db, PROVIDER, world["day"],
                          lambda s: local(world["day"], 11, 0) in s["available"][TYPE])
    assert wait_for(lambda: db.document(f"erasures/{world['uid']}").get().to_dict()["state"] == "done")
