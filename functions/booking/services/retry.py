"""How long an optimistic writer keeps trying, and how it waits between tries.

Every booking of one provider-day competes for one day sheet; a writer
that lost a round must step back for a random while (full jitter, growing
exponentially up to a cap) so that the losers spread out instead of
colliding again all at once. A budget in time rather than in rounds keeps
the answer certain within seconds however many writers there are, and
still ends: when the budget is spent the request is left to the re-drive.

This is infrastructure timing (a monotonic clock and sleeps), not the
business clock: `now` stays an argument of every service.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from booking.services.ports import Conflict

T = TypeVar("T")


@dataclass
class Backoff:
    budget_seconds: float = 40.0  # a trigger's default timeout is 60 s
    first_delay: float = 0.05
    # Losers spread over up to this long: wide enough that a hundred writers
    # of one sheet seldom collide again, short enough to answer in seconds.
    max_delay: float = 3.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)

    def rounds(self) -> Iterator[int]:
        """Round numbers 1, 2, ...; before each round after the first, a
        jittered pause. Stops when the next pause would end past the budget
        (the first round always runs)."""
        deadline = self.clock() + self.budget_seconds
        round_no = 1
        yield round_no
        while True:
            ceiling = min(self.max_delay, self.first_delay * 2 ** min(round_no - 1, 16))
            pause = self.rng.uniform(0, ceiling)
            if self.clock() + pause >= deadline:
                return
            self.sleep(pause)
            round_no += 1
            yield round_no


def settle(backoff: Backoff | None, attempt: Callable[[int], T],
           lost: Callable[[int], T | None]) -> tuple[T | None, int]:
    """`attempt(round_no)` until a round ends without a `Conflict`; after a
    lost round `lost(round_no)` may answer instead (an earlier delivery did
    the work). (None, rounds run) when the budget ran out."""
    round_no = 0
    for round_no in (backoff or Backoff()).rounds():
        try:
            return attempt(round_no), round_no
        except Conflict:
            found = lost(round_no)
            if found is not None:
                return found, round_no
    return None, round_no
