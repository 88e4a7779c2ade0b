"""A feed import keeps the provider's `source: feed` time off equal to the
feed's busy events in the horizon, writes only what changed, and a broken
feed keeps the last good import with the error on the feed's status."""

from __future__ import annotations

from dataclasses import replace

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fake_feeds import FakeFeeds
from fake_store import PROVIDER_ID, seeded

from booking.domain.time_off import TimeOff, TimeOffSource
from booking.domain.calendar_feeds import FeedStatus
from booking.services.feed_import import clear_removed_feeds, feed_time_off_id, import_feed, poll_feeds
from booking.services.feeds.errors import FeedError
from booking.store import paths

BUSY = (Path(__file__).resolve().parents[2] / "fixtures" / "feeds" / "busy.ics").read_bytes()
URL = "https://calendar.example.com/private-abc/basic.ics"
# Tuesday 1 December 2026, 09:00 in Berlin; the horizon (30 days) ends on 1 January.
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def fid(key: str) -> str:
    return feed_time_off_id(PROVIDER_ID, key)


def timed(key: str, title: str, start: datetime, end: datetime) -> TimeOff:
    return TimeOff(id=fid(key), provider_ids=[PROVIDER_ID], start=start, end=end, title=title,
                   source=TimeOffSource.FEED)


EXPECTED = {t.id: t for t in [
    timed("weekly-standup@example.com|20261201T130000Z", "Team meeting", utc(2026, 12, 1, 13), utc(2026, 12, 1, 14, 30)),
    timed("new-york@example.com", "Call with New York", utc(2026, 12, 2, 14), utc(2026, 12, 2, 15)),
    timed("utc@example.com", "Quarterly planning " + "x" * 181, utc(2026, 12, 3, 12), utc(2026, 12, 3, 12, 45)),
    timed("floating@example.com", "Dentist", utc(2026, 12, 4, 7), utc(2026, 12, 4, 8)),
    timed("weekly-standup@example.com|20261215T130000Z", "Team meeting (moved)",
          utc(2026, 12, 16, 9), utc(2026, 12, 16, 10, 30)),
    timed("weekly-standup@example.com|20261222T130000Z", "Team meeting", utc(2026, 12, 22, 13), utc(2026, 12, 22, 14, 30)),
    TimeOff(id=fid("holiday@example.com"), provider_ids=[PROVIDER_ID], all_day=True, start_date=date(2026, 12, 24),
            end_date=date(2026, 12, 26), title="Christmas holiday", source=TimeOffSource.FEED),
    timed("weekly-standup@example.com|20261229T130000Z", "Team meeting", utc(2026, 12, 29, 13), utc(2026, 12, 29, 14, 30)),
]}


class Host:
    """Plays the calendar host: serves `body`, or raises `error`."""

    def __init__(self, body: bytes = BUSY) -> None:
        self.body = body
        self.error: Exception | None = None
        self.asked: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.asked.append(url)
        if self.error is not None:
            raise self.error
        return self.body


def stored_time_off(store) -> dict[str, TimeOff]:
    from booking.store import converters as conv

    return {i: conv.time_off_from(i, store.doc(paths.TIME_OFF, i)) for i in store.ids(paths.TIME_OFF)}


@pytest.fixture
def world():
    store = seeded()
    feeds = FakeFeeds(store)
    feeds.put(PROVIDER_ID, URL)
    return store, feeds, Host()


def test_a_first_import_writes_exactly_the_feeds_busy_events_as_time_off(world):
    store, feeds, host = world
    report = import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    assert host.asked == [URL]
    assert stored_time_off(store) == EXPECTED
    assert (report.state, report.events, report.created, report.updated, report.deleted) == ("ok", 8, 8, 0, 0)
    status = feeds.docs[PROVIDER_ID].status
    assert replace(status, digest=None) == FeedStatus("ok", NOW, imported_at=NOW, events=8)
    assert len(status.digest) == 64


def test_the_day_sheets_lose_the_busy_time(world):
    store, feeds, host = world
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    tuesday = store.stored_sheet(PROVIDER_ID, date(2026, 12, 1))
    spans = [(s.time_off_id, s.start, s.end) for s in tuesday.time_off]
    assert spans == [(fid("weekly-standup@example.com|20261201T130000Z"), utc(2026, 12, 1, 13), utc(2026, 12, 1, 14, 30))]
    # 30-minute consultations with 10 minutes' buffer before and 5 after:
    # 13:30 local ends its buffer at 14:05, 15:30 starts its buffer at 15:20.
    afternoon = [s for s in tuesday.available["consult"] if utc(2026, 12, 1, 11) <= s <= utc(2026, 12, 1, 15)]
    assert afternoon == [utc(2026, 12, 1, 11), utc(2026, 12, 1, 11, 30), utc(2026, 12, 1, 12), utc(2026, 12, 1, 15)]
    christmas = store.stored_sheet(PROVIDER_ID, date(2026, 12, 25))
    assert christmas.available.get("consult", []) == []


def test_a_second_import_of_the_same_feed_writes_no_time_off_and_no_sheet(world):
    store, feeds, host = world
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    before = store.snapshot()
    store.counts.clear()
    report = import_feed(store, feeds, PROVIDER_ID, now=NOW + timedelta(minutes=15), fetch=host)
    assert (report.created, report.updated, report.deleted, report.sheets_written) == (0, 0, 0, 0)
    assert store.counts["writes"] == 0
    assert store.snapshot() == before
    assert feeds.docs[PROVIDER_ID].status.checked_at == NOW + timedelta(minutes=15)


