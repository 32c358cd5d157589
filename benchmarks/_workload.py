"""The seeded random workload every benchmark uses.

A workload is a list of tickets of the contract's desk (see ``/work/shared/DESIGN.md``):

- a start instant drawn uniformly over every minute of four years of São Paulo wall time
  (2024-01-01 00:00 to 2027-12-31 23:59), made an aware datetime in ``America/Sao_Paulo``;
- a priority P0-P3, uniform, with its solution target in business hours (4, 12, 40, 48 h);
- an end instant for ``elapsed``: the start plus 0 to 10 calendar days of real time, drawn
  uniformly at minute resolution (both bounds included).

The same tickets are also given as naive local wall times, because pandas'
``CustomBusinessHour``, ``businesstime`` and ``business_duration`` only understand naive
datetimes. Every ticket draws its fields in sequence from one ``random.Random(seed)``, so any
prefix of a workload is itself a uniform random sample: the slow peers run on a prefix.

This module depends on the standard library and ``holidays`` only (not on sla-clock, the
library under test, nor on the peers), so it also works when no peer is installed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "CLOSE",
    "DEFAULT_SEED",
    "FIRST_DAY",
    "LAST_DAY",
    "OPEN",
    "PRIORITY_HOURS",
    "ZONE",
    "Workload",
    "br_holidays",
    "make_workload",
]

ZONE_NAME = "America/Sao_Paulo"
ZONE = ZoneInfo(ZONE_NAME)
OPEN = time(9)
CLOSE = time(18)
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2027, 12, 31)
PRIORITY_HOURS: dict[str, int] = {"P0": 4, "P1": 12, "P2": 40, "P3": 48}
MAX_END_DAYS = 10
DEFAULT_SEED = 20_261_124

_MINUTES = ((LAST_DAY - FIRST_DAY).days + 1) * 24 * 60
_END_MINUTES = MAX_END_DAYS * 24 * 60
_PRIORITIES = tuple(PRIORITY_HOURS)


def br_holidays(first_year: int = FIRST_DAY.year, last_year: int = LAST_DAY.year + 1) -> list[date]:
    """Return Brazil's national public holidays, sorted, as the default calendar closes on.

    The default range runs one year past the workload, because a P3 target or an end instant
    opened on 2027-12-31 lands in January 2028.
    """
    found = holidays.country_holidays("BR", years=range(first_year, last_year + 1))
    return sorted(found.keys())


def _aware(wall: datetime) -> datetime:
    """Read a naive São Paulo wall time as an instant (a DST gap moves forward, fold=0)."""
    return wall.replace(tzinfo=ZONE).astimezone(UTC).astimezone(ZONE)


@dataclass(frozen=True, slots=True)
class Workload:
    """Tickets as parallel tuples; index ``i`` of every field is ticket ``i``.

    Attributes:
        seed: the seed the tickets were drawn with.
        priorities: ``"P0"`` .. ``"P3"``.
        target_hours: the target of each priority in whole business hours.
        targets: the same targets as timedeltas (what ``BusinessCalendar.add`` takes).
        starts: aware start instants in ``America/Sao_Paulo``.
        ends: aware end instants (start + 0..10 days of real time), for ``elapsed``.
        starts_naive: ``starts`` as naive local wall times.
        ends_naive: ``ends`` as naive local wall times.
    """

    seed: int
    priorities: tuple[str, ...]
    target_hours: tuple[int, ...]
    targets: tuple[timedelta, ...]
    starts: tuple[datetime, ...]
    ends: tuple[datetime, ...]
    starts_naive: tuple[datetime, ...]
    ends_naive: tuple[datetime, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def head(self, n: int) -> Workload:
        """Return the first ``n`` tickets (still a uniform sample, see the module doc)."""
        return Workload(
            self.seed,
            self.priorities[:n],
            self.target_hours[:n],
            self.targets[:n],
            self.starts[:n],
            self.ends[:n],
            self.starts_naive[:n],
            self.ends_naive[:n],
        )


def make_workload(n: int, seed: int = DEFAULT_SEED) -> Workload:
    """Draw ``n`` tickets with ``seed``; the same arguments always give the same tickets."""
    if n < 0:
        msg = f"workload size must be >= 0, got {n}"
        raise ValueError(msg)
    rng = random.Random(seed)
    first = datetime.combine(FIRST_DAY, time())
    priorities: list[str] = []
    starts: list[datetime] = []
    ends: list[datetime] = []
    for _ in range(n):
        wall = first + timedelta(minutes=rng.randrange(_MINUTES))
        priority = _PRIORITIES[rng.randrange(len(_PRIORITIES))]
        span = timedelta(minutes=rng.randrange(_END_MINUTES + 1))
        start = _aware(wall)
        priorities.append(priority)
        starts.append(start)
        # Real elapsed time: add in UTC, then show in the zone.
        ends.append((start.astimezone(UTC) + span).astimezone(ZONE))
    hours = tuple(PRIORITY_HOURS[p] for p in priorities)
    return Workload(
        seed=seed,
        priorities=tuple(priorities),
        target_hours=hours,
        targets=tuple(timedelta(hours=h) for h in hours),
        starts=tuple(starts),
        ends=tuple(ends),
        starts_naive=tuple(s.replace(tzinfo=None) for s in starts),
        ends_naive=tuple(e.replace(tzinfo=None) for e in ends),
    )
