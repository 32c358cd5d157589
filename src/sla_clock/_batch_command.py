"""The ``sla-clock batch`` command: options, files and exit status around the pipeline.

:func:`add_batch_parser` declares the subcommand for :mod:`sla_clock.cli`, and
:func:`run_batch` runs it: it builds the policy and calendar from the options, tells the
formats from the file extensions, opens the input (a UTF-8 byte order mark is skipped) and
the output (written beside the target and renamed at the end, so a failed run leaves no
half-written file), runs :func:`sla_clock.batch.process`, turns a bad input into one
``sla-clock: error:`` line and exit status 2, and ends with the summary line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from ._batch_report import PROG
from ._cli_options import calendar_from_args
from ._parsing import parse_instant
from .batch import DEFAULT_CHUNK_SIZE, FORMATS, ON_ERROR, BatchSummary, Format, process
from .errors import SlaClockError
from .policy import SlaPolicy

if TYPE_CHECKING:
    from typing import TypeAlias

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = ["add_batch_parser", "run_batch"]

Progress = Literal["auto", "always", "never"]
PROGRESS: tuple[Progress, ...] = ("auto", "always", "never")

EXIT_OK = 0
EXIT_BAD_INPUT = 2
#: Exit status when the reader of the output goes away (``| head``): 128 + SIGPIPE.
EXIT_BROKEN_PIPE = 141

_EXTENSIONS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        msg = f"expected a positive whole number, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_batch_parser(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``batch FILE [--format F] [--output FILE] [--now TIME] [--on-error MODE] ...``.

    The shape of ``sla_clock.cli``'s ``_add_<name>`` functions: ``parents`` are the shared
    parent parsers (calendar options; ``--json`` prints the final summary as JSON).
    """
    parser = subparsers.add_parser(
        "batch",
        parents=list(parents),
        help="compute the SLA status of every ticket of a CSV or JSON Lines file",
        description="Read tickets (columns id, priority, opened, resolved, pauses) from a "
        "CSV or JSON Lines file or stdin, and write each one with due_at, breach_at, "
        "used_seconds, remaining_seconds, state and escalation_level, all as of --now. "
        "Bad rows are reported on stderr with their line number. A summary line ends the "
        "run on stderr (with --json, as a JSON object). Exits with 0 on success, 2 on bad "
        "input. See docs/batch.md.",
    )
    parser.add_argument("input", metavar="FILE", help="tickets file, or '-' for stdin")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="input format; default: from the extension (.csv, .tsv, .jsonl, .ndjson); "
        "needed for stdin",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", default="-", help="where to write; default: stdout"
    )
    parser.add_argument(
        "--output-format",
        choices=FORMATS,
        help="output format; default: from the --output extension, else the input format",
    )
    parser.add_argument(
        "--now",
        metavar="TIME",
        default="now",
        help="the instant of every status (ISO 8601, dd/mm/yyyy HH:MM or 'now'; without an "
        "offset, the calendar's local time); default: now",
    )
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="policy file (TOML or JSON); its calendar is used unless --calendar is given; "
        "default: P0 4 h, P1 12 h, P2 40 h, P3 48 h",
    )
    parser.add_argument(
        "--on-error",
        choices=ON_ERROR,
        default="fail",
        help="a bad row stops the run with exit status 2 (fail, the default), or is "
        "reported and left out of the output (skip)",
    )
    parser.add_argument(
        "--encoding",
        default="utf-8",
        help="text encoding of the input, e.g. cp1252 for some spreadsheet exports; "
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
    parser.set_defaults(handler=run_batch)


def _format_of(path: str, given: Format | None) -> Format | None:
    """Return ``given``, else the format the extension of ``path`` names (or ``None``)."""
    if given is not None:
        return given
    if path == "-":
        return None
    return _EXTENSIONS.get(Path(path).suffix.lower())


def _error(message: str) -> int:
    print(f"{PROG}: error: {' '.join(message.splitlines())}", file=sys.stderr)
    return EXIT_BAD_INPUT


class _Output:
    """The output stream: stdout, or a file written beside the target and renamed at the end.

    The rename makes a failed run leave no half-written file (a previous one stays).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.temp: str | None = None
        self.wrapper: io.TextIOWrapper | None = None  # around stdout's bytes, detached at the end
        if path == "-":
            sys.stdout.flush()
            binary = getattr(sys.stdout, "buffer", None)
            if binary is not None:
                self.wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            self.stream: TextIO = self.wrapper if self.wrapper is not None else sys.stdout
            return
        target = Path(path)
        if target.exists() and not target.is_file():  # /dev/stdout, a FIFO: write as is
            self.stream = target.open("w", encoding="utf-8", newline="")
            return
        fd, self.temp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        self.stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        """Flush, and move the finished file into place with the target's permissions."""
        self.stream.flush()
        if self.temp is None:
            return
        self.stream.close()
        target = Path(self.path)
        if target.exists():
            mode = target.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self.temp, mode)
        os.replace(self.temp, target)
        self.temp = None

    def close(self) -> None:
        """Release the stream; remove the temporary file of an unfinished run."""
        if self.path == "-":
            with contextlib.suppress(OSError, ValueError):
                self.stream.flush()
            if self.wrapper is not None:
                with contextlib.suppress(ValueError):
                    self.wrapper.detach()  # leave sys.stdout open
            return
        with contextlib.suppress(OSError):
            self.stream.close()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)


