"""Keeping the "any provider" view (services/type_slots.py) equal to the
provider sheets: whatever changes the sheets, and whatever order, delay or
repetition their events arrive in, the view ends up listing exactly the
sheets' free starts; a trigger run that read an older sheet never writes
over a newer one; the daily repair finds what lost events left behind."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from booking.domain.ranges import to_utc
from booking.services.ports import Versioned
from booking.services import config_changes
from booking.services.recompute import recompute_provider, sheet_days
from booking.services.type_slots import (
    after_sheet_write,
    refresh_sheet_view,
    sync_provider_view,
    sync_providers_view,
    view_starts,
)
from booking.store import converters as conv
from booking.store import paths
from fake_store import NOW, PROVIDER_ID, Change, FakeStore, seeded, submit, utc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_services_properties import CUSTOMERS, TYPES, WEEKLY, Run, operations


def sheet_starts(store: FakeStore) -> dict[tuple[str, date], set[tuple[datetime, str]]]:
    """What the view should list: every sheet's free starts by type and UTC date."""
    out: dict[tuple[str, date], set[tuple[datetime, str]]] = defaultdict(set)
    for sheet in store.stored_sheets().values():
        for type_id, starts in sheet.available.items():
            for s in starts:
                out[(type_id, to_utc(s).date())].add((to_utc(s), sheet.provider_id))
    return dict(out)


def view_content(store: FakeStore) -> dict[tuple[str, date], set[tuple[datetime, str]]]:
    out: dict[tuple[str, date], set[tuple[datetime, str]]] = {}
    for doc_id in store.ids(paths.TYPE_SLOTS):
        data = store.doc(paths.TYPE_SLOTS, doc_id)
        found = {(s, e.provider_id) for e in conv.view_from(data).values() for s in e.starts}
        if found:
            out[(data["typeId"], date.fromisoformat(data["date"]))] = found
    return out


def sheet_events(store: FakeStore) -> list[Change]:
    events = [c for c in store.changes if c.collection == paths.SLOTS]
    store.changes.clear()
    return events


def deliver(store: FakeStore, event: Change) -> int:
    """The sheet trigger (main.on_slot_sheet_written) for one event."""
    return after_sheet_write(store, store, event.doc_id, event.before, event.after)


def recomputed(store: FakeStore, *provider_ids: str) -> FakeStore:
    """Each provider's sheets recomputed, and every sheet event delivered."""
    for provider_id in provider_ids or (PROVIDER_ID,):
        recompute_provider(store, provider_id, now=NOW)
    for event in sheet_events(store):
        deliver(store, event)
    return store


def test_an_event_for_an_id_that_names_no_sheet_writes_nothing():
    store = seeded()
    assert after_sheet_write(store, store, "no-date-here", None, None) == 0
    assert after_sheet_write(store, store, "_2026-01-07", None, None) == 0
    assert after_sheet_write(store, store, "dr-ada_2026-01-07", {"timeZone": "Not/AZone", "types": ["x"]}, None) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, data=st.data())
def test_after_any_changes_delivered_in_any_order_late_or_twice_the_view_lists_exactly_the_sheets_starts(ops, data):
    store = seeded(weekly=WEEKLY, types=TYPES, customers=CUSTOMERS)
    recompute_provider(store, PROVIDER_ID, now=NOW)
    run = Run(store)
    held: list[Change] = []
    for op in ops:
        run.apply(op)
        held += sheet_events(store)
        # some events arrive now, in any order; the rest later (some twice)
        now_count = data.draw(st.integers(0, len(held)))
        for event in data.draw(st.permutations(held))[:now_count]:
            deliver(store, event)
            if data.draw(st.booleans()):
                held.remove(event)  # else it comes again later
    for event in data.draw(st.permutations(held)):
        deliver(store, event)
    assert view_content(store) == sheet_starts(store)


def test_a_trigger_run_that_read_an_older_sheet_writes_nothing_over_the_newer_one():
    store = seeded()
    recompute_provider(store, PROVIDER_ID, now=NOW)
    day = date(2026, 1, 7)
    slow_read = store.sheets(PROVIDER_ID, [day])  # a run reads the sheet, then stalls
    submit(store, "r1", utc(2026, 1, 7, 9))  # a booking takes 10:00 Berlin; its own run is quick
    for event in sheet_events(store):
        deliver(store, event)
    assert (utc(2026, 1, 7, 9), PROVIDER_ID) not in view_content(store)[("consult", day)]

    class Stalled:  # the stalled run's store: it still holds the old reading
        def sheets(self, provider_id: str, days: list[date]) -> dict[date, Versioned | None]:
            return slow_read

    assert refresh_sheet_view(Stalled(), store, PROVIDER_ID, day) == 0
    assert view_content(store) == sheet_starts(store)


def test_a_type_the_provider_stops_offering_leaves_the_view_when_its_sheets_change():
    store = seeded(weekly=WEEKLY, types=TYPES)
    recomputed(store)
    assert any(key[0] == "group" for key in view_content(store))
    store.patch(paths.PROVIDERS, PROVIDER_ID, {"typeIds": ["consult", "quick"]})
    recomputed(store)
    assert not any(key[0] == "group" for key in view_content(store))
    assert view_content(store) == sheet_starts(store)


