"""The half-open UTC range algebra."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from booking.domain.ranges import Range, clip, intersect, merge, subtract, to_utc


def at(h: int, m: int = 0) -> datetime:
    return datetime(2026, 1, 12, h, m, tzinfo=UTC)


def r(h1: int, m1: int, h2: int, m2: int) -> Range:
    return Range(at(h1, m1), at(h2, m2))


class TestRange:
    def test_is_normalised_to_utc(self):
        plus2 = timezone(timedelta(hours=2))
        rng = Range(datetime(2026, 1, 12, 11, 0, tzinfo=plus2), datetime(2026, 1, 12, 12, 0, tzinfo=plus2))
        assert rng.start == datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
        assert rng.start.tzinfo is UTC
        assert rng == r(9, 0, 10, 0)

    def test_rejects_empty_and_inverted(self):
        with pytest.raises(ValueError):
            Range(at(10), at(10))
        with pytest.raises(ValueError):
            Range(at(11), at(10))

    def test_rejects_naive_datetimes(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            Range(datetime(2026, 1, 1, 9), at(10))
        with pytest.raises(ValueError):
            to_utc(datetime(2026, 1, 1, 9))

    def test_duration(self):
        assert r(9, 0, 10, 30).duration == timedelta(minutes=90)

    def test_touching_ranges_do_not_overlap(self):
        assert not r(9, 0, 10, 0).overlaps(r(10, 0, 11, 0))
        assert r(9, 0, 10, 1).overlaps(r(10, 0, 11, 0))
        assert r(9, 0, 12, 0).overlaps(r(10, 0, 11, 0))

    def test_contains_instants_half_open(self):
        rng = r(9, 0, 10, 0)
        assert rng.contains(at(9))
        assert at(9, 59) in rng
        assert not rng.contains(at(10))

    def test_contains_ranges_including_equal_end(self):
        rng = r(9, 0, 10, 0)
        assert rng.contains(r(9, 0, 10, 0))
        assert rng.contains(r(9, 30, 10, 0))
        assert not rng.contains(r(9, 30, 10, 1))

    def test_orders_by_start_then_end(self):
        assert sorted([r(10, 0, 11, 0), r(9, 0, 12, 0), r(9, 0, 10, 0)]) == [r(9, 0, 10, 0), r(9, 0, 12, 0), r(10, 0, 11, 0)]


def test_merge_joins_overlapping_and_adjacent_and_sorts():
    got = merge([r(13, 0, 14, 0), r(9, 0, 10, 0), r(10, 0, 11, 0), r(10, 30, 12, 0), r(15, 0, 16, 0)])
    assert got == [r(9, 0, 12, 0), r(13, 0, 14, 0), r(15, 0, 16, 0)]


def test_merge_of_nothing_is_nothing():
    assert merge([]) == []


def test_merge_keeps_contained_ranges_inside():
    assert merge([r(9, 0, 17, 0), r(10, 0, 11, 0)]) == [r(9, 0, 17, 0)]


def test_subtract_cuts_holes_and_edges():
    assert subtract([r(9, 0, 17, 0)], r(12, 0, 13, 0)) == [r(9, 0, 12, 0), r(13, 0, 17, 0)]
    assert subtract([r(9, 0, 17, 0)], [r(8, 0, 10, 0), r(16, 0, 18, 0)]) == [r(10, 0, 16, 0)]
    assert subtract([r(9, 0, 10, 0)], r(9, 0, 10, 0)) == []
    assert subtract([r(9, 0, 10, 0), r(11, 0, 12, 0)], r(9, 30, 11, 30)) == [r(9, 0, 9, 30), r(11, 30, 12, 0)]


def test_subtract_nothing_or_disjoint_leaves_ranges():
    assert subtract([r(9, 0, 10, 0)], []) == [r(9, 0, 10, 0)]
    assert subtract([r(9, 0, 10, 0)], r(10, 0, 11, 0)) == [r(9, 0, 10, 0)]


def test_intersect_pairs_up_pieces():
    a = [r(9, 0, 12, 0), r(13, 0, 17, 0)]
    b = [r(11, 0, 14, 0), r(16, 0, 18, 0)]
    assert intersect(a, b) == [r(11, 0, 12, 0), r(13, 0, 14, 0), r(16, 0, 17, 0)]


def test_intersect_touching_is_empty():
    assert intersect([r(9, 0, 10, 0)], [r(10, 0, 11, 0)]) == []


def test_clip_to_window():
    window = r(10, 0, 16, 0)
    assert clip([r(8, 0, 11, 0), r(12, 0, 13, 0), r(15, 0, 18, 0), r(17, 0, 19, 0)], window) == [
        r(10, 0, 11, 0),
        r(12, 0, 13, 0),
        r(15, 0, 16, 0),
    ]
