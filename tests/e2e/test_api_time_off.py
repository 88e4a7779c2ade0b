"""Time off and calendar feeds over REST, through Hosting: who may write what
(the same as firestore.rules), the conflicts a write names, the slots it
closes and reopens, the list's range and pages, stale writes, bad bodies."""

from __future__ import annotations

import pytest
from support.api import Actor, book, call, iso, problem
from support.world import at, sheet, wait_for_sheet


def meeting(world, **extra):
    return {"start": iso(at(world.day, 14)), "end": iso(at(world.day, 15, 30)), "title": "Staff meeting", **extra}


def consult_slots(db, day):
    return [s.strftime("%H:%M") for s in (sheet(db, "dr-ada", day) or {}).get("available", {}).get("consult", [])]


@pytest.fixture
def stranger(new_user) -> Actor:
    """Staff of another provider."""
    return Actor(*new_user({"providerId": "dr-bob"}))


def test_staff_add_a_meeting_that_closes_its_slots_and_names_the_appointment_it_overlaps(world, db):
    booked = book(world, at(world.day, 14, 30))
    assert booked.status_code == 201, booked.text

    resp = call("POST", "/providers/dr-ada/time-off", world.staff.token, json=meeting(world, id="meeting-1"))

    assert resp.status_code == 201, resp.text
    assert resp.json() == {
        "id": "meeting-1", "providerIds": ["dr-ada"], "allProviders": False, "start": iso(at(world.day, 14)),
        "end": iso(at(world.day, 15, 30)), "allDay": False, "title": "Staff meeting", "source": "manual",
        "createdBy": world.staff.uid, "conflicts": [booked.json()["id"]],
    }
    # at once, not after a trigger: 16 starts less 14:00, 14:30 (booked) and 15:00
    assert consult_slots(db, world.day) == [f"{h:02d}:{m:02d}" for h in range(9, 17) for m in (0, 30)
                                             if (h, m) not in ((14, 0), (14, 30), (15, 0))]
    flagged = call("GET", f"/appointments/{booked.json()['id']}", world.admin.token).json()
    assert (flagged["status"], flagged["timeOffConflicts"]) == ("confirmed", ["meeting-1"])
    # exactly the one day's sheet, in one batch with the flag: the time off, the sheet, the flag
    assert resp.headers["X-Doc-Writes"] == "3"


def test_a_meeting_over_nothing_booked_writes_the_time_off_and_its_one_sheet(world, db):
    resp = call("POST", "/providers/dr-ada/time-off", world.staff.token, json=meeting(world, id="meeting-2"))

    assert resp.status_code == 201, resp.text
    assert resp.json()["conflicts"] == []
    assert resp.headers["X-Doc-Writes"] == "2"


def test_only_admins_and_the_providers_own_staff_touch_its_time_off(world, stranger):
    created = call("POST", "/providers/dr-ada/time-off", world.staff.token, json=meeting(world, id="m"))
    assert created.status_code == 201, created.text

    for actor in (stranger, world.customer):
        problem(call("POST", "/providers/dr-ada/time-off", actor.token, json=meeting(world)), 403, "forbidden")
        problem(call("GET", "/providers/dr-ada/time-off", actor.token), 403, "forbidden")
        problem(call("GET", "/providers/dr-ada/time-off/m", actor.token), 403, "forbidden")
        problem(call("PUT", "/providers/dr-ada/time-off/m", actor.token, json=meeting(world)), 403, "forbidden")
        problem(call("DELETE", "/providers/dr-ada/time-off/m", actor.token), 403, "forbidden")
        problem(call("GET", "/time-off", actor.token), 403, "forbidden")
    problem(call("GET", "/providers/dr-ada/time-off"), 401)
    assert call("GET", "/providers/dr-ada/time-off/m", world.admin.token).status_code == 200


def test_only_admins_close_several_or_all_providers(world, db):
    closure = {"allProviders": True, "allDay": True, "startDate": world.day.isoformat(),
               "endDate": world.day.isoformat(), "title": "Closed", "id": "closed"}
    problem(call("POST", "/time-off", world.staff.token, json=closure), 403, "forbidden")

    resp = call("POST", "/time-off", world.admin.token, json=closure)

    assert resp.status_code == 201, resp.text
    assert (resp.json()["allProviders"], resp.json()["providerIds"], resp.json()["conflicts"]) == (True, [], [])
    assert consult_slots(db, world.day) == []
    # staff see it among their provider's time off but cannot change it
    listed = call("GET", "/providers/dr-ada/time-off", world.staff.token).json()
    assert [t["id"] for t in listed["items"]] == ["closed"]
    problem(call("DELETE", "/providers/dr-ada/time-off/closed", world.staff.token), 403, "forbidden")
    problem(call("DELETE", "/time-off/closed", world.staff.token), 403, "forbidden")
    assert call("DELETE", "/time-off/closed", world.admin.token).status_code == 200
    assert len(consult_slots(db, world.day)) == 16


