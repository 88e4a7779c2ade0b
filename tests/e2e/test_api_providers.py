"""/providers and their availability through Hosting: public profiles,
contact details for admins and the provider's staff, admin writes."""

from __future__ import annotations

from datetime import timedelta

from support.api import ADA_PUBLIC, call, problem
from support.world import ALL_WEEK, wait_for_sheet

ADA_FULL = {**ADA_PUBLIC, "email": "ada@clinic.example"}
BOB = {"id": "dr-bob", "name": "Dr. Bob", "email": "bob@clinic.example", "phone": "+44 20 7946 0000",
       "timeZone": "Europe/London", "typeIds": ["consult", "consult"]}
BOB_READ = {"id": "dr-bob", "name": "Dr. Bob", "email": "bob@clinic.example", "phone": "+442079460000",
            "timeZone": "Europe/London", "typeIds": ["consult"], "active": True}


def test_anyone_lists_and_reads_public_profiles_only(world):
    listed = call("GET", "/providers")
    one = call("GET", "/providers/dr-ada")

    assert listed.status_code == 200
    assert listed.json() == {"items": [ADA_PUBLIC], "nextPageToken": None}
    assert one.json() == ADA_PUBLIC
    assert call("GET", "/providers/dr-ada", world.customer.token).json() == ADA_PUBLIC


def test_admins_and_own_staff_see_contact_details(world, new_user):
    _, other_staff, _ = new_user({"providerId": "dr-bob"})

    assert call("GET", "/providers/dr-ada", world.admin.token).json() == ADA_FULL
    assert call("GET", "/providers/dr-ada", world.staff.token).json() == ADA_FULL
    assert call("GET", "/providers/dr-ada", other_staff).json() == ADA_PUBLIC


def test_unknown_provider_is_404(world):
    problem(call("GET", "/providers/nope"), 404, "not_found")
    problem(call("GET", "/providers/nope/availability", world.customer.token), 404)
    problem(call("PUT", "/providers/nope", world.admin.token, json={"name": "X", "timeZone": "UTC"}), 404)
    problem(call("DELETE", "/providers/nope", world.admin.token), 404)


def test_an_admin_creates_a_provider_with_contact_details_stored_apart(world, db):
    resp = call("POST", "/providers", world.admin.token, json=BOB)

    assert resp.status_code == 201, resp.text
    assert resp.json() == BOB_READ
    assert db.document("providers/dr-bob").get().to_dict() == {
        "name": "Dr. Bob", "timeZone": "Europe/London", "typeIds": ["consult"], "active": True}
    assert db.document("providerContacts/dr-bob").get().to_dict() == {
        "email": "bob@clinic.example", "phone": "+442079460000"}
    public = {k: v for k, v in BOB_READ.items() if k not in ("email", "phone")}
    assert call("GET", "/providers/dr-bob").json() == public
    # the provider trigger builds its slot sheets
    assert wait_for_sheet(db, "dr-bob", world.day, lambda s: "consult" in s["available"])


def test_provider_writes_are_for_admins_and_validated(world):
    problem(call("POST", "/providers", json=BOB), 401)
    problem(call("POST", "/providers", world.customer.token, json=BOB), 403, "forbidden")
    problem(call("POST", "/providers", world.staff.token, json=BOB), 403, "forbidden")
    body = problem(call("POST", "/providers", world.admin.token,
                        json={**BOB, "timeZone": "Mars/Olympus", "email": "nope"}), 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"body.timeZone", "body.email"}
    problem(call("POST", "/providers", world.admin.token, json={**BOB, "id": "dr-ada"}), 409, "already_exists")
    problem(call("PUT", "/providers/dr-ada", world.staff.token, json={"name": "X", "timeZone": "UTC"}), 403)


def test_put_replaces_the_provider_and_its_contact(world, db):
    body = {"name": "Ada L.", "phone": "+1 212 555 0100", "timeZone": "UTC", "typeIds": ["consult"]}

    resp = call("PUT", "/providers/dr-ada", world.admin.token, json=body)

    expected = {"id": "dr-ada", "name": "Ada L.", "phone": "+12125550100", "timeZone": "UTC",
                "typeIds": ["consult"], "active": True}
    assert resp.status_code == 200, resp.text
    assert resp.json() == expected
    assert db.document("providerContacts/dr-ada").get().to_dict() == {"phone": "+12125550100"}
    assert call("GET", "/providers/dr-ada", world.admin.token).json() == expected


def test_delete_deactivates_keeps_it_readable_and_its_slots_go(world, db):
    resp = call("DELETE", "/providers/dr-ada", world.admin.token)

    assert resp.status_code == 200
    assert resp.json() == {**ADA_FULL, "active": False}
    assert call("GET", "/providers/dr-ada").json() == {**ADA_PUBLIC, "active": False}
    assert call("GET", "/providers").json() == {"items": [], "nextPageToken": None}
    assert call("GET", "/providers?active=false", world.admin.token).json() == {
        "items": [{**ADA_PUBLIC, "active": False}], "nextPageToken": None}
    slots = call("GET", f"/available-slots?appointmentTypeId=consult&providerId=dr-ada&from={world.day}")
    assert slots.json()["dates"] == {}
    problem(call("DELETE", "/providers/dr-ada", world.customer.token), 403)


def test_signed_in_users_read_availability(world):
    resp = call("GET", "/providers/dr-ada/availability", world.customer.token)

    assert resp.status_code == 200
    assert resp.json() == {"providerId": "dr-ada", "timeZone": None, "weekly": ALL_WEEK, "overrides": []}
    problem(call("GET", "/providers/dr-ada/availability"), 401)


