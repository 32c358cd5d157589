"""Where ``sla-clock batch`` reads from: a file or stdin, as text in its ``--encoding``.

The input is opened as text with ``newline=""`` (for the ``csv`` module). UTF-8 is the
default, its byte order mark skipped; a UTF-8 input that starts with a UTF-16 or UTF-32 mark
is refused (it names the ``--encoding`` to give), as is an ``--encoding`` Python does not
know or that is not a text encoding (``rot13``). :func:`decoding_error` words a failure to
decode, found while reading, with the fix.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import TextIO

__all__ = ["close_input", "decoding_error", "encoding_problem", "open_input"]

#: Byte order marks that say a file is not UTF-8, longest first.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_UTF8 = ("utf-8", "utf8", "utf-8-sig", "utf8-sig", "u8")


def encoding_problem(encoding: str) -> str | None:
    """Return what is wrong with ``--encoding``, or ``None`` when Python can decode it."""
    try:
        io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    except LookupError as exc:
        reason = "is not a text encoding" if "text encoding" in str(exc) else "is unknown"
        return (
            f"--encoding {encoding!r} {reason}; give a text encoding such as utf-8, cp1252, "
            "latin-1 or utf-16"
        )
    return None


def open_input(path: str, encoding: str) -> tuple[TextIO, int | None]:
    """Open the input as text (``newline=""`` for the csv module) with its size when known.

    Raises:
        OSError: the file cannot be opened.
        UnicodeError: a UTF-8 input starts with a UTF-16 or UTF-32 byte order mark.
    """
    utf8 = encoding.replace("_", "-").lower() in _UTF8
    encoding = "utf-8-sig" if utf8 else encoding
    if path == "-":
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:
            return sys.stdin, None
        if utf8:
            _refuse_other_boms(binary)
        return io.TextIOWrapper(binary, encoding=encoding, newline=""), None
    stream = open(path, "rb")  # noqa: SIM115 (closed by the caller, through the wrapper)
    try:
        size = os.fstat(stream.fileno()).st_size if Path(path).is_file() else None
        if utf8:
            _refuse_other_boms(stream)
    except BaseException:
        stream.close()
        raise
    return io.TextIOWrapper(stream, encoding=encoding, newline=""), size


def _refuse_other_boms(binary: object) -> None:
    """Raise UnicodeError when ``binary`` starts with a UTF-16 or UTF-32 byte order mark."""
    peek = getattr(binary, "peek", None)
    start = peek(4)[:4] if peek is not None else b""
    for mark, name in _OTHER_BOMS:
        if start.startswith(mark):
            msg = f"it starts with a {name.upper()} byte order mark; give --encoding {name}"
            raise UnicodeError(msg)


def decoding_error(name: str, encoding: str, exc: UnicodeError) -> str:
    """Word a decoding failure of the input, saying how to fix it."""
    if isinstance(exc, UnicodeDecodeError):
        bad = exc.object[exc.start : exc.end]
        return (
            f"{name} is not {encoding} text (bytes {bytes(bad)!r}: {exc.reason}); give its "
            "encoding with --encoding, e.g. --encoding cp1252 for a spreadsheet export"
        )
    if "BOM" in str(exc):
        return (
            f"{name} does not start with the byte order mark that --encoding {encoding} "
            "needs; give --encoding utf-16-le or --encoding utf-16-be"
        )
    return f"{name} cannot be read as {encoding} text ({exc}); give its encoding with --encoding"


def close_input(reader: TextIO, path: str) -> None:
    """Close the input; for stdin, only let go of it (``sys.stdin`` stays open)."""
    if path != "-":
        reader.close()
    elif reader is not sys.stdin and isinstance(reader, io.TextIOWrapper):
        with contextlib.suppress(ValueError):
            reader.detach()