def test_staff_cannot_make_their_time_off_a_closure(world):
    body = {**meeting(world), "allProviders": True}
    problem(call("POST", "/providers/dr-ada/time-off", world.staff.token, json=body), 422, "validation_failed")
    problem(call("POST", "/time-off", world.staff.token, json={**meeting(world), "providerIds": ["dr-ada", "x"]}),
            403, "forbidden")


def test_the_list_takes_a_range_and_pages(world):
    for i in range(5):  # 09:00, 10:00, ... 13:00, each 30 minutes
        body = {"id": f"t{i}", "start": iso(at(world.day, 9 + i)), "end": iso(at(world.day, 9 + i, 30))}
        assert call("POST", "/providers/dr-ada/time-off", world.staff.token, json=body).status_code == 201

    def ids(**params):
        body = call("GET", "/providers/dr-ada/time-off", world.staff.token, params=params).json()
        return [t["id"] for t in body["items"]], body.get("nextPageToken")

    assert ids()[0] == ["t0", "t1", "t2", "t3", "t4"]
    # overlap: 09:30 is t0's end (not in range), 11:15 lies in t2
    assert ids(**{"from": iso(at(world.day, 9, 30)), "to": iso(at(world.day, 11, 15))})[0] == ["t1", "t2"]
    first, token = ids(pageSize=2)
    second, token2 = ids(pageSize=2, pageToken=token)
    third, token3 = ids(pageSize=2, pageToken=token2)
    assert (first, second, third, token3) == (["t0", "t1"], ["t2", "t3"], ["t4"], None)
    problem(call("GET", "/providers/dr-ada/time-off", world.staff.token, params={"pageToken": "nonsense"}),
            400, "invalid_page_token")
    problem(call("GET", "/providers/dr-ada/time-off", world.staff.token,
                 params={"from": iso(at(world.day, 12)), "to": iso(at(world.day, 11))}), 422, "validation_failed")


def test_a_write_over_a_newer_change_is_409(world):
    assert call("POST", "/providers/dr-ada/time-off", world.staff.token, json=meeting(world, id="m")).status_code == 201
    read = call("GET", "/providers/dr-ada/time-off/m", world.staff.token)
    stale = read.headers["ETag"]

    moved = call("PUT", "/providers/dr-ada/time-off/m", world.staff.token, json=meeting(world, title="Moved"),
                 headers={"If-Match": stale})
    assert moved.status_code == 200, moved.text

    problem(call("PUT", "/providers/dr-ada/time-off/m", world.staff.token, json=meeting(world, title="Again"),
                 headers={"If-Match": stale}), 409, "concurrent_update")
    problem(call("DELETE", "/providers/dr-ada/time-off/m", world.staff.token, headers={"If-Match": stale}),
            409, "concurrent_update")
    problem(call("POST", "/providers/dr-ada/time-off", world.staff.token, json=meeting(world, id="m")),
            409, "already_exists")
    assert call("GET", "/providers/dr-ada/time-off/m", world.staff.token).json()["title"] == "Moved"


def test_deleting_time_off_reopens_its_slots(world, db):
    assert call("POST", "/providers/dr-ada/time-off", world.staff.token, json=meeting(world, id="m")).status_code == 201
    assert len(consult_slots(db, world.day)) == 13

    resp = call("DELETE", "/providers/dr-ada/time-off/m", world.staff.token)

    assert resp.status_code == 200, resp.text
    assert resp.json()["conflicts"] == []
    assert len(consult_slots(db, world.day)) == 16
    assert wait_for_sheet(db, "dr-ada", world.day, lambda s: not s.get("timeOff"))
    problem(call("GET", "/providers/dr-ada/time-off/m", world.staff.token), 404, "not_found")


