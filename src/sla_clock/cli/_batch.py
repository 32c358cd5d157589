"""The ``sla-clock batch`` command: options, files and exit status around the pipeline.

:func:`add_batch` declares the subcommand (its options: :mod:`._batch_args`), and
:func:`run_batch` runs it: it builds the policy and calendar from the options, tells the
formats from the file extensions, opens the input in its ``--encoding``
(:mod:`sla_clock.cli._input`) and the output (:mod:`sla_clock.cli._output`: a new file
renamed into place at the end, so a failed or interrupted run leaves no half-written file),
runs :func:`sla_clock.batch._pipeline.process` with SIGTERM and SIGHUP unwinding it as Ctrl-C does
(:mod:`sla_clock.cli._signals`), turns a bad input into one ``sla-clock: error:`` line and
exit status 2, and ends with the summary line on stderr (:mod:`._batch_summary`).

Exit statuses: 0 when the rows were written; 2 on bad input, including a run where every
row was skipped; 128 + the signal after SIGINT (130), SIGTERM (143) or SIGHUP (129), with the
temporary file removed; 141 when the reader of stdout went away.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, TextIO, cast

from .. import SlaPolicy
from ..batch._columns import Columns, parse_columns
from ..batch._pipeline import BatchSummary, Format, process
from ..errors import SlaClockError
from ..parsing import parse_date, parse_instant
from ..replay import rules_as_of
from ._batch_args import BINARY_FORMATS, FILE_FORMATS, FileFormat, declare, format_of
from ._batch_args import output_format as output_format_of
from ._batch_summary import end_line, progress_stream, summary_line
from ._input import close_input, decoding_error, encoding_problem, open_input
from ._options import policy_from_args
from ._output import Output, OutputFileError
from ._plumbing import (
    EXIT_BROKEN_PIPE,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    error_line,
    quiet_stdout,
)
from ._signals import Stopped, hold_stops, stop_signals

if TYPE_CHECKING:
    from ._plumbing import Subparsers

__all__ = ["add_batch", "run_batch"]


def add_batch(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``batch FILE [--format F] [--output FILE] [--now TIME] [--on-error MODE] ...``.

    The shape of ``sla_clock.cli``'s ``_add_<name>`` functions: ``parents`` are the shared
    parent parsers. ``batch`` declares its own ``--json`` (the summary line as JSON, on
    stderr), so it leaves out the parent that declares the shared one.
    """
    parser = subparsers.add_parser(
        "batch",
        parents=[parent for parent in parents if parent.get_default("json") is None],
        help="compute the SLA status of every ticket of a CSV or JSON Lines file",
        description="Read tickets (columns id, priority, opened, resolved, pauses, or "
        "chamado, prioridade, aberto_em, resolvido_em, pausas) from a CSV or JSON Lines "
        "file or stdin, and write each one with due_at, breach_at, used_seconds, "
        "remaining_seconds, state and escalation_level, all as of --now. Bad rows are "
        "reported on stderr with their line number. A summary line ends the run on stderr. "
        "Exits with 0 on success; 2 on bad input, and when every row was skipped; 128 + the "
        "signal number after SIGINT, SIGTERM or SIGHUP (130, 143, 129); 141 when the reader "
        "of stdout went away. See docs/batch.md.",
    )
    declare(parser)
    parser.set_defaults(handler=run_batch)


class _Plan(NamedTuple):
    """What the options of a run ask for, checked before any file is opened."""

    policy: SlaPolicy
    now: datetime
    columns: dict[str, str] | None
    input_format: FileFormat
    output_format: FileFormat
    name: str


