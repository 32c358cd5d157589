"""Events benchmark: ``sla-clock batch --events`` end to end, next to today's ``batch``.

Writes ``--events`` seeded events (about 6.7 per ticket, so 1,000,000 events are about
150,000 tickets: opened, status churn with waits on the customer, replies, priority
changes, resolutions and reopens, tickets interleaved) to a JSON Lines file, and runs
``python -m sla_clock batch --events FILE --now 2028-02-01 -o OUT`` as a subprocess; then
the same number of tickets through ``batch`` (``make_tickets.py``) for comparison. For each
it reports the wall time, the rows (or events) per second and the peak resident memory of
that child alone (``os.wait4``'s resource usage).

Then the same events through the Polars adapter (:func:`sla_clock.adapters.polars.metric_frame`
on a frame read with ``polars.read_ndjson``, in a child of its own), when Polars is installed.

The targets of the feature are 1,000,000 events in under 10 s and 300 MB, for both (for the
adapter: the memory ``metric_frame`` adds to the peak of reading the frame, which is Polars');
``--check`` makes a missed target an exit status of 1. ``--quick`` (``run_all.py``) runs
2,000 events.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from make_tickets import DEFAULT_SEED, write

DEFAULT_EVENTS = 1_000_000
QUICK_EVENTS = 2_000
PER_TICKET = 6.7
NOW = "2028-02-01"
TARGET_SECONDS = 10.0
TARGET_MB = 300.0
START = datetime(2024, 1, 1, 8)


def _history(rng: random.Random, ticket: str) -> Iterator[tuple[datetime, dict[str, str]]]:
    """One ticket's events, in time order: about :data:`PER_TICKET` of them."""
    at = START + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60))
    yield at, {"event": "opened", "priority": rng.choice(("P0", "P1", "P2", "P3"))}
    steps = [
        {"event": "status", "status": "waiting_on_customer"},
        {"event": "status", "status": "open"},
        {"event": "reply", "by": rng.choice(("agent", "customer"))},
        {"event": "priority", "priority": rng.choice(("P0", "P1", "P2", "P3"))},
    ]
    resolved = False
    for _ in range(max(0, round(rng.gauss(PER_TICKET - 2, 1.5)))):
        at += timedelta(minutes=rng.randrange(1, 600))
        if rng.random() < 0.1:
            resolved = not resolved
            yield at, {"event": "resolved" if resolved else "reopened"}
        else:
            yield at, rng.choice(steps)
    if not resolved:
        yield at + timedelta(minutes=rng.randrange(1, 900)), {"event": "resolved"}


def write_events(path: Path, count: int, seed: int) -> int:
    """Write about ``count`` events, tickets interleaved; return the number of tickets."""
    rng = random.Random(seed)
    tickets = max(1, round(count / PER_TICKET))
    lines: list[tuple[datetime, str]] = []
    for n in range(tickets):
        ticket = f"T-{n}"
        for at, event in _history(rng, ticket):
            data = {"ticket": ticket, "at": at.strftime("%Y-%m-%d %H:%M"), **event}
            lines.append((at, json.dumps(data)))
    rng.shuffle(lines)  # interleaved; each ticket's order is restored by its times
    with path.open("w", encoding="utf-8") as out:
        out.writelines(text + "\n" for _, text in lines)
    return tickets


