"""GET /appointments/{id}.ics through Hosting serves the invitation the
mails carry, read back with `icalendar`: one UID across a REST reschedule
(the moved-from id serves where it went), METHOD:CANCEL once cancelled."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from support.api import book, call, iso
from support.world import at

SETTINGS = {"businessName": "Praxis Nord", "organizerEmail": "desk@praxis.example",
            "appUrl": "https://book.example.com"}


def served(world, appointment_id):
    resp = call("GET", f"/appointments/{appointment_id}.ics", world.customer.token)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "text/calendar; charset=utf-8"
    assert resp.headers["content-disposition"] == f'attachment; filename="appointment-{appointment_id}.ics"'
    calendar = Calendar.from_ical(resp.content)
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def mailed(db, mail_id):
    content = db.document(f"mail/{mail_id}").get().to_dict()["message"]["attachments"][0]["content"]
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_the_download_is_the_confirmations_invitation_from_the_business_to_the_customer(world, db):
    db.document("settings/booking").set(SETTINGS)
    appointment = book(world, at(world.day, 10)).json()

    method, event = served(world, appointment["id"])

    assert method == "REQUEST"
    assert (str(event["UID"]), event["SEQUENCE"]) == (f"{appointment['id']}@booking.firebaseapp", 0)
    assert event.decoded("DTSTART") == at(world.day, 10)
    assert event.decoded("DTEND") == at(world.day, 10) + timedelta(minutes=30)
    assert str(event["SUMMARY"]) == "Consultation with Dr. Ada Lovelace"
    assert (str(event["ORGANIZER"]), event["ORGANIZER"].params["CN"]) == ("mailto:desk@praxis.example", "Praxis Nord")
    assert (str(event["ATTENDEE"]), event["ATTENDEE"].params["CN"]) == (
        f"mailto:{world.customer.uid.lower()}@example.com", "Grace Hopper")
    sent = mailed(db, f"{appointment['id']}-confirmed")
    assert (str(sent["UID"]), sent["SEQUENCE"], sent.decoded("DTSTART")) == (
        str(event["UID"]), 0, at(world.day, 10))


def test_after_a_reschedule_both_ids_serve_the_moved_event_and_a_cancel_serves_its_cancel(world, db):
    old = book(world, at(world.day, 10)).json()
    resp = call("PUT", f"/appointments/{old['id']}", world.customer.token, json={"start": iso(at(world.day, 14))})
    assert resp.status_code == 200, resp.text
    new = resp.json()
    uid = f"{old['id']}@booking.firebaseapp"

    for appointment_id in (old["id"], new["id"]):
        method, event = served(world, appointment_id)
        assert (method, str(event["UID"]), event["SEQUENCE"], event.decoded("DTSTART")) == (
            "REQUEST", uid, 1, at(world.day, 14))
    moved = db.document(f"mail/{new['id']}-confirmed").get().to_dict()
    assert (moved["kind"], moved["rescheduledFrom"]) == ("rescheduled", old["id"])
    assert not db.document(f"mail/{old['id']}-cancelled").get().exists

    assert call("DELETE", f"/appointments/{new['id']}", world.customer.token).status_code == 200
    method, event = served(world, new["id"])
    assert (method, str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == ("CANCEL", uid, 2, "CANCELLED")
    sent = mailed(db, f"{new['id']}-cancelled")
    assert (str(sent["UID"]), sent["SEQUENCE"]) == (uid, 2)
