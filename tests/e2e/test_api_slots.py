"""GET /available-slots through Hosting: reads the stored day sheets, in the
booker's zone, for one provider or every active provider offering the type."""

from __future__ import annotations

from datetime import timedelta

from support.api import book, call, iso, problem
from support.world import at, seed, wait_for, wait_for_sheet


def slots_url(**params):
    query = "&".join(f"{k}={v}" for k, v in {"appointmentTypeId": "consult", **params}.items())
    return f"/available-slots?{query}"


def day_slots(day, provider="dr-ada", offset="+00:00", skip=()):
    out = []
    for n in range(16):
        start = at(day, 9) + timedelta(minutes=30 * n)
        if start in skip:
            continue
        end = start + timedelta(minutes=30)
        out.append({"start": start.isoformat().replace("+00:00", offset),
                    "end": end.isoformat().replace("+00:00", offset), "providerId": provider})
    return out


def test_one_provider_one_day_exact_body_without_a_token(world):
    resp = call("GET", slots_url(providerId="dr-ada", **{"from": world.day, "to": world.day}))

    assert resp.status_code == 200, resp.text
    assert resp.json() == {"appointmentTypeId": "consult", "providerId": "dr-ada", "timeZone": "UTC",
                           "from": world.day.isoformat(), "to": world.day.isoformat(),
                           "dates": {world.day.isoformat(): day_slots(world.day)}}
    # the type, the provider and one day sheet
    assert resp.headers["x-doc-reads"] == "3"


def test_a_booked_slot_is_gone(world):
    start = at(world.day, 10)
    assert book(world, start).status_code == 201

    resp = call("GET", slots_url(providerId="dr-ada", **{"from": world.day, "to": world.day}))

    assert resp.json()["dates"][world.day.isoformat()] == day_slots(world.day, skip={start})


def test_slots_are_grouped_by_the_bookers_dates_and_offset(world):
    resp = call("GET", slots_url(providerId="dr-ada", timeZone="Pacific/Kiritimati",
                                 **{"from": world.day + timedelta(days=1), "to": world.day + timedelta(days=1)}))

    # 09:00-17:00 UTC is 23:00 (day before) to 07:00 in UTC+14: only the day's
    # 10:00 UTC onwards falls on the requested Kiritimati date
    body = resp.json()
    assert list(body["dates"]) == [(world.day + timedelta(days=1)).isoformat()]
    slots = body["dates"][(world.day + timedelta(days=1)).isoformat()]
    assert slots[0] == {"start": f"{world.day + timedelta(days=1)}T00:00:00+14:00",
                        "end": f"{world.day + timedelta(days=1)}T00:30:00+14:00", "providerId": "dr-ada"}
    # the day's 10:00-16:30 UTC and the next day's 09:00 and 09:30 UTC
    assert len(slots) == 16


def test_without_a_provider_every_active_provider_offering_the_type_from_one_view_read_per_date(world, db):
    seed(db, provider_id="dr-bob")
    seed(db, provider_id="dr-cy", type_id="other")
    assert wait_for_sheet(db, "dr-bob", world.day, lambda s: len(s["available"].get("consult", [])) == 16)
    merged = sorted(day_slots(world.day) + day_slots(world.day, "dr-bob"), key=lambda s: (s["start"], s["providerId"]))

    # The typeSlots view follows the sheets a trigger later.
    resp = wait_for(lambda: (r := call("GET", slots_url(**{"from": world.day, "to": world.day})))
                    .json()["dates"] == {world.day.isoformat(): merged} and r)

    assert resp, "the any-provider view never listed both providers' free times"
    assert resp.json()["providerId"] is None
    # the type and one view document (this UTC date's), however many providers
    assert resp.headers["x-doc-reads"] == "2"
    week = call("GET", slots_url(**{"from": world.day}))
    assert week.headers["x-doc-reads"] == str(1 + 7)


def test_the_range_defaults_to_a_week_and_reads_one_sheet_per_day(world):
    resp = call("GET", slots_url(providerId="dr-ada", **{"from": world.day}))

    body = resp.json()
    assert body["to"] == (world.day + timedelta(days=6)).isoformat()
    assert len(body["dates"]) == 7
    assert resp.headers["x-doc-reads"] == str(2 + 7)


def test_bad_searches(world):
    problem(call("GET", slots_url(**{"from": world.day, "to": world.day + timedelta(days=31)})), 422,
            "validation_failed")
    problem(call("GET", slots_url(**{"from": world.day, "to": world.day - timedelta(days=1)})), 422)
    problem(call("GET", slots_url(timeZone="Mars/Base")), 422)
    problem(call("GET", slots_url(**{"from": "tomorrow"})), 422)
    problem(call("GET", slots_url(**{"from": "9999-12-30"})), 422)
    problem(call("GET", slots_url(**{"from": "0001-01-01", "to": "0001-01-02"})), 422)
    problem(call("GET", "/available-slots"), 422)
    problem(call("GET", slots_url(appointmentTypeId="nope")), 404, "not_found")
    problem(call("GET", slots_url(providerId="nope")), 404, "not_found")
    ok = call("GET", slots_url(**{"from": world.day, "to": world.day + timedelta(days=30)}))
    assert ok.status_code == 200


def test_notice_and_horizon_come_from_the_type_as_it_is_now(world, db):
    db.document("appointmentTypes/consult").update({"horizonDays": 1})

    resp = call("GET", slots_url(providerId="dr-ada", **{"from": world.day, "to": world.day}))

    assert resp.json()["dates"] == {}
