"""Calendar feed imports on the real Firestore emulator, fetching from a
local HTTP server on 127.0.0.1 (allowed by the loopback switch, which holds
only under the emulator). Scheduled functions never fire in the emulator,
so the test calls the service `poll_calendar_feeds` calls, with `now` fixed
at the fixture feed's dates."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from booking.domain.time_off import TimeOff, TimeOffSource
from booking.services.feed_import import feed_time_off_id, import_feed, poll_feeds
from booking.services.feeds.fetch import FetchLimits, fetch_feed, loopback_allowed
from booking.store import converters as conv
from booking.store.calendar_feeds import FirestoreFeeds
from booking.store.firestore_store import FirestoreStore
from support.concurrency import triggers_off
from support.feed_server import FeedServer
from support.world import a_future_day, seed, wait_for_sheet

PROVIDER = "dr-ada"
# Tuesday 1 December 2026, 09:00 in Berlin; the horizon (30 days) ends on 1 January.
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
BUSY = (Path(__file__).resolve().parents[1] / "fixtures" / "feeds" / "busy.ics").read_bytes()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def fid(key: str) -> str:
    return feed_time_off_id(PROVIDER, key)


def timed(key: str, title: str, start: datetime, end: datetime) -> TimeOff:
    return TimeOff(id=fid(key), provider_ids=[PROVIDER], start=start, end=end, title=title, source=TimeOffSource.FEED)


EXPECTED = {t.id: t for t in [
    timed("weekly-standup@example.com|20261201T130000Z", "Team meeting", utc(2026, 12, 1, 13), utc(2026, 12, 1, 14, 30)),
    timed("new-york@example.com", "Call with New York", utc(2026, 12, 2, 14), utc(2026, 12, 2, 15)),
    timed("utc@example.com", "Quarterly planning " + "x" * 181, utc(2026, 12, 3, 12), utc(2026, 12, 3, 12, 45)),
    timed("floating@example.com", "Dentist", utc(2026, 12, 4, 7), utc(2026, 12, 4, 8)),
    timed("weekly-standup@example.com|20261215T130000Z", "Team meeting (moved)",
          utc(2026, 12, 16, 9), utc(2026, 12, 16, 10, 30)),
    timed("weekly-standup@example.com|20261222T130000Z", "Team meeting", utc(2026, 12, 22, 13), utc(2026, 12, 22, 14, 30)),
    TimeOff(id=fid("holiday@example.com"), provider_ids=[PROVIDER], all_day=True, start_date=date(2026, 12, 24),
            end_date=date(2026, 12, 26), title="Christmas holiday", source=TimeOffSource.FEED),
    timed("weekly-standup@example.com|20261229T130000Z", "Team meeting", utc(2026, 12, 29, 13), utc(2026, 12, 29, 14, 30)),
]}


@pytest.fixture(scope="module")
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture
def world(db, clean_firestore, server):
    seed(db, tz="Europe/Berlin")
    wait_for_sheet(db, PROVIDER, a_future_day(4))  # the seed's own recompute has run
    server.put("/ada.ics", BUSY)
    db.document(f"calendarFeeds/{PROVIDER}").set({"url": server.url("/ada.ics")})
    # The import applies its time off itself; the trigger's re-checks would
    # only run on into the next test.
    with triggers_off():
        yield FirestoreStore(db), FirestoreFeeds(db)


ALLOWED = loopback_allowed({**os.environ, "FEEDS_ALLOW_LOOPBACK": "1"})


def fetch(url: str) -> bytes:
    return fetch_feed(url, allow_loopback=ALLOWED, limits=FetchLimits(deadline=3.0))


def stored(db) -> dict[str, TimeOff]:
    return {s.id: conv.time_off_from(s.id, s.to_dict()) for s in db.collection("timeOff").stream()}


def versions(db) -> dict[str, datetime]:
    return {s.id: s.update_time for s in db.collection("timeOff").stream()}


def status(db) -> dict:
    return db.document(f"calendarFeeds/{PROVIDER}").get().to_dict()["status"]


def test_the_switch_holds_in_this_suite_because_it_runs_under_the_emulator():
    assert ALLOWED is True
    assert loopback_allowed({k: v for k, v in os.environ.items() if k != "FEEDS_ALLOW_LOOPBACK"}) is False


def test_an_import_writes_exactly_the_feeds_busy_events_as_time_off(db, world):
    store, feeds = world
    report = import_feed(store, feeds, PROVIDER, now=NOW, fetch=fetch)
    assert (report.state, report.events, report.created) == ("ok", 8, 8)
    assert stored(db) == EXPECTED
    raw = db.document(f"timeOff/{fid('holiday@example.com')}").get().to_dict()
    assert {k: v for k, v in raw.items() if k != "createdAt"} == {
        "providerIds": [PROVIDER], "allProviders": False, "allDay": True, "startDate": "2026-12-24",
        "endDate": "2026-12-26", "title": "Christmas holiday", "source": "feed"}
    recorded = status(db)
    assert len(recorded.pop("digest")) == 64  # of the bytes and window: the same again is not compared
    assert recorded == {"state": "ok", "checkedAt": NOW, "importedAt": NOW, "events": 8, "error": None}


def test_the_day_sheets_lose_the_busy_slots(db, world):
    store, feeds = world
    import_feed(store, feeds, PROVIDER, now=NOW, fetch=fetch)
    tuesday = db.document(f"slots/{PROVIDER}_2026-12-01").get().to_dict()
    meeting = fid("weekly-standup@example.com|20261201T130000Z")
    assert tuesday["timeOff"] == [{"id": meeting, "start": utc(2026, 12, 1, 13), "end": utc(2026, 12, 1, 14, 30)}]
    # 30-minute consultations without buffers: 14:00-15:30 Berlin (13:00-14:30 UTC) is gone.
    afternoon = [s for s in tuesday["available"]["consult"] if utc(2026, 12, 1, 12) <= s <= utc(2026, 12, 1, 15)]
    assert afternoon == [utc(2026, 12, 1, 12), utc(2026, 12, 1, 12, 30), utc(2026, 12, 1, 14, 30), utc(2026, 12, 1, 15)]
    christmas = db.document(f"slots/{PROVIDER}_2026-12-25").get().to_dict()
    assert christmas["available"].get("consult", []) == []


def test_a_second_import_of_the_same_feed_writes_nothing_but_its_status(db, world):
    store, feeds = world
    import_feed(store, feeds, PROVIDER, now=NOW, fetch=fetch)
    before = versions(db)
    store.counts.clear()
    feeds.counts.clear()
    later = NOW + timedelta(minutes=15)
    report = import_feed(store, feeds, PROVIDER, now=later, fetch=fetch)
    assert (report.created, report.updated, report.deleted, report.sheets_written) == (0, 0, 0, 0)
    assert (store.counts["writes"], feeds.counts["writes"]) == (0, 1)
    assert versions(db) == before
    assert status(db)["checkedAt"] == later


@pytest.mark.parametrize(("path", "code"), [
    ("/feeds/malformed.ics", "malformed"),
    ("/slow", "timeout"),
    ("/huge", "too_large"),
    ("/status/500", "http_status"),
])
def test_a_broken_feed_keeps_the_previous_import_and_records_the_error(db, world, server, path, code):
    store, feeds = world
    import_feed(store, feeds, PROVIDER, now=NOW, fetch=fetch)
    before = versions(db)
    db.document(f"calendarFeeds/{PROVIDER}").update({"url": server.url(path)})
    later = NOW + timedelta(minutes=15)
    reports = poll_feeds(store, feeds, now=later, fetch=fetch)
    assert [(r.state, r.error) for r in reports] == [("error", code)]
    assert versions(db) == before
    assert stored(db) == EXPECTED
    recorded = status(db)
    assert (recorded["state"], recorded["checkedAt"], recorded["importedAt"], recorded["events"]) == (
        "error", later, NOW, 8)
    assert recorded["error"].startswith(f"{code}: ")
