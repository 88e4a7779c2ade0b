"""/customers through Hosting: own profile for customers, all for admins."""

from __future__ import annotations

from support.api import call, problem

PROFILE = {"name": "Ada Byron", "email": "ada@example.com", "phone": "+44 1234 567", "timeZone": "Europe/London"}


def test_a_signed_in_user_creates_its_own_profile_once(world, new_user):
    uid, token, _ = new_user()

    resp = call("POST", "/customers", token, json=PROFILE)

    assert resp.status_code == 201, resp.text
    assert resp.json() == {"id": uid, **PROFILE}
    assert call("GET", f"/customers/{uid}", token).json() == {"id": uid, **PROFILE}
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
    assert created.json() == {"id": "walk-in-1", **PROFILE}
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
    assert resp.json() == {"id": world.customer.uid, **PROFILE}
    without_phone = {"name": "Ada", "email": "ada@example.com"}
    assert call("PUT", f"/customers/{world.customer.uid}", world.admin.token, json=without_phone).json() == {
        "id": world.customer.uid, **without_phone, "phone": None, "timeZone": None}
    problem(call("PUT", f"/customers/{world.other.uid}", world.customer.token, json=PROFILE), 403)
    problem(call("PUT", "/customers/nope", world.admin.token, json=PROFILE), 404)
    problem(call("PUT", f"/customers/{world.customer.uid}", world.customer.token, json={"name": "A"}), 422)


def test_only_admins_delete_profiles(world, db):
    problem(call("DELETE", f"/customers/{world.customer.uid}", world.customer.token), 403)

    resp = call("DELETE", f"/customers/{world.customer.uid}", world.admin.token)

    assert resp.status_code == 204
    assert resp.content == b""
    assert not db.document(f"customers/{world.customer.uid}").get().exists
    problem(call("DELETE", f"/customers/{world.customer.uid}", world.admin.token), 404)
