"""Bulk benchmark: sla-clock's vectorised paths against its scalar path and pandas.

Measured in one run, on the seeded workload of ``_workload.py`` (the contract's default
calendar: Mon-Fri 09:00-18:00, São Paulo, Brazilian national public holidays):

- sla-clock ``bulk.add_many_us`` (``int64`` epoch microseconds) and ``bulk.add_many``
  (``datetime64[us]`` UTC instants) on ``--n`` rows (default 1 000 000);
- sla-clock ``BusinessCalendar.add``, one call per row, on the first ``--sample`` rows;
- pandas' vectorised path, ``Series + CustomBusinessHour(n=hours, start="09:00",
  end="18:00", holidays=...)`` on naive local wall times, applied per priority group, on
  the first ``--peer-n`` rows (it runs at some 15 000 rows/s: pandas warns that this offset
  is not vectorised and loops inside); sla-clock's ``add_many`` is timed again on exactly
  those rows for the ratio;
- sla-clock ``bulk.status_many_us`` on ``--n`` tickets (``now`` per ticket: the
  workload's end instant, 0-10 days after the opening, so every state occurs);
- ``SlaPolicy.status`` of a ticket with two pauses, against ten scalar ``add`` calls.

Every measurement runs once untimed (warm-up: the timeline of the four years is compiled
there), then ``--repeats`` timed runs with the garbage collector off; the best is kept.
pandas' answers are cross-checked against sla-clock's, with a guessed reason for each
difference, as in ``bench_scalar.py``. Run ``python benchmarks/bench_bulk.py --help``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from _workload import DEFAULT_SEED, Workload, br_holidays, make_workload
from bench_scalar import CrossCheck, best_of, check_add, format_checks, try_import, version_of

import sla_clock
from sla_clock import BusinessCalendar, Pause, SlaPolicy, Ticket

DEFAULT_N = 1_000_000
DEFAULT_PEER_N = 20_000
DEFAULT_SAMPLE = 20_000
DEFAULT_STATUS_SAMPLE = 2_000
DEFAULT_REPEATS = 3
QUICK = {"n": 20_000, "peer_n": 300, "sample": 2_000, "status_sample": 200, "repeats": 3}

TARGET_ROWS_PER_S = 5_000_000
TARGET_VS_PANDAS = 250
TARGET_STATUS_IN_ADDS = 10

PANDAS = "pandas Series + CBH"
HEADER = f"{'path':<34} {'rows':>9} {'best ms':>10} {'rows/s':>13}  note"


@dataclass(slots=True)
class Row:
    """One line of the table: a path over some rows, its best time, or why it did not run."""

    path: str
    rows: int
    best_ns: int | None = None
    status: str = "ok"  # ok | not installed | error
    note: str = ""

    @property
    def rows_per_s(self) -> float | None:
        if not self.best_ns:
            return None
        return self.rows * 1e9 / self.best_ns

    @property
    def ns_per_row(self) -> float | None:
        return None if self.best_ns is None or not self.rows else self.best_ns / self.rows

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rows": self.rows,
            "best_ns": self.best_ns,
            "rows_per_s": self.rows_per_s,
            "status": self.status,
            "note": self.note,
        }


def timed(row: Row, run: Callable[[], object], repeats: int) -> Any:
    """Run once untimed (warm-up; its result is returned), then keep the best timed run."""
    result = run()

    def once() -> None:
        run()

    row.best_ns = best_of(once, repeats)
    return result


# -- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Arrays:
    """The workload as the vectorised API takes it."""

    starts_us: Any  # int64 epoch microseconds
    ends_us: Any
    targets_us: Any  # int64 business microseconds, per row
    priorities: Any  # str codes


def arrays_of(np: ModuleType, cal: BusinessCalendar, w: Workload) -> Arrays:
    to_us = cal.to_us
    return Arrays(
        np.fromiter((to_us(s) for s in w.starts), dtype=np.int64, count=len(w)),
        np.fromiter((to_us(e) for e in w.ends), dtype=np.int64, count=len(w)),
        np.asarray(w.target_hours, dtype=np.int64) * 3_600_000_000,
        np.asarray(w.priorities),
    )


def paused_tickets(w: Workload, k: int) -> list[tuple[Ticket, datetime]]:
    """Tickets with two pauses (waiting on the customer twice) and a now 10 days later."""
    out = []
    for i in range(k):
        start = w.starts[i]
        pauses = (
            Pause(start=start + timedelta(hours=1), end=start + timedelta(hours=3)),
            Pause(start=start + timedelta(hours=26), end=start + timedelta(hours=29)),
        )
        ticket = Ticket(opened_at=start, priority=w.priorities[i], pauses=pauses)
        out.append((ticket, start + timedelta(days=10)))
    return out


# -- pandas ----------------------------------------------------------------------------------


def pandas_add(pd: ModuleType, holidays: list[date], w: Workload) -> tuple[Callable[[], Any], Any]:
    """pandas' vectorised path, one ``Series + CustomBusinessHour`` per priority group.

    The groups' Series and offsets are built outside the timed call.
    """
    naive = pd.Series(pd.DatetimeIndex(list(w.starts_naive)))
    hours = pd.Series(w.target_hours)
    groups = [
        (
            naive[hours == h],
            pd.offsets.CustomBusinessHour(n=h, start="09:00", end="18:00", holidays=holidays),
        )
        for h in sorted(set(w.target_hours))
    ]

    def run() -> list[Any]:
        with warnings.catch_warnings():
            # "Non-vectorized DateOffset being applied to Series": the point of the row.
            warnings.simplefilter("ignore")
            return [series + offset for series, offset in groups]

    def answers(parts: list[Any]) -> list[datetime]:
        merged = pd.concat(parts).sort_index()
        return [ts.to_pydatetime() for ts in merged]

    return run, answers


# -- main ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Rows per second of sla-clock's vectorised add and status against its "
        "scalar path and pandas' CustomBusinessHour on a Series, with a cross-check."
    )
    parser.add_argument("--n", type=int, help=f"rows for the vectorised paths ({DEFAULT_N:,})")
    parser.add_argument("--peer-n", type=int, help=f"rows for pandas ({DEFAULT_PEER_N:,})")
    parser.add_argument("--sample", type=int, help=f"rows for scalar add ({DEFAULT_SAMPLE:,})")
    parser.add_argument(
        "--status-sample",
        type=int,
        help=f"tickets with two pauses for SlaPolicy.status ({DEFAULT_STATUS_SAMPLE:,})",
    )
    parser.add_argument("--repeats", type=int, help=f"timed runs, best kept ({DEFAULT_REPEATS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="workload seed")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a few seconds)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write results")
    args = parser.parse_args(argv)
    defaults = (
        QUICK
        if args.quick
        else {
            "n": DEFAULT_N,
            "peer_n": DEFAULT_PEER_N,
            "sample": DEFAULT_SAMPLE,
            "status_sample": DEFAULT_STATUS_SAMPLE,
            "repeats": DEFAULT_REPEATS,
        }
    )
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    args.peer_n = min(args.peer_n, args.n)
    args.sample = min(args.sample, args.n)
    args.status_sample = min(args.status_sample, args.n)
    return args


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_table(rows: Sequence[Row]) -> str:
    lines = [HEADER, "-" * len(HEADER)]
    for row in rows:
        ok = row.status == "ok"
        ms = None if row.best_ns is None else row.best_ns / 1e6
        note = row.note if ok else f"{row.status}: {row.note}"
        lines.append(
            f"{row.path:<34} {row.rows if ok else '-':>9} {fmt(ms, ',.2f'):>10} "
            f"{fmt(row.rows_per_s, ',.0f'):>13}  {note}".rstrip()
        )
    return "\n".join(lines)


def verdict(value: float | None, target: float, *, at_least: bool) -> str:
    if value is None:
        return "not measured"
    met = value >= target if at_least else value <= target
    return "met" if met else "NOT met"


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # "µ" on a non-UTF-8 console
    args = parse_args(argv)
    np, np_why = try_import("numpy")
    pd, pd_why = try_import("pandas")
    versions = {
        "sla-clock": sla_clock.__version__,
        "numpy": version_of(np, "numpy"),
        "pandas": version_of(pd, "pandas"),
    }
    print(
        f"sla-clock bulk benchmark: Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(
        f"workload: seed {args.seed}; {args.n:,} rows vectorised, {args.sample:,} scalar, "
        f"{args.peer_n:,} for pandas, {args.status_sample:,} paused tickets; best of "
        f"{args.repeats} runs after one untimed run"
    )
    if np is None:
        print(f"\nnumpy not installed ({np_why}): the vectorised paths need sla-clock[fast].")
        return 0
    from sla_clock.bulk import add_many, add_many_us, status_many_us

    w = make_workload(args.n, args.seed)
    cal = BusinessCalendar.default()
    policy = SlaPolicy.default()
    a = arrays_of(np, cal, w)
    repeats: int = args.repeats
    rows: list[Row] = []
    checks: list[CrossCheck] = []
    consistency: list[str] = []

    # Vectorised add on every row: integers, then datetime64.
    row = Row("sla-clock add_many_us (int64)", args.n)
    deadlines = timed(row, lambda: add_many_us(cal, a.starts_us, a.targets_us), repeats)
    rows.append(row)
    headline = row
    starts64 = a.starts_us.view("datetime64[us]")
    targets64 = a.targets_us.view("timedelta64[us]")
    row = Row("sla-clock add_many (datetime64)", args.n)
    timed(row, lambda: add_many(cal, starts64, targets64), repeats)
    rows.append(row)

    # Scalar add, one call per row of a sample; its answers check the vectorised ones.
    k = args.sample
    sample = list(zip(w.starts[:k], w.targets[:k], strict=True))
    add = cal.add
    row = Row("sla-clock add (scalar loop)", k)
    scalar = timed(row, lambda: [add(s, d) for s, d in sample], repeats)
    rows.append(row)
    same = sum(cal.to_us(x) == int(y) for x, y in zip(scalar, deadlines[:k], strict=True))
    consistency.append(f"add_many_us == add on {same:,} of {k:,} sampled rows")

    # pandas' vectorised path, and sla-clock on exactly the same rows.
    p = args.peer_n
    row = Row("sla-clock add_many (same rows)", p)
    timed(row, lambda: add_many(cal, starts64[:p], targets64[:p]), repeats)
    rows.append(row)
    same_rows_ns = row.ns_per_row
    pandas_row = Row(PANDAS, p)
    rows.append(pandas_row)
    vs_pandas: float | None = None
    if pd is None:
        pandas_row.status, pandas_row.note = "not installed", pd_why
    else:
        try:
            run, answers = pandas_add(pd, br_holidays(), w.head(p))
            parts = timed(pandas_row, run, repeats)
            ours = [cal.from_us(int(t)) for t in deadlines[:p]]
            checks.append(
                check_add(PANDAS, w.head(p), ours, answers(parts), frozenset(br_holidays()))
            )
        except Exception as exc:  # a peer's own failure must not hide the other rows
            pandas_row.status, pandas_row.note = "error", f"{type(exc).__name__}: {exc}"
            pandas_row.best_ns = None
        if pandas_row.ns_per_row and same_rows_ns:
            vs_pandas = pandas_row.ns_per_row / same_rows_ns
            pandas_row.note = f"add_many is {vs_pandas:,.0f}x faster on these rows"

    # Vectorised status of every ticket, no pauses.
    row = Row("sla-clock status_many_us", args.n)
    cols = timed(row, lambda: status_many_us(policy, a.starts_us, a.priorities, a.ends_us), repeats)
    states = dict(zip(*np.unique(cols.state, return_counts=True), strict=True))
    row.note = ", ".join(f"{s} {int(c):,}" for s, c in sorted(states.items()))
    rows.append(row)

    # Scalar status with two pauses, against ten scalar adds.
    # The scalar add is timed again right before, on the same tickets' openings, so that
    # the ratio compares two neighbouring measurements.
    tickets = paused_tickets(w, args.status_sample)
    openings = [(t.opened_at, policy.target(t.priority)) for t, _ in tickets]
    adds = Row("add, same openings", len(openings))
    timed(adds, lambda: [add(s, d) for s, d in openings], max(repeats, 5))
    row = Row("SlaPolicy.status, 2 pauses", len(tickets))
    timed(row, lambda: [policy.status(t, now) for t, now in tickets], max(repeats, 5))
    status_in_adds = None
    if row.ns_per_row and adds.ns_per_row:
        status_in_adds = row.ns_per_row / adds.ns_per_row
        row.note = (
            f"{row.ns_per_row / 1000:.1f} µs/ticket = {status_in_adds:.1f} scalar adds "
            f"of {adds.ns_per_row / 1000:.2f} µs"
        )
    rows.append(row)

    headline_rate = headline.rows_per_s
    print()
    print(format_table(rows))
    print()
    print("Targets:")
    print(
        f"  add_many_us >= {TARGET_ROWS_PER_S:,} rows/s: {fmt(headline_rate, ',.0f')} rows/s, "
        f"{verdict(headline_rate, TARGET_ROWS_PER_S, at_least=True)}"
    )
    print(
        f"  add_many >= {TARGET_VS_PANDAS}x pandas' vectorised path (same {p:,} rows): "
        f"{fmt(vs_pandas, ',.0f')}{'x' if vs_pandas else ''}, "
        f"{verdict(vs_pandas, TARGET_VS_PANDAS, at_least=True)}"
    )
    print(
        f"  status with two pauses <= {TARGET_STATUS_IN_ADDS} scalar adds: "
        f"{fmt(status_in_adds, '.1f')}, "
        f"{verdict(status_in_adds, TARGET_STATUS_IN_ADDS, at_least=False)}"
    )
    print("Consistency: " + "; ".join(consistency))
    if checks:
        print()
        print(f"Cross-check against sla-clock on the {p:,} pandas rows (local wall times, exact):")
        print(format_checks(checks))
    wall = time.perf_counter() - started
    print()
    print(f"finished in {wall:.1f} s")

    if args.json is not None:
        report = {
            "benchmark": "bulk",
            "python": platform.python_version(),
            "platform": platform.platform(),
            "versions": versions,
            "seed": args.seed,
            "n": args.n,
            "peer_n": p,
            "sample": k,
            "status_sample": args.status_sample,
            "repeats": repeats,
            "quick": args.quick,
            "seconds": wall,
            "rows": [r.as_json() for r in rows],
            "targets": {
                "add_many_us_rows_per_s": headline_rate,
                "add_many_vs_pandas": vs_pandas,
                "status_two_pauses_in_scalar_adds": status_in_adds,
            },
            "consistency": consistency,
            "crosschecks": [c.as_json() for c in checks],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