def _plan(args: argparse.Namespace) -> _Plan | str:
    """Read the options into a plan, or return what is wrong with them (one line).

    Raises:
        SlaClockError: a bad policy, calendar, ``--now`` or ``--columns``.
    """
    policy = policy_from_args(args)
    if args.rules_as_of is not None:
        policy = rules_as_of(policy, parse_date(args.rules_as_of))
    now = parse_instant(args.now, policy.calendar)
    columns = None if args.columns is None else parse_columns(args.columns)
    Columns(columns)  # an unknown field or a column named twice: one line, before reading
    input_format = format_of(args.input, args.format)
    if input_format is None:
        shown = "stdin" if args.input == "-" else repr(args.input)
        return (
            f"cannot tell the format of {shown} from its name; pass --format csv or --format jsonl"
        )
    output_format = output_format_of(args.output, args.output_format, input_format)
    if output_format not in FILE_FORMATS:
        return output_format
    binary = input_format in BINARY_FORMATS or output_format in BINARY_FORMATS
    if binary:
        problem = _binary_problem(args, input_format, output_format)
        if problem is not None:
            return problem
    problem = encoding_problem(args.encoding)
    if problem is not None:
        return problem
    name = "<stdin>" if args.input == "-" else args.input
    return _Plan(policy, now, columns, input_format, output_format, name)


def run_batch(args: argparse.Namespace) -> int:
    """Run ``sla-clock batch`` on parsed options; return the exit status.

    Errors before the first row (a bad policy, calendar, ``--now`` or ``--columns``)
    propagate as :class:`SlaClockError` for the caller (``sla_clock.cli.main``) to print.
    """
    try:
        import numpy  # noqa: F401 (fail here, with the extra to install)
    except ImportError:
        return error_line(
            f"{PROG} batch needs NumPy; install it with: pip install 'sla-clock[fast]'"
        )
    problem = _events_problem(args)
    if problem is not None:
        return error_line(problem)
    plan = _plan(args)
    if isinstance(plan, str):
        return error_line(plan)
    try:
        reader, size = open_input(args.input, args.encoding)
    except OSError as exc:
        return error_line(f"cannot read {args.input}: {exc.strerror or exc}; check the path")
    except UnicodeError as exc:
        return error_line(f"{plan.name} is not UTF-8 text: {exc}")
    return _run(args, plan, reader, size)


def _binary_problem(
    args: argparse.Namespace, input_format: FileFormat, output_format: FileFormat
) -> str | None:
    """What a run with Parquet or Arrow cannot do, or ``None``."""
    if args.events is not None:
        return "--events reads JSON Lines or CSV; Parquet and Arrow are for tickets files"
    if output_format not in BINARY_FORMATS:
        return (
            f"a {input_format} input is written as Parquet or Arrow: give --output FILE.parquet "
            "or FILE.arrow (or --output-format parquet|arrow)"
        )
    if input_format == "jsonl":
        return "JSON Lines are written as CSV or JSON Lines; Parquet and Arrow take CSV input"
    if args.input == "-":
        return "Parquet and Arrow need a file: give its path, not - (stdin)"
    try:
        import pyarrow  # type: ignore[import-untyped,unused-ignore]  # noqa: F401 (fail here, with the extra to install)
    except ImportError:
        return (
            "Parquet and Arrow files need pyarrow; install it with: pip install 'sla-clock[arrow]'"
        )
    return None


def _events_problem(args: argparse.Namespace) -> str | None:
    """Check the files of ``--events``: one input, no ``--columns``; set ``args.input``."""
    if args.events is None:
        if args.input is None:
            return "batch needs a tickets FILE, or --events FILE; see sla-clock batch --help"
        return None
    if args.input is not None:
        return f"give a tickets FILE ({args.input}) or --events FILE, not both"
    if args.columns is not None:
        return (
            "--columns names the columns of a tickets file; an events file has the columns "
            "ticket,at,event,value (or the JSON keys ticket, at, event, priority, status, by)"
        )
    args.input = args.events
    return None


