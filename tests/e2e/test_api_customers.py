"""/customers through Hosting: own profile for customers, all for admins."""

from __future__ import annotations

from support.api import call, problem

PROFILE = {"name": "Ada Byron", "email": "ada@example.com", "phone": "+44 20 7946 0958", "timeZone": "Europe/London"}
# what the API answers and stores: the phone in E.164
STORED = {**PROFILE, "phone": "+442079460958"}


def test_a_signed_in_user_creates_its_own_profile_once(world, new_user):
    uid, token, _ = new_user()

    resp = call("POST", "/customers", token, json=PROFILE)

    assert resp.status_code == 201, resp.text
    assert resp.json() == {"id": uid, **STORED}
    assert call("GET", f"/customers/{uid}", token).json() == {"id": uid, **STORED}
    problem(call("POST", "/customers", token, json=PROFILE), 409, "already_exists")


def test_customers_cannot_create_or_read_other_profiles(world, new_user):
    _, token, _ = new_user()

    problem(call("POST", "/customers", token, json={**PROFILE, "id": world.other.uid}), 403, "forbidden")
    problem(call("GET", f"/customers/{world.other.uid}", world.customer.token), 403, "forbidden")
    problem(call("GET", f"/customers/{world.customer.uid}", world.staff.token), 403, "forbidden")
    problem(call("GET", f"/customers/{world.customer.uid}"), 401, "unauthenticated")
    problem(call("POST", "/customers", json=PROFILE), 401)


def test_admins_create_read_and_list_any_profile(world):
    created = call("POST", "/customers", world.admin.token, json={**PROFILE, "id": "walk-in-1"})

    assert created.status_code == 201
    assert created.json() == {"id": "walk-in-1", **STORED}
    assert call("GET", f"/customers/{world.customer.uid}", world.admin.token).json() == {
        "id": world.customer.uid, "name": "Grace Hopper", "email": f"{world.customer.uid.lower()}@example.com",
        "phone": None, "timeZone": None}
    listed = call("GET", "/customers", world.admin.token).json()
    assert sorted(c["id"] for c in listed["items"]) == sorted([world.customer.uid, world.other.uid, "walk-in-1"])
    assert listed["nextPageToken"] is None
    problem(call("GET", "/customers", world.customer.token), 403, "forbidden")
    problem(call("GET", "/customers", world.staff.token), 403, "forbidden")


def test_profile_validation(world, new_user):
    _, token, _ = new_user()
    body = problem(call("POST", "/customers", token, json={"name": "", "email": "x", "admin": True}), 422)
    assert {e["field"] for e in body["errors"]} == {"body.name", "body.email", "body.admin"}
    problem(call("GET", "/customers/nope", world.admin.token), 404, "not_found")


def test_put_replaces_own_profile(world):
    resp = call("PUT", f"/customers/{world.customer.uid}", world.customer.token, json=PROFILE)

    assert resp.status_code == 200, resp.text
    assert resp.json() == {"id": world.customer.uid, **STORED}
    without_phone = {"name": "Ada", "email": "ada@example.com"}
    assert call("PUT", f"/customers/{world.customer.uid}", world.admin.token, json=without_phone).json() == {
        "id": world.customer.uid, **without_phone, "phone": None, "timeZone": None}
    problem(call("PUT", f"/customers/{world.other.uid}", world.customer.token, json=PROFILE), 403)
    problem(call("PUT", "/customers/nope", world.admin.token, json=PROFILE), 404)
    problem(call("PUT", f"/customers/{world.customer.uid}", world.customer.token, json={"name": "A"}), 422)


def test_a_phone_is_stored_in_e164(world, db):
    resp = call("PUT", f"/customers/{world.customer.uid}", world.customer.token,
                json={**PROFILE, "phone": "+1 (201) 555-0123"})

    assert resp.status_code == 200, resp.text
    assert resp.json()["phone"] == "+12015550123"
    assert db.document(f"customers/{world.customer.uid}").get().get("phone") == "+12015550123"


def test_a_phone_without_a_country_code_is_refused_naming_the_field(world, db):
    resp = call("PUT", f"/customers/{world.customer.uid}", world.customer.token,
                json={**PROFILE, "phone": "020 7946 0958"})

    body = problem(resp, 422, "validation_failed")
    assert body["errors"] == [{"field": "body.phone", "message": (
        "'020 7946 0958' has no country code, and a profile does not say which country it is in; "
        "write it with its country code, e.g. +44 20 7946 0958")}]
    assert db.document(f"customers/{world.customer.uid}").get().get("name") == "Grace Hopper"


def test_a_phone_that_is_no_number_is_refused_on_create(world, new_user):
    _, token, _ = new_user()

    body = problem(call("POST", "/customers", token, json={**PROFILE, "phone": "+1 555 0100"}), 422)

    assert body["errors"] == [{"field": "body.phone", "message": (
        "'+1 555 0100' is not a valid phone number; write it with its country code, e.g. +44 20 7946 0958")}]


def test_deleting_a_customer_erases_it_and_only_the_customer_or_an_admin_may(world, db):
    problem(call("DELETE", f"/customers/{world.customer.uid}", world.other.token), 403, "forbidden")
    problem(call("DELETE", f"/customers/{world.customer.uid}", world.staff.token), 403, "forbidden")

    resp = call("DELETE", f"/customers/{world.customer.uid}", world.admin.token)

    assert resp.status_code == 200, resp.text
    assert resp.json()["state"] == "done"
    assert not db.document(f"customers/{world.customer.uid}").get().exists
    assert call("DELETE", f"/customers/{world.customer.uid}", world.admin.token).json() == resp.json()
    problem(call("DELETE", "/customers/nobody-here", world.admin.token), 404, "not_found")