@pytest.mark.parametrize(("body", "field"), [
    ({"start": "2030-01-01T10:00:00Z"}, "body"),  # no end
    ({"start": "2030-01-01T10:00:00Z", "end": "2030-01-01T09:00:00Z"}, "body"),  # end before start
    ({"start": "2030-01-01T10:00:00", "end": "2030-01-01T11:00:00"}, "body.start"),  # no offset
    ({"allDay": True, "startDate": "2030-01-01", "endDate": "2031-02-05"}, "body"),  # 400 days
    ({"allDay": True, "startDate": "2030-02-30", "endDate": "2030-03-01"}, "body.startDate"),
    ({"start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z", "title": "x" * 201}, "body.title"),
    ({"start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z", "source": "feed"}, "body.source"),
    ({"start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z", "id": "bad id"}, "body.id"),
])
def test_bad_bodies_are_422_naming_the_field(world, body, field):
    found = problem(call("POST", "/providers/dr-ada/time-off", world.staff.token, json=body), 422,
                    "validation_failed")
    assert any(e["field"].startswith(field) for e in found["errors"]), found


def test_the_conflicts_list_shows_flagged_appointments_to_admins_and_the_providers_staff(world, stranger):
    clear = book(world, at(world.day, 10)).json()["id"]
    hit = book(world, at(world.day, 14), world.other.token).json()["id"]
    assert call("POST", "/providers/dr-ada/time-off", world.staff.token, json=meeting(world)).json()["conflicts"] == [hit]

    def listed(actor):
        return [a["id"] for a in call("GET", "/appointments", actor.token, params={"conflicts": "true"}).json()["items"]]

    assert listed(world.admin) == [hit]
    assert listed(world.staff) == [hit]
    assert listed(stranger) == []  # staff of dr-bob: their provider has none
    assert clear not in listed(world.admin)
    problem(call("GET", "/appointments", world.customer.token, params={"conflicts": "true"}), 403, "forbidden")


def test_a_providers_staff_set_its_feed_url_and_never_its_status(world, db, stranger):
    url = "https://calendar.example.com/ada/private-0123/basic.ics"
    problem(call("GET", "/providers/dr-ada/calendar-feed", world.staff.token), 404, "not_found")

    resp = call("PUT", "/providers/dr-ada/calendar-feed", world.staff.token, json={"url": url})

    assert resp.status_code == 200, resp.text
    assert resp.json() == {"providerId": "dr-ada", "url": url, "status": None}
    db.document("calendarFeeds/dr-ada").update({"status": {"state": "ok", "events": 2, "error": None}})
    again = call("PUT", "/providers/dr-ada/calendar-feed", world.admin.token, json={"url": url + "?v=2"}).json()
    assert again["status"] == {"state": "ok", "checkedAt": None, "importedAt": None, "events": 2, "error": None}
    problem(call("PUT", "/providers/dr-ada/calendar-feed", world.staff.token,
                 json={"url": url, "status": {"state": "ok"}}), 422, "validation_failed")
    problem(call("PUT", "/providers/dr-ada/calendar-feed", world.staff.token,
                 json={"url": "http://calendar.example.com/a.ics"}), 422, "validation_failed")
    for actor in (stranger, world.customer):
        problem(call("GET", "/providers/dr-ada/calendar-feed", actor.token), 403, "forbidden")
        problem(call("PUT", "/providers/dr-ada/calendar-feed", actor.token, json={"url": url}), 403, "forbidden")
    assert call("DELETE", "/providers/dr-ada/calendar-feed", world.staff.token).status_code == 204
    assert not db.document("calendarFeeds/dr-ada").get().exists


def test_feed_time_off_is_not_writable(world, db):
    db.document("timeOff/feed_1").set({"providerIds": ["dr-ada"], "start": at(world.day, 16),
                                        "end": at(world.day, 17), "title": "Busy", "source": "feed"})
    problem(call("DELETE", "/providers/dr-ada/time-off/feed_1", world.admin.token), 403, "forbidden")
    problem(call("PUT", "/time-off/feed_1", world.admin.token, json={**meeting(world), "providerIds": ["dr-ada"]}),
            403, "forbidden")
    assert call("GET", "/providers/dr-ada/time-off/feed_1", world.staff.token).json()["source"] == "feed"


def test_removing_a_feed_through_the_api_removes_its_busy_time_at_once(world, db):
    db.document("calendarFeeds/dr-ada").set({"url": "https://calendar.example.com/ada.ics"})
    db.document("timeOff/feed_busy").set({"providerIds": ["dr-ada"], "start": at(world.day, 16),
                                          "end": at(world.day, 17), "title": "Busy", "source": "feed"})
    wait_for_sheet(db, "dr-ada", world.day,
                   lambda s: [t["id"] for t in s.get("timeOff", [])] == ["feed_busy"])

    assert call("DELETE", "/providers/dr-ada/calendar-feed", world.staff.token).status_code == 204

    assert not db.document("timeOff/feed_busy").get().exists
    assert sheet(db, "dr-ada", world.day).get("timeOff") == []
