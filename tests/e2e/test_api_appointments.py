"""/appointments through Hosting: synchronous booking through the shared
booking service, listing by role, reschedule, status changes, cancel, .ics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from support.api import book, call, iso, problem
from support.world import at, wait_for_sheet


def expected_appointment(world, start, **overrides):
    return {
        "providerId": "dr-ada", "customerId": world.customer.uid, "appointmentTypeId": "consult",
        "start": iso(start), "end": iso(start + timedelta(minutes=30)), "status": "confirmed",
        "timeZone": "UTC", "cancellableUntil": iso(start - timedelta(hours=2)), "customerName": "Grace Hopper",
        "providerName": "Dr. Ada Lovelace", "typeName": "Consultation", "notes": None, "cancelledAt": None,
        "cancelledBy": None, "cancelReason": None, "rescheduledFrom": None, "rescheduledTo": None,
        "outsideAvailability": False, "timeOffConflicts": [], "notifications": [], "seriesId": None,
        "seriesIndex": None, **overrides,
    }


def stable(body):
    """The body without the fields that depend on the clock or a random id."""
    return {k: v for k, v in body.items() if k not in ("id", "requestId", "createdAt", "updatedAt", "history")}


def test_a_customer_books_a_slot_and_gets_the_confirmed_appointment(world, db):
    start = at(world.day, 10)

    resp = book(world, start, notes="first visit")

    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert stable(body) == expected_appointment(world, start, notes="first visit")
    assert body["requestId"] == body["id"] and len(body["id"]) == 32
    assert [h["status"] for h in body["history"]] == ["confirmed"]
    assert int(resp.headers["x-doc-reads"]) >= 4
    request = db.document(f"bookingRequests/{body['id']}").get().to_dict()
    assert request["status"] == "confirmed" and request["appointmentId"] == body["id"]
    sheet = wait_for_sheet(db, "dr-ada", world.day)
    assert [b["appointmentId"] for b in sheet["booked"]] == [body["id"]]
    assert call("GET", f"/appointments/{body['id']}", world.customer.token).json() == body


def test_refused_bookings_are_409_with_the_reason_code(world, db):
    assert book(world, at(world.day, 10)).status_code == 201

    taken = problem(book(world, at(world.day, 10), world.other.token), 409, "slot_taken")
    assert taken["reason"] == "slot_taken"
    problem(book(world, at(world.day, 11, 10), world.other.token), 409, "not_on_slot")
    problem(book(world, at(world.day, 18), world.other.token), 409, "outside_availability")
    problem(book(world, at(world.day + timedelta(days=40), 10), world.other.token), 409, "too_far")
    problem(book(world, at(world.day, 11), world.other.token, providerId="nope"), 409, "unknown_provider")
    problem(book(world, at(world.day, 11), world.other.token, appointmentTypeId="nope"), 409, "unknown_type")
    problem(book(world, at(world.day, 11), world.staff.token), 409, "unknown_customer")


def test_booking_input_is_validated(world):
    problem(call("POST", "/appointments", world.customer.token, json={
        "providerId": "dr-ada", "appointmentTypeId": "consult", "start": "2030-01-01T10:00:00"}), 422)
    problem(call("POST", "/appointments", world.customer.token, json={
        "providerId": "dr-ada", "appointmentTypeId": "consult", "start": "2030-01-01T10:00:30Z"}), 422)
    problem(call("POST", "/appointments", world.customer.token, json={
        "providerId": "dr-ada", "appointmentTypeId": "consult", "start": "0001-01-01T00:00:00+05:00"}), 422)
    problem(call("GET", "/appointments?from=0001-01-01T00:00:00%2B05:00", world.admin.token), 422)
    body = problem(call("POST", "/appointments", world.customer.token, json={"start": "soon"}), 422)
    assert {e["field"] for e in body["errors"]} == {"body.providerId", "body.appointmentTypeId", "body.start"}
    problem(call("POST", "/appointments", world.customer.token, data="[",
                 headers={"Content-Type": "application/json"}), 400)
    problem(book(world, at(world.day, 10), token="garbage"), 401)
    problem(call("POST", "/appointments", json={}), 401)


def test_admins_book_for_a_customer_and_customers_only_for_themselves(world):
    problem(book(world, at(world.day, 10), customerId=world.other.uid), 403, "forbidden")

    resp = book(world, at(world.day, 10), world.admin.token, customerId=world.other.uid)

    assert resp.status_code == 201, resp.text
    assert resp.json()["customerId"] == world.other.uid
    assert resp.json()["customerName"] == "Alan Turing"


def test_reading_an_appointment_by_role(world, new_user):
    appointment = book(world, at(world.day, 10)).json()
    _, other_staff, _ = new_user({"providerId": "dr-bob"})
    path = f"/appointments/{appointment['id']}"

    for token in (world.customer.token, world.staff.token, world.admin.token):
        assert call("GET", path, token).json() == appointment
    # one 404 for "not yours" and "no such id": a stranger cannot probe which ids exist
    problem(call("GET", path, world.other.token), 404, "not_found")
    problem(call("GET", path, other_staff), 404, "not_found")
    problem(call("GET", path), 401)
    problem(call("GET", "/appointments/nope", world.admin.token), 404, "not_found")


def test_listing_by_role_with_filters_sorted_by_start(world):
    late = book(world, at(world.day, 15)).json()
    early = book(world, at(world.day, 9)).json()
    others = book(world, at(world.day, 12), world.other.token).json()

    def ids(resp):
        assert resp.status_code == 200, resp.text
        return [a["id"] for a in resp.json()["items"]]

    assert ids(call("GET", "/appointments", world.customer.token)) == [early["id"], late["id"]]
    assert ids(call("GET", "/appointments", world.staff.token)) == [early["id"], others["id"], late["id"]]
    assert ids(call("GET", "/appointments", world.admin.token)) == [early["id"], others["id"], late["id"]]
    assert ids(call("GET", f"/appointments?customerId={world.other.uid}", world.admin.token)) == [others["id"]]
    window = {"from": iso(at(world.day, 10)), "to": iso(at(world.day, 15)), "providerId": "dr-ada",
              "appointmentTypeId": "consult", "status": "confirmed"}
    assert ids(call("GET", "/appointments", world.admin.token, params=window)) == [others["id"]]
    assert ids(call("GET", "/appointments?status=cancelled", world.admin.token)) == []
    problem(call("GET", f"/appointments?customerId={world.other.uid}", world.customer.token), 403)
    problem(call("GET", "/appointments?status=lost", world.admin.token), 422)
    problem(call("GET", "/appointments?from=2030-01-01T00:00:00", world.admin.token), 422)
    problem(call("GET", "/appointments"), 401)


def test_delete_cancels_and_releases_the_slot_and_keeps_the_record(world, db):
    start = at(world.day, 10)
    appointment = book(world, start).json()
    path = f"/appointments/{appointment['id']}"
    problem(call("DELETE", path, world.other.token), 404, "not_found")

    resp = call("DELETE", path + "?reason=ill", world.customer.token)

    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "cancelled"
    assert body["cancelledBy"] == world.customer.uid and body["cancelReason"] == "ill"
    assert call("GET", path, world.admin.token).json()["status"] == "cancelled"
    assert wait_for_sheet(db, "dr-ada", world.day, lambda s: start in s["available"]["consult"])
    again = call("DELETE", path, world.customer.token)
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    assert book(world, start, world.other.token).status_code == 201
    problem(call("DELETE", "/appointments/nope", world.admin.token), 404)


def test_the_cancellation_cutoff_binds_customers_not_admins(world, db):
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    db.document("appointments/late").set({
        "providerId": "dr-ada", "customerId": world.customer.uid, "appointmentTypeId": "consult",
        "start": start, "end": start + timedelta(minutes=30), "blockStart": start,
        "blockEnd": start + timedelta(minutes=30), "status": "confirmed", "timeZone": "UTC",
        "cancellableUntil": start - timedelta(hours=2), "requestId": "late"})

    problem(call("DELETE", "/appointments/late", world.customer.token), 409, "cutoff_passed")
    problem(call("PUT", "/appointments/late", world.customer.token, json={"start": iso(at(world.day, 10))}), 409,
            "not_reschedulable")
    resp = call("DELETE", "/appointments/late", world.admin.token)
    assert resp.status_code == 200 and resp.json()["status"] == "cancelled"
    assert resp.json()["cancelledBy"] == world.admin.uid


def test_put_start_reschedules_to_a_new_appointment(world, db):
    old = book(world, at(world.day, 10)).json()
    new_start = at(world.day, 14)

    resp = call("PUT", f"/appointments/{old['id']}", world.customer.token, json={"start": iso(new_start)})

    assert resp.status_code == 200, resp.text
    new = resp.json()
    assert stable(new) == expected_appointment(world, new_start, rescheduledFrom=old["id"])
    previous = call("GET", f"/appointments/{old['id']}", world.customer.token).json()
    assert previous["status"] == "cancelled" and previous["rescheduledTo"] == new["id"]
    sheet = wait_for_sheet(db, "dr-ada", world.day)
    assert [b["appointmentId"] for b in sheet["booked"]] == [new["id"]]
    other = book(world, at(world.day, 15), world.other.token).json()
    problem(call("PUT", f"/appointments/{new['id']}", world.customer.token, json={"start": iso(at(world.day, 15))}),
            409, "slot_taken")
    problem(call("PUT", f"/appointments/{other['id']}", world.customer.token, json={"start": iso(new_start)}), 404,
            "not_found")


def test_put_notes_and_status_changes_follow_the_state_machine(world):
    appointment = book(world, at(world.day, 10)).json()
    path = f"/appointments/{appointment['id']}"

    noted = call("PUT", path, world.customer.token, json={"notes": "bring x-rays"})
    assert noted.status_code == 200 and noted.json()["notes"] == "bring x-rays"
    problem(call("PUT", path, world.customer.token, json={"status": "completed"}), 403)
    problem(call("PUT", path, world.admin.token, json={"status": "lost"}), 422)
    problem(call("PUT", path, world.admin.token, json={"colour": "red"}), 422)

    done = call("PUT", path, world.staff.token, json={"status": "completed"})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    problem(call("PUT", path, world.admin.token, json={"status": "cancelled"}), 409, "invalid_transition")
    problem(call("PUT", path, world.admin.token, json={"status": "no_show"}), 409, "invalid_transition")
    problem(call("PUT", "/appointments/nope", world.admin.token, json={"notes": "x"}), 404)

    second = book(world, at(world.day, 11)).json()
    cancelled = call("PUT", f"/appointments/{second['id']}", world.customer.token,
                     json={"status": "cancelled", "cancelReason": "away"})
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancelReason"]) == ("cancelled", "away")


def test_the_providers_staff_mark_who_came_while_other_staff_and_customers_cannot(world, new_user, db):
    came = book(world, at(world.day, 10)).json()
    missed = book(world, at(world.day, 11)).json()
    _, other_staff, _ = new_user({"providerId": "dr-bob"})

    # staff of another provider do not see the appointment: the 404 of a missing one
    problem(call("PUT", f"/appointments/{came['id']}", other_staff, json={"status": "completed"}), 404, "not_found")
    problem(call("PUT", f"/appointments/{missed['id']}", other_staff, json={"status": "no_show"}), 404, "not_found")
    problem(call("PUT", f"/appointments/{missed['id']}", world.customer.token, json={"status": "no_show"}), 403,
            "forbidden")
    assert db.document(f"appointments/{came['id']}").get().to_dict()["status"] == "confirmed"

    done = call("PUT", f"/appointments/{came['id']}", world.staff.token, json={"status": "completed"})
    absent = call("PUT", f"/appointments/{missed['id']}", world.staff.token, json={"status": "no_show"})

    for resp, status in ((done, "completed"), (absent, "no_show")):
        assert resp.status_code == 200, resp.text
        assert [(h["status"], h["by"]) for h in resp.json()["history"]] == [
            ("confirmed", world.customer.uid), (status, world.staff.uid)]


def test_ics_download_on_both_paths(world):
    appointment = book(world, at(world.day, 10)).json()

    for path in (f"/appointments/{appointment['id']}.ics", f"/appointments/{appointment['id']}/ics"):
        resp = call("GET", path, world.customer.token)
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith("text/calendar")
        assert f"UID:{appointment['id']}@booking.firebaseapp" in resp.text
        assert f"DTSTART:{at(world.day, 10):%Y%m%dT%H%M%SZ}" in resp.text
        assert "STATUS:CONFIRMED" in resp.text
    problem(call("GET", f"/appointments/{appointment['id']}.ics", world.other.token), 404, "not_found")
    problem(call("GET", "/appointments/nope.ics", world.customer.token), 404)
    call("DELETE", f"/appointments/{appointment['id']}", world.customer.token)
    assert "METHOD:CANCEL" in call("GET", f"/appointments/{appointment['id']}.ics", world.customer.token).text


def test_a_refused_part_of_a_change_leaves_every_other_part_unwritten(world, db):
    appointment = book(world, at(world.day, 10), notes="first visit").json()
    path = f"/appointments/{appointment['id']}"

    problem(call("PUT", path, world.customer.token, json={"notes": "x", "status": "completed"}), 403, "forbidden")
    assert call("PUT", path, world.staff.token, json={"status": "no_show"}).status_code == 200
    problem(call("PUT", path, world.admin.token, json={"notes": "x", "status": "confirmed"}), 409,
            "invalid_transition")
    problem(call("PUT", path, world.admin.token, json={"notes": "x", "status": "completed"}), 409,
            "invalid_transition")

    stored = db.document(f"appointments/{appointment['id']}").get().to_dict()
    assert (stored["notes"], stored["status"]) == ("first visit", "no_show")
    assert [h["status"] for h in stored["history"]] == ["confirmed", "no_show"]


def test_notes_and_a_mark_sent_together_are_written_together(world, db):
    appointment = book(world, at(world.day, 10)).json()
    path = f"/appointments/{appointment['id']}"

    resp = call("PUT", path, world.admin.token, json={"notes": "seen early", "status": "completed"})

    assert resp.status_code == 200, resp.text
    assert (resp.json()["notes"], resp.json()["status"]) == ("seen early", "completed")
    assert [(h["status"], h["by"]) for h in resp.json()["history"]] == [
        ("confirmed", world.customer.uid), ("completed", world.admin.uid)]
    assert call("GET", path, world.admin.token).json() == resp.json()


def test_another_customers_appointment_answers_exactly_like_a_missing_one(world):
    appointment = book(world, at(world.day, 10)).json()
    missing = "0" * 32

    for method, suffix, body in (("GET", "", None), ("GET", ".ics", None), ("PUT", "", {"notes": "x"}),
                                 ("DELETE", "", None)):
        theirs = call(method, f"/appointments/{appointment['id']}{suffix}", world.other.token, json=body)
        nothing = call(method, f"/appointments/{missing}{suffix}", world.other.token, json=body)
        assert (theirs.status_code, nothing.status_code) == (404, 404), (method, suffix)
        assert theirs.json() == {**nothing.json(), "detail": nothing.json()["detail"].replace(
            missing, appointment["id"])}, (method, suffix)