def timed(argv: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run ``argv``; return its wall time (s), its own peak RSS (MB) and its result."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()  # a line or two each: no deadlock
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return wall, kb / 1024, subprocess.CompletedProcess(argv, child.returncode, out, err)


def _polars_child(events: Path) -> int:
    """Read the events into a Polars frame, then time ``metric_frame`` on it (prints s)."""
    import polars as pl

    from sla_clock import SlaPolicy
    from sla_clock.adapters.polars import metric_frame

    policy = SlaPolicy.default()
    frame = pl.read_ndjson(events).with_columns(
        pl.col("at")
        .str.to_datetime("%Y-%m-%d %H:%M")
        .dt.replace_time_zone(policy.calendar.timezone)
    )
    now = datetime.fromisoformat(NOW).replace(tzinfo=policy.calendar.zone)
    read_peak = _peak_mb()
    start = time.perf_counter()
    rows = metric_frame(frame, policy, now=now)
    print(f"{time.perf_counter() - start:.3f} {rows.height} {read_peak:.0f}")
    return 0


def _peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    import resource

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _polars_run(events: Path, lines: int) -> tuple[float, float] | None:
    """Run :func:`_polars_child`; print, and return its seconds and the MB that metric_frame
    adds to the peak of reading the frame (``None``: no Polars)."""
    try:
        import polars  # noqa: F401 (only to know whether the adapter can run)
    except ImportError:
        print("metric_frame (Polars): skipped, Polars is not installed")
        return None
    wall, mb, done = timed([sys.executable, __file__, "--polars-child", str(events)])
    if done.returncode != 0:
        print(f"metric_frame (Polars) FAILED: {done.stderr}", file=sys.stderr)
        return None
    seconds, rows, read_peak = done.stdout.split()
    print(f"metric_frame (Polars): {lines:,} events, {int(rows):,} rows")
    print(
        f"  {float(seconds):.2f} s in metric_frame ({lines / float(seconds):,.0f} events/s); "
        f"child {wall:.2f} s with reading the file"
    )
    print(
        f"  peak RSS {mb:.0f} MB; {read_peak} MB of it before metric_frame (polars.read_ndjson "
        "and the frame)"
    )
    return float(seconds), mb - float(read_peak)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EVENTS:,} events")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--write-to", help=argparse.SUPPRESS)  # the files, in a child
    parser.add_argument("--polars-child", help=argparse.SUPPRESS)  # metric_frame, in a child
    args = parser.parse_args(argv)
    if args.polars_child is not None:
        return _polars_child(Path(args.polars_child))
    count = QUICK_EVENTS if args.quick else args.events
    if args.write_to is not None:
        folder = Path(args.write_to)
        tickets = write_events(folder / "events.jsonl", count, DEFAULT_SEED)
        write(folder / "tickets.csv", tickets, seed=DEFAULT_SEED, style="iso", file_format="csv")
        print(tickets)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        events, tickets_file = folder / "events.jsonl", folder / "tickets.csv"
        # Written by a child: a child's peak RSS counts its parent's at the fork (Linux keeps
        # ru_maxrss across exec), so this process must stay small.
        made = [sys.executable, __file__, "--events", str(count), "--write-to", tmp]
        tickets = int(subprocess.run(made, capture_output=True, text=True, check=True).stdout)
        lines = sum(1 for _ in events.open(encoding="utf-8"))
        base = [sys.executable, "-m", "sla_clock", "batch"]
        out = ["--now", NOW, "-o", str(folder / "out.csv"), "--progress", "never"]
        wall, mb, done = timed([*base, "--events", str(events), *out])
        if done.returncode != 0:
            print(f"FAILED: exit status {done.returncode}\n{done.stderr}", file=sys.stderr)
            return 1
        print(f"batch --events: {lines:,} events, {tickets:,} tickets")
        print(f"  summary: {done.stderr.strip()}")
        print(f"  wall time: {wall:.2f} s; {lines / wall:,.0f} events/s; peak RSS {mb:.0f} MB")
        t_wall, t_mb, t_done = timed([*base, str(tickets_file), *out])
        print(f"batch (tickets): {tickets:,} rows, exit {t_done.returncode}")
        print(f"  wall time: {t_wall:.2f} s; {tickets / t_wall:,.0f} rows/s; peak {t_mb:.0f} MB")
        print(f"  batch --events / batch: {wall / t_wall:.1f}x the time for as many tickets")
        frame = _polars_run(events, lines)
    missed = wall > TARGET_SECONDS or mb > TARGET_MB
    if frame is not None:
        missed = missed or frame[0] > TARGET_SECONDS or frame[1] > TARGET_MB
    if not args.quick:
        verdict = "missed" if missed else "met"
        print(f"target {TARGET_SECONDS:g} s and {TARGET_MB:g} MB for {lines:,} events: {verdict}")
    return 1 if args.check and missed and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
