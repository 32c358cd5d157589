"""Calendar versions benchmark: ``add`` and ``elapsed`` with ten versions next to none.

A calendar's versions (``docs/versions.md``) change its hours and holidays from given dates;
the compiled timeline is the concatenation of the versions' days, so a question costs the
same two binary searches whatever the number of versions. This script times, in the same
run and on the same random instants of 2026-2028, the default desk and the default desk with
ten versions (the hours moving every quarter, a holiday source added), and the same ten
versions moving the desk between São Paulo and Lisbon, and prints the microseconds per call
and the ratio. ``add_us`` and ``elapsed_us`` never look at the zone; ``add`` of a datetime
shows its result on the desk's clock, which costs more on a desk that moves (a Python
``tzinfo``). Then the same for policy versions (``status`` of one
ticket, and ``status_many_us`` of many, which groups the rows by version) with ten versions
next to none. ``--quick`` runs a few thousand calls (the smoke test).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from sla_clock import BusinessCalendar, HolidaySource, SlaPolicy, Ticket

HOUR_US = 3_600_000_000
HOURS = ({"mon-fri": "09:00-18:00"}, {"mon-fri": "08:00-17:00"}, {"mon-sat": "10:00-16:00"})


def versioned(count: int, *, moving: bool = False) -> BusinessCalendar:
    """The default desk with ``count`` versions, one a quarter from January 2026; ``moving``:
    every other version moves the desk to Lisbon and the next one back to São Paulo."""
    calendar = BusinessCalendar.default()
    for k in range(count):
        start = date(2026 + k // 4, 1 + 3 * (k % 4), 1)
        holidays = HolidaySource("BR", subdiv="SP") if k == 5 else None
        zone = ("Europe/Lisbon", "America/Sao_Paulo")[k % 2] if moving else None
        calendar = calendar.with_version(
            start, hours=HOURS[k % 3], holidays=holidays, timezone=zone
        )
    return calendar


def contracts(count: int) -> SlaPolicy:
    """The default policy with ``count`` versions, one a quarter from January 2026."""
    policy = SlaPolicy.default()
    for k in range(count):
        start = date(2026 + k // 4, 1 + 3 * (k % 4), 1)
        hours = timedelta(hours=(8, 10, 12)[k % 3])
        policy = policy.with_version(start, targets={"P1": hours}, warning_share=0.5 + k / 40)
    return policy


def policy_rows(instants: list[int], repeats: int) -> None:
    """``status`` per ticket and ``status_many_us`` per row, ten policy versions vs none."""
    import numpy as np

    from sla_clock.bulk import status_many_us

    desk = BusinessCalendar.default()
    now = max(instants) + 24 * HOUR_US
    tickets = [Ticket(opened_at=desk.from_us(t), priority="P1") for t in instants[:20_000]]
    as_of = desk.from_us(now)
    opened = np.asarray(instants, dtype=np.int64)
    codes = np.array(["P1", "P2"] * (len(instants) // 2) + ["P1"] * (len(instants) % 2))
    rows: dict[str, float] = {}
    for _ in range(repeats):
        for label, policy in (("no versions", contracts(0)), ("10 versions", contracts(10))):
            status = policy.status
            key = f"{label} status"
            one = per_call(
                lambda status=status: [status(t, as_of) for t in tickets], len(tickets), 1
            )
            rows[key] = min(rows.get(key, float("inf")), one)
            key = f"{label} status_many_us"
            many = per_call(
                lambda policy=policy: status_many_us(policy, opened, codes, now), len(opened), 1
            )
            rows[key] = min(rows.get(key, float("inf")), many)
    for key, value in rows.items():
        label, operation = key.split(" ", 2)[0:2], key.rsplit(" ", 1)[1]
        ratio = value / rows[f"no versions {operation}"]
        print(f"  {' '.join(label) + ' (policy)':<22} {operation:<10} {value:>8.3f} {ratio:>7.2f}x")


def per_call(work: Callable[[], object], calls: int, repeats: int) -> float:
    """The best of ``repeats`` runs of ``work`` (``calls`` calls), in microseconds a call."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best / calls * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="calls per timing")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 calls, 2 repeats")
    args = parser.parse_args(argv)
    n, repeats = (2_000, 2) if args.quick else (args.n, args.repeats)
    rng = random.Random(14)
    desk = BusinessCalendar.default()
    lo = desk.to_us(desk.localize(datetime(2026, 1, 1)))
    instants = [lo + rng.randrange(3 * 365 * 24 * HOUR_US) for _ in range(n)]
    durations = [rng.randrange(1, 48 * HOUR_US) for _ in range(n)]
    print(f"{n:,} calls, best of {repeats} (the two calendars measured in turns)")
    print(f"  {'calendar':<22} {'operation':<14} {'µs/call':>8} {'vs none':>8}")
    pairs = list(zip(instants, durations, strict=True))
    ends = list(zip(instants, instants[1:] + instants[:1], strict=True))
    works: dict[str, Callable[[], object]] = {}
    calendars = (
        ("no versions", versioned(0)),
        ("10 versions", versioned(10)),
        ("10 moving", versioned(10, moving=True)),
    )
    starts = [(desk.from_us(t), timedelta(microseconds=d)) for t, d in pairs[: n // 4]]
    for label, calendar in calendars:
        add, elapsed = calendar.add_us, calendar.elapsed_us
        [add(t, d) for t, d in pairs]  # compile the years first: only the questions count
        works[f"{label} add"] = lambda add=add: [add(t, d) for t, d in pairs]
        works[f"{label} elapsed"] = lambda elapsed=elapsed: [elapsed(a, b) for a, b in ends]
        aware = calendar.add
        works[f"{label} add(datetime)"] = lambda aware=aware: [aware(t, d) for t, d in starts]
    rows = dict.fromkeys(works, float("inf"))
    for _ in range(repeats):
        for key, work in works.items():
            calls = len(starts) if key.endswith("(datetime)") else n
            rows[key] = min(rows[key], per_call(work, calls, 1))
    for key, value in rows.items():
        label, operation = key.rsplit(" ", 1)
        ratio = value / rows[f"no versions {operation}"]
        print(f"  {label:<22} {operation:<14} {value:>8.3f} {ratio:>7.2f}x")
    policy_rows(instants, repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
