"""A customer's erasure and export through Hosting: the customer themselves
or an admin, nobody else; the export holds every document about them and
nothing about anyone else."""

from __future__ import annotations

import json

from google.cloud import firestore
from support import emulator
from support.api import book, call, iso, problem
from support.world import at, wait_for_sheet


def test_a_customer_erases_itself_and_its_token_then_stops_working(world, db):
    booked = book(world, at(world.day, 10))
    assert booked.status_code == 201, booked.text
    assert wait_for_sheet(db, "dr-ada", world.day, lambda s: at(world.day, 10) not in s["available"]["consult"])

    resp = call("DELETE", f"/customers/{world.customer.uid}", world.customer.token)

    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert {k: body[k] for k in ("customerId", "state", "phase", "requestedBy")} == {
        "customerId": world.customer.uid, "state": "done", "phase": "done",
        "requestedBy": {"uid": world.customer.uid, "role": "customer"}}
    assert {k: body["counts"][k] for k in ("accounts", "cancelled", "appointments", "requests", "profiles")} == {
        "accounts": 1, "cancelled": 1, "appointments": 1, "requests": 1, "profiles": 1}
    assert wait_for_sheet(db, "dr-ada", world.day, lambda s: at(world.day, 10) in s["available"]["consult"])
    appointment = db.document(f"appointments/{booked.json()['id']}").get().to_dict()
    assert (appointment["status"], appointment["cancelReason"], appointment["customerName"]) == (
        "cancelled", "customer_erased", "")
    problem(call("DELETE", f"/customers/{world.customer.uid}", world.customer.token), 401, "unauthenticated")
    assert call("DELETE", f"/customers/{world.customer.uid}", world.admin.token).json() == body


def test_staff_and_other_customers_may_neither_erase_nor_export(world):
    for token in (world.staff.token, world.other.token):
        problem(call("DELETE", f"/customers/{world.customer.uid}", token), 403, "forbidden")
        problem(call("GET", f"/customers/{world.customer.uid}/export", token), 403, "forbidden")
    problem(call("GET", f"/customers/{world.customer.uid}/export"), 401, "unauthenticated")
    problem(call("GET", "/customers/nobody-here/export", world.admin.token), 404, "not_found")


def _ids(db, collection: str, field: str, value: str) -> list[str]:
    query = db.collection(collection).where(filter=firestore.FieldFilter(field, "==", value))
    return sorted(s.id for s in query.stream())


def test_the_export_holds_every_document_about_the_customer_and_nothing_about_anyone_else(world, db):
    kept = book(world, at(world.day, 10), notes="left knee")
    moved_away = book(world, at(world.day, 11))
    theirs = book(world, at(world.day, 12), token=world.other.token)
    assert {kept.status_code, moved_away.status_code, theirs.status_code} == {201}
    staff_cancel = call("DELETE", f"/appointments/{moved_away.json()['id']}", world.staff.token,
                        params={"reason": "the doctor is away"})
    assert staff_cancel.status_code == 200, staff_cancel.text
    emulator.wait_for_functions_idle()

    resp = call("GET", f"/customers/{world.customer.uid}/export", world.customer.token)

    assert resp.status_code == 200, resp.text
    assert resp.headers["content-disposition"] == (
        f'attachment; filename="customer-{world.customer.uid}-export.json"')
    export = resp.json()
    assert export["profile"] == {"id": world.customer.uid, "name": "Grace Hopper",
                                 "email": f"{world.customer.uid.lower()}@example.com"}
    appointments = {a["id"]: a for a in export["appointments"]}
    assert sorted(appointments) == _ids(db, "appointments", "customerId", world.customer.uid)
    assert sorted(appointments) == sorted([kept.json()["id"], moved_away.json()["id"]])
    assert appointments[kept.json()["id"]]["notes"] == "left knee"
    assert appointments[kept.json()["id"]]["start"] == iso(at(world.day, 10))
    assert [(h["status"], h["by"]) for h in appointments[moved_away.json()["id"]]["history"]] == [
        ("confirmed", "you"), ("cancelled", "business")]
    assert sorted(r["id"] for r in export["bookingRequests"]) == _ids(
        db, "bookingRequests", "customerId", world.customer.uid)
    mail_to_them = _ids(db, "mail", "to", export["profile"]["email"])
    assert sorted(m["id"] for m in export["mail"]) == mail_to_them
    assert f"{moved_away.json()['id']}-cancelled" in mail_to_them
    assert export["textMessages"] == []
    assert export["truncated"] is False
    text = json.dumps(export)
    for stranger in ("Alan Turing", world.other.uid, world.other.email.lower(), world.staff.uid, theirs.json()["id"]):
        assert stranger not in text
    assert "Dr. Ada Lovelace" in text and "Consultation" in text
    assert call("GET", f"/customers/{world.customer.uid}/export", world.admin.token).json()["appointments"] == \
        export["appointments"]
