"""The ``sla-clock batch`` command: options, files and exit status around the pipeline.

:func:`add_batch_parser` declares the subcommand for :mod:`sla_clock.cli`, and
:func:`run_batch` runs it: it builds the policy and calendar from the options, tells the
formats from the file extensions, opens the input in its ``--encoding``
(:mod:`sla_clock.cli._input`) and the output (:mod:`sla_clock.cli._output`: a new file
renamed into place at the end, so a failed or interrupted run leaves no half-written file),
runs :func:`sla_clock.batch._pipeline.process` with SIGTERM and SIGHUP unwinding it as Ctrl-C does
(:mod:`sla_clock.cli._signals`), turns a bad input into one ``sla-clock: error:`` line and
exit status 2, and ends with the summary line on stderr.

Exit statuses: 0 when the rows were written; 2 on bad input, including a run where every
row was skipped; 128 + the signal after SIGINT (130), SIGTERM (143) or SIGHUP (129), with the
temporary file removed; 141 when the reader of stdout went away.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO, cast

from ..batch._columns import Columns, parse_columns
from ..batch._pipeline import DEFAULT_CHUNK_SIZE, FORMATS, ON_ERROR, BatchSummary, Format, process
from ..errors import SlaClockError
from ..parsing import parse_instant
from ._input import close_input, decoding_error, encoding_problem, open_input
from ._options import add_policy_option, policy_from_args
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

Progress = Literal["auto", "always", "never"]
PROGRESS: tuple[Progress, ...] = ("auto", "always", "never")

_EXTENSIONS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_KNOWN = ", ".join(_EXTENSIONS)


#: The largest --chunk-size: rows held in memory at once (about 4 KB each at the most).
MAX_CHUNK_SIZE = 10_000_000


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_CHUNK_SIZE:
        msg = (
            f"expected a whole number of rows from 1 to {MAX_CHUNK_SIZE:,}, got {text!r}; "
            "a chunk is held in memory at once"
        )
        raise argparse.ArgumentTypeError(msg)
    return value


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
    parser.add_argument("input", metavar="FILE", help="tickets file, or '-' for stdin")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help=f"input format; default: from the extension ({_KNOWN}); needed for stdin",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default="-",
        help="where to write; default: stdout; a file is replaced only at the end of a good "
        "run (through a symbolic link: the file it points to); a FIFO or device is written "
        "as it is",
    )
    parser.add_argument(
        "--output-format",
        choices=FORMATS,
        help=f"output format; default: from the --output extension ({_KNOWN}), else the "
        "input format",
    )
    parser.add_argument(
        "--now",
        metavar="TIME",
        default="now",
        help="the instant of every status (ISO 8601, dd/mm/yyyy HH:MM or 'now'; without an "
        "offset, the calendar's local time); default: now",
    )
    add_policy_option(parser)
    parser.add_argument(
        "--columns",
        metavar="FIELD=NAME,...",
        help="the columns (or JSON keys) of fields not named as usual, e.g. "
        'id=Chamado,priority=Prioridade,opened="Data de abertura"; fields: id, priority, '
        "opened, resolved, pauses",
    )
    parser.add_argument(
        "--on-error",
        choices=ON_ERROR,
        default="fail",
        help="a bad row stops the run with exit status 2 (fail, the default), or is "
        "reported and left out of the output (skip); a quote that is never closed stops "
        "the run either way",
    )
    parser.add_argument(
        "--encoding",
        default="utf-8",
        help="text encoding of the input, e.g. cp1252 for some spreadsheet exports, utf-16; "
        "default: utf-8 (a byte order mark is skipped); the output is always UTF-8",
    )
    parser.add_argument(
        "--chunk-size",
        type=_positive,
        metavar="N",
        default=DEFAULT_CHUNK_SIZE,
        help=f"rows read and written at a time (memory use); default: {DEFAULT_CHUNK_SIZE:,}",
    )
    parser.add_argument(
        "--progress",
        choices=PROGRESS,
        default="auto",
        help="show a progress line on stderr: auto (when stderr is a terminal), always, never",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="write the summary line at the end (on stderr) as one JSON object; the rows "
        "are written as without it",
    )
    parser.set_defaults(handler=run_batch)


def _format_of(path: str, given: Format | None) -> Format | None:
    """Return ``given``, else the format the extension of ``path`` names (or ``None``)."""
    if given is not None:
        return given
    if path == "-":
        return None
    return _EXTENSIONS.get(Path(path).suffix.lower())


def _output_format(path: str, given: Format | None, input_format: Format) -> Format | str:
    """Return the output format, or what is wrong: an extension that names no format."""
    if given is not None or path == "-":
        return given or input_format
    suffix = Path(path).suffix
    if not suffix:
        return input_format  # /dev/stdout, a FIFO, a name without extension
    found = _EXTENSIONS.get(suffix.lower())
    if found is not None:
        return found
    return (
        f"--output {path}: the extension {suffix} names no format sla-clock writes (it "
        f"knows {_KNOWN}); give one of those, or --output-format csv or --output-format jsonl"
    )


def _counts(summary: BatchSummary) -> str:
    """Return the counts of the summary line: one entry per count, easy to extend."""
    rows = "row" if summary.rows_in == 1 else "rows"
    parts = [
        f"{summary.rows_in:,} {rows} in",
        f"{summary.rows_out:,} out",
        f"{summary.rows_skipped:,} skipped",
    ]
    if summary.pauses_clipped:  # pauses reaching outside their ticket's life: data, not errors
        clipped = summary.pauses_clipped
        parts.append(
            f"{clipped:,} {'pause' if clipped == 1 else 'pauses'} clipped to the ticket's life"
        )
    return ", ".join(parts)


def _summary_line(
    summary: BatchSummary,
    now: datetime,
    *,
    as_json: bool,
    output: Output | None,
    stopped: str | None,
) -> str:
    """Return the last line of a run: its counts, and what became of the output.

    ``stopped`` says why the run did not complete (``None``: it did; ``"stopped"``: bad
    input, at the summary's ``stopped_at`` line when there is one).
    """
    if as_json:
        return json.dumps(
            {
                "rows_in": summary.rows_in,
                "rows_out": summary.rows_out,
                "rows_skipped": summary.rows_skipped,
                "pauses_clipped": summary.pauses_clipped,
                "as_of": now.isoformat(),
                "stopped_at_line": summary.stopped_at,
                "complete": stopped is None,
            }
        )
    counts = _counts(summary)
    if stopped is None:
        return f"{PROG} batch: {counts}; statuses as of {now.isoformat()}"
    if stopped == "stopped" and summary.stopped_at:
        stopped = f"stopped at line {summary.stopped_at}"
    if output is None or output.mode == "stdout":
        lost = "the output on stdout is incomplete"
    elif output.in_place:
        lost = f"the output written to {output.path} is incomplete"
    else:
        lost = f"{output.path} was not written"
    return f"{PROG} batch: {stopped}: {counts}; {lost}"


def run_batch(args: argparse.Namespace) -> int:
    """Run ``sla-clock batch`` on parsed options; return the exit status.

    Errors before the first row (a bad policy, calendar, ``--now`` or ``--columns``)
    propagate as :class:`SlaClockError` for the caller (``sla_clock.cli.main``) to print.
    """
    try:
        import numpy  # noqa: F401
    except ImportError:
        return error_line(
            "sla-clock batch needs NumPy; install it with: pip install 'sla-clock[fast]'"
        )
    policy = policy_from_args(args)
    now = parse_instant(args.now, policy.calendar)
    columns = None if args.columns is None else parse_columns(args.columns)
    Columns(columns)  # an unknown field or a column named twice: one line, before reading
    input_format = _format_of(args.input, args.format)
    if input_format is None:
        shown = "stdin" if args.input == "-" else repr(args.input)
        return error_line(
            f"cannot tell the format of {shown} from its name; pass --format csv or --format jsonl"
        )
    output_format = _output_format(args.output, args.output_format, input_format)
    if output_format not in FORMATS:
        return error_line(output_format)
    problem = encoding_problem(args.encoding)
    if problem is not None:
        return error_line(problem)
    name = "<stdin>" if args.input == "-" else args.input
    try:
        reader, size = open_input(args.input, args.encoding)
    except OSError as exc:
        return error_line(f"cannot read {args.input}: {exc.strerror or exc}; check the path")
    except UnicodeError as exc:
        return error_line(f"{name} is not UTF-8 text: {exc}")
    summary = BatchSummary()
    progress = _progress_stream(args.progress)
    output: Output | None = None
    stopped: str | None = "stopped"
    status = EXIT_USAGE
    collecting = gc.isenabled()
    gc.disable()  # rows hold no reference cycles: the collector would only cost time (~10 %)
    try:
        with stop_signals():
            try:
                output = Output(args.output)
                process(
                    reader,
                    output.stream,
                    policy,
                    now,
                    input_format=input_format,
                    output_format=output_format,
                    on_error=args.on_error,
                    chunk_size=args.chunk_size,
                    name=name,
                    report=sys.stderr,
                    progress=progress,
                    size=size,
                    summary=summary,
                    columns=columns,
                )
                if summary.rows_in and not summary.rows_out:
                    error_line(
                        f"every row of {name} was skipped ({summary.rows_skipped:,}), so there "
                        "is no report; fix the rows reported above"
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
                _end_line(progress)
                error_line(decoding_error(name, args.encoding, exc))
            except BrokenPipeError:
                quiet_stdout()
                return EXIT_BROKEN_PIPE
            except OSError as exc:
                _end_line(progress)
                error_line(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
            finally:
                hold_stops()  # a second signal must not cut the cleanup short
                if output is not None:
                    output.close()
                close_input(reader, args.input)
                if collecting:
                    gc.enable()
    except KeyboardInterrupt:
        _end_line(progress)
        stopped, status = "interrupted by SIGINT", 128 + signal.SIGINT
    except Stopped as exc:
        _end_line(progress)
        stopped = f"interrupted by {signal.Signals(exc.signum).name}"
        status = 128 + exc.signum
    print(
        _summary_line(summary, now, as_json=bool(args.json), output=output, stopped=stopped),
        file=sys.stderr,
    )
    return status


def _progress_stream(want: Progress) -> TextIO | None:
    """Return where the progress line goes: stderr when wanted, else nowhere."""
    wanted = want == "always" or (want == "auto" and sys.stderr.isatty())
    # A text stream for the writer; TextIOBase is what typing.TextIO stands for at run time.
    return cast("TextIO", _ProgressLine(sys.stderr)) if wanted else None


def _end_line(progress: TextIO | None) -> None:
    """End the progress line a run stopped in the middle of left on the terminal, if any."""
    if isinstance(progress, _ProgressLine) and progress.showing:
        progress.write("\n")


class _ProgressLine(io.TextIOBase):
    r"""The progress stream, knowing whether a progress line is showing (no newline yet).

    The progress line is rewritten in place with ``\r`` and erased with ``\r...\r``; when
    a run stops while one shows, the error must start on a line of its own, and when none
    shows a newline would leave a blank line.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self.showing = False

    def write(self, text: str) -> int:
        if text:
            self.showing = not text.endswith(("\r", "\n"))
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()
