"""Reading a calendar or policy file: its size, its encoding, its syntax, its depth.

A file is UTF-8, with or without a byte order mark (as Windows Notepad saves); UTF-16 or
UTF-32 (a byte order mark, or NUL bytes), cp1252 and the like are refused with a message
that says how to save it as UTF-8. TOML or JSON by its extension. A file over 4 MiB, or one
nesting tables or lists more than 16 levels deep, is the wrong file.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from ..errors import SlaClockError

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "read_document"]

#: A calendar or policy file is a few kilobytes; a bigger one is the wrong file (/dev/zero).
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Byte order marks of encodings other than UTF-8, longest first.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_SAVE_AS_UTF8 = "save it as UTF-8 (in Notepad: File, Save as, Encoding: UTF-8)"


def _decode(file: Path, data: bytes, error: type[SlaClockError]) -> str:
    """Return the text of a UTF-8 file, without its byte order mark if it has one."""
    for mark, name in _OTHER_BOMS:
        if data.startswith(mark):
            msg = f"{file} is {name} text, not UTF-8; {_SAVE_AS_UTF8}"
            raise error(msg)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        msg = (
            f"{file} has NUL bytes (line {line}), as UTF-16 text without a byte order mark "
            f"has; {_SAVE_AS_UTF8}"
        )
        raise error(msg)
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data[:start].count(b"\n") + 1
        bad = data[start : start + 1]
        msg = (
            f"{file} is not UTF-8 text (byte {bad!r} on line {line}; it may be cp1252 or "
            f"latin-1); {_SAVE_AS_UTF8}, or convert it: iconv -f cp1252 -t utf-8"
        )
        raise error(msg) from None


def read_document(path: str | os.PathLike[str], error: type[SlaClockError]) -> Any:
    """Return the TOML or JSON document of a calendar or policy file.

    Raises:
        SlaClockError: of class ``error``: unreadable, too big, not UTF-8, not valid TOML or
            JSON, or nested too deeply; the message names the file and says how to fix it.
    """
    file = Path(path)
    try:
        with file.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        msg = f"cannot read {file}: {exc.strerror or exc}; check the path"
        raise error(msg) from exc
    if len(data) > MAX_FILE_BYTES:
        msg = (
            f"{file} is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB, far more than a "
            "calendar or policy file; check the path"
        )
        raise error(msg)
    text = _decode(file, data, error)
    kind = "JSON" if file.suffix.lower() == ".json" else "TOML"
    try:
        parsed: Any = json.loads(text) if kind == "JSON" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"{file} is not valid {kind}: {exc}"
        raise error(msg) from exc
    except ValueError as exc:  # a number of over 4,300 digits (int's conversion limit)
        msg = f"{file} has a number of over 4,300 digits, too long to read; check the file"
        raise error(msg) from exc
    except RecursionError:
        parsed = None
    if parsed is None or _depth(parsed) > MAX_DEPTH:
        msg = (
            f"{file} nests its {kind} tables or lists more than {MAX_DEPTH} levels deep, far "
            "more than a calendar or policy file does; check the file"
        )
        raise error(msg)
    return parsed


#: A calendar or policy file nests a few levels (a policy's calendar's partial days: 4).
MAX_DEPTH = 16


def _depth(value: Any) -> int:
    """Return how deep lists and tables nest in ``value`` (without recursion)."""
    deepest = 0
    todo: list[tuple[Any, int]] = [(value, 0)]
    while todo:
        item, level = todo.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        if isinstance(item, dict):
            todo.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            todo.extend((child, level + 1) for child in item)
    return deepest
