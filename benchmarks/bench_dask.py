"""Dask benchmark: SLA columns in one process against a two-worker ``LocalCluster``.

Rows per second of ``sla_clock.adapters.dask.add_sla_columns`` on a
``distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1)`` against the
same work done in this one process with the pandas adapter, partition by partition, on
``--rows`` tickets (default 10,000,000) in partitions of ``--partition-rows`` (250,000).

The tickets are **generated where they are used**: partition ``i`` is
``make_partition(i, ...)``, seeded by ``(seed, i)``, so the cluster's workers build their
own partitions (``dask.dataframe.from_map``) and nothing of the ten million rows crosses a
socket; the one-process path builds the very same partitions. The mix is
``make_tickets.py``'s: opened uniformly over the minutes of 2024-2027 (São Paulo), P0-P3,
40 % resolved 0-10 days later, 10 % with a pause (0-3 days after the opening, up to 2 days
long, a fifth of the open tickets' pauses still going on). Every status is as of
2028-02-01, after every time.

Rows, timed once each (``--repeats`` for the best of several):

- ``one process: generate``: building every partition, nothing else;
- ``one process: SLA columns``: the pandas adapter on each partition (generation not timed);
- ``one process: generate + SLA``: both, and the counts of states: the whole job;
- ``cluster: generate``: the workers build their partitions (a length is all that comes back);
- ``cluster: generate + SLA``: the whole job on the cluster: the workers build their
  partitions and add the SLA columns, and the counts of states come back.

The cluster rows come twice (``--worker-env both``, the default; ``--quick`` runs the first
only): with Dask's default worker environment, whose ``MALLOC_TRIM_THRESHOLD_=65536`` makes
glibc give freed memory back at once, and with that variable unset (``cluster, no malloc
trim``), to show what the trimming costs this workload. ``CPU s`` is the user + system time
of the processes doing the work (this one, or the workers), less disturbed than the wall
time by other jobs on the machine.

The speed-up is ``one process: generate + SLA`` over ``cluster: generate + SLA``: the same
work, from the same seeds, with the same answer (the state counts are compared; a
difference makes the exit status 1). Each cluster's start-up (about 1 s) and the first
import of sla-clock in its workers are done before any timing. ``--quick`` (used by
``run_all.py``) runs 20,000 rows in 4 partitions. Without Dask (``pip install
'sla-clock[dask]'``) the script says "not installed" and measures nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_ROWS = 10_000_000
DEFAULT_PARTITION_ROWS = 250_000
QUICK_ROWS = 20_000
QUICK_PARTITION_ROWS = 5_000
DEFAULT_SEED = 20_261_124
WORKERS = 2

ZONE = "America/Sao_Paulo"
US = 1_000_000
MINUTE_US = 60 * US
DAY_US = 86_400 * US
#: 2024-01-01 00:00 São Paulo (UTC-03:00; no DST since 2019), in epoch microseconds.
FIRST_US = 1_704_078_000 * US
MINUTES = 4 * 365 * 24 * 60 + 24 * 60  # 2024-2027, one leap day
RESOLVED_SHARE = 0.40
PAUSED_SHARE = 0.10
ONGOING_SHARE = 0.20
PRIORITIES = ("P0", "P1", "P2", "P3")

#: The variable Dask's nannies set for their workers (distributed.nanny.pre-spawn-environ).
TRIM = "MALLOC_TRIM_THRESHOLD_"
WORKER_ENVS = ("dask", "glibc")

HEADER = f"{'path':<40} {'rows':>12} {'parts':>6} {'seconds':>9} {'CPU s':>7} {'rows/s':>12}  note"


def make_partition(number: int, rows: int, seed: int) -> Any:
    """Partition ``number``: ``rows`` tickets drawn from ``default_rng((seed, number))``.

    Columns ``id``, ``priority``, ``opened`` and ``resolved`` (``datetime64[us, UTC]``,
    ``NaT`` while open) and ``pauses`` (``None`` or a list of one ``(start, end)`` pair of
    UTC ``Timestamp``, ``end`` ``None`` while going on).
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng((seed, number))
    nat = np.iinfo(np.int64).min
    opened = FIRST_US + rng.integers(0, MINUTES, rows) * MINUTE_US
    is_resolved = rng.random(rows) < RESOLVED_SHARE
    resolved = np.where(
        is_resolved, opened + rng.integers(0, 10 * 24 * 60 + 1, rows) * MINUTE_US, nat
    )
    paused = np.flatnonzero(rng.random(rows) < PAUSED_SHARE)
    start = opened[paused] + rng.integers(0, 3 * 24 * 60 + 1, paused.size) * MINUTE_US
    end = start + rng.integers(1, 2 * 24 * 60 + 1, paused.size) * MINUTE_US
    done = is_resolved[paused]
    start = np.where(done, np.minimum(start, resolved[paused]), start)
    end = np.where(done, np.minimum(end, resolved[paused]), end)
    end = np.where(~done & (rng.random(paused.size) < ONGOING_SHARE), nat, end)
    starts = pd.to_datetime(start, unit="us", utc=True)
    ends = pd.to_datetime(end, unit="us", utc=True)
    pauses: list[Any] = [None] * rows
    for row, s, e in zip(paused.tolist(), starts, ends, strict=True):
        pauses[row] = [(s, None if e is pd.NaT else e)]
    first = number * 10**9  # ids unique across partitions
    index = pd.RangeIndex(first, first + rows)
    return pd.DataFrame(
        {
            "id": np.char.add("T-", np.arange(first, first + rows).astype(str)),
            "priority": np.asarray(PRIORITIES)[rng.integers(0, len(PRIORITIES), rows)],
            "opened": pd.to_datetime(opened, unit="us", utc=True),
            "resolved": pd.to_datetime(resolved, unit="us", utc=True),
            "pauses": pd.Series(pauses, index=index, dtype=object),
        },
        index=index,
    )


