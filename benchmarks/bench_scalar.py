"""Scalar benchmark: one call at a time, sla-clock against the Python peers.

Measured in one run, on the seeded workload of ``_workload.py`` (default calendar of the
contract: Mon-Fri 09:00-18:00, São Paulo, Brazilian national public holidays):

- sla-clock ``BusinessCalendar.add`` and ``BusinessCalendar.elapsed`` (aware datetimes);
- pandas ``Timestamp + CustomBusinessHour(n=hours, start="09:00", end="18:00", holidays=...)``
  (naive local wall times; pandas has no business-time difference, so no elapsed row);
- ``businesstime.BusinessTime.businesstime_hours`` for elapsed (it has no add);
- ``business_duration.businessDuration`` for elapsed (it has no add).

Each measurement first runs the calls once untimed (the warm-up; its answers feed the
cross-check), then times the same loop ``--repeats`` times with ``time.perf_counter_ns`` and
the garbage collector off, and keeps the best run. A peer that is not installed gets a
"not installed" row. Ratios compare each peer against sla-clock timed on the very same
inputs (the first ``--peer-n`` tickets of the workload).

Run ``python benchmarks/bench_scalar.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import import_module, metadata
from pathlib import Path
from types import ModuleType
from typing import Any

from _workload import CLOSE, DEFAULT_SEED, OPEN, Workload, br_holidays, make_workload

import sla_clock
from sla_clock import BusinessCalendar

DEFAULT_N = 20_000
PEER_SHARE = 10  # the slow peers run on n // PEER_SHARE tickets by default
DEFAULT_REPEATS = 5
QUICK_N = 300
QUICK_PEER_N = 30
QUICK_REPEATS = 3

SLA = "sla-clock"
PANDAS = "pandas CBH"
BUSINESSTIME = "businesstime"
BUSINESS_DURATION = "business-duration"

HEADER = (
    f"{'library':<18} {'operation':<9} {'calls':>7} {'µs/call':>10} {'calls/s':>11}  vs sla-clock"
)

# How close two elapsed answers must be to count as equal. businesstime goes through float
# hours, so it gets a millisecond of slack; every other comparison is exact.
FLOAT_SLACK = timedelta(milliseconds=1)


# -- results -----------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One line of the table: a library doing one operation (or why it could not)."""

    library: str
    operation: str
    status: str = "ok"  # ok | not installed | no equivalent | not offered | error
    note: str = ""
    calls: int = 0
    best_ns: int | None = None
    baseline_ns: float | None = None  # sla-clock, same operation, same inputs, per call

    @property
    def ns_per_call(self) -> float | None:
        if self.best_ns is None or self.calls == 0:
            return None
        return self.best_ns / self.calls

    @property
    def us_per_call(self) -> float | None:
        ns = self.ns_per_call
        return None if ns is None else ns / 1_000

    @property
    def calls_per_s(self) -> float | None:
        ns = self.ns_per_call
        return None if not ns else 1e9 / ns

    @property
    def speedup(self) -> float | None:
        """How many times faster sla-clock is than this row on the same inputs."""
        ns = self.ns_per_call
        if ns is None or not self.baseline_ns:
            return None
        return ns / self.baseline_ns

    def verdict(self) -> str:
        if self.status != "ok":
            return self.status
        if self.library == SLA:
            return "baseline"
        ratio = self.speedup
        if ratio is None:
            return "-"
        if ratio >= 1:
            return f"sla-clock is {ratio:.1f}x faster"
        return f"sla-clock is {1 / ratio:.1f}x slower"

    def as_json(self) -> dict[str, Any]:
        return {
            "library": self.library,
            "operation": self.operation,
            "status": self.status,
            "note": self.note,
            "calls": self.calls,
            "best_ns": self.best_ns,
            "us_per_call": self.us_per_call,
            "calls_per_s": self.calls_per_s,
            "sla_clock_us_per_call_same_inputs": (
                None if self.baseline_ns is None else self.baseline_ns / 1_000
            ),
            "sla_clock_speedup": self.speedup,
            "verdict": self.verdict(),
        }


