"""Business-day benchmark: sla-clock's day arithmetic (issue 11) against NumPy's busday functions.

Measured in one run, on ``BusinessCalendar.default()`` (Mon-Fri 09:00-18:00, São Paulo,
Brazil's national public holidays) and, for NumPy, ``np.busdaycalendar(weekmask="Mon Tue Wed
Thu Fri", holidays=...)`` with the calendar's own closed dates
(``cal.holidays.closed_dates(1999, 2041)``, one year either side of the dates, as results
run past them). Before anything is timed, the two calendars are checked to agree on every
date of 1999-2041 (``cal.is_business_day`` against ``np.is_busday``).

The workload is seeded (``--seed``): ``--n`` days (default 1 000 000) uniform over every date
of 2000-01-01..2040-12-31, each with a count ``n`` uniform in -30..30 and an end date
``day + span``, ``span`` uniform in -120..120 calendar days (so about half the pairs are
reversed). Every element draws its three fields in sequence from one ``random.Random(seed)``,
so the first ``--sample`` elements, used for the scalar calls, are a uniform sample too.

1. ``cal.add_business_days(day, n)``, one call per element of the sample (``datetime.date``
   in and out), next to ``np.busday_offset(day, n, roll="forward", busdaycal=...)`` called
   the same way (``np.datetime64`` scalars, NumPy's own type, built outside the loop) and to
   NumPy's vectorised call on all ``--n`` elements, per element.
2. ``sla_clock.bulk.add_business_days_many(cal, days, n)`` against
   ``np.busday_offset(days, n, roll="forward", busdaycal=...)`` on the same ``datetime64[D]``
   and ``int64`` arrays; their answers are compared element-wise.
3. ``cal.business_days_between(start, end)`` against ``np.busday_count(start, end,
   busdaycal=...)``, scalar on the sample, and ``bulk.business_days_between_many`` against
   the vectorised ``np.busday_count`` on all elements. Answers are compared where
   ``start <= end``; for a reversed pair NumPy counts ``(end, start]`` and sla-clock is
   antisymmetric by design (``-busday_count(end, start)``), which is checked instead.
4. First-call cost, in ms, of fresh calendars (``BusinessCalendar.create()``, not the cached
   ``default()``): the first ``add_business_days`` (it builds the business-day table), the
   first ``add_business_days_many`` on all ``--n`` dates (a table of 2000-2040), the first
   pass of the scalar sample (random dates 2000-2040, one at a time), and the per-call cost
   of calls that alternate between 2000-06-01 and 2040-06-01.

Each timed measurement runs once untimed (the warm-up: the tables are built there and its
answers feed the checks), then ``--repeats`` times with the garbage collector off; the best
run is kept. Ratios are NumPy's time per call over sla-clock's in this same run. Nothing is
asserted about the times; a difference in the answers makes the exit status 1. Without
NumPy the NumPy rows and the vectorised rows say "not installed" and the rest runs. Run
``python benchmarks/bench_days.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from bench_scalar import best_of, try_import, version_of

import sla_clock
from sla_clock import BusinessCalendar

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2040, 12, 31)
MAX_COUNT = 30  # n uniform in -MAX_COUNT..MAX_COUNT
MAX_SPAN_DAYS = 120  # end = day + span, span uniform in -MAX_SPAN_DAYS..MAX_SPAN_DAYS
# The closed dates NumPy gets, and the dates the two calendars are checked on: one year
# either side of the workload, since a result runs up to 30 business days past it.
HOLIDAY_YEARS = (FIRST_DAY.year - 1, LAST_DAY.year + 1)
ALTERNATING = (date(2000, 6, 1), date(2040, 6, 1))
DEFAULT_SEED = 20_261_120
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # day 0 of datetime64[D]

DEFAULTS = {"n": 1_000_000, "sample": 100_000, "repeats": 5, "first_repeats": 5, "alternate": 20}
QUICK = {"n": 20_000, "sample": 2_000, "repeats": 3, "first_repeats": 2, "alternate": 4}

HEADER = f"{'measure':<56} {'calls':>9} {'best ms':>9} {'µs/call':>9} {'calls/s':>13}"
FIRST_HEADER = (
    f"{'first-call cost (fresh calendar)':<56} {'runs':>9} {'best ms':>9} {'median ms':>9}"
)


# -- the workload ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayWorkload:
    """Element ``i``: the date ``days[i]`` (an ordinal), ``counts[i]`` and ``spans[i]``."""

    seed: int
    days: list[int]
    counts: list[int]
    spans: list[int]

    def dates(self, k: int) -> list[date]:
        return [date.fromordinal(d) for d in self.days[:k]]

    def end_dates(self, k: int) -> list[date]:
        return [date.fromordinal(d + s) for d, s in zip(self.days[:k], self.spans[:k], strict=True)]


def make_day_workload(n: int, seed: int = DEFAULT_SEED) -> DayWorkload:
    """Draw ``n`` elements with ``seed``; the same arguments always give the same elements."""
    rng = random.Random(seed)
    lo, hi = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    days: list[int] = []
    counts: list[int] = []
    spans: list[int] = []
    for _ in range(n):
        days.append(rng.randint(lo, hi))
        counts.append(rng.randint(-MAX_COUNT, MAX_COUNT))
        spans.append(rng.randint(-MAX_SPAN_DAYS, MAX_SPAN_DAYS))
    return DayWorkload(seed, days, counts, spans)


@dataclass(frozen=True, slots=True)
class Arrays:
    """The workload as NumPy arrays: ``datetime64[D]`` dates and ``int64`` counts."""

    days: Any
    ends: Any
    counts: Any


def arrays_of(np: ModuleType, w: DayWorkload) -> Arrays:
    days = (np.asarray(w.days, dtype=np.int64) - EPOCH_ORDINAL).astype("datetime64[D]")
    spans = np.asarray(w.spans, dtype=np.int64).astype("timedelta64[D]")
    return Arrays(days, days + spans, np.asarray(w.counts, dtype=np.int64))


# -- results -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One timed line: ``calls`` calls (or array elements) in ``best_ns``, or why not."""

    measure: str
    calls: int
    best_ns: int | None = None
    status: str = "ok"  # ok | not installed
    note: str = ""

    @property
    def ns_per_call(self) -> float | None:
        return None if self.best_ns is None or not self.calls else self.best_ns / self.calls

    @property
    def calls_per_s(self) -> float | None:
        ns = self.ns_per_call
        return None if not ns else 1e9 / ns

    def as_json(self) -> dict[str, Any]:
        ns = self.ns_per_call
        return {
            "measure": self.measure,
            "calls": self.calls,
            "best_ns": self.best_ns,
            "us_per_call": None if ns is None else ns / 1_000,
            "calls_per_s": self.calls_per_s,
            "status": self.status,
            "note": self.note,
        }


