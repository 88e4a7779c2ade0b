"""/appointment-types through Hosting: public reads, admin writes."""

from __future__ import annotations

from support.api import CONSULT, call, problem

NEW_TYPE = {"id": "massage", "name": "Massage", "durationMinutes": 50, "bufferAfterMinutes": 10,
            "price": 80.5, "currency": "EUR"}
NEW_TYPE_READ = {
    "id": "massage", "name": "Massage", "description": "", "durationMinutes": 50, "bufferBeforeMinutes": 0,
    "bufferAfterMinutes": 10, "slotIntervalMinutes": None, "minNoticeMinutes": 0, "horizonDays": 60,
    "capacity": 1, "cancelCutoffMinutes": 0, "dailyLimit": None, "maxUpcomingPerCustomer": None, "price": 80.5,
    "currency": "EUR", "active": True, "reminders": [{"beforeMinutes": 1440}],
}


def test_anyone_lists_the_active_types_with_read_counts(world):
    resp = call("GET", "/appointment-types")

    assert resp.status_code == 200
    assert resp.json() == {"items": [CONSULT], "nextPageToken": None}
    assert resp.headers["x-doc-reads"] == "1"


def test_inactive_types_are_listed_for_admins_only(world, db):
    db.document("appointmentTypes/old").set({"name": "Old", "durationMinutes": 15, "active": False})

    public = call("GET", "/appointment-types").json()["items"]
    as_customer = call("GET", "/appointment-types?active=false", world.customer.token).json()["items"]
    as_admin = call("GET", "/appointment-types?active=false", world.admin.token).json()["items"]
    everything = call("GET", "/appointment-types", world.admin.token).json()["items"]

    assert [t["id"] for t in public] == ["consult"]
    assert [t["id"] for t in as_customer] == ["consult"]
    assert [t["id"] for t in as_admin] == ["old"]
    assert [t["id"] for t in everything] == ["consult", "old"]


def test_anyone_gets_one_type_and_unknown_ids_are_404(world):
    assert call("GET", "/appointment-types/consult").json() == CONSULT
    problem(call("GET", "/appointment-types/nope"), 404, "not_found")
    problem(call("GET", "/appointment-types/__reserved__"), 404, "not_found")


def test_an_admin_creates_a_type_with_its_defaults(world, db):
    resp = call("POST", "/appointment-types", world.admin.token, json=NEW_TYPE)

    assert resp.status_code == 201, resp.text
    assert resp.json() == NEW_TYPE_READ
    stored = db.document("appointmentTypes/massage").get().to_dict()
    assert stored["durationMinutes"] == 50 and stored["price"] == 80.5
    assert call("GET", "/appointment-types/massage").json() == NEW_TYPE_READ


def test_create_without_an_id_gets_a_random_one(world):
    body = {k: v for k, v in NEW_TYPE.items() if k != "id"}
    created = call("POST", "/appointment-types", world.admin.token, json=body).json()

    assert len(created["id"]) == 32
    assert call("GET", f"/appointment-types/{created['id']}").json() == created


def test_only_admins_create_types(world):
    problem(call("POST", "/appointment-types", json=NEW_TYPE), 401, "unauthenticated")
    problem(call("POST", "/appointment-types", world.customer.token, json=NEW_TYPE), 403, "forbidden")
    problem(call("POST", "/appointment-types", world.staff.token, json=NEW_TYPE), 403, "forbidden")


def test_type_validation_names_the_failing_fields(world):
    bad = {**NEW_TYPE, "durationMinutes": 0, "durationMinute": 5}
    body = problem(call("POST", "/appointment-types", world.admin.token, json=bad), 422, "validation_failed")
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"body.durationMinutes", "body.durationMinute"}

    problem(call("POST", "/appointment-types", world.admin.token, data="{not json",
                 headers={"Content-Type": "application/json"}), 400, "bad_request")
    problem(call("POST", "/appointment-types", world.admin.token, json={**NEW_TYPE, "id": "__x__"}), 422)
    problem(call("POST", "/appointment-types", world.admin.token, json={**NEW_TYPE, "id": "consult"}), 409,
            "already_exists")


def test_put_replaces_the_whole_type(world):
    body = {"name": "Long consultation", "durationMinutes": 45, "minNoticeMinutes": 30}

    resp = call("PUT", "/appointment-types/consult", world.admin.token, json=body)

    expected = {**CONSULT, "name": "Long consultation", "durationMinutes": 45, "minNoticeMinutes": 30,
                "horizonDays": 60, "cancelCutoffMinutes": 0, "price": 0.0, "currency": "USD"}
    assert resp.status_code == 200, resp.text
    assert resp.json() == expected
    assert call("GET", "/appointment-types/consult").json() == expected


def test_put_refusals(world):
    body = {"name": "X", "durationMinutes": 10}
    problem(call("PUT", "/appointment-types/nope", world.admin.token, json=body), 404, "not_found")
    problem(call("PUT", "/appointment-types/consult", world.customer.token, json=body), 403, "forbidden")
    problem(call("PUT", "/appointment-types/consult", json=body), 401)
    problem(call("PUT", "/appointment-types/consult", world.admin.token, json={"name": "X"}), 422)


def test_delete_deactivates_and_the_type_stays_readable(world):
    resp = call("DELETE", "/appointment-types/consult", world.admin.token)

    assert resp.status_code == 200
    assert resp.json() == {**CONSULT, "active": False}
    assert call("GET", "/appointment-types/consult").json()["active"] is False
    assert call("GET", "/appointment-types").json()["items"] == []
    problem(call("DELETE", "/appointment-types/consult", world.customer.token), 403)
    problem(call("DELETE", "/appointment-types/nope", world.admin.token), 404)


def test_an_admin_sets_a_types_reminders_and_an_empty_list_turns_them_off(world, db):
    body = {**NEW_TYPE, "reminders": [{"beforeMinutes": 1440}, {"beforeMinutes": 120}]}
    assert call("POST", "/appointment-types", world.admin.token, json=body).status_code == 201
    assert db.document("appointmentTypes/massage").get().to_dict()["reminders"] == [
        {"beforeMinutes": 1440}, {"beforeMinutes": 120}]

    replacement = {k: v for k, v in NEW_TYPE.items() if k != "id"}
    off = call("PUT", "/appointment-types/massage", world.admin.token, json={**replacement, "reminders": []})

    assert off.status_code == 200, off.text
    assert off.json()["reminders"] == []
    for bad in ([{"beforeMinutes": 0}], [{"beforeMinutes": 120}, {"beforeMinutes": 120}],
                [{"beforeMinutes": m} for m in (10, 20, 30, 40, 50, 60)]):
        problem(call("PUT", "/appointment-types/massage", world.admin.token,
                     json={**replacement, "reminders": bad}), 422, "validation_failed")
