"""The front desk through Hosting (issue 14): staff of a provider search
customers, add walk-ins, book on a customer's behalf past the minimum
notice, act on their provider's appointments past the cancellation cutoff
and read a customer's record; staff of another provider are refused."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from support.api import book, call, iso, problem
from support.world import at, seed, wait_for, wait_for_sheet

ROUND_THE_CLOCK = {d: [{"start": "00:00", "end": "24:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def walk_in(token: str, key: str | None = None, **body) -> object:
    headers = {"Idempotency-Key": key} if key else {}
    return call("POST", "/customers", token, json=body, headers=headers)


def search(token: str, q: str, **params) -> object:
    return call("GET", "/customers", token, params={"q": q, **params})


def appointment_doc(customer_id: str, provider_id: str, start: datetime, status: str = "confirmed") -> dict:
    return {"providerId": provider_id, "customerId": customer_id, "appointmentTypeId": "consult",
            "start": start, "end": start + timedelta(minutes=30), "blockStart": start,
            "blockEnd": start + timedelta(minutes=30), "status": status, "timeZone": "UTC",
            "cancellableUntil": start - timedelta(hours=2), "requestId": "r", "customerName": "Grace Hopper"}


# -- search -------------------------------------------------------------------------


def test_the_search_matches_name_email_and_phone_prefixes_and_pages(world, db):
    for cid, name, email, phone in (("c-garcia", "José García", "jg@example.com", "+442079460958"),
                                    ("c-garnier", "Jose Garnier", "garnier@example.org", None),
                                    ("c-gray", "JOSÉ GRAY", None, "+442079460100")):
        body = {"id": cid, "name": name, **({"email": email} if email else {}), **({"phone": phone} if phone else {})}
        assert call("POST", "/customers", world.admin.token, json=body).status_code == 201

    first = search(world.admin.token, "jose gar", pageSize=1)
    assert first.status_code == 200, first.text
    assert [c["id"] for c in first.json()["items"]] == ["c-garcia"]
    second = search(world.admin.token, "jose gar", pageSize=1, pageToken=first.json()["nextPageToken"])
    assert [c["id"] for c in second.json()["items"]] == ["c-garnier"]
    assert second.json()["nextPageToken"] is None
    assert [c["id"] for c in search(world.admin.token, "JOSÉ G").json()["items"]] == ["c-garcia", "c-garnier", "c-gray"]
    assert [c["id"] for c in search(world.admin.token, "+44 20 7946 0").json()["items"]] == ["c-gray", "c-garcia"]
    assert [c["id"] for c in search(world.admin.token, "GARNIER@").json()["items"]] == ["c-garnier"]
    assert [c["id"] for c in search(world.admin.token, "garnier", by="email").json()["items"]] == ["c-garnier"]
    assert search(world.admin.token, "jose gar").json()["items"][0] == {
        "id": "c-garcia", "name": "José García", "email": "jg@example.com", "phone": "+442079460958",
        "timeZone": None}


def test_admins_see_full_profiles_staff_a_masked_hint_and_customers_are_refused(world):
    assert call("POST", "/customers", world.admin.token, json={
        "id": "c-lee", "name": "Ann Lee", "email": "ann@example.com", "phone": "+442079460958"}).status_code == 201

    assert search(world.staff.token, "ann").json() == {"items": [
        {"id": "c-lee", "name": "Ann Lee", "emailHint": "a•••@example.com", "phoneHint": "•••58"}],
        "nextPageToken": None}
    assert search(world.admin.token, "ann").json()["items"][0]["email"] == "ann@example.com"
    problem(search(world.customer.token, "ann"), 403, "forbidden")
    problem(call("GET", "/customers", world.staff.token), 403, "forbidden")  # the plain list stays the admins'
    problem(search(world.staff.token, "  "), 422, "validation_failed")


def test_a_profile_written_from_an_app_is_found_through_the_trigger_s_keys(world, db):
    db.document("customers/app-user").set({"name": "Zoë Ångström", "email": "Zoe@Example.com"})

    stored = wait_for(lambda: db.document("customers/app-user").get().to_dict().get("search"))

    assert stored == {"name": "zoe angstrom", "email": "zoe@example.com"}
    assert [c["id"] for c in search(world.staff.token, "zoe ang").json()["items"]] == ["app-user"]


# -- walk-ins ---------------------------------------------------------------------


def test_a_double_submitted_walk_in_is_created_once(world, db):
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: walk_in(world.staff.token, "form-1", name="Ann Lee",
                                                  phone="+44 20 7946 0958"), range(2)))

    assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
    assert answers[0].json() == answers[1].json()
    created = answers[0].json()
    assert created["id"].startswith("walkin-") and (created["name"], created["email"], created["phone"]) == (
        "Ann Lee", None, "+442079460958")
    same_name = [d.id for d in db.collection("customers").where("name", "==", "Ann Lee").stream()]
    assert same_name == [created["id"]]
    stored = db.document(f"customers/{created['id']}").get().to_dict()
    assert stored["addedBy"]["providerId"] == "dr-ada" and stored["addedBy"]["uid"] == world.staff.uid
    other = walk_in(world.staff.token, "form-2", name="Ann Lee", email="ann@example.com")
    assert other.status_code == 201 and other.json()["id"] != created["id"]


def test_a_walk_in_needs_a_name_and_an_email_or_a_phone(world):
    problem(walk_in(world.staff.token, "k", name="Nobody"), 422, "validation_failed")
    problem(walk_in(world.staff.token, "k", name="Ann", phone="020 7946 0958"), 422, "validation_failed")
    problem(walk_in(world.customer.token, None, name="Ann", phone="+442079460958"), 422, "validation_failed")


# -- booking on behalf, and acting on the provider's appointments ------------------------


def test_staff_book_a_walk_in_now_inside_the_minimum_notice(world, db):
    seed(db, weekly=ROUND_THE_CLOCK)
    now = datetime.now(UTC)
    # the next start on the 30-minute grid at least 2 minutes away: inside the 60 minutes' notice
    soon = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    soon += timedelta(minutes=(30 - soon.minute % 30) % 30)
    assert wait_for_sheet(db, "dr-ada", soon.date(), lambda s: soon in s["available"].get("consult", []))
    phoned = walk_in(world.staff.token, "walk-1", name="Ann Lee", phone="+442079460958").json()
    mailed = walk_in(world.staff.token, "walk-2", name="Bea Ray", email="bea@example.com").json()

    problem(book(world, soon), 409, "too_soon")  # the customer's own booking keeps the notice
    resp = book(world, soon, world.staff.token, customerId=phoned["id"])

    assert resp.status_code == 201, resp.text
    booked = resp.json()
    assert (booked["customerId"], booked["customerName"], booked["start"]) == (phoned["id"], "Ann Lee", iso(soon))
    assert [(h["status"], h["by"]) for h in booked["history"]] == [("confirmed", world.staff.uid)]
    assert not db.document(f"mail/{booked['id']}-confirmed").get().exists  # no e-mail, no mail
    later = book(world, soon + timedelta(minutes=30), world.staff.token, customerId=mailed["id"]).json()
    assert db.document(f"mail/{later['id']}-confirmed").get().to_dict()["to"] == "bea@example.com"


def test_staff_cancel_past_the_cutoff_that_binds_the_customer(world, db):
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    db.document("appointments/late").set(appointment_doc(world.customer.uid, "dr-ada", start))

    problem(call("DELETE", "/appointments/late", world.customer.token), 409, "cutoff_passed")
    resp = call("PUT", "/appointments/late", world.staff.token, json={"status": "cancelled", "cancelReason": "ill"})

    assert resp.status_code == 200, resp.text
    assert (resp.json()["status"], resp.json()["cancelledBy"], resp.json()["cancelReason"]) == (
        "cancelled", world.staff.uid, "ill")


def test_staff_reschedule_and_annotate_their_provider_s_appointments(world):
    appointment = book(world, at(world.day, 10)).json()
    path = f"/appointments/{appointment['id']}"

    noted = call("PUT", path, world.staff.token, json={"notes": "prefers mornings"})
    moved = call("PUT", path, world.staff.token, json={"start": iso(at(world.day, 11))})

    assert noted.status_code == 200 and noted.json()["notes"] == "prefers mornings"
    assert moved.status_code == 200, moved.text
    assert (moved.json()["start"], moved.json()["rescheduledFrom"], moved.json()["notes"]) == (
        iso(at(world.day, 11)), appointment["id"], "prefers mornings")
    previous = call("GET", path, world.staff.token).json()
    assert [(h["status"], h["by"]) for h in previous["history"]] == [
        ("confirmed", world.customer.uid), ("cancelled", world.staff.uid)]


def test_staff_of_another_provider_are_refused_everything(world, new_user, db):
    seed(db, provider_id="dr-bob")
    _, bob_desk, _ = new_user({"providerId": "dr-bob"})
    appointment = book(world, at(world.day, 10)).json()
    path = f"/appointments/{appointment['id']}"

    problem(book(world, at(world.day, 11), bob_desk, customerId=world.customer.uid), 403, "forbidden")
    # an appointment another provider's staff may not see is answered like a missing one
    problem(call("DELETE", path, bob_desk), 404, "not_found")
    problem(call("PUT", path, bob_desk, json={"status": "cancelled"}), 404, "not_found")
    problem(call("PUT", path, bob_desk, json={"start": iso(at(world.day, 12))}), 404, "not_found")
    problem(call("PUT", path, bob_desk, json={"notes": "x"}), 404, "not_found")
    problem(call("GET", f"/customers/{world.customer.uid}/record", bob_desk), 403, "forbidden")
    stored = db.document(f"appointments/{appointment['id']}").get().to_dict()
    assert (stored["status"], stored.get("notes")) == ("confirmed", None)


# -- the record -----------------------------------------------------------------------


def test_a_customer_s_record_shows_staff_their_provider_s_appointments_and_no_shows(world, new_user, db):
    seed(db, provider_id="dr-bob")
    _, bob_desk, _ = new_user({"providerId": "dr-bob"})
    _, cy_desk, _ = new_user({"providerId": "dr-cy"})
    past = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=3)
    db.document("appointments/missed").set(appointment_doc(world.customer.uid, "dr-ada", past, "no_show"))
    db.document("appointments/seen").set(appointment_doc(world.customer.uid, "dr-ada", past + timedelta(days=1),
                                                         "completed"))
    db.document("appointments/at-bob").set(appointment_doc(world.customer.uid, "dr-bob", past, "no_show"))
    coming = book(world, at(world.day, 10)).json()

    record = call("GET", f"/customers/{world.customer.uid}/record", world.staff.token)

    assert record.status_code == 200, record.text
    body = record.json()
    assert body["customer"] == {"id": world.customer.uid, "name": "Grace Hopper",
                                "email": f"{world.customer.uid.lower()}@example.com", "phone": None,
                                "timeZone": None}
    assert (body["providerId"], body["noShows"], body["truncated"]) == ("dr-ada", 1, False)
    assert [a["id"] for a in body["upcoming"]] == [coming["id"]]
    assert [a["id"] for a in body["past"]] == ["seen", "missed"]
    everything = call("GET", f"/customers/{world.customer.uid}/record", world.admin.token).json()
    assert (everything["providerId"], everything["noShows"]) == (None, 2)
    assert sorted(a["id"] for a in everything["past"]) == ["at-bob", "missed", "seen"]
    assert call("GET", f"/customers/{world.customer.uid}/record", bob_desk).json()["noShows"] == 1
    problem(call("GET", f"/customers/{world.customer.uid}/record", cy_desk), 403, "forbidden")
    problem(call("GET", f"/customers/{world.customer.uid}/record", world.other.token), 403, "forbidden")
    problem(call("GET", "/customers/nobody/record", world.staff.token), 404, "not_found")


def test_a_walk_in_s_record_is_open_to_the_desk_that_added_it(world, new_user):
    _, bob_desk, _ = new_user({"providerId": "dr-bob"})
    added = walk_in(world.staff.token, "w", name="Ann Lee", phone="+442079460958").json()

    record = call("GET", f"/customers/{added['id']}/record", world.staff.token)

    assert record.status_code == 200, record.text
    assert {k: record.json()[k] for k in ("upcoming", "past", "noShows")} == {"upcoming": [], "past": [], "noShows": 0}
    problem(call("GET", f"/customers/{added['id']}/record", bob_desk), 403, "forbidden")