@dataclass(slots=True)
class FirstCall:
    """A first-call cost: one fresh calendar per run, the ms of each run."""

    measure: str
    runs_ms: list[float] = field(default_factory=list)
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"measure": self.measure, "runs_ms": self.runs_ms, "note": self.note}


@dataclass(frozen=True, slots=True)
class Check:
    """An equality check: ``equal`` of ``compared`` answers agree."""

    what: str
    equal: int
    compared: int

    @property
    def ok(self) -> bool:
        return self.equal == self.compared

    def line(self) -> str:
        verdict = "equal" if self.ok else f"MISMATCH: {self.compared - self.equal:,} differ"
        return f"  {self.what}: {self.equal:,} of {self.compared:,} {verdict}"


def timed(row: Row, run: Callable[[], object], repeats: int) -> Any:
    """Run once untimed (warm-up; its result is returned), then keep the best timed run."""
    result = run()

    def once() -> None:
        run()

    row.best_ns = best_of(once, repeats)
    return result


def scalar_timed(
    row: Row, answers: Callable[[], list[Any]], loop: Callable[[], None], repeats: int
) -> list[Any]:
    """Make every call once untimed (warm-up; the answers are returned), then time ``loop``."""
    result = answers()
    row.best_ns = best_of(loop, repeats)
    return result


def ratio(numpy_row: Row, sla_row: Row) -> float | None:
    """NumPy's time per call over sla-clock's (above 1: sla-clock takes less time)."""
    if numpy_row.ns_per_call is None or not sla_row.ns_per_call:
        return None
    return numpy_row.ns_per_call / sla_row.ns_per_call


