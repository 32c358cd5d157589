"""Compare two source trees of sla-clock side by side, in one run: is a refactor free?

Usage::

    git worktree add /tmp/old <commit>            # the tree before the change
    python benchmarks/compare_trees.py /tmp/old/src src [--quick]

For each tree it measures, in fresh processes that import sla_clock from that tree only
(``PYTHONPATH``), and alternating the trees so that both see the same machine:

- the scalar ``BusinessCalendar.add`` (µs per call, best of several repeats);
- ``sla_clock.bulk.add_many_us`` on one million starts (rows per second);
- ``sla-clock batch`` on a generated CSV of tickets (rows per second, whole command).

It prints each rate and the ratio new/old; ``--max-slowdown 0.10`` (the default) makes the
exit status 1 when the new tree is more than 10 % slower on any of them. Only the public API
and the command line are used, so trees of different layouts compare.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Runs in a child process with PYTHONPATH set to one tree; prints one JSON object.
_PROBE = r"""
import json, sys, time, timeit
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
import numpy as np
import sla_clock
from sla_clock import BusinessCalendar
from sla_clock.bulk import add_many_us

n_add, n_bulk, repeats = (int(x) for x in sys.argv[1:4])
cal = BusinessCalendar.default()
sp = ZoneInfo("America/Sao_Paulo")
start = datetime(2026, 11, 24, 17, 30, tzinfo=sp)
hours = timedelta(hours=12)
cal.add(start, hours)
timings = timeit.repeat(lambda: cal.add(start, hours), number=n_add, repeat=repeats)
add_us = min(timings) / n_add * 1e6
rng = np.random.default_rng(7)
base = cal.to_us(datetime(2024, 1, 1, tzinfo=sp))
starts = base + rng.integers(0, 4 * 365 * 86_400_000_000, n_bulk)
durations = rng.choice(np.array([4, 12, 40, 48]) * 3_600_000_000, n_bulk)
add_many_us(cal, starts[:1000], durations[:1000])
best = float("inf")
for _ in range(repeats):
    t0 = time.perf_counter()
    add_many_us(cal, starts, durations)
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"file": sla_clock.__file__, "add_us": add_us, "add_many_rows_s": n_bulk / best}))
"""


def _environment(src: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src)
    return env


def probe(src: Path, n_add: int, n_bulk: int, repeats: int) -> dict[str, float]:
    """Measure the scalar add and add_many_us with the tree at ``src``."""
    command = [sys.executable, "-c", _PROBE, str(n_add), str(n_bulk), str(repeats)]
    done = subprocess.run(
        command, env=_environment(src), capture_output=True, text=True, check=True
    )
    data: dict[str, float] = json.loads(done.stdout)
    if not str(data.pop("file")).startswith(str(src)):
        msg = f"the probe did not import sla_clock from {src}"
        raise RuntimeError(msg)
    return data


def batch_rate(src: Path, tickets: Path, rows: int, repeats: int) -> float:
    """Return rows per second of ``sla-clock batch`` (the whole command) with the tree."""
    import time

    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.csv"
        for _ in range(repeats):
            command = [
                sys.executable,
                "-m",
                "sla_clock",
                "batch",
                str(tickets),
                "--now",
                "2028-01-01 00:00",
                "-o",
                str(out),
                "--progress",
                "never",
            ]
            started = time.perf_counter()
            subprocess.run(command, env=_environment(src), capture_output=True, check=True)
            best = min(best, time.perf_counter() - started)
    return rows / best


def make_tickets(path: Path, rows: int) -> None:
    """Write ``rows`` tickets with ``benchmarks/make_tickets.py`` (seeded)."""
    command = [
        sys.executable,
        str(HERE / "make_tickets.py"),
        "--rows",
        str(rows),
        "--out",
        str(path),
    ]
    subprocess.run(command, check=True, capture_output=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare two sla-clock trees side by side.")
    parser.add_argument("old", type=Path, help="the src/ folder of the tree before the change")
    parser.add_argument("new", type=Path, help="the src/ folder of the tree after it")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    parser.add_argument("--max-slowdown", type=float, default=0.10)
    args = parser.parse_args(argv)
    n_add, n_bulk, rows, repeats = (
        (20_000, 50_000, 20_000, 2) if args.quick else (200_000, 1_000_000, 1_000_000, 3)
    )
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    results: dict[str, dict[str, float]] = {name: {} for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        tickets = Path(tmp) / "tickets.csv"
        make_tickets(tickets, rows)
        for _ in range(2):  # old, new, old, new: both trees see the same machine
            for name, src in trees.items():
                got = probe(src, n_add, n_bulk, repeats)
                got["batch_rows_s"] = batch_rate(src, tickets, rows, repeats)
                for key, value in got.items():
                    best = results[name].get(key)
                    better = min if key == "add_us" else max
                    results[name][key] = value if best is None else better(best, value)
    slow = False
    print(f"{'measure':<22} {'old':>14} {'new':>14} {'new/old':>8}")
    for key, unit in (("add_us", "µs"), ("add_many_rows_s", "rows/s"), ("batch_rows_s", "rows/s")):
        old, new = results["old"][key], results["new"][key]
        # Speed ratio: above 1 is faster (a time per call is inverted).
        speed = old / new if key == "add_us" else new / old
        slow = slow or speed < 1 - args.max_slowdown
        print(f"{key + ' (' + unit + ')':<22} {old:>14,.3f} {new:>14,.3f} {speed:>7.2f}x")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