@dataclass(slots=True)
class CrossCheck:
    """How many answers of a peer differ from sla-clock's, with a guessed reason each."""

    library: str
    operation: str
    compared: int
    differ: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    by_reason: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    limit: int = 5

    def record(self, reason: str, example: dict[str, str]) -> None:
        self.differ += 1
        self.reasons[reason] += 1
        kept = self.by_reason.setdefault(reason, [])
        if len(kept) < self.limit:
            kept.append({"reason": reason, **example})

    @property
    def examples(self) -> list[dict[str, str]]:
        """Up to ``limit`` examples, taking the reasons in turn (most frequent first)."""
        queues = [self.by_reason[reason] for reason, _ in self.reasons.most_common()]
        picked: list[dict[str, str]] = []
        for rank in range(self.limit):
            picked.extend(queue[rank] for queue in queues if rank < len(queue))
        return picked[: self.limit]

    def as_json(self) -> dict[str, Any]:
        return {
            "library": self.library,
            "operation": self.operation,
            "compared": self.compared,
            "differ": self.differ,
            "reasons": dict(self.reasons),
            "examples": self.examples,
        }


# -- timing ------------------------------------------------------------------------------


def best_of(run: Callable[[], None], repeats: int) -> int:
    """Return the fastest of ``repeats`` timed runs of ``run``, in nanoseconds (GC off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        best = math.inf
        for _ in range(repeats):
            t0 = time.perf_counter_ns()
            run()
            best = min(best, time.perf_counter_ns() - t0)
    finally:
        if was_enabled:
            gc.enable()
    return int(best)


def measure(row: Row, calls: Calls, repeats: int) -> list[Any]:
    """Run every call once untimed (warm-up; the answers are returned for the cross-check),
    then time the timed slice into ``row``."""
    answers, timed = calls
    result = answers()
    row.best_ns = best_of(timed, repeats)
    return result


# -- the calls of each library -----------------------------------------------------------
# Each builder returns ``answers``, which calls the library once per ticket of the whole
# workload and returns the answers (warm-up and cross-check, untimed), and ``timed``, which
# makes the calls of the first ``k`` tickets. Every ``timed`` loop has the same shape: local
# names bound outside, a plain ``for`` over prebuilt arguments, the answer dropped; so the
# loop overhead is the same for all.


Calls = tuple[Callable[[], list[Any]], Callable[[], None]]


def sla_add(cal: BusinessCalendar, w: Workload, k: int) -> Calls:
    starts, targets = w.starts, w.targets
    timed_starts, timed_targets = starts[:k], targets[:k]

    def answers() -> list[datetime]:
        return [cal.add(s, d) for s, d in zip(starts, targets, strict=True)]

    def timed() -> None:
        add = cal.add
        for s, d in zip(timed_starts, timed_targets, strict=True):
            add(s, d)

    return answers, timed


def sla_add_us_ns(cal: BusinessCalendar, w: Workload, k: int, repeats: int) -> float:
    """Time the integer API, ``add_us`` on epoch microseconds, per call in nanoseconds.

    The conversions in and out (what the datetime API adds) are done outside the loop.
    """
    starts = [cal.to_us(s) for s in w.starts[:k]]
    durations = [d // timedelta(microseconds=1) for d in w.targets[:k]]
    for s, d in zip(starts, durations, strict=True):
        assert cal.from_us(cal.add_us(s, d)) == cal.add(cal.from_us(s), timedelta(microseconds=d))

    def timed() -> None:
        add_us = cal.add_us
        for s, d in zip(starts, durations, strict=True):
            add_us(s, d)

    timed()
    return best_of(timed, repeats) / k


def sla_elapsed(cal: BusinessCalendar, w: Workload, k: int) -> Calls:
    starts, ends = w.starts, w.ends
    timed_starts, timed_ends = starts[:k], ends[:k]

    def answers() -> list[timedelta]:
        return [cal.elapsed(a, b) for a, b in zip(starts, ends, strict=True)]

    def timed() -> None:
        elapsed = cal.elapsed
        for a, b in zip(timed_starts, timed_ends, strict=True):
            elapsed(a, b)

    return answers, timed


def pandas_add(pd: ModuleType, holidays: list[date], w: Workload, k: int) -> Calls:
    # Offsets are built once per priority and timestamps once per ticket, outside the timed
    # loop: what is timed is only ``Timestamp + CustomBusinessHour``.
    offsets = {
        hours: pd.offsets.CustomBusinessHour(n=hours, start="09:00", end="18:00", holidays=holidays)
        for hours in sorted(set(w.target_hours))
    }
    stamps = [pd.Timestamp(s) for s in w.starts_naive]
    per_call = [offsets[hours] for hours in w.target_hours]
    timed_stamps, timed_offsets = stamps[:k], per_call[:k]

    def answers() -> list[datetime]:
        return [(ts + off).to_pydatetime() for ts, off in zip(stamps, per_call, strict=True)]

    def timed() -> None:
        for ts, off in zip(timed_stamps, timed_offsets, strict=True):
            ts + off

    return answers, timed


def businesstime_elapsed(bt_module: ModuleType, holidays: list[date], w: Workload, k: int) -> Calls:
    # A set, not the list: membership is what businesstime asks of it.
    bt = bt_module.BusinessTime(business_hours=(OPEN, CLOSE), holidays=frozenset(holidays))
    starts, ends = w.starts_naive, w.ends_naive
    timed_starts, timed_ends = starts[:k], ends[:k]

    def answers() -> list[timedelta]:
        return [bt.businesstime_hours(a, b) for a, b in zip(starts, ends, strict=True)]

    def timed() -> None:
        hours = bt.businesstime_hours
        for a, b in zip(timed_starts, timed_ends, strict=True):
            hours(a, b)

    return answers, timed


def business_duration_elapsed(
    bd_module: ModuleType, holidays: list[date], w: Workload, k: int
) -> Calls:
    duration = bd_module.businessDuration
    closed = frozenset(holidays)
    starts, ends = w.starts_naive, w.ends_naive
    timed_starts, timed_ends = starts[:k], ends[:k]

    def answers() -> list[timedelta | None]:
        out: list[timedelta | None] = []
        for a, b in zip(starts, ends, strict=True):
            seconds = duration(a, b, OPEN, CLOSE, holidaylist=closed, unit="sec")
            out.append(None if math.isnan(seconds) else timedelta(seconds=seconds))
        return out

    def timed() -> None:
        for a, b in zip(timed_starts, timed_ends, strict=True):
            duration(a, b, OPEN, CLOSE, holidaylist=closed, unit="sec")

    return answers, timed


# -- cross-checks ------------------------------------------------------------------------


def _show(moment: datetime) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M")


def _holiday_between(holidays: frozenset[date], first: date, last: date) -> bool:
    return any(first <= day <= last for day in holidays)


def _at_edge(moment: datetime) -> bool:
    return moment.time() in (OPEN, CLOSE)


def add_reason(
    start: datetime, sla_answer: datetime, peer_answer: datetime, holidays: frozenset[date]
) -> str:
    """Guess in one word why two ``add`` answers (naive local wall times) differ."""
    if start.utcoffset() != sla_answer.utcoffset():
        return "timezone"
    wall = sla_answer.replace(tzinfo=None)
    if _at_edge(wall) or _at_edge(peer_answer) or _at_edge(start.replace(tzinfo=None)):
        return "boundary"
    if _holiday_between(holidays, start.date(), max(wall, peer_answer).date()):
        return "holiday"
    return "other"


def elapsed_reason(start: datetime, end: datetime, holidays: frozenset[date]) -> str:
    """Guess in one word why two ``elapsed`` answers differ."""
    if start.utcoffset() != end.utcoffset():
        return "timezone"
    a, b = start.replace(tzinfo=None), end.replace(tzinfo=None)
    if _at_edge(a) or _at_edge(b):
        return "boundary"
    if _holiday_between(holidays, a.date(), b.date()):
        return "holiday"
    outside = [m for m in (a, b) if m.weekday() >= 5 or not OPEN <= m.time() < CLOSE]
    if outside:
        return "boundary"
    return "other"


def check_add(
    library: str,
    w: Workload,
    sla_answers: Sequence[datetime],
    peer_answers: Sequence[datetime],
    holidays: frozenset[date],
) -> CrossCheck:
    check = CrossCheck(library, "add", compared=len(peer_answers))
    for i, (ours, theirs) in enumerate(zip(sla_answers, peer_answers, strict=True)):
        if ours.replace(tzinfo=None) == theirs:
            continue
        example = {
            "start": _show(w.starts_naive[i]),
            "target": f"{w.priorities[i]} {w.target_hours[i]} h",
            SLA: _show(ours),
            library: _show(theirs),
        }
        check.record(add_reason(w.starts[i], ours, theirs, holidays), example)
    return check


def check_elapsed(
    library: str,
    w: Workload,
    sla_answers: Sequence[timedelta],
    peer_answers: Sequence[timedelta | None],
    holidays: frozenset[date],
    slack: timedelta = timedelta(0),
) -> CrossCheck:
    check = CrossCheck(library, "elapsed", compared=len(peer_answers))
    for i, (ours, theirs) in enumerate(zip(sla_answers, peer_answers, strict=True)):
        if theirs is not None and abs(ours - theirs) <= slack:
            continue
        reason = "other" if theirs is None else elapsed_reason(w.starts[i], w.ends[i], holidays)
        example = {
            "start": _show(w.starts_naive[i]),
            "end": _show(w.ends_naive[i]),
            SLA: str(ours),
            library: "nan" if theirs is None else str(theirs),
        }
        check.record(reason, example)
    return check


# -- peers -------------------------------------------------------------------------------


def try_import(name: str) -> tuple[ModuleType | None, str]:
    """Import a peer; return ``(None, why)`` instead of failing when it is missing."""
    try:
        module = import_module(name)
    except ImportError as exc:
        return None, f"{name}: {exc}"
    return module, ""


def version_of(module: ModuleType | None, dist: str) -> str:
    if module is None:
        return "not installed"
    found = getattr(module, "__version__", None)
    if isinstance(found, str):
        return found
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


# -- output ------------------------------------------------------------------------------


def _num(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_table(rows: Sequence[Row]) -> str:
    lines = [HEADER, "-" * len(HEADER)]
    for row in rows:
        ok = row.status == "ok"
        lines.append(
            f"{row.library:<18} {row.operation:<9} {row.calls if ok else '-':>7} "
            f"{_num(row.us_per_call, '.2f'):>10} {_num(row.calls_per_s, ',.0f'):>11}  "
            f"{row.verdict()}"
        )
    return "\n".join(lines)


def format_checks(checks: Sequence[CrossCheck]) -> str:
    lines: list[str] = []
    for check in checks:
        share = check.differ / check.compared if check.compared else 0.0
        reasons = ", ".join(f"{k} {v}" for k, v in check.reasons.most_common()) or "-"
        lines.append(
            f"{check.library} {check.operation}: {check.differ} of {check.compared} answers "
            f"differ from sla-clock ({share:.1%}); reasons guessed: {reasons}"
        )
        for example in check.examples:
            fields = "; ".join(f"{k} {v}" for k, v in example.items() if k != "reason")
            lines.append(f"    [{example['reason']}] {fields}")
    return "\n".join(lines)


# -- main --------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Per-call speed of sla-clock add/elapsed against pandas, businesstime "
        "and business-duration, with a cross-check of their answers."
    )
    parser.add_argument(
        "--n",
        type=int,
        default=None,
        help=f"tickets timed for sla-clock (default {DEFAULT_N}; {QUICK_N} with --quick)",
    )
    parser.add_argument(
        "--peer-n",
        type=int,
        default=None,
        help=f"tickets timed for the slower peers, the first of the same workload "
        f"(default n // {PEER_SHARE}; {QUICK_PEER_N} with --quick)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help=f"timed runs, the best is kept (default {DEFAULT_REPEATS}; "
        f"{QUICK_REPEATS} with --quick)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="workload seed")
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, for smoke tests (a few seconds)"
    )
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write results")
    args = parser.parse_args(argv)
    if args.n is None:
        args.n = QUICK_N if args.quick else DEFAULT_N
    if args.peer_n is None:
        args.peer_n = QUICK_PEER_N if args.quick else max(1, args.n // PEER_SHARE)
    if args.repeats is None:
        args.repeats = QUICK_REPEATS if args.quick else DEFAULT_REPEATS
    if args.n < 1 or args.peer_n < 1 or args.repeats < 1:
        parser.error("--n, --peer-n and --repeats must be at least 1")
    args.peer_n = min(args.peer_n, args.n)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # "µ" on a non-UTF-8 console
    args = parse_args(argv)
    n: int = args.n
    peer_n: int = args.peer_n
    repeats: int = args.repeats

    pd, pd_why = try_import("pandas")
    bt_module, bt_why = try_import("businesstime")
    bd_module, bd_why = try_import("business_duration")
    if bd_module is not None and pd is None:
        bd_module, bd_why = None, f"business_duration needs pandas ({pd_why})"
    versions = {
        SLA: sla_clock.__version__,
        "pandas": version_of(pd, "pandas"),
        "businesstime": version_of(bt_module, "businesstime"),
        "business-duration": version_of(bd_module, "business-duration"),
    }

    print(
        f"sla-clock scalar benchmark: Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(
        f"workload: seed {args.seed}, {n} tickets; timed: all {n} for sla-clock, the first "
        f"{peer_n} for the peers; best of {repeats} runs after one untimed run over all {n}"
    )

    workload = make_workload(n, args.seed)
    holiday_list = br_holidays()
    holiday_set = frozenset(holiday_list)
    cal = BusinessCalendar.default()

    rows: list[Row] = []
    checks: list[CrossCheck] = []
    sla_answers: dict[str, list[Any]] = {}
    baseline: dict[str, float] = {}
    sla_calls = {"add": sla_add, "elapsed": sla_elapsed}
    for operation, build_sla in sla_calls.items():
        # The headline row: the whole workload.
        row = Row(SLA, operation, calls=n)
        sla_answers[operation] = measure(row, build_sla(cal, workload, n), repeats)
        rows.append(row)
        # The baseline of the ratios: exactly the calls the peers are timed on.
        probe = Row(SLA, operation, calls=peer_n)
        probe.best_ns = best_of(build_sla(cal, workload, peer_n)[1], repeats)
        assert probe.ns_per_call is not None
        baseline[operation] = probe.ns_per_call

    def peer(
        library: str,
        operation: str,
        module: ModuleType | None,
        why: str,
        build: Callable[[ModuleType, list[date], Workload, int], Calls],
    ) -> list[Any] | None:
        row = Row(library, operation, calls=peer_n, baseline_ns=baseline[operation])
        rows.append(row)
        if module is None:
            row.status, row.note = "not installed", why
            return None
        try:
            return measure(row, build(module, holiday_list, workload, peer_n), repeats)
        except Exception as exc:  # a peer's own bug must not hide the other rows
            row.status, row.note = "error", f"{type(exc).__name__}: {exc}"
            row.best_ns = None
            return None

    def absent(library: str, operation: str, status: str, note: str) -> None:
        rows.append(Row(library, operation, status=status, note=note))

    answers = peer(PANDAS, "add", pd, pd_why, pandas_add)
    if answers is not None:
        checks.append(check_add(PANDAS, workload, sla_answers["add"], answers, holiday_set))
    absent(
        PANDAS,
        "elapsed",
        "no equivalent",
        "pandas has no business-time difference between two timestamps: CustomBusinessHour "
        "only moves a timestamp, and np.busday_count counts whole days; so nothing is timed",
    )

    absent(
        BUSINESSTIME,
        "add",
        "not offered",
        "businesstime only measures (businesstimedelta, businesstime_hours); it has no add",
    )
    answers = peer(BUSINESSTIME, "elapsed", bt_module, bt_why, businesstime_elapsed)
    if answers is not None:
        checks.append(
            check_elapsed(
                BUSINESSTIME, workload, sla_answers["elapsed"], answers, holiday_set, FLOAT_SLACK
            )
        )

    absent(
        BUSINESS_DURATION,
        "add",
        "not offered",
        "businessDuration only measures the business time between two datetimes",
    )
    answers = peer(BUSINESS_DURATION, "elapsed", bd_module, bd_why, business_duration_elapsed)
    if answers is not None:
        checks.append(
            check_elapsed(BUSINESS_DURATION, workload, sla_answers["elapsed"], answers, holiday_set)
        )

    add_us_ns = sla_add_us_ns(cal, workload, peer_n, repeats)

    print()
    print(format_table(rows))
    print()
    pandas_row = next((r for r in rows if r.library == PANDAS and r.operation == "add"), None)
    pandas_ns = pandas_row.ns_per_call if pandas_row is not None else None
    versus = f", {pandas_ns / add_us_ns:.1f}x pandas CBH add" if pandas_ns else ""
    print(
        f"Integer API (cal.add_us on epoch microseconds, same {peer_n} inputs, conversions "
        f"outside the loop): {add_us_ns / 1000:.2f} µs/call{versus}."
    )
    print(
        f"Ratios compare each peer with sla-clock timed on the same {peer_n} inputs "
        f"(sla-clock there: add {baseline['add'] / 1000:.2f} µs/call, "
        f"elapsed {baseline['elapsed'] / 1000:.2f} µs/call)."
    )
    for row in rows:
        if row.note:
            print(f"  {row.library} {row.operation}: {row.status}: {row.note}")
    if checks:
        print()
        print(
            f"Cross-check against sla-clock on all {n} tickets (add: local wall times, "
            "exact; elapsed: exact, businesstime within 1 ms as it goes through float hours):"
        )
        print(format_checks(checks))
    wall = time.perf_counter() - started
    print()
    print(f"finished in {wall:.1f} s")

    if args.json is not None:
        report = {
            "benchmark": "scalar",
            "python": platform.python_version(),
            "platform": platform.platform(),
            "versions": versions,
            "seed": args.seed,
            "n": n,
            "peer_n": peer_n,
            "repeats": repeats,
            "quick": args.quick,
            "seconds": wall,
            "rows": [row.as_json() for row in rows],
            "add_us_ns_per_call": add_us_ns,
            "crosschecks": [check.as_json() for check in checks],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