def test_the_daily_repair_finds_what_lost_events_left_behind_and_then_writes_nothing():
    store = seeded(weekly=WEEKLY, types=TYPES)
    recomputed(store)
    store.patch(paths.PROVIDERS, PROVIDER_ID, {"typeIds": ["consult"]})
    recompute_provider(store, PROVIDER_ID, now=NOW)
    submit(store, "r1", utc(2026, 1, 12, 8))
    sheet_events(store)  # every one of these events is lost
    assert view_content(store) != sheet_starts(store)

    days = sheet_days(store.provider(PROVIDER_ID), store.appointment_types(), NOW)
    assert sync_provider_view(store, store, PROVIDER_ID, days, now=NOW) > 0
    assert view_content(store) == sheet_starts(store)
    store.counts.clear()
    assert sync_provider_view(store, store, PROVIDER_ID, days, now=NOW) == 0
    assert store.counts["writes"] == 0


def test_a_bulk_repair_of_several_providers_writes_each_view_document_once_and_lists_exactly_their_sheets():
    store = seeded(weekly=WEEKLY, types=TYPES)
    others = [f"dr-{n}" for n in range(2, 5)]
    for other in others:
        store.add_provider(store.provider(PROVIDER_ID).model_copy(update={"id": other}))
        store.put(paths.AVAILABILITY, other, store.doc(paths.AVAILABILITY, PROVIDER_ID) | {"providerId": other})
    for provider_id in (PROVIDER_ID, *others):
        recompute_provider(store, provider_id, now=NOW)
    sheet_events(store)  # the view is built by the bulk repair alone
    assert view_content(store) == {}

    days = sheet_days(store.provider(PROVIDER_ID), store.appointment_types(), NOW)
    written = sync_providers_view(store, store, [PROVIDER_ID, *others], days, now=NOW)

    assert view_content(store) == sheet_starts(store)
    assert written == len(store.ids(paths.TYPE_SLOTS))  # one write per view document, for all four providers
    assert sync_providers_view(store, store, [PROVIDER_ID, *others], days, now=NOW) == 0


def test_a_search_reads_one_view_document_per_utc_date_whatever_the_number_of_providers():
    store = seeded()
    for n in range(2, 6):
        store.add_provider(store.provider(PROVIDER_ID).model_copy(update={"id": f"dr-{n}"}))
        store.put(paths.AVAILABILITY, f"dr-{n}", store.doc(paths.AVAILABILITY, PROVIDER_ID) | {"providerId": f"dr-{n}"})
    recomputed(store, PROVIDER_ID, *(f"dr-{n}" for n in range(2, 6)))
    store.counts.clear()
    # Wednesday 7 January 09:00-10:00 Berlin: 08:00 and 08:30 UTC, five providers each.
    found = view_starts(store, "consult", utc(2026, 1, 7, 8), utc(2026, 1, 7, 9))
    assert found == [(utc(2026, 1, 7, 8, m), p) for m in (0, 30) for p in sorted(["dr-ada", "dr-2", "dr-3", "dr-4", "dr-5"])]
    assert store.counts["reads"] == 1
    assert view_starts(store, "consult", utc(2026, 1, 7, 8), utc(2026, 1, 14, 8)) and store.counts["reads"] == 1 + 8



def test_a_sheet_write_that_frees_or_takes_nothing_costs_no_read():
    store = seeded()
    recomputed(store)
    sheet = store.doc(paths.SLOTS, "dr-ada_2026-01-07")
    store.counts.clear()
    assert after_sheet_write(store, store, "dr-ada_2026-01-07", sheet, {**sheet, "updatedAt": NOW}) == 0
    assert store.counts["reads"] == 0


def test_a_deleted_providers_free_times_leave_the_view_and_its_sheets_stay():
    store = seeded()
    store.add_provider(store.provider(PROVIDER_ID).model_copy(update={"id": "dr-bob"}))
    store.put(paths.AVAILABILITY, "dr-bob", store.doc(paths.AVAILABILITY, PROVIDER_ID) | {"providerId": "dr-bob"})
    recomputed(store, PROVIDER_ID, "dr-bob")
    sheets_before = store.stored_sheets("dr-bob")

    report = config_changes.provider_changed(store, "dr-bob", store.doc(paths.PROVIDERS, "dr-bob"), None, now=NOW)

    assert "no longer list it" in report.error
    assert not any(p == "dr-bob" for starts in view_content(store).values() for _, p in starts)
    assert any(p == PROVIDER_ID for starts in view_content(store).values() for _, p in starts)
    assert store.stored_sheets("dr-bob") == sheets_before


def test_the_daily_repair_leaves_entries_with_the_right_starts_alone_even_when_their_sheet_is_newer():
    store = recomputed(seeded())
    sheet = store.doc(paths.SLOTS, "dr-ada_2026-01-07")
    store.put(paths.SLOTS, "dr-ada_2026-01-07", sheet)  # rewritten as it was: a newer version, the same starts
    sheet_events(store)
    days = sheet_days(store.provider(PROVIDER_ID), store.appointment_types(), NOW)
    store.counts.clear()
    assert sync_provider_view(store, store, PROVIDER_ID, days, now=NOW) == 0
    assert store.counts["writes"] == 0