def _open_input(path: str, encoding: str) -> tuple[TextIO, int | None]:
    """Open the input as text (``newline=""`` for the csv module) with its size when known."""
    encoding = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    if path == "-":
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:
            return sys.stdin, None
        return io.TextIOWrapper(binary, encoding=encoding, newline=""), None
    stream = open(path, encoding=encoding, newline="")  # noqa: SIM115 (closed by the caller)
    size = os.fstat(stream.fileno()).st_size
    return stream, size if Path(path).is_file() else None


def _summary_line(
    summary: BatchSummary, now: datetime, *, as_json: bool, output: str, failed: bool
) -> str:
    if as_json:
        return json.dumps(
            {
                "rows_in": summary.rows_in,
                "rows_out": summary.rows_out,
                "rows_skipped": summary.rows_skipped,
                "as_of": now.isoformat(),
                "stopped_at_line": summary.stopped_at,
                "complete": not failed,
            }
        )
    rows = "row" if summary.rows_in == 1 else "rows"
    counts = (
        f"{summary.rows_in:,} {rows} in, {summary.rows_out:,} out, {summary.rows_skipped:,} skipped"
    )
    if not failed:
        return f"{PROG} batch: {counts}; statuses as of {now.isoformat()}"
    where = f"stopped at line {summary.stopped_at}" if summary.stopped_at else "stopped"
    lost = "the output on stdout is incomplete" if output == "-" else f"{output} was not written"
    return f"{PROG} batch: {where}: {counts}; {lost}"


def run_batch(args: argparse.Namespace) -> int:
    """Run ``sla-clock batch`` on parsed options; return the exit status (0 or 2).

    Errors before the first row (a bad policy, calendar or ``--now``) propagate as
    :class:`SlaClockError` for the caller (``sla_clock.cli.main``) to print.
    """
    try:
        import numpy  # noqa: F401
    except ImportError:
        return _error("sla-clock batch needs NumPy; install it with: pip install 'sla-clock[fast]'")
    policy = SlaPolicy.default() if args.policy is None else SlaPolicy.from_file(args.policy)
    policy = policy.with_calendar(calendar_from_args(args, policy.calendar))
    now = parse_instant(args.now, policy.calendar)
    input_format = _format_of(args.input, args.format)
    if input_format is None:
        shown = "stdin" if args.input == "-" else repr(args.input)
        return _error(
            f"cannot tell the format of {shown} from its name; pass --format csv or --format jsonl"
        )
    output_format = _format_of(args.output, args.output_format) or input_format
    try:
        reader, size = _open_input(args.input, args.encoding)
    except (OSError, LookupError) as exc:
        return _error(f"cannot read {args.input}: {exc}")
    as_json = bool(getattr(args, "json", False))
    want = args.progress
    progress = sys.stderr if want == "always" or (want == "auto" and sys.stderr.isatty()) else None
    summary = BatchSummary()
    failed = True
    output: _Output | None = None
    collecting = gc.isenabled()
    gc.disable()  # rows hold no reference cycles: the collector would only cost time (~10 %)
    try:
        output = _Output(args.output)
        process(
            reader,
            output.stream,
            policy,
            now,
            input_format=input_format,
            output_format=output_format,
            on_error=args.on_error,
            chunk_size=args.chunk_size,
            name="<stdin>" if args.input == "-" else args.input,
            report=sys.stderr,
            progress=progress,
            size=size,
            summary=summary,
        )
        output.commit()
        failed = False
    except SlaClockError as exc:
        _error(str(exc))
    except UnicodeDecodeError as exc:
        _error(
            f"{args.input} is not {args.encoding} text ({exc.reason}); give its encoding, "
            "e.g. --encoding cp1252"
        )
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        _error(str(exc))
    finally:
        if collecting:
            gc.enable()
        if output is not None:
            output.close()
        if args.input != "-":
            reader.close()
        elif reader is not sys.stdin and isinstance(reader, io.TextIOWrapper):
            with contextlib.suppress(ValueError):
                reader.detach()  # leave sys.stdin open
    print(
        _summary_line(summary, now, as_json=as_json, output=args.output, failed=failed),
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush does not fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