def in_words(value: float | None) -> str:
    if value is None:
        return "not measured"
    if value >= 1:
        return f"{value:6.2f}  sla-clock {value:.1f}x faster"
    return f"{value:6.2f}  NumPy {1 / value:.1f}x faster"


# -- the scalar loops --------------------------------------------------------------------------
# Every loop has the same shape (bench_scalar.py): local names bound outside, a plain for over
# prebuilt arguments, the answer dropped, so the loop overhead is the same on both sides.


def sla_add_loop(cal: BusinessCalendar, args: list[tuple[date, int]]) -> Callable[[], None]:
    def run() -> None:
        add = cal.add_business_days
        for day, n in args:
            add(day, n)

    return run


def numpy_add_loop(np: ModuleType, cal: Any, args: list[tuple[Any, int]]) -> Callable[[], None]:
    def run() -> None:
        offset = np.busday_offset
        for day, n in args:
            offset(day, n, roll="forward", busdaycal=cal)

    return run


def sla_between_loop(cal: BusinessCalendar, args: list[tuple[date, date]]) -> Callable[[], None]:
    def run() -> None:
        between = cal.business_days_between
        for a, b in args:
            between(a, b)

    return run


def numpy_between_loop(np: ModuleType, cal: Any, args: list[tuple[Any, Any]]) -> Callable[[], None]:
    def run() -> None:
        count = np.busday_count
        for a, b in args:
            count(a, b, busdaycal=cal)

    return run


# -- first-call costs --------------------------------------------------------------------------


def first_calls(measure: str, runs: int, call: Callable[[BusinessCalendar], object]) -> FirstCall:
    """Time ``call`` on ``runs`` fresh calendars (building the calendar is not timed)."""
    found = FirstCall(measure)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(runs):
            cal = BusinessCalendar.create()
            t0 = time.perf_counter_ns()
            call(cal)
            found.runs_ms.append((time.perf_counter_ns() - t0) / 1e6)
    finally:
        if was_enabled:
            gc.enable()
    return found


def alternating_ns(calls: int) -> int:
    """Per-call ns of ``add_business_days`` alternating between two far dates, fresh calendar.

    One untimed round first, then the best of three rounds of ``calls`` calls.
    """
    cal = BusinessCalendar.create()
    args = [(ALTERNATING[i % 2], 1) for i in range(max(2, calls))]
    run = sla_add_loop(cal, args)
    run()
    return best_of(run, 3) // len(args)


def measure_first_calls(
    args: argparse.Namespace, sample: list[tuple[date, int]], warm_row: Row, arrays: Arrays | None
) -> list[FirstCall]:
    runs: int = args.first_repeats
    day = date(2026, 11, 19)
    found = [
        first_calls(
            f"add_business_days({day}, 5)",
            runs,
            lambda cal: cal.add_business_days(day, 5),
        )
    ]
    if arrays is not None:
        from sla_clock.bulk import add_business_days_many

        found.append(
            first_calls(
                f"add_business_days_many, {args.n:,} dates 2000-2040",
                runs,
                lambda cal: add_business_days_many(cal, arrays.days, arrays.counts),
            )
        )
    first_pass = first_calls(
        f"scalar sample, first pass ({len(sample):,} calls)",
        runs,
        lambda cal: sla_add_loop(cal, sample)(),
    )
    if warm_row.best_ns:
        first_pass.note = f"warm pass of the same calls: {warm_row.best_ns / 1e6:,.2f} ms"
    found.append(first_pass)
    per_call = alternating_ns(args.alternate) / 1e6
    found.append(
        FirstCall(
            f"alternating {ALTERNATING[0]} / {ALTERNATING[1]}, per call",
            [per_call],
            note=f"after one untimed round; a warm call above: {fmt_us(warm_row)} µs",
        )
    )
    return found


# -- the measures ------------------------------------------------------------------------------


