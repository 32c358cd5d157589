"""``sla-clock report FILE``: SLA compliance per group, as a table, JSON, CSV, HTML or a figure.

FILE is a tickets file, a ``batch`` output (a tickets file with status columns: its
statuses are computed again at ``--now``) or an events file; :func:`input_kind` tells which
from the first line, unless ``--input-kind`` says it. The rows are counted by
:class:`sla_clock.reports.Tally` (:mod:`sla_clock.reports`); ``--from`` and ``--to`` keep the
tickets opened in ``[FROM, TO)``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from ..batch._columns import Columns, normal_name, parse_columns
from ..batch._lines import MAX_LINE
from ..batch._pipeline import BatchSummary, Format
from ..batch._rows import Context
from ..parsing import parse_instant
from ._batch_args import BINARY_FORMATS, format_of
from ._input import close_input, decoding_error, encoding_problem, open_input
from ._options import add_policy_option, language_from_args, language_options, policy_from_args
from ._plumbing import EXIT_OK, PROG, error_line, print_json

if TYPE_CHECKING:
    from ..reports import Rows, Tally, Window
    from ._plumbing import Subparsers

__all__ = ["add_report", "input_kind"]

KINDS = ("tickets", "batch", "events")


def add_report(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``report FILE [--by KEYS] [--now T] [--from T] [--to T] [--json|--csv] ...``."""
    parser = subparsers.add_parser(
        "report",
        parents=[*parents, language_options()],
        help="SLA compliance per priority and month (or --by): met, missed, on-time share",
        description="Count the tickets of a tickets file, a batch output or an events file "
        "per group (--by priority,month by default; also week, weekday, metric or a column "
        "of the input): tickets, met, missed, open on time, open and late, the on-time share, "
        "the median and 90th percentile of business time used, and how many reached each "
        "escalation level. Statuses are as of --now. See docs/reports.md.",
    )
    parser.add_argument("input", metavar="FILE", help="the tickets, batch output or events")
    parser.add_argument("--input-kind", choices=KINDS, help="what FILE is (default: told)")
    parser.add_argument(
        "--format", choices=("csv", "jsonl", "parquet", "arrow"), help="FILE's format"
    )
    parser.add_argument("--by", default="priority,month", help="the keys of the groups")
    parser.add_argument("--now", default="now", help="the instant of the statuses")
    parser.add_argument("--from", dest="start", help="count tickets opened from this instant")
    parser.add_argument("--to", dest="end", help="count tickets opened before this instant")
    parser.add_argument("--columns", metavar="FIELD=NAME,...", help="as in batch")
    parser.add_argument("--encoding", default="utf-8", help="text encoding of FILE")
    parser.add_argument("--csv", action="store_true", help="print the groups as CSV")
    parser.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    parser.add_argument("--plot", metavar="FILE", help="also write the main figure (.svg/.png)")
    add_policy_option(parser)
    parser.set_defaults(handler=run_report)


def input_kind(first_line: str, input_format: str) -> str:
    """Tell a file's kind from its first line: events, a batch output, or tickets.

    >>> input_kind("ticket,at,event,value", "csv"), input_kind('{"id": 1}', "jsonl")
    ('events', 'tickets')
    """
    if input_format == "jsonl":
        try:
            names = list(json.loads(first_line))
        except (ValueError, TypeError):
            return "tickets"  # the pipeline says what is wrong with the line
    else:
        names = [normal_name(n) for n in first_line.replace(";", ",").split(",")]
    if "event" in names and "at" in names:
        return "events"
    if "state" in names and "used_seconds" in names:
        return "batch"
    return "tickets"


