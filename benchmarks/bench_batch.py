"""Batch benchmark: ``sla-clock batch`` end to end on a generated file of tickets.

Writes ``--rows`` seeded tickets (``make_tickets.py``: opened uniform over four years of
minutes, P0-P3, 40 % resolved, 10 % with a pause) to a temporary file, then runs
``python -m sla_clock batch FILE --now 2028-02-01 --output OUT`` as a subprocess, exactly as a
user would, and reports:

- the wall time of the subprocess (interpreter start-up and imports included) and its rows
  per second, the best of ``--repeats`` runs, and its CPU time (user + system), which other
  work on the machine disturbs less;
- its peak resident memory, from ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the
  batch is the only child process, so this is its peak);
- a check that every row came out.

The targets of the feature are 1,000,000 CSV rows in under 10 s with a peak under 300 MB;
``--check`` makes a missed target an exit status of 1. ``--quick`` (used by ``run_all.py``
and the smoke test) runs 2,000 rows. ``sla-clock batch`` needs NumPy; without it the script
says so and measures nothing.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from make_tickets import DEFAULT_SEED, STYLES, write

DEFAULT_ROWS = 1_000_000
QUICK_ROWS = 2_000
NOW = "2028-02-01"  # after every generated time
TARGET_SECONDS = 10.0
TARGET_MB = 300.0


def _count_lines(path: Path) -> int:
    with path.open("rb") as data:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: data.read(1 << 20), b""))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time sla-clock batch on generated tickets.")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="tickets to generate")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} rows (smoke test)")
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--style", choices=STYLES, default="iso", help="how times are written")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeats", type=int, default=1, help="runs; the best is reported")
    parser.add_argument(
        "--check", action="store_true", help="exit with 1 when a target (10 s, 300 MB) is missed"
    )
    args = parser.parse_args(argv)
    rows = QUICK_ROWS if args.quick else args.rows
    try:
        importlib.import_module("numpy")
    except ImportError:
        print("sla-clock batch needs NumPy (pip install 'sla-clock[fast]'): not installed, so")
        print("nothing was measured.")
        return 0

    with tempfile.TemporaryDirectory(prefix="sla-clock-bench-") as folder:
        tickets = Path(folder) / f"tickets.{args.format}"
        output = Path(folder) / f"out.{args.format}"
        started = time.perf_counter()
        write(tickets, rows, seed=args.seed, style=args.style, file_format=args.format)
        made = time.perf_counter() - started
        size_mb = tickets.stat().st_size / 1e6
        command = [sys.executable, "-m", "sla_clock", "batch", str(tickets), "--now", NOW]
        command += ["--output", str(output), "--progress", "never"]
        print(
            f"sla-clock batch on {rows:,} tickets ({args.format}, {args.style} times, "
            f"{size_mb:.1f} MB, generated in {made:.1f} s)"
        )
        print(f"python {platform.python_version()} on {platform.machine()}, {_cpus()} CPU(s)")
        print(f"command: python -m sla_clock batch FILE --now {NOW} --output OUT")
        walls = []
        for _ in range(max(1, args.repeats)):
            started = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            walls.append(time.perf_counter() - started)
            if result.returncode != 0:
                print(f"FAILED: exit status {result.returncode}\n{result.stderr}", file=sys.stderr)
                return 1
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = usage.ru_maxrss / 1024  # KiB on Linux
        cpu = (usage.ru_utime + usage.ru_stime) / len(walls)
        written = _count_lines(output) - (1 if args.format == "csv" else 0)
        if written != rows:
            print(f"FAILED: {written:,} rows written for {rows:,} read", file=sys.stderr)
            return 1
        best = min(walls)
        runs = ", ".join(f"{w:.2f}" for w in walls)
        print(f"summary: {result.stderr.strip()}")
        print(f"wall time: {best:.2f} s best of {len(walls)} ({runs}); {rows / best:,.0f} rows/s")
        print(f"CPU time:  {cpu:.2f} s per run (user + system, less sensitive to other load)")
        print(f"peak RSS:  {peak_mb:.0f} MB")
    if rows >= DEFAULT_ROWS and args.format == "csv":
        met = best < TARGET_SECONDS and peak_mb < TARGET_MB
        verdict = "met" if met else "MISSED"
        print(f"targets (< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB for 1M rows): {verdict}")
        if args.check and not met:
            return 1
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
