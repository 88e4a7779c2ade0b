"""The daily upkeep fanned out: the daily job enqueues one named task per
active provider, and each task does that one provider's upkeep, on the
in-memory store with the fake task queue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from booking.domain.models import Availability, Provider
from booking.services.sweep import sweep
from booking.services.type_slots import view_starts
from booking.services.upkeep import InvalidTask, daily, run_upkeep_task, upkeep_task_id
from booking.store import paths
from fake_queue import FakeTaskQueue
from fake_store import ALL_WEEK_9_TO_5, NOW, PROVIDER_ID, FakeStore, request_doc, seeded, submit, utc

OTHER = "dr-bea"
ADA_TODAY = "bd9d44b2-upkeep-dr-ada-2026-01-05"
BEA_TODAY = "0eaf359b-upkeep-dr-bea-2026-01-05"
ADA_TOMORROW = "b9e46a48-upkeep-dr-ada-2026-01-06"
MON = date(2026, 1, 12)


def two_providers() -> FakeStore:
    """dr-ada in Berlin (seeded) and dr-bea in UTC, both offering the consultation."""
    store = seeded()
    store.add_provider(Provider(id=OTHER, name="Dr. Bea", time_zone="UTC", type_ids=["consult"]))
    store.set_availability(Availability.model_validate({"providerId": OTHER, "weekly": ALL_WEEK_9_TO_5}))
    store.counts.clear()
    return store


def run_all(store: FakeStore, queue: FakeTaskQueue, now=NOW) -> dict[str, object]:
    """What Cloud Tasks does with the queue: run every task once."""
    return {task_id: run_upkeep_task(store, payload, now=now) for task_id, (payload, _) in queue.tasks.items()}


def test_the_daily_job_enqueues_one_task_per_active_provider_named_for_it_and_the_utc_date():
    store = two_providers()
    store.add_provider(Provider(id="dr-gone", name="Dr. Gone", time_zone="UTC", active=False))
    queue = FakeTaskQueue()

    report = daily(store, queue, now=NOW)

    assert report.enqueued == [PROVIDER_ID, OTHER]
    assert queue.tasks == {
        ADA_TODAY: ({"providerId": PROVIDER_ID, "date": "2026-01-05"}, NOW),
        BEA_TODAY: ({"providerId": OTHER, "date": "2026-01-05"}, NOW),
    }
    assert upkeep_task_id(PROVIDER_ID, date(2026, 1, 5)) == ADA_TODAY


def test_the_daily_job_itself_writes_no_sheet():
    store = two_providers()
    daily(store, FakeTaskQueue(), now=NOW)
    assert store.ids(paths.SLOTS) == []


def test_a_second_daily_run_on_the_same_utc_day_enqueues_no_new_task():
    store = two_providers()
    queue = FakeTaskQueue()
    daily(store, queue, now=NOW)
    daily(store, queue, now=NOW + timedelta(hours=15, minutes=59))  # 23:59 UTC, same date

    assert sorted(queue.tasks) == sorted([ADA_TODAY, BEA_TODAY])
    assert queue.enqueue_calls == [ADA_TODAY, BEA_TODAY, ADA_TODAY, BEA_TODAY]


def test_the_next_utc_day_gets_new_task_names():
    store = seeded()
    queue = FakeTaskQueue()
    daily(store, queue, now=NOW)
    daily(store, queue, now=utc(2026, 1, 6, 0, 0))
    assert sorted(queue.tasks) == sorted([ADA_TODAY, ADA_TOMORROW])


def test_a_queue_refusal_for_one_provider_is_recorded_and_the_others_are_still_enqueued():
    store = two_providers()
    queue = FakeTaskQueue()
    queue.refuse.add(ADA_TODAY)

    report = daily(store, queue, now=NOW)

    assert report.failed == {PROVIDER_ID: "UNAVAILABLE"}
    assert report.enqueued == [OTHER]
    assert list(queue.tasks) == [BEA_TODAY]


def test_the_daily_job_still_re_drives_a_request_left_pending():
    store = seeded()
    store.add_request("stale", request_doc(utc(2026, 1, 12, 9), created=NOW - timedelta(minutes=3)))

    report = daily(store, FakeTaskQueue(), now=NOW)

    assert report.requests == {"stale": "confirmed"}
    assert store.doc(paths.BOOKING_REQUESTS, "stale")["status"] == "confirmed"


def test_a_task_recomputes_exactly_its_own_provider_up_to_the_horizon():
    store = two_providers()

    report = run_upkeep_task(store, {"providerId": PROVIDER_ID, "date": "2026-01-05"}, now=NOW)

    assert report.sheets_written == 33
    assert report.error is None
    slots = store.ids(paths.SLOTS)
    assert (slots[0], slots[-1], len(slots)) == ("dr-ada_2026-01-04", "dr-ada_2026-02-05", 33)


def test_a_task_brings_the_any_provider_view_in_line_with_its_own_providers_sheets():
    store = two_providers()
    half_hours = [utc(2026, 1, 12, 8) + timedelta(minutes=30 * n) for n in range(16)]  # 09:00-16:30 Berlin

    ada = run_upkeep_task(store, {"providerId": PROVIDER_ID}, now=NOW)

    assert (ada.sheets_written, ada.view_written) == (33, 33)
    assert view_starts(store, "consult", utc(2026, 1, 12), utc(2026, 1, 13)) == [(t, PROVIDER_ID) for t in half_hours]
    run_upkeep_task(store, {"providerId": OTHER}, now=NOW)
    bea_hours = [utc(2026, 1, 12, 9) + timedelta(minutes=30 * n) for n in range(16)]  # 09:00-16:30 UTC
    assert view_starts(store, "consult", utc(2026, 1, 12), utc(2026, 1, 13)) == sorted(
        [(t, PROVIDER_ID) for t in half_hours] + [(t, OTHER) for t in bea_hours])


def test_a_task_releases_the_block_of_a_cancel_whose_trigger_was_lost():
    store = seeded()
    submit(store, "req-1", utc(2026, 1, 12, 9))
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "cancelled"})  # the trigger never ran

    report = run_upkeep_task(store, {"providerId": PROVIDER_ID}, now=NOW + timedelta(minutes=10))

    assert report.released == ["req-1"]
    assert store.stored_sheet(PROVIDER_ID, MON).blocks == ()
    assert store.doc(paths.APPOINTMENTS, "req-1")["held"] is False


def test_a_task_run_twice_writes_nothing_the_second_time():
    store = seeded()
    submit(store, "req-1", utc(2026, 1, 12, 9))
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "cancelled"})
    run_upkeep_task(store, {"providerId": PROVIDER_ID}, now=NOW)
    before = store.snapshot()

    again = run_upkeep_task(store, {"providerId": PROVIDER_ID}, now=NOW)

    assert (again.sheets_written, again.released) == (0, [])
    assert store.snapshot() == before


@pytest.mark.parametrize("payload", [None, [], {}, {"providerId": 7}, {"providerId": "a/b"}, {"providerId": ""}])
def test_a_task_without_a_valid_provider_id_is_refused_without_touching_anything(payload):
    store = seeded()
    before = store.snapshot()
    with pytest.raises(InvalidTask):
        run_upkeep_task(store, payload, now=NOW)
    assert store.snapshot() == before


def test_the_fanned_out_tasks_leave_every_document_as_the_single_sweep_did():
    def world() -> FakeStore:
        store = two_providers()
        submit(store, "kept", utc(2026, 1, 12, 10))
        submit(store, "lost-cancel", utc(2026, 1, 12, 9))
        store.patch(paths.APPOINTMENTS, "lost-cancel", {"status": "cancelled"})
        return store

    def documents(store: FakeStore) -> dict:
        return {name: {i: data for i, (data, _version) in docs.items()} for name, docs in store.snapshot().items()}

    swept, fanned = world(), world()
    later = NOW + timedelta(days=1)
    report = sweep(swept, now=later)
    queue = FakeTaskQueue()
    daily_report = daily(fanned, queue, now=later)
    ran = run_all(fanned, queue, now=later)

    assert report.released == daily_report.released == ["lost-cancel"]  # the re-drive's part
    assert {r.provider_id: r.sheets_written for r in ran.values()} == report.sheets_written == {
        PROVIDER_ID: 32, OTHER: 33}
    assert documents(fanned) == documents(swept)