def test_own_staff_replaces_hours_in_canonical_form_and_the_sheets_follow(world, db):
    closed = world.day + timedelta(days=1)
    body = {"weekly": {"mon": [{"start": "13:00", "end": "17:00"}, {"start": "09:00", "end": "13:30"}]},
            "overrides": [{"date": closed.isoformat(), "intervals": []}]}

    resp = call("PUT", "/providers/dr-ada/availability", world.staff.token, json=body)

    assert resp.status_code == 200, resp.text
    assert resp.json() == {"providerId": "dr-ada", "timeZone": None,
                           "weekly": {"mon": [{"start": "09:00", "end": "17:00"}]},
                           "overrides": [{"date": closed.isoformat(), "intervals": []}]}
    assert call("GET", "/providers/dr-ada/availability", world.admin.token).json() == resp.json()
    assert wait_for_sheet(db, "dr-ada", closed, lambda s: s["available"].get("consult") == [])


def test_availability_writes_are_refused_to_others_and_validated(world, new_user):
    _, other_staff, _ = new_user({"providerId": "dr-bob"})
    good = {"weekly": {"tue": [{"start": "09:00", "end": "12:00"}]}}

    problem(call("PUT", "/providers/dr-ada/availability", world.customer.token, json=good), 403, "forbidden")
    problem(call("PUT", "/providers/dr-ada/availability", other_staff, json=good), 403, "forbidden")
    problem(call("PUT", "/providers/dr-ada/availability", json=good), 401)
    bad_hours = {"weekly": {"tue": [{"start": "25:00", "end": "12:00"}]}}
    body = problem(call("PUT", "/providers/dr-ada/availability", world.admin.token, json=bad_hours), 422)
    assert body["errors"][0]["field"].startswith("body.weekly.tue.0.start")
    twice = {"overrides": [{"date": "2030-01-01", "intervals": []}, {"date": "2030-01-01", "intervals": []}]}
    problem(call("PUT", "/providers/dr-ada/availability", world.admin.token, json=twice), 422)
    zone = {"timeZone": "Asia/Tokyo", "weekly": {}}
    body = problem(call("PUT", "/providers/dr-ada/availability", world.admin.token, json=zone), 422)
    assert body["errors"] == [{"field": "body.timeZone", "message": "must be the provider's zone (UTC) or left out"}]


# -- bio and photoUrl: public profile fields the rules allow --------------------

PROFILE = {"bio": "General practice since 2001.", "photoUrl": "https://clinic.example/ada.jpg"}


def test_a_put_sets_bio_and_photo_url_and_everyone_reads_them(world, db):
    body = {"name": "Dr. Ada Lovelace", "timeZone": "UTC", "typeIds": ["consult"], "email": "ada@clinic.example",
            **PROFILE}
    resp = call("PUT", "/providers/dr-ada", world.admin.token, json=body)

    assert resp.status_code == 200, resp.text
    assert resp.json() == {**ADA_FULL, **PROFILE}
    assert db.document("providers/dr-ada").get().to_dict() == {
        "name": "Dr. Ada Lovelace", "timeZone": "UTC", "typeIds": ["consult"], "active": True, **PROFILE}
    assert call("GET", "/providers/dr-ada").json() == {**ADA_PUBLIC, **PROFILE}
    assert call("GET", "/providers").json()["items"] == [{**ADA_PUBLIC, **PROFILE}]


def test_a_put_of_the_whole_profile_keeps_bio_and_photo_url_set_in_the_console(world, db):
    db.document("providers/dr-ada").update(PROFILE)
    profile = call("GET", "/providers/dr-ada", world.admin.token).json()
    renamed = {**{k: v for k, v in profile.items() if k != "id"}, "name": "Dr. A. Lovelace"}

    resp = call("PUT", "/providers/dr-ada", world.admin.token, json=renamed)

    assert resp.status_code == 200, resp.text
    stored = db.document("providers/dr-ada").get().to_dict()
    assert (stored["name"], stored["bio"], stored["photoUrl"]) == ("Dr. A. Lovelace", PROFILE["bio"],
                                                                   PROFILE["photoUrl"])


def test_deactivating_keeps_bio_and_photo_url(world, db):
    db.document("providers/dr-ada").update(PROFILE)

    resp = call("DELETE", "/providers/dr-ada", world.admin.token)

    assert resp.status_code == 200, resp.text
    assert resp.json() == {**ADA_FULL, **PROFILE, "active": False}
    stored = db.document("providers/dr-ada").get().to_dict()
    assert {k: stored.get(k) for k in ("active", "bio", "photoUrl")} == {"active": False, **PROFILE}


def test_bio_and_photo_url_have_the_rules_limits(world):
    body = {"name": "Dr. Ada Lovelace", "timeZone": "UTC", "typeIds": ["consult"]}
    ok = call("PUT", "/providers/dr-ada", world.admin.token, json={**body, "bio": "b" * 2000, "photoUrl": "u" * 2048})
    too_long = call("PUT", "/providers/dr-ada", world.admin.token,
                    json={**body, "bio": "b" * 2001, "photoUrl": "u" * 2049})

    assert ok.status_code == 200, ok.text
    assert [e["field"] for e in problem(too_long, 422, "validation_failed")["errors"]] == ["body.bio", "body.photoUrl"]