@dataclass(slots=True)
class Results:
    rows: list[Row] = field(default_factory=list)
    ratios: list[tuple[str, float | None]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    first: list[FirstCall] = field(default_factory=list)

    def add(self, measure: str, calls: int) -> Row:
        row = Row(measure, calls)
        self.rows.append(row)
        return row

    def absent(self, measure: str, why: str) -> Row:
        row = Row(measure, 0, status="not installed", note=why)
        self.rows.append(row)
        return row


def numpy_calendar(np: ModuleType, cal: BusinessCalendar) -> tuple[Any, int, Check]:
    """NumPy's calendar for ``cal``, its number of holidays, and the check that they agree."""
    first, last = HOLIDAY_YEARS
    closed = sorted(cal.holidays.closed_dates(first, last))
    busdaycal = np.busdaycalendar(weekmask="Mon Tue Wed Thu Fri", holidays=closed)
    lo, hi = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
    ours = [cal.is_business_day(date.fromordinal(d)) for d in range(lo, hi + 1)]
    every = np.arange(lo - EPOCH_ORDINAL, hi + 1 - EPOCH_ORDINAL).astype("datetime64[D]")
    theirs = np.is_busday(every, busdaycal=busdaycal)
    equal = int((np.asarray(ours, dtype=bool) == theirs).sum())
    what = f"is_business_day == np.is_busday, every date {first}-{last}"
    return busdaycal, len(closed), Check(what, equal, len(ours))


def measure_add(
    res: Results,
    cal: BusinessCalendar,
    w: DayWorkload,
    k: int,
    repeats: int,
    np: ModuleType | None,
    numpy: tuple[Any, Arrays] | None,
) -> Row:
    """Measures 1 and 2; returns the scalar sla-clock row (the first-call section uses it)."""
    sample = list(zip(w.dates(k), w.counts[:k], strict=True))
    sla = res.add("1. sla-clock add_business_days (scalar)", k)
    ours = scalar_timed(
        sla,
        lambda: [cal.add_business_days(d, n) for d, n in sample],
        sla_add_loop(cal, sample),
        repeats,
    )
    if np is None or numpy is None:
        res.absent("1. numpy busday_offset (scalar)", "numpy")
        res.absent("1./2. numpy busday_offset (vectorised, per element)", "numpy")
        res.absent("2. sla-clock add_business_days_many", "numpy (sla-clock[fast])")
        return sla
    from sla_clock.bulk import add_business_days_many

    busdaycal, a = numpy
    sample64 = list(zip(list(a.days[:k]), w.counts[:k], strict=True))
    scalar = res.add("1. numpy busday_offset (scalar, datetime64)", k)
    theirs = scalar_timed(
        scalar,
        lambda: [np.busday_offset(d, n, roll="forward", busdaycal=busdaycal) for d, n in sample64],
        numpy_add_loop(np, busdaycal, sample64),
        repeats,
    )
    res.checks.append(
        Check("1. add_business_days == busday_offset, scalar", _same(ours, theirs), k)
    )

    vec = res.add("1./2. numpy busday_offset (vectorised, per element)", len(w.days))
    expected = timed(
        vec,
        lambda: np.busday_offset(a.days, a.counts, roll="forward", busdaycal=busdaycal),
        repeats,
    )
    many = res.add("2. sla-clock add_business_days_many", len(w.days))
    found = timed(many, lambda: add_business_days_many(cal, a.days, a.counts), repeats)
    res.checks.append(
        Check(
            "2. add_business_days_many == busday_offset, element-wise",
            int((found == expected).sum()),
            len(w.days),
        )
    )
    res.checks.append(
        Check(
            "1./2. add_business_days_many == add_business_days, sample", _same(ours, found[:k]), k
        )
    )
    res.ratios += [
        (f"1. add_business_days vs busday_offset, both scalar ({k:,} calls)", ratio(scalar, sla)),
        (
            "1. add_business_days (scalar) vs busday_offset (vectorised), per element",
            ratio(vec, sla),
        ),
        (
            f"2. add_business_days_many vs busday_offset, vectorised ({len(w.days):,})",
            ratio(vec, many),
        ),
    ]
    return sla


def _same(ours: Sequence[date], theirs: Any) -> int:
    """How many of our dates equal NumPy's ``datetime64[D]`` answers, position by position."""
    return sum(a == b.item() for a, b in zip(ours, theirs, strict=True))


def measure_between(
    res: Results,
    cal: BusinessCalendar,
    w: DayWorkload,
    k: int,
    repeats: int,
    np: ModuleType | None,
    numpy: tuple[Any, Arrays] | None,
) -> None:
    """Measure 3: counting, scalar and vectorised, with the start <= end check."""
    pairs = list(zip(w.dates(k), w.end_dates(k), strict=True))
    sla = res.add("3. sla-clock business_days_between (scalar)", k)
    ours = scalar_timed(
        sla,
        lambda: [cal.business_days_between(a, b) for a, b in pairs],
        sla_between_loop(cal, pairs),
        repeats,
    )
    if np is None or numpy is None:
        res.absent("3. numpy busday_count (scalar)", "numpy")
        res.absent("3. numpy busday_count (vectorised, per element)", "numpy")
        res.absent("3. sla-clock business_days_between_many", "numpy (sla-clock[fast])")
        return
    from sla_clock.bulk import business_days_between_many

    busdaycal, a = numpy
    pairs64 = list(zip(list(a.days[:k]), list(a.ends[:k]), strict=True))
    scalar = res.add("3. numpy busday_count (scalar, datetime64)", k)
    theirs = scalar_timed(
        scalar,
        lambda: [np.busday_count(x, y, busdaycal=busdaycal) for x, y in pairs64],
        numpy_between_loop(np, busdaycal, pairs64),
        repeats,
    )
    forward = [i for i, (x, y) in enumerate(pairs) if x <= y]
    res.checks.append(
        Check(
            "3. business_days_between == busday_count, scalar, start <= end",
            sum(ours[i] == int(theirs[i]) for i in forward),
            len(forward),
        )
    )

    vec = res.add("3. numpy busday_count (vectorised, per element)", len(w.days))
    counted = timed(vec, lambda: np.busday_count(a.days, a.ends, busdaycal=busdaycal), repeats)
    many = res.add("3. sla-clock business_days_between_many", len(w.days))
    found = timed(many, lambda: business_days_between_many(cal, a.days, a.ends), repeats)
    ahead = a.days <= a.ends
    back = ~ahead
    swapped = -np.busday_count(a.ends[back], a.days[back], busdaycal=busdaycal)
    res.checks += [
        Check(
            "3. business_days_between_many == busday_count, start <= end",
            int((found[ahead] == counted[ahead]).sum()),
            int(ahead.sum()),
        ),
        Check(
            "3. reversed pairs: business_days_between_many == -busday_count(end, start)",
            int((found[back] == swapped).sum()),
            int(back.sum()),
        ),
        Check(
            "3. business_days_between_many == business_days_between, sample",
            _count_same(ours, found[:k]),
            k,
        ),
    ]
    differ = int((found[back] != counted[back]).sum())
    res.ratios += [
        (
            f"3. business_days_between vs busday_count, both scalar ({k:,} calls)",
            ratio(scalar, sla),
        ),
        (
            f"3. business_days_between_many vs busday_count, vectorised ({len(w.days):,})",
            ratio(vec, many),
        ),
    ]
    vec.note = (
        f"on reversed pairs, busday_count's (end, start] differs from sla-clock's answer "
        f"on {differ:,} of {int(back.sum()):,}, by design"
    )


def _count_same(ours: Sequence[int], theirs: Any) -> int:
    return sum(a == int(b) for a, b in zip(ours, theirs, strict=True))


# -- output ------------------------------------------------------------------------------------


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def fmt_us(row: Row) -> str:
    ns = row.ns_per_call
    return fmt(None if ns is None else ns / 1_000, ".3f")


def format_rows(rows: Sequence[Row]) -> str:
    lines = [HEADER, "-" * len(HEADER)]
    for row in rows:
        if row.status != "ok":
            lines.append(f"{row.measure:<56} {row.status}: {row.note}")
            continue
        ms = None if row.best_ns is None else row.best_ns / 1e6
        lines.append(
            f"{row.measure:<56} {row.calls:>9,} {fmt(ms, ',.2f'):>9} {fmt_us(row):>9} "
            f"{fmt(row.calls_per_s, ',.0f'):>13}"
        )
    return "\n".join(lines)


def format_first(found: Sequence[FirstCall]) -> str:
    lines = [FIRST_HEADER, "-" * len(FIRST_HEADER)]
    for item in found:
        best = min(item.runs_ms) if item.runs_ms else None
        median = statistics.median(item.runs_ms) if item.runs_ms else None
        lines.append(
            f"{item.measure:<56} {len(item.runs_ms):>9} {fmt(best, ',.3f'):>9} "
            f"{fmt(median, ',.3f'):>9}"
        )
        if item.note:
            lines.append(f"{'':<4}{item.note}")
    return "\n".join(lines)


# -- main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Business-day arithmetic of sla-clock (add_business_days, "
        "business_days_between and their vectorised forms) against NumPy's busday_offset "
        "and busday_count, with element-wise checks of the answers."
    )
    parser.add_argument("--n", type=int, help=f"array elements ({DEFAULTS['n']:,})")
    parser.add_argument("--sample", type=int, help=f"scalar calls ({DEFAULTS['sample']:,})")
    parser.add_argument(
        "--repeats", type=int, help=f"timed runs, best kept ({DEFAULTS['repeats']})"
    )
    parser.add_argument(
        "--first-repeats",
        type=int,
        help=f"fresh calendars per first-call cost ({DEFAULTS['first_repeats']})",
    )
    parser.add_argument(
        "--alternate",
        type=int,
        help=f"calls per round alternating two far dates ({DEFAULTS['alternate']})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="workload seed")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a few seconds)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write results")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    args.sample = min(args.sample, args.n)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # "µ" on a non-UTF-8 console
    args = parse_args(argv)
    np, np_why = try_import("numpy")
    versions = {"sla-clock": sla_clock.__version__, "numpy": version_of(np, "numpy")}
    print(
        f"sla-clock business-day benchmark: Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(
        f"workload: seed {args.seed}; {args.n:,} dates uniform over {FIRST_DAY}..{LAST_DAY}, "
        f"n uniform in -{MAX_COUNT}..{MAX_COUNT}, end = date + -{MAX_SPAN_DAYS}..{MAX_SPAN_DAYS} "
        f"days; the first {args.sample:,} for the scalar calls; best of {args.repeats} runs "
        "after one untimed run"
    )
    w = make_day_workload(args.n, args.seed)
    cal = BusinessCalendar.default()
    res = Results()
    numpy: tuple[Any, Arrays] | None = None
    if np is None:
        print(f"numpy not installed ({np_why}): only sla-clock's scalar calls are timed")
    else:
        busdaycal, holidays, agree = numpy_calendar(np, cal)
        numpy = (busdaycal, arrays_of(np, w))
        res.checks.append(agree)
        print(
            "calendars: BusinessCalendar.default() (Mon-Fri 09:00-18:00, America/Sao_Paulo, BR "
            f"public holidays); np.busdaycalendar(weekmask Mon-Fri, its {holidays} closed dates "
            f"of {HOLIDAY_YEARS[0]}-{HOLIDAY_YEARS[1]})"
        )
    k: int = args.sample
    sla_add = measure_add(res, cal, w, k, args.repeats, np, numpy)
    measure_between(res, cal, w, k, args.repeats, np, numpy)
    sample = list(zip(w.dates(k), w.counts[:k], strict=True))
    res.first = measure_first_calls(args, sample, sla_add, None if numpy is None else numpy[1])

    print()
    print(format_rows(res.rows))
    notes = [f"  {r.measure}: {r.note}" for r in res.rows if r.note and r.status == "ok"]
    if notes:
        print("\n".join(notes))
    if res.ratios:
        print()
        print(
            "Ratios, NumPy's time per call over sla-clock's, this run (above 1: sla-clock faster):"
        )
        width = max(len(label) for label, _ in res.ratios)
        for label, value in res.ratios:
            print(f"  {label:<{width}}  {in_words(value)}")
    print()
    print(format_first(res.first))
    if res.checks:
        print()
        print("Checks of the answers:")
        print("\n".join(check.line() for check in res.checks))
    failed = [check for check in res.checks if not check.ok]
    wall = time.perf_counter() - started
    print()
    print(f"finished in {wall:.1f} s")

    if args.json is not None:
        report = {
            "benchmark": "days",
            "python": platform.python_version(),
            "platform": platform.platform(),
            "versions": versions,
            "seed": args.seed,
            "n": args.n,
            "sample": k,
            "repeats": args.repeats,
            "quick": args.quick,
            "seconds": wall,
            "rows": [r.as_json() for r in res.rows],
            "ratios_numpy_over_sla_clock": dict(res.ratios),
            "first_calls": [f.as_json() for f in res.first],
            "checks": [
                {"what": c.what, "equal": c.equal, "compared": c.compared, "ok": c.ok}
                for c in res.checks
            ],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"results written to {args.json}")
    if failed:
        print(f"{len(failed)} check(s) found different answers", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
