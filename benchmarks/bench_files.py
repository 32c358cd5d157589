"""File formats benchmark: ``batch`` CSV -> CSV (today's path) next to Parquet and DuckDB.

Writes ``--rows`` seeded tickets (``make_tickets.py``) as CSV and as Parquet, then times, each
in a child process of its own (wall time and that child's peak RSS):

- ``sla-clock batch t.csv -o o.csv``: today's CSV path (a plain file: pyarrow's reader and
  writer when pyarrow is installed);
- the same tickets with every field quoted, which only the ``csv`` module reads (record by
  record, as before pyarrow was used for plain files);
- ``sla-clock batch t.csv -o o.parquet``: pyarrow's CSV reader, typed Parquet out;
- ``sla-clock batch t.parquet -o o.parquet``: Parquet in and out;
- DuckDB: ``SELECT sla_state(...), sla_due(...) FROM 't.parquet'`` through
  :func:`sla_clock.adapters.duckdb.register`, next to the pandas adapter's
  ``add_sla_columns`` on the same tickets read from the same file.

It prints rows per second and each one's ratio to today's ``batch``. The issue's targets
(1,000,000 tickets: Parquet -> Parquet under 2 s, CSV -> CSV under 4 s, under 300 MB) are
printed as met or missed. ``--quick`` runs 2,000 tickets (the smoke test).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench_events import timed
from make_tickets import DEFAULT_SEED, write

NOW = "2028-02-01"
QUERY = (
    "SELECT count(*) FILTER (WHERE sla_state(priority, opened, resolved, now) = 'met'), "
    "max(sla_due(priority, opened)) FROM (SELECT priority, opened::TIMESTAMPTZ AS opened, "
    "resolved::TIMESTAMPTZ AS resolved, TIMESTAMPTZ '2028-02-01 00:00:00-03' AS now "
    "FROM read_parquet(?))"
)


def _sql_child(path: str) -> int:
    import duckdb

    from sla_clock.adapters.duckdb import register

    con = duckdb.connect()
    con.execute("SET TimeZone = 'America/Sao_Paulo'")
    register(con)
    start = time.perf_counter()
    con.execute(QUERY, [path]).fetchall()
    print(f"{time.perf_counter() - start:.3f}")
    return 0


def _pandas_child(path: str) -> int:
    from datetime import datetime

    import pandas as pd

    from sla_clock import SlaPolicy
    from sla_clock.adapters.pandas import add_sla_columns

    zone = SlaPolicy.default().calendar.zone
    frame = pd.read_parquet(path)
    for name in ("opened", "resolved"):
        frame[name] = frame[name].dt.tz_localize(zone)
    start = time.perf_counter()
    add_sla_columns(frame, now=datetime(2028, 2, 1, tzinfo=zone))
    print(f"{time.perf_counter() - start:.3f}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="2,000 tickets")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        kind, path = args.child
        return _sql_child(path) if kind == "sql" else _pandas_child(path)
    if args.make is not None:
        _make(Path(args.make[0]), int(args.make[1]))
        return 0
    try:
        import pyarrow.csv  # noqa: F401 (only to know whether it can run)
    except ImportError:
        print("bench_files: skipped, pyarrow is not installed (sla-clock[arrow])")
        return 0
    rows = 2_000 if args.quick else args.rows
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text, table, quoted = folder / "t.csv", folder / "t.parquet", folder / "quoted.csv"
        # Made by a child: a parent grown by them would count in each run's peak RSS.
        subprocess.run([sys.executable, __file__, "--make", tmp, str(rows)], check=True)
        base = [sys.executable, "-m", "sla_clock", "batch", "--now", NOW, "--progress", "never"]
        runs = {
            "batch CSV -> CSV (today)": [*base, str(text), "-o", str(folder / "o.csv")],
            "batch quoted CSV -> CSV": [*base, str(quoted), "-o", str(folder / "q.csv")],
            "batch CSV -> Parquet": [*base, str(text), "-o", str(folder / "o1.parquet")],
            "batch Parquet -> Parquet": [*base, str(table), "-o", str(folder / "o2.parquet")],
        }
        results: dict[str, tuple[float, float]] = {}
        for label, command in runs.items():
            wall, mb, done = timed(command)
            if done.returncode != 0:
                print(f"{label} FAILED: {done.stderr}", file=sys.stderr)
                return 1
            results[label] = (wall, mb)
        today = results["batch CSV -> CSV (today)"][0]
        print(f"{rows:,} tickets")
        for label, (wall, mb) in results.items():
            ratio = today / wall
            rate = f"{rows / wall:>10,.0f} rows/s"
            print(f"  {label:28} {wall:6.2f} s  {rate}  {ratio:4.1f}x  {mb:4.0f} MB")
        _engines(table, rows)
    if not args.quick:
        pq_wall, pq_mb = results["batch Parquet -> Parquet"]
        csv_wall, csv_mb = results["batch CSV -> CSV (today)"]
        print(
            f"targets: Parquet -> Parquet < 2 s: {'met' if pq_wall < 2 else 'missed'}; "
            f"CSV -> CSV < 4 s: {'met' if csv_wall < 4 else 'missed'}; "
            f"< 300 MB: {'met' if max(pq_mb, csv_mb) < 300 else 'missed'}"
        )
    return 0


def _make(folder: Path, rows: int) -> None:
    """Write the tickets as CSV, as CSV with every field quoted, and as Parquet."""
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    text = folder / "t.csv"
    write(text, rows, seed=DEFAULT_SEED, style="iso", file_format="csv")
    _quote_all(text, folder / "quoted.csv")
    pq.write_table(pa_csv.read_csv(text), folder / "t.parquet")


def _quote_all(source: Path, target: Path) -> None:
    """``source`` with every field quoted: no plain file, so the ``csv`` module reads it."""
    import csv

    with source.open(newline="") as inp, target.open("w", newline="") as out:
        csv.writer(out, quoting=csv.QUOTE_ALL).writerows(csv.reader(inp))


def _engines(table: Path, rows: int) -> None:
    """DuckDB's SQL functions next to the pandas adapter, on the same Parquet file."""
    try:
        import duckdb  # noqa: F401 (only to know whether it can run)
        import pandas  # noqa: F401 (only to know whether it can run)
    except ImportError:
        print("  DuckDB / pandas: skipped, not installed")
        return
    for label, kind in (
        ("DuckDB sla_state + sla_due", "sql"),
        ("pandas add_sla_columns", "pandas"),
    ):
        _, mb, done = timed([sys.executable, __file__, "--child", kind, str(table)])
        if done.returncode != 0:
            print(f"  {label} FAILED: {done.stderr}", file=sys.stderr)
            continue
        seconds = float(done.stdout.split()[0])
        print(f"  {label:28} {seconds:6.2f} s  {rows / seconds:>10,.0f} rows/s  peak {mb:4.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