def test_an_unchanged_feed_is_not_compared_again_it_costs_the_provider_and_the_types(world):
    store, feeds, host = world
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    store.counts.clear()
    report = import_feed(store, feeds, PROVIDER_ID, now=NOW + timedelta(minutes=15), fetch=host)
    assert (report.state, report.events) == ("ok", 8)
    assert dict(store.counts) == {"reads": 2}
    status = feeds.docs[PROVIDER_ID].status
    assert (status.checked_at, status.imported_at) == (NOW + timedelta(minutes=15), NOW)


def test_the_same_bytes_on_the_next_day_are_imported_again_as_the_window_moved(world):
    store, feeds, host = world
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    store.counts.clear()
    import_feed(store, feeds, PROVIDER_ID, now=NOW + timedelta(days=1), fetch=host)
    assert store.counts["reads"] > 2
    assert feeds.docs[PROVIDER_ID].status.imported_at == NOW + timedelta(days=1)


def test_a_changed_feed_writes_only_the_events_that_changed(world):
    store, feeds, host = world
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    host.body = (BUSY.replace(b"SUMMARY:Dentist", b"SUMMARY:Dentist check-up")
                 .replace(b"UID:new-york@example.com", b"UID:gone@example.com\r\nSTATUS:CANCELLED"))
    store.counts.clear()
    report = import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    assert (report.created, report.updated, report.deleted) == (0, 1, 1)
    expected = dict(EXPECTED)
    del expected[fid("new-york@example.com")]
    dentist = expected[fid("floating@example.com")]
    expected[dentist.id] = dentist.model_copy(update={"title": "Dentist check-up"})
    assert stored_time_off(store) == expected


@pytest.mark.parametrize(("error", "code"), [
    (FeedError("timeout", "the feed did not arrive in time"), "timeout"),
    (FeedError("too_large", "the feed is larger than 5242880 bytes"), "too_large"),
    (None, "malformed"),
])
def test_a_broken_feed_keeps_the_last_good_import_and_records_the_error(world, error, code):
    store, feeds, host = world
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    before = store.snapshot()
    host.error, host.body = error, b"<html>sign in</html>"
    later = NOW + timedelta(minutes=15)
    report = import_feed(store, feeds, PROVIDER_ID, now=later, fetch=host)
    assert (report.state, report.error) == ("error", code)
    assert store.snapshot() == before
    status = feeds.docs[PROVIDER_ID].status
    assert (status.state, status.checked_at, status.imported_at, status.events) == ("error", later, NOW, 8)
    assert status.error.startswith(f"{code}: ")


def test_an_import_leaves_manual_time_off_and_other_providers_feeds_alone(world):
    store, feeds, host = world
    from booking.services.ports import Commit

    manual = TimeOff(id="lunch", provider_ids=[PROVIDER_ID], start=utc(2026, 12, 2, 11), end=utc(2026, 12, 2, 12))
    other = TimeOff(id=feed_time_off_id("dr-bob", "x"), provider_ids=["dr-bob"], start=utc(2026, 12, 2, 11),
                    end=utc(2026, 12, 2, 12), source=TimeOffSource.FEED)
    store.commit(Commit(time_off=[("lunch", manual, None), (other.id, other, None)]))
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    assert stored_time_off(store) == {**EXPECTED, "lunch": manual, other.id: other}


def test_a_poll_imports_every_feed_and_one_failing_feed_does_not_stop_the_others(world):
    store, feeds, host = world
    from booking.domain.models import Provider

    store.add_provider(Provider(id="a-bob", name="Bob", time_zone="Europe/London", type_ids=["consult"]))
    feeds.put("a-bob", "https://broken.example.com/feed.ics")  # polled first
    feeds.put("zzz-gone", "https://calendar.example.com/other.ics")  # a feed left by a deleted provider

    def fetch(url: str) -> bytes:
        if "broken" in url:
            raise RuntimeError("a bug, not a FeedError")
        return host(url)

    reports = poll_feeds(store, feeds, now=NOW, fetch=fetch)
    assert [(r.provider_id, r.state, r.error) for r in reports] == [
        ("a-bob", "error", "internal"),
        (PROVIDER_ID, "ok", None),
        ("zzz-gone", "error", "no_provider"),
    ]
    assert stored_time_off(store) == EXPECTED
    assert feeds.docs["a-bob"].status.error == "internal: the import failed; it is retried"
    assert feeds.docs["zzz-gone"].status.error == "no_provider: no such provider"


def test_a_feed_removed_in_the_console_has_its_busy_time_removed_by_the_daily_clean_up(world):
    store, feeds, host = world
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    feeds.remove(PROVIDER_ID)
    assert poll_feeds(store, feeds, now=NOW + timedelta(minutes=15), fetch=host) == []
    reports = clear_removed_feeds(store, feeds, now=NOW + timedelta(hours=1))
    assert [(r.provider_id, r.deleted) for r in reports] == [(PROVIDER_ID, 8)]
    assert stored_time_off(store) == {}
    assert store.stored_sheet(PROVIDER_ID, date(2026, 12, 1)).time_off == ()


def test_past_events_leave_as_the_window_moves_on(world):
    store, feeds, host = world
    import_feed(store, feeds, PROVIDER_ID, now=NOW, fetch=host)
    # Ten days later the window starts on 10 December: 1-4 December are gone,
    # and the horizon now reaches the 5 January meeting.
    report = import_feed(store, feeds, PROVIDER_ID, now=NOW + timedelta(days=10), fetch=host)
    assert (report.created, report.deleted) == (1, 4)
    assert fid("weekly-standup@example.com|20270105T130000Z") in stored_time_off(store)