def _process(
    args: argparse.Namespace,
    plan: _Plan,
    reader: TextIO,
    writer: TextIO,
    summary: BatchSummary,
    progress: TextIO | None,
    size: int | None,
) -> None:
    """Run the pipeline of tickets, or of events (``--events``), into ``writer``."""
    if plan.output_format in BINARY_FORMATS:
        _process_binary(args, plan, writer, summary)
        return
    if args.events is not None:
        from ..batch._events import process_events  # NumPy's: only for this run

        process_events(
            reader,
            writer,
            plan.policy,
            plan.now,
            input_format=cast("Format", plan.input_format),
            output_format=cast("Format", plan.output_format),
            on_error=args.on_error,
            name=plan.name,
            report=sys.stderr,
            summary=summary,
        )
        return
    process(
        reader,
        writer,
        plan.policy,
        plan.now,
        input_format=cast("Format", plan.input_format),
        output_format=cast("Format", plan.output_format),
        on_error=args.on_error,
        chunk_size=args.chunk_size,
        name=plan.name,
        report=sys.stderr,
        progress=progress,
        size=size,
        summary=summary,
        columns=plan.columns,
    )


def _process_binary(
    args: argparse.Namespace, plan: _Plan, writer: TextIO, summary: BatchSummary
) -> None:
    """Tickets (Parquet, Arrow or CSV) into a Parquet or Arrow file (``sla-clock[arrow]``)."""
    from ..batch._arrow_files import give_memory_back, process_arrow
    from ..batch._arrow_writer import ArrowWriter
    from ..batch._rows import Context

    give_memory_back()

    calendar = plan.policy.calendar
    now = plan.now.astimezone(calendar.zone)
    ctx = Context(plan.policy, calendar, now, calendar.to_us(now), plan.name)
    fields = Columns(plan.columns)

    def is_priority(name: str) -> bool:
        return fields.field(name) == "priority"

    with ArrowWriter(writer.buffer, plan.output_format, is_priority) as out:  # stream's bytes
        process_arrow(
            args.input,
            plan.input_format,
            ctx,
            out.write,
            on_error=args.on_error,
            chunk_size=args.chunk_size,
            summary=summary,
            columns=plan.columns,
            report=lambda line: print(f"{PROG} batch: {line}", file=sys.stderr),
        )


def _run(args: argparse.Namespace, plan: _Plan, reader: TextIO, size: int | None) -> int:
    """Run the pipeline into the output, under the stop signals; print the summary line."""
    now, name = plan.now, plan.name
    summary = BatchSummary()
    progress = progress_stream(args.progress)
    output: Output | None = None
    stopped: str | None = "stopped"
    status = EXIT_USAGE
    collecting = gc.isenabled()
    gc.disable()  # rows hold no reference cycles: the collector would only cost time (~10 %)
    try:
        with stop_signals():
            try:
                output = Output(args.output)
                _process(args, plan, reader, output.stream, summary, progress, size)
                if summary.rows_in and not summary.rows_out and summary.rows_skipped:
                    unit = "event" if summary.events else "row"
                    error_line(
                        f"every {unit} of {name} was skipped ({summary.rows_skipped:,}), so "
                        f"there is no report; fix the {unit}s reported above"
                    )
                else:
                    # From here on the run has its answer: a stop signal must not leave the
                    # report renamed into place yet reported as not written.
                    hold_stops()
                    output.commit()
                    stopped, status = None, EXIT_OK
            except OutputFileError as exc:  # before any row: one line, no summary
                return error_line(str(exc))
            except SlaClockError as exc:
                error_line(str(exc))
            except UnicodeError as exc:
                end_line(progress)
                error_line(decoding_error(name, args.encoding, exc))
            except BrokenPipeError:
                quiet_stdout()
                return EXIT_BROKEN_PIPE
            except OSError as exc:
                end_line(progress)
                error_line(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
            finally:
                hold_stops()  # a second signal must not cut the cleanup short
                if output is not None:
                    output.close()
                close_input(reader, args.input)
                if collecting:
                    gc.enable()
    except KeyboardInterrupt:
        end_line(progress)
        stopped, status = "interrupted by SIGINT", 128 + signal.SIGINT
    except Stopped as exc:
        end_line(progress)
        stopped = f"interrupted by {signal.Signals(exc.signum).name}"
        status = 128 + exc.signum
    print(
        summary_line(summary, now, as_json=bool(args.json), output=output, stopped=stopped),
        file=sys.stderr,
    )
    return status
