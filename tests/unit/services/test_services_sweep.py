"""The scheduled sweep: re-drive requests a failed trigger left pending, and
extend every provider's sheets to its horizon as days pass."""

from __future__ import annotations

from datetime import date, timedelta

from booking.domain.models import Provider
from booking.services import redrive as redrive_module
from booking.services.sweep import sweep
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, from_scratch, request_doc, seeded, submit, utc

MON = date(2026, 1, 12)


def test_a_pending_request_older_than_two_minutes_is_processed():
    store = seeded()
    store.add_request("stale", request_doc(utc(2026, 1, 12, 9), created=NOW - timedelta(minutes=2, seconds=1)))
    store.add_request("fresh", request_doc(utc(2026, 1, 12, 13), created=NOW - timedelta(minutes=1, seconds=59)))

    report = sweep(store, now=NOW)

    assert report.requests == {"stale": "confirmed"}
    assert store.doc(paths.BOOKING_REQUESTS, "stale")["status"] == "confirmed"
    assert store.doc(paths.APPOINTMENTS, "stale")["start"] == utc(2026, 1, 12, 9)
    assert store.doc(paths.BOOKING_REQUESTS, "fresh")["status"] == "pending"


def test_a_request_exactly_two_minutes_old_waits_for_the_next_sweep():
    store = seeded()
    store.add_request("edge", request_doc(utc(2026, 1, 12, 9), created=NOW - timedelta(minutes=2)))
    assert sweep(store, now=NOW).requests == {}


def test_the_sweep_rejects_stale_requests_that_cannot_be_booked():
    store = seeded()
    store.add_request("bad", request_doc(utc(2026, 1, 12, 18), created=NOW - timedelta(hours=1)))
    store.add_request("junk", {**request_doc(utc(2026, 1, 12, 9), created=NOW - timedelta(hours=1)), "notes": 3})
    report = sweep(store, now=NOW)
    assert report.requests == {"bad": "rejected", "junk": "rejected"}
    assert store.doc(paths.BOOKING_REQUESTS, "bad")["reason"] == "outside_availability"
    assert store.doc(paths.BOOKING_REQUESTS, "junk")["reason"] == "invalid_request"


def test_processed_requests_are_not_swept_again():
    store = seeded()
    submit(store, "done", utc(2026, 1, 12, 9), created=NOW - timedelta(hours=1))
    assert sweep(store, now=NOW).requests == {}


def test_the_first_sweep_creates_every_sheet_up_to_the_horizon():
    store = seeded()
    report = sweep(store, now=NOW)
    assert report.sheets_written == {PROVIDER_ID: 33}
    assert store.ids(paths.SLOTS)[0] == "dr-ada_2026-01-04"
    assert store.ids(paths.SLOTS)[-1] == "dr-ada_2026-02-05"


def test_a_day_later_the_sweep_creates_the_one_new_day_past_the_horizon():
    store = seeded()
    sweep(store, now=NOW)
    submit(store, "req-1", utc(2026, 1, 12, 9))
    before = {k: v for k, v in store.snapshot()["slots"].items()}

    report = sweep(store, now=NOW + timedelta(days=1))

    assert report.sheets_written == {PROVIDER_ID: 1}
    after = store.snapshot()["slots"]
    assert sorted(set(after) - set(before)) == ["dr-ada_2026-02-06"]
    assert {k: after[k] for k in before} == before  # existing sheets untouched
    assert store.stored_sheet(PROVIDER_ID, date(2026, 2, 6)) == from_scratch(store, PROVIDER_ID, date(2026, 2, 6))


def test_a_new_day_built_by_the_sweep_holds_a_booking_made_before_it_existed():
    store = seeded()
    # booked before any sheet of the horizon's end existed
    submit(store, "far", utc(2026, 2, 4, 8))
    sweep(store, now=NOW)
    assert [b.appointment_id for b in store.stored_sheet(PROVIDER_ID, date(2026, 2, 4)).blocks] == ["far"]


def test_the_sweep_skips_inactive_providers():
    store = seeded()
    store.add_provider(Provider(id="dr-gone", name="Dr. Gone", time_zone="UTC", active=False))
    report = sweep(store, now=NOW)
    assert set(report.sheets_written) == {PROVIDER_ID}
    assert not [i for i in store.ids(paths.SLOTS) if i.startswith("dr-gone")]


def test_the_sweep_releases_the_block_of_a_cancel_whose_trigger_was_lost():
    store = seeded()
    submit(store, "req-1", utc(2026, 1, 12, 9))
    store.patch(paths.APPOINTMENTS, "req-1", {"status": "cancelled"})  # the trigger never ran
    sweep(store, now=NOW + timedelta(minutes=10))
    assert store.stored_sheet(PROVIDER_ID, MON).blocks == ()


def test_one_failing_item_does_not_stop_the_sweep(monkeypatch):
    store = seeded()
    old = NOW - timedelta(minutes=5)
    store.add_request("broken", request_doc(utc(2026, 1, 12, 9), created=old))
    store.add_request("fine", request_doc(utc(2026, 1, 12, 13), created=old))
    real = redrive_module.process_request

    def explode_on_broken(store_, request_id, *args, **kwargs):
        if request_id == "broken":
            raise RuntimeError("boom")
        return real(store_, request_id, *args, **kwargs)

    monkeypatch.setattr(redrive_module, "process_request", explode_on_broken)

    report = sweep(store, now=NOW)

    assert report.errors == {"request broken": "RuntimeError: boom"}
    assert report.requests == {"fine": "confirmed"}
    assert PROVIDER_ID in report.sheets_written  # the providers were still swept