def _import_sla_clock() -> None:
    import sla_clock.adapters.pandas  # noqa: F401  # imported only to time the import


@dataclass(slots=True)
class Row:
    """One line of the table."""

    path: str
    rows: int
    partitions: int
    seconds: float | None = None
    note: str = ""
    cpu_seconds: float | None = None  # user + system, of the processes that did the work

    @property
    def rows_per_s(self) -> float | None:
        return self.rows / self.seconds if self.seconds else None

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rows": self.rows,
            "partitions": self.partitions,
            "seconds": self.seconds,
            "cpu_seconds": self.cpu_seconds,
            "rows_per_s": self.rows_per_s,
            "note": self.note,
        }


def cpu_seconds() -> float:
    """User + system CPU time of this process (run in the workers too)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def best(
    run: Callable[[], Any], repeats: int, cpu: Callable[[], float] = cpu_seconds
) -> tuple[float, float, Any]:
    """The best wall time of ``repeats`` runs, the mean CPU time ``cpu`` counts, a result."""
    times = []
    result = None
    used = cpu()
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), (cpu() - used) / repeats, result


def format_table(rows: Sequence[Row]) -> str:
    lines = [HEADER, "-" * len(HEADER)]
    for row in rows:
        seconds = "-" if row.seconds is None else f"{row.seconds:,.2f}"
        cpu = "-" if row.cpu_seconds is None else f"{row.cpu_seconds:,.1f}"
        rate = "-" if row.rows_per_s is None else f"{row.rows_per_s:,.0f}"
        lines.append(
            f"{row.path:<40} {row.rows:>12,} {row.partitions:>6} {seconds:>9} {cpu:>7} "
            f"{rate:>12}  {row.note}".rstrip()
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Rows per second of the SLA columns in one process and on a two-worker "
        "Dask LocalCluster, on tickets generated where they are used."
    )
    parser.add_argument("--rows", type=int, default=None, help=f"tickets ({DEFAULT_ROWS:,})")
    parser.add_argument(
        "--partition-rows",
        type=int,
        default=None,
        help=f"tickets per partition ({DEFAULT_PARTITION_ROWS:,})",
    )
    parser.add_argument("--repeats", type=int, default=1, help="timed runs, best kept (1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="workload seed")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} rows (a few seconds)")
    parser.add_argument(
        "--worker-env",
        choices=(*WORKER_ENVS, "both"),
        default=None,
        help="the workers' environment: Dask's default (dask: MALLOC_TRIM_THRESHOLD_=65536), "
        "glibc's malloc defaults (glibc: the variable unset), or both, one cluster each; "
        "default: both (--quick: dask)",
    )
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write results")
    args = parser.parse_args(argv)
    if args.rows is None:
        args.rows = QUICK_ROWS if args.quick else DEFAULT_ROWS
    if args.partition_rows is None:
        args.partition_rows = QUICK_PARTITION_ROWS if args.quick else DEFAULT_PARTITION_ROWS
    if args.worker_env is None:
        args.worker_env = "dask" if args.quick else "both"
    args.worker_env = list(WORKER_ENVS) if args.worker_env == "both" else [args.worker_env]
    for name in ("rows", "partition_rows", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def sizes(rows: int, per_partition: int) -> list[int]:
    """Partition sizes: ``per_partition`` each, the last one the rest."""
    full, rest = divmod(rows, per_partition)
    return [per_partition] * full + ([rest] if rest else [])


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    args = parse_args(argv)
    print(
        f"sla-clock Dask benchmark: Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s)"
    )
    try:
        import dask
        import dask.dataframe as dd
        import distributed
        import numpy  # noqa: F401  # imported only to see that it is installed
        import pandas as pd

        from sla_clock.adapters import dask as dask_adapter
        from sla_clock.adapters import pandas as pandas_adapter
    except ImportError as exc:
        print(f"dask not installed ({exc}): pip install 'sla-clock[dask]'; nothing measured.")
        return 0
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sla_clock import SlaPolicy

    versions = {
        "dask": dask.__version__,
        "distributed": distributed.__version__,
        "pandas": pd.__version__,
    }
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    parts = sizes(args.rows, args.partition_rows)
    seed, repeats = args.seed, args.repeats
    now = datetime(2028, 2, 1, tzinfo=ZoneInfo(ZONE))
    print(
        f"workload: {args.rows:,} tickets in {len(parts)} partitions of up to "
        f"{args.partition_rows:,}, generated where they are used (seed {seed}); "
        f"statuses as of {now.isoformat()}; best of {repeats}"
    )
    rows: list[Row] = []
    n, k = args.rows, len(parts)

    # -- one process, partition by partition ----------------------------------------------
    policy = SlaPolicy.default()
    pandas_adapter.add_sla_columns(make_partition(0, 100, seed), policy, now=now)  # warm-up

    def generate_all() -> int:
        return sum(len(make_partition(i, size, seed)) for i, size in enumerate(parts))

    gen_s, gen_cpu, _ = best(generate_all, repeats)
    rows.append(Row("one process: generate", n, k, gen_s, cpu_seconds=gen_cpu))

    def whole_job() -> tuple[Any, float]:
        counts, in_adapter = [], 0.0
        for i, size in enumerate(parts):
            part = make_partition(i, size, seed)
            t = time.perf_counter()
            out = pandas_adapter.add_sla_columns(part, policy, now=now, pauses="pauses")
            in_adapter += time.perf_counter() - t
            counts.append(out["state"].value_counts())
        return pd.concat(counts).groupby(level=0).sum(), in_adapter

    one_s, one_cpu_s, (one_counts, adapter_s) = best(whole_job, repeats)
    rows.append(Row("one process: SLA columns", n, k, adapter_s, "pandas adapter per partition"))
    rows.append(Row("one process: generate + SLA", n, k, one_s, "the whole job", one_cpu_s))

    # -- the cluster, once per worker environment ------------------------------------------
    startups: dict[str, float] = {}
    answers: dict[str, Any] = {}
    speedups: dict[str, float] = {}
    inherited = os.environ.get(TRIM)
    for env in args.worker_env:
        # The nanny exports its pre-spawn variables into this process too: start each
        # cluster from this process's own environment.
        os.environ.pop(TRIM, None)
        if inherited is not None:
            os.environ[TRIM] = inherited
        # None unsets a variable of the workers' environment (Dask's own convention).
        unset = {f"distributed.nanny.pre-spawn-environ.{TRIM}": None} if env == "glibc" else {}
        label = "cluster" if env == "dask" else "cluster, no malloc trim"
        t = time.perf_counter()
        with (
            dask.config.set(unset),
            distributed.LocalCluster(
                n_workers=WORKERS,
                processes=True,
                threads_per_worker=1,
                # No fixed port: dashboard_address=None still puts the scheduler's HTTP server
                # on 8787 (the test suite runs this script, and may run twice at once).
                scheduler_port=0,
                dashboard_address="127.0.0.1:0",
                scheduler_kwargs={"dashboard": False},
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            client.run(_import_sla_clock)  # the workers import it before any timing
            startups[env] = time.perf_counter() - t
            with dask.config.set({"dataframe.convert-string": False}):  # keep the pause lists
                tickets = dd.from_map(
                    make_partition,
                    range(k),
                    parts,
                    args=(seed,),
                    meta=make_partition(0, 0, seed),
                    enforce_metadata=False,
                )
            lengths = tickets.map_partitions(len)

            def workers_cpu(client: Any = client) -> float:
                return sum(client.run(cpu_seconds).values())

            cl_gen_s, cl_gen_cpu, made = best(
                lambda lengths=lengths: int(lengths.compute().sum()), repeats, workers_cpu
            )
            seen = set(client.run(os.environ.get, TRIM).values())  # what the workers really have
            trim = ", ".join("unset" if value is None else value for value in sorted(seen, key=str))
            note = f"{WORKERS} worker processes, {TRIM}={trim}"
            rows.append(Row(f"{label}: generate", made, k, cl_gen_s, note, cl_gen_cpu))
            statuses = dask_adapter.add_sla_columns(tickets, policy, now=now, pauses="pauses")
            states = statuses["state"].value_counts(split_out=1)  # a tree sum, no shuffle
            cl_s, cl_cpu, answers[env] = best(states.compute, repeats, workers_cpu)
            speedups[env] = one_s / cl_s
            note = f"{speedups[env]:.2f}x one process"
            rows.append(Row(f"{label}: generate + SLA", n, k, cl_s, note, cl_cpu))
    os.environ.pop(TRIM, None)
    if inherited is not None:
        os.environ[TRIM] = inherited

    expected = one_counts.sort_index().to_dict()
    same = all(got.sort_index().to_dict() == expected for got in answers.values())
    print()
    print(format_table(rows))
    print()
    for env, seconds in startups.items():
        print(f"cluster start-up ({env} worker environment, not timed above): {seconds:.1f} s")
    print(
        "CPU s: user + system time of the process(es) doing the work (this one, or the "
        "workers); a wall time well above CPU s / processes means a busy machine"
    )
    states_text = ", ".join(f"{s} {c:,}" for s, c in sorted(one_counts.items()))
    print(f"states: {states_text}")
    verdict = "equal" if same else "DIFFER FROM"
    print(f"consistency: every cluster's state counts {verdict} the one-process counts")
    wall = time.perf_counter() - started
    print(f"finished in {wall:.1f} s")
    if args.json is not None:
        report = {
            "benchmark": "dask",
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "versions": versions,
            "seed": seed,
            "rows": n,
            "partitions": k,
            "partition_rows": args.partition_rows,
            "workers": WORKERS,
            "repeats": repeats,
            "quick": args.quick,
            "worker_env": args.worker_env,
            "cluster_startup_seconds": startups,
            "speedup": speedups,
            "consistent": same,
            "states": {str(s): int(c) for s, c in one_counts.items()},
            "seconds": wall,
            "table": [r.as_json() for r in rows],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"results written to {args.json}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
