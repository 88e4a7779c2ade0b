"""Lists walk page by page without losing or repeating an item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from support.api import call, problem


def walk(path, token, page_size, params=None):
    seen, pages, token_ = [], 0, None
    while True:
        query = {"pageSize": page_size, **(params or {})}
        if token_:
            query["pageToken"] = token_
        resp = call("GET", path, token, params=query)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert len(body["items"]) <= page_size
        seen.extend(body["items"])
        pages += 1
        token_ = body["nextPageToken"]
        if not token_:
            return seen, pages


def test_120_customers_in_pages_of_50(world, db):
    batch = db.batch()
    for n in range(118):  # plus the world's two
        batch.set(db.document(f"customers/c{n:03d}"), {"name": f"Customer {n}", "email": f"c{n}@example.com"})
    batch.commit()

    items, pages = walk("/customers", world.admin.token, 50)

    ids = [c["id"] for c in items]
    assert len(ids) == 120 and len(set(ids)) == 120
    assert ids == sorted(ids)
    assert pages == 3


def test_120_appointments_sorted_by_start_in_pages_of_7(world, db):
    base = datetime(2031, 1, 6, 9, tzinfo=UTC)
    batch = db.batch()
    for n in range(120):
        # several appointments share a start, so the id breaks ties
        start = base + timedelta(minutes=30 * (n // 3))
        batch.set(db.document(f"appointments/a{(n * 37) % 120:03d}"), {
            "providerId": "dr-ada", "customerId": world.customer.uid, "appointmentTypeId": "consult",
            "start": start, "end": start + timedelta(minutes=30), "blockStart": start,
            "blockEnd": start + timedelta(minutes=30), "status": "confirmed", "timeZone": "UTC",
            "cancellableUntil": start})
    batch.commit()

    items, pages = walk("/appointments", world.customer.token, 7, {"providerId": "dr-ada"})

    keys = [(a["start"], a["id"]) for a in items]
    assert len(keys) == 120 and len({k[1] for k in keys}) == 120
    assert keys == sorted(keys)
    assert pages == 18


def test_page_size_and_token_are_checked(world):
    problem(call("GET", "/appointment-types?pageSize=0"), 422)
    problem(call("GET", "/appointment-types?pageSize=201"), 422)
    problem(call("GET", "/appointment-types?pageToken=garbage!"), 400, "invalid_page_token")
    problem(call("GET", "/appointments?pageToken=WyJ4Il0", world.admin.token), 400, "invalid_page_token")
    assert call("GET", "/appointment-types?pageSize=200").status_code == 200