def run_report(args: argparse.Namespace) -> int:
    """Run ``sla-clock report``; return the exit status."""
    try:
        import numpy  # noqa: F401 (fail here, with the extra to install)
    except ImportError:
        return error_line(
            f"{PROG} report needs NumPy; install it with: pip install 'sla-clock[fast]'"
        )
    from ..reports import Tally, Window

    policy = policy_from_args(args)
    calendar = policy.calendar
    now = parse_instant(args.now, calendar)
    window = Window(
        None if args.start is None else calendar.to_us(parse_instant(args.start, calendar)),
        None if args.end is None else calendar.to_us(parse_instant(args.end, calendar)),
    )
    by = [key.strip() for key in args.by.split(",") if key.strip()]
    if not by:
        return error_line("--by needs at least one key, e.g. --by priority,month")
    columns = None if args.columns is None else parse_columns(args.columns)
    Columns(columns)
    problem = encoding_problem(args.encoding)
    if problem is not None:
        return error_line(problem)
    if args.plot is not None and Path(args.plot).suffix.lower() not in (".svg", ".png"):
        return error_line(f"--plot writes .svg or .png, not {args.plot!r}; e.g. --plot share.svg")
    input_format = format_of(args.input, args.format)
    if input_format is None:
        return error_line(f"cannot tell the format of {args.input!r}; pass --format csv or jsonl")
    name = "<stdin>" if args.input == "-" else args.input
    ctx = Context(policy, calendar, now.astimezone(calendar.zone), calendar.to_us(now), name)
    ladders = [policy.version_on(v.start).escalation for v in policy.versions]
    tally = Tally(calendar, by, levels=max(map(len, [policy.escalation, *ladders])))
    if input_format in BINARY_FORMATS:
        return _binary(args, ctx, input_format, by, window, columns, tally)
    try:
        reader, _ = open_input(args.input, args.encoding)
    except (OSError, UnicodeError) as exc:
        return error_line(f"cannot read {args.input}: {exc}; check the path and --encoding")
    try:
        text_format = cast("Format", input_format)
        for rows in _rows(reader, ctx, args, text_format, by, window, columns):
            tally.add(rows)
    except UnicodeError as exc:
        return error_line(decoding_error(name, args.encoding, exc))
    finally:
        close_input(reader, args.input)
    return _write(args, ctx, by, tally)


def _binary(
    args: argparse.Namespace,
    ctx: Context,
    input_format: str,
    by: list[str],
    window: Window,
    columns: dict[str, str] | None,
    tally: Tally,
) -> int:
    """Count a Parquet or Arrow file (read by pyarrow from its path)."""
    from ..reports import report_rows

    if args.input == "-":
        return error_line("Parquet and Arrow need a file: give its path, not - (stdin)")
    try:
        import pyarrow  # type: ignore[import-untyped,unused-ignore]  # noqa: F401 (fail here, with the extra to install)
    except ImportError:
        return error_line("Parquet and Arrow files need pyarrow: pip install 'sla-clock[arrow]'")
    from ..batch._arrow_files import give_memory_back

    give_memory_back()
    kind = args.input_kind or "tickets"
    for rows in report_rows(
        args.input, ctx, kind, input_format, by, window, columns, BatchSummary()
    ):
        tally.add(rows)
    return _write(args, ctx, by, tally)


def _rows(
    reader: TextIO,
    ctx: Context,
    args: argparse.Namespace,
    input_format: Format,
    by: list[str],
    window: Window,
    columns: dict[str, str] | None,
) -> Iterator[Rows]:
    """The rows of the input; its first line tells its kind (stdin is spooled to be read twice)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        source = reader
        if not reader.seekable():
            shutil.copyfileobj(reader, spool)
            spool.seek(0)
            source = spool
        first = source.readline(MAX_LINE)
        source.seek(0)
        kind = args.input_kind or input_kind(first.strip(), input_format)
        from ..reports import report_rows

        summary = BatchSummary()
        yield from report_rows(source, ctx, kind, input_format, by, window, columns, summary)


def _write(args: argparse.Namespace, ctx: Context, by: list[str], tally: Tally) -> int:
    """Write the counted report where ``args`` asks; an unwritable path is one error line."""
    try:
        return _write_outputs(args, ctx, by, tally)
    except OSError as exc:
        return error_line(f"cannot write the report: {exc.strerror or exc}; check the path")


def _write_outputs(args: argparse.Namespace, ctx: Context, by: list[str], tally: Tally) -> int:
    from ..reports import csv_text, html_report, report_json, share_figure, table_text

    lang = language_from_args(args)
    groups = tally.groups()
    if args.html is not None:
        text = html_report(ctx.now, by, groups, tally, lang)
        Path(args.html).write_text(text, encoding="utf-8")
    if args.plot is not None:
        figure = share_figure(tally, lang)
        figure.savefig(args.plot, metadata={"Date": None} if args.plot.endswith(".svg") else None)
    if args.json:
        print_json(report_json(ctx.now, by, groups))
    elif args.csv:
        sys.stdout.write(csv_text(by, groups))
    else:
        sys.stdout.write(table_text(ctx.now, by, groups, lang))
    return EXIT_OK
