"""Time off on the real emulator suite: a staff member's client write is
applied by the trigger to exactly the sheets it touches, and bookings
racing a time-off write are either refused or land first and are flagged,
never left inside time off without a flag."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from booking.services.time_off import apply_time_off
from booking.store import converters as conv
from support import emulator
from support.concurrency import Gate, own_store, pausing_store, process_stored, triggers_off
from support.invariants import assert_conflicts_flagged, assert_no_overlaps, assert_sheets_match_scratch
from support.world import a_future_day, at, seed, signed_up_customers, wait_for_sheet

DAY = a_future_day(5)
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LONG_DAYS = {d: [{"start": "06:00", "end": "21:00"}] for d in EVERY_DAY}


def _meeting(uid, start, end, **extra):
    return {"providerIds": ["dr-ada"], "start": start, "end": end, "title": "Staff meeting",
            "source": "manual", "createdBy": uid, **extra}


def _sheet_versions(db):
    return {s.id: s.update_time for s in db.collection("slots").stream()}


def _all_sheets_built(db, days=7):
    for n in range(days):
        wait_for_sheet(db, "dr-ada", DAY + timedelta(days=n))


def test_a_staff_meeting_written_through_the_rules_rewrites_exactly_its_days_sheet_and_closes_its_starts(
        db, clean_firestore, new_user):
    seed(db, weekly=LONG_DAYS)
    _all_sheets_built(db)
    staff_uid, staff_token, _ = new_user({"providerId": "dr-ada"})
    before = _sheet_versions(db)

    response = emulator.rest_create("timeOff/meeting-1", _meeting(staff_uid, at(DAY, 14), at(DAY, 15, 30)),
                                    staff_token)

    assert response.status_code == 200
    closed = wait_for_sheet(db, "dr-ada", DAY, lambda s: s.get("timeOff"))
    changed = sorted(i for i, v in _sheet_versions(db).items() if before.get(i) != v)
    assert changed == [f"dr-ada_{DAY.isoformat()}"]
    assert [s["id"] for s in closed["timeOff"]] == ["meeting-1"]
    starts = {t.astimezone(UTC).strftime("%H:%M") for t in closed["available"]["consult"]}
    assert {"13:00", "13:30", "15:30"} <= starts
    assert not {"14:00", "14:30", "15:00"} & starts
    assert_sheets_match_scratch(db, "dr-ada")


def test_applying_a_meeting_costs_its_sheet_and_the_days_appointments_and_a_second_run_writes_nothing(
        db, clean_firestore):
    seed(db, weekly=LONG_DAYS)
    _all_sheets_built(db)
    store = own_store()
    with triggers_off():
        meeting = conv.time_off_from("meeting-2", _meeting("admin", at(DAY, 9), at(DAY, 10)))
        db.document("timeOff/meeting-2").set(conv.time_off_to(meeting))

        first = apply_time_off(store, {"meeting-2": (None, meeting)}, now=datetime.now(UTC))
        first_counts = dict(store.counts)
        store.counts.clear()
        second = apply_time_off(store, {"meeting-2": (None, meeting)}, now=datetime.now(UTC))

    # the provider, the types, the sheet, the day's appointments (none:
    # billed as one), the time off; one write: the sheet
    assert first_counts == {"reads": 5, "writes": 1, "commits": 1}
    assert first.written == 1 and second.written == 0
    assert dict(store.counts) == {"reads": 5}


def _twenty_requests(db, new_user):
    """Twenty requests for 09:00 .. 18:30 of DAY, written through the rules,
    and a meeting 11:00-16:00 written by staff: nothing processed yet."""
    users = signed_up_customers(db, new_user, 20)
    staff_uid, staff_token, _ = new_user({"providerId": "dr-ada"})
    ids = [f"tor-{n}" for n in range(20)]
    starts = [at(DAY, 9 + n // 2, 30 * (n % 2)) for n in range(20)]
    writes = [(f"bookingRequests/{i}", {"customerId": uid, "providerId": "dr-ada", "appointmentTypeId": "consult",
                                         "start": start, "status": "pending", "createdAt": emulator.SERVER_TIME},
               token) for i, (uid, token), start in zip(ids, users, starts)]
    writes.append(("timeOff/meeting-r", _meeting(staff_uid, at(DAY, 11), at(DAY, 16)), staff_token))
    with triggers_off(), ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda w: emulator.rest_create(*w).status_code, writes))
    assert codes == [200] * len(writes)
    return ids


def _apply_stored(store, time_off_id):
    snapshot = store.db.document(f"timeOff/{time_off_id}").get()
    after = conv.time_off_from(time_off_id, snapshot.to_dict())
    return apply_time_off(store, {time_off_id: (None, after)}, now=datetime.now(UTC))


def _settle(db, ids):
    statuses = {i: db.document(f"bookingRequests/{i}").get().to_dict()["status"] for i in ids}
    assert "pending" not in statuses.values()
    flagged = assert_conflicts_flagged(db, "dr-ada")
    assert_no_overlaps(db, "dr-ada")
    assert_sheets_match_scratch(db, "dr-ada")
    return statuses, flagged


def test_twenty_bookings_racing_a_time_off_write_are_refused_or_flagged_never_inside_it_unflagged(
        db, clean_firestore, new_user):
    seed(db, weekly=LONG_DAYS)
    wait_for_sheet(db, "dr-ada", DAY)
    ids = _twenty_requests(db, new_user)
    stores = [own_store() for _ in range(21)]

    def run(n):
        if n == 20:
            return _apply_stored(stores[n], "meeting-r")
        return process_stored(stores[n], ids[n])

    with ThreadPoolExecutor(max_workers=21) as pool:
        list(pool.map(run, range(21)))

    statuses, flagged = _settle(db, ids)
    # 11:00-16:00 holds starts 11:00 .. 15:30: the ten requests n = 4 .. 13
    inside = {f"tor-{n}" for n in range(4, 14)}
    for request_id in inside:
        assert statuses[request_id] == "rejected" or flagged[request_id] == ["meeting-r"]
    assert set(flagged) <= inside
    assert all(statuses[i] == "confirmed" for i in set(ids) - inside)


def test_bookings_that_land_while_the_time_off_is_paused_after_its_sheet_read_end_up_flagged(
        db, clean_firestore, new_user):
    seed(db, weekly=LONG_DAYS)
    wait_for_sheet(db, "dr-ada", DAY)
    ids = _twenty_requests(db, new_user)
    gate = Gate()
    paused = pausing_store(sheets=gate)

    with ThreadPoolExecutor(max_workers=1) as pool:
        applying = pool.submit(_apply_stored, paused, "meeting-r")
        gate.wait_reached()
        outcomes = [process_stored(own_store(), i) for i in ids]  # every booking lands first
        gate.open()
        report = applying.result()

    assert [o.status for o in outcomes] == ["confirmed"] * 20
    inside = sorted(f"tor-{n}" for n in range(4, 14))
    assert report.conflicts == {"meeting-r": inside}
    statuses, flagged = _settle(db, ids)
    assert flagged == {i: ["meeting-r"] for i in inside}
    assert paused.counts["conflicts"] >= 1  # its first commit lost to the bookings
