"""/waitlist over REST, through Hosting (issue 18): customers join, read and
withdraw their own entries; staff read their provider's; admins all; bad
bodies and the cap are refused with a code."""

from __future__ import annotations

from support.api import call, problem


def window(world, **extra):
    return {"appointmentTypeId": "consult", "providerId": "dr-ada", "firstDay": world.day.isoformat(),
            "lastDay": world.day.isoformat(), "mode": "book", **extra}


def shown(entry):
    return {k: v for k, v in entry.items() if k not in ("createdAt", "history")}


def test_a_customer_joins_reads_lists_and_withdraws_its_own_entry_and_staff_may_only_read_it(world):
    joined = call("POST", "/waitlist", world.customer.token, json=window(world, id="wl-1", after="12:00"))

    assert joined.status_code == 201, joined.text
    expected = {"id": "wl-1", "customerId": world.customer.uid, "appointmentTypeId": "consult",
                "providerId": "dr-ada", "firstDay": world.day.isoformat(), "lastDay": world.day.isoformat(),
                "after": "12:00", "timeZone": "UTC", "mode": "book", "status": "waiting"}
    assert shown(joined.json()) == expected
    assert [h["status"] for h in joined.json()["history"]] == ["waiting"]
    assert shown(call("GET", "/waitlist/wl-1", world.customer.token).json()) == expected
    assert [e["id"] for e in call("GET", "/waitlist", world.customer.token).json()["items"]] == ["wl-1"]
    assert shown(call("GET", "/waitlist/wl-1", world.staff.token).json()) == expected
    assert [e["id"] for e in call("GET", "/waitlist?providerId=dr-ada", world.staff.token).json()["items"]] == ["wl-1"]
    problem(call("GET", "/waitlist/wl-1", world.other.token), 404, "not_found")
    problem(call("DELETE", "/waitlist/wl-1", world.staff.token), 403, "forbidden")

    withdrawn = call("DELETE", "/waitlist/wl-1", world.customer.token)

    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert [h["status"] for h in withdrawn.json()["history"]] == ["waiting", "withdrawn"]
    problem(call("DELETE", "/waitlist/wl-1", world.customer.token), 409, "invalid_transition")


def test_who_may_list_whose_waitlist(world):
    assert call("POST", "/waitlist", world.admin.token, json=window(world, id="for-other",
                                                                  customerId=world.other.uid)).status_code == 201
    problem(call("POST", "/waitlist", world.customer.token, json=window(world, customerId=world.other.uid)),
            403, "forbidden")
    problem(call("GET", f"/waitlist?customerId={world.other.uid}", world.customer.token), 403, "forbidden")
    problem(call("GET", "/waitlist?providerId=dr-bob", world.staff.token), 403, "forbidden")
    problem(call("GET", "/waitlist", None), 401, "unauthenticated")
    listed = call("GET", f"/waitlist?customerId={world.other.uid}", world.admin.token).json()["items"]
    assert [e["id"] for e in listed] == ["for-other"]


def test_bad_windows_unknown_types_and_a_sixth_active_entry_are_refused_with_a_code(world):
    bad = problem(call("POST", "/waitlist", world.customer.token,
                       json=window(world, firstDay="2030-01-10", lastDay="2030-01-09")), 422, "validation_failed")
    assert bad["errors"] == [{"field": "body.lastDay", "message": "lastDay must not be before firstDay"}]
    zone = problem(call("POST", "/waitlist", world.customer.token, json=window(world, timeZone="Mars/Base")),
                   422, "validation_failed")
    assert zone["errors"] == [{"field": "body.timeZone", "message": "timeZone must be an IANA time zone"}]
    problem(call("POST", "/waitlist", world.customer.token, json=window(world, appointmentTypeId="massage")),
            409, "unknown_type")
    for n in range(5):
        assert call("POST", "/waitlist", world.customer.token, json=window(world, id=f"e{n}")).status_code == 201
    sixth = problem(call("POST", "/waitlist", world.customer.token, json=window(world)), 409, "too_many_entries")
    assert sixth["detail"] == "You already wait for 5 times; withdraw one to join another."
    assert call("DELETE", "/waitlist/e0", world.customer.token).status_code == 200
    assert call("POST", "/waitlist", world.customer.token, json=window(world, id="e5")).status_code == 201
