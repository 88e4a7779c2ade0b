"""Slot computation benchmark: a 90-day horizon, all days and all types.

Run: PYTHONPATH=functions python bench/slots_bench.py [--runs N]

Scenario per provider: 5 appointment types (15 to 90 minutes, some with
buffers and a slot interval shorter than the duration), weekday hours in two
intervals plus a Saturday morning, a few overrides, and 300 booked blocks
placed on real slots. "50 providers" computes the same horizon for 50 such
providers (different zones and bookings), one after another, as a full
recompute sweep would.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from booking.domain.booking_check import Accepted, check_booking, day_of
from booking.domain.ledger import build_sheets
from booking.domain.models import AppointmentType, Availability, BookedBlock, Provider
from booking.domain.slots import day_open, day_starts, slots_for_dates

HORIZON_DAYS = 90
FIRST_DAY = date(2026, 3, 2)  # spans the March DST change in both Europe and the US
ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"]

TYPES = [
    AppointmentType(id="consult15", name="Quick call", duration_minutes=15),
    AppointmentType(id="session30", name="Session", duration_minutes=30, buffer_after_minutes=10),
    AppointmentType(
        id="treat50", name="Treatment", duration_minutes=50, slot_interval_minutes=15, buffer_before_minutes=5, buffer_after_minutes=10
    ),
    AppointmentType(id="hour60", name="Hour", duration_minutes=60, buffer_after_minutes=15),
    AppointmentType(id="group90", name="Workshop", duration_minutes=90, capacity=3, buffer_before_minutes=15),
]


def availability(provider_id: str) -> Availability:
    weekday = [{"start": "09:00", "end": "12:30"}, {"start": "13:30", "end": "18:00"}]
    return Availability.model_validate(
        {
            "providerId": provider_id,
            "weekly": {d: weekday for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": [{"start": "10:00", "end": "14:00"}]},
            "overrides": [
                {"date": (FIRST_DAY + timedelta(days=10)).isoformat(), "intervals": []},
                {"date": (FIRST_DAY + timedelta(days=20)).isoformat(), "intervals": [{"start": "12:00", "end": "20:00"}]},
            ],
        }
    )


def booked_blocks(av: Availability, tz: str, count: int, seed: int) -> list[BookedBlock]:
    """``count`` non-overlapping bookings on offered slots, found through the real check."""
    rng = random.Random(seed)
    blocks: list[BookedBlock] = []
    by_day: dict[date, list[BookedBlock]] = {}
    now = datetime.combine(FIRST_DAY - timedelta(days=1), datetime.min.time(), UTC)
    attempts = 0
    while len(blocks) < count and attempts < count * 50:
        attempts += 1
        d = FIRST_DAY + timedelta(days=rng.randrange(HORIZON_DAYS))
        t = rng.choice(TYPES)
        open_ = day_open(av, tz, d)
        # neighbours are enough: no block reaches further than a day
        nearby = [b for k in (-1, 0, 1) for b in by_day.get(d + timedelta(days=k), [])]
        offered = day_starts(tz, d, open_, t, nearby)
        if not offered:
            continue
        start = rng.choice(offered)
        verdict = check_booking(
            tz=tz, day=day_of(tz, start), open=open_, appt_type=t, blocks=nearby, start=start,
            now=now, appointment_id=f"a{len(blocks)}",
        )
        if isinstance(verdict, Accepted):
            blocks.append(verdict.block)
            by_day.setdefault(d, []).append(verdict.block)
    return blocks


def measure(fn, runs: int) -> list[float]:
    fn()  # warm caches (zoneinfo, pydantic) so the first run is not an outlier
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs for one provider (50 providers: runs // 5)")
    args = parser.parse_args()
    last = FIRST_DAY + timedelta(days=HORIZON_DAYS - 1)

    providers = []
    for i in range(50):
        tz = ZONES[i % len(ZONES)]
        av = availability(f"p{i}")
        providers.append((av, tz, booked_blocks(av, tz, 300, seed=i)))

    av, tz, blocks = providers[0]
    sample = slots_for_dates(av, tz, FIRST_DAY, last, TYPES, blocks)
    slot_count = sum(len(v) for by_type in sample.values() for v in by_type.values())

    days = [FIRST_DAY + timedelta(days=n) for n in range(HORIZON_DAYS)]
    people = [Provider(id=f"p{i}", name=f"P{i}", time_zone=z, type_ids=[t.id for t in TYPES])
              for i, (_, z, _) in enumerate(providers)]

    def sheets(i: int):
        a, _, b = providers[i]
        return build_sheets(people[i], a, TYPES, days, b)

    rows = [
        ("day sheets (what recompute writes), 1 provider", measure(lambda: sheets(0), args.runs)),
        ("day sheets, 50 providers", measure(lambda: [sheets(i) for i in range(50)], max(3, args.runs // 5))),
        ("domain grid only (slots_for_dates), 1 provider",
         measure(lambda: slots_for_dates(av, tz, FIRST_DAY, last, TYPES, blocks), args.runs)),
        ("domain grid only, 50 providers",
         measure(lambda: [slots_for_dates(a, z, FIRST_DAY, last, TYPES, b) for a, z, b in providers],
                 max(3, args.runs // 5))),
    ]

    print(f"90-day horizon, 5 types, {len(blocks)} booked blocks per provider ({slot_count} starts for provider 0, {tz})")
    print(f"{'scenario':<50}{'runs':>6}{'median ms':>12}{'p95 ms':>10}")
    for name, times in rows:
        print(f"{name:<50}{len(times):>6}{statistics.median(times):>12.2f}{p95(times):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
