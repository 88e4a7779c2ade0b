"""Series through Hosting (REST) and the callables: all or nothing, skip,
and cancelling "this and following"."""

from __future__ import annotations

from datetime import timedelta

from support.api import book, call, callable_, iso, problem
from support.world import at

WEEK = timedelta(weeks=1)
WEEKLY_3 = {"frequency": "weekly", "count": 3}


def mine(world, token=None):
    listed = call("GET", "/appointments", token or world.customer.token, params={"status": "confirmed"}).json()
    return [(a["start"], a.get("seriesIndex")) for a in listed["items"]]


def test_a_customer_books_a_weekly_series_and_gets_every_occurrence(world, db):
    resp = book(world, at(world.day, 10), recurrence=WEEKLY_3)

    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert [(a["start"], a["seriesId"], a["seriesIndex"], a["status"]) for a in body["appointments"]] == [
        (iso(at(world.day, 10) + n * WEEK), body["seriesId"], n + 1, "confirmed") for n in range(3)]
    assert body["skipped"] == []
    assert [a["id"] for a in body["appointments"]] == [f"{body['seriesId']}-{n:02d}" for n in (1, 2, 3)]
    request = db.document(f"bookingRequests/{body['seriesId']}").get().to_dict()
    assert (request["status"], request["recurrence"], request["onConflict"]) == ("confirmed", WEEKLY_3, "reject")
    problem(book(world, at(world.day, 10) + WEEK, world.other.token), 409, "slot_taken")


def test_a_series_with_a_taken_third_date_is_409_naming_it_and_books_nothing(world):
    assert book(world, at(world.day, 10) + 2 * WEEK, world.other.token).status_code == 201

    refused = problem(book(world, at(world.day, 10), recurrence=WEEKLY_3), 409, "slot_taken")

    assert refused["failedOccurrence"] == {"index": 3, "start": (at(world.day, 10) + 2 * WEEK).isoformat()}
    assert refused["detail"].startswith("Occurrence 3 of 3 (")
    assert mine(world) == []


def test_skip_books_the_free_dates_and_lists_the_taken_one(world):
    assert book(world, at(world.day, 10) + WEEK, world.other.token).status_code == 201

    body = book(world, at(world.day, 10), recurrence=WEEKLY_3, onConflict="skip").json()

    assert [a["seriesIndex"] for a in body["appointments"]] == [1, 3]
    assert [(m["index"], m["start"], m["reason"]) for m in body["skipped"]] == [
        (2, iso(at(world.day, 10) + WEEK), "slot_taken")]


def test_series_input_is_validated(world):
    problem(book(world, at(world.day, 10), onConflict="skip"), 422, "validation_failed")
    problem(book(world, at(world.day, 10), recurrence={"frequency": "weekly", "count": 27}), 422, "validation_failed")
    problem(book(world, at(world.day, 10), recurrence={"frequency": "daily", "count": 3}), 422, "validation_failed")
    problem(book(world, at(world.day, 10), recurrence={"frequency": "weekly", "count": "3"}), 422,
            "validation_failed")
    assert mine(world) == []


def test_cancelling_the_second_and_following_keeps_the_first_and_only_its_customer_may(world):
    body = book(world, at(world.day, 10), recurrence=WEEKLY_3).json()
    first, second, third = (a["id"] for a in body["appointments"])

    problem(call("POST", f"/appointments/{second}/cancel", world.other.token, json={"scope": "following"}), 404)
    problem(call("POST", f"/appointments/{second}/cancel", world.customer.token, json={"scope": "all"}), 422)
    resp = call("POST", f"/appointments/{second}/cancel", world.customer.token, json={"scope": "following"})

    assert resp.status_code == 200, resp.text
    assert (resp.json()["cancelled"], resp.json()["kept"], resp.json()["appointment"]["status"]) == (
        [second, third], [], "cancelled")
    assert mine(world) == [(iso(at(world.day, 10)), 1)]
    again = call("POST", f"/appointments/{second}/cancel", world.customer.token, json={"scope": "following"})
    assert again.json()["cancelled"] == []
    alone = call("POST", f"/appointments/{first}/cancel", world.customer.token, json={"scope": "this"}).json()
    assert (alone["cancelled"], mine(world)) == ([first], [])


def test_the_callables_book_a_series_and_cancel_this_and_following(world):
    data = {"providerId": "dr-ada", "appointmentTypeId": "consult", "start": iso(at(world.day, 10)),
            "recurrence": WEEKLY_3}

    booked = callable_("book_appointment", data, world.customer.token)

    assert booked.status_code == 200, booked.text
    series = booked.json()["result"]
    assert [a["seriesIndex"] for a in series["appointments"]] == [1, 2, 3]
    taken = callable_("book_appointment", data, world.other.token).json()["error"]
    assert (taken["status"], taken["details"]["code"], taken["details"]["failedOccurrence"]["index"]) == (
        "ALREADY_EXISTS", "slot_taken", 1)
    cancelled = callable_("cancel_appointment", {"appointmentId": series["appointments"][0]["id"],
                                                 "scope": "following"}, world.customer.token)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["result"]["cancelled"] == [a["id"] for a in series["appointments"]]
    assert mine(world) == []
