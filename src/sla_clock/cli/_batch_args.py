"""The options of ``sla-clock batch`` and what they name: formats, files, chunks, progress.

:func:`declare` adds them to the subcommand's parser; :func:`format_of` and
:func:`output_format` tell a file's format from ``--format`` or its extension.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Literal

from ..batch._pipeline import DEFAULT_CHUNK_SIZE, ON_ERROR
from ._options import add_policy_option

__all__ = [
    "BINARY_FORMATS",
    "FILE_FORMATS",
    "PROGRESS",
    "FileFormat",
    "Progress",
    "declare",
    "format_of",
    "output_format",
]

Progress = Literal["auto", "always", "never"]
PROGRESS: tuple[Progress, ...] = ("auto", "always", "never")

#: Every format of a tickets file: the text ones, and Parquet and Arrow IPC (``arrow``).
FileFormat = Literal["csv", "jsonl", "parquet", "arrow"]
FILE_FORMATS: tuple[FileFormat, ...] = ("csv", "jsonl", "parquet", "arrow")
#: The formats that need pyarrow and go through :mod:`sla_clock.batch._arrow_files`.
BINARY_FORMATS = ("parquet", "arrow")

_EXTENSIONS: dict[str, FileFormat] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".arrow": "arrow",
    ".feather": "arrow",
    ".ipc": "arrow",
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


def declare(parser: argparse.ArgumentParser) -> None:
    """Declare every option of ``batch`` on its parser (after the shared ones)."""
    parser.add_argument("input", metavar="FILE", nargs="?", help="tickets file, or '-' for stdin")
    parser.add_argument(
        "--events",
        metavar="FILE",
        help="read ticket histories instead (JSON Lines, or CSV ticket,at,event,value; '-' "
        "for stdin) and write one row per ticket, metric and cycle; with --on-error skip a "
        "bad line leaves its whole ticket out",
    )
    _add_file_options(parser)
    _add_run_options(parser)


def _add_file_options(parser: argparse.ArgumentParser) -> None:
    """Declare the options of the files: formats, the output, the encoding, the columns."""
    parser.add_argument(
        "--format",
        choices=FILE_FORMATS,
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
        choices=FILE_FORMATS,
        help=f"output format; default: from the --output extension ({_KNOWN}), else the "
        "input format",
    )


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Declare the options of the run: --now, the policy, bad rows, chunks, progress, --json."""
    parser.add_argument(
        "--now",
        metavar="TIME",
        default="now",
        help="the instant of every status (ISO 8601, dd/mm/yyyy HH:MM or 'now'; without an "
        "offset, the calendar's local time); default: now",
    )
    add_policy_option(parser)
    parser.add_argument(
        "--rules-as-of",
        metavar="DATE",
        help="count every ticket under the calendar rules in force on DATE (2027-03-01 or "
        "01/03/2027), before and after it, ignoring the other calendar versions: to preview "
        "a rules change on past tickets (docs/versions.md#replay)",
    )
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


def format_of(path: str, given: FileFormat | None) -> FileFormat | None:
    """Return ``given``, else the format the extension of ``path`` names (or ``None``)."""
    if given is not None:
        return given
    if path == "-":
        return None
    return _EXTENSIONS.get(Path(path).suffix.lower())


def output_format(
    path: str, given: FileFormat | None, input_format: FileFormat
) -> FileFormat | str:
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
        f"knows {_KNOWN}); give one of those, or --output-format csv, jsonl, parquet or arrow"
    )
