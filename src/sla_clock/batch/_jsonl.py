"""JSON Lines files of tickets read chunk by chunk: one JSON object per line.

The ticket fields are the keys that :class:`~sla_clock.batch._columns.Columns` names
(``priority``, ``prioridade``...); every key is kept for the output. A line that is not a
JSON object, an object without a required field, or one with two keys for one field (say
``opened`` and ``aberto_em``) is a :class:`~sla_clock.batch._csv.RowError` of its chunk.
Blank lines are not tickets.

A CSV written from JSON Lines needs every key before its header: :meth:`JsonlInput.read_keys`
reads the file once first for them (a stream that cannot seek back, such as stdin, is copied into
a temporary file on the way, so memory stays bounded).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from itertools import islice
from typing import Any, TextIO

from ..errors import TicketError
from ._columns import FIELDS, REQUIRED, Columns
from ._csv import Chunk, RowError, field_attribute

__all__ = ["JsonlInput"]

_MISSING = object()
#: Lines read at a time by the first pass.
_PASS_LINES = 50_000


class _RepeatedKeyError(ValueError):
    """A JSON object names a key twice (JSON leaves it to the reader; we refuse to guess)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedKeyError(key)
            seen.add(key)
    return obj


#: Reads one JSON text; an object with a key twice is an error, not "the last one wins".
_loads = json.JSONDecoder(object_pairs_hook=_unique_keys).decode
#: What a line that is not one good JSON text raises.
_UNREADABLE = (ValueError, RecursionError)  # JSONDecodeError, a key twice, a 5,000-digit int


def _parse_json(texts: list[str], errors: dict[int, RowError]) -> list[dict[str, Any]]:
    """Parse JSON objects, one per text; a bad one becomes ``{}`` and an entry of ``errors``."""
    try:
        objs: list[Any] = list(map(_loads, texts))
    except _UNREADABLE:
        objs = []
        for row, text in enumerate(texts):
            try:
                objs.append(_loads(text))
            except _UNREADABLE as exc:
                objs.append({})
                errors[row] = RowError(TicketError, _unreadable(exc))
    if set(map(type, objs)) != {dict}:
        for row, obj in enumerate(objs):
            if not isinstance(obj, dict):
                errors[row] = RowError(TicketError, "is not a JSON object")
                objs[row] = {}
    return objs


def _unreadable(exc: Exception) -> str:
    """Say why a line is not one good JSON text."""
    if isinstance(exc, json.JSONDecodeError):
        return f"is not valid JSON ({exc.msg} at column {exc.colno})"
    if isinstance(exc, _RepeatedKeyError):
        return (
            f"has the key {exc.args[0]!r} twice; JSON readers disagree on which one counts, "
            "so write it once"
        )
    if isinstance(exc, RecursionError):
        return "is nested too deeply to be a ticket (a JSON object of a few levels)"
    return f"is not a JSON text sla-clock can read ({exc}); check the line"


def _key_union(stream: TextIO) -> tuple[list[str], TextIO]:
    """Return every key of the objects of ``stream`` in first-seen order, and the stream again.

    A stream that cannot seek back (stdin) is copied into a temporary file as it is read,
    and that file, at its start, is returned in its place.
    """
    try:
        start = stream.tell() if stream.seekable() else None
    except OSError:
        start = None
    spool: TextIO | None = None
    if start is None:
        spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (returned)
    seen: dict[str, Any] = {}
    loads, update = json.loads, seen.update
    while lines := list(islice(stream, _PASS_LINES)):
        if spool is not None:
            spool.writelines(lines)
        for line in lines:
            try:
                obj = loads(line)
            except (ValueError, RecursionError):
                continue  # a blank or bad line: the real pass reports it
            if type(obj) is dict:
                update(obj)
    if spool is None:
        stream.seek(start or 0)
        return list(seen), stream
    spool.seek(0)
    return list(seen), spool


class JsonlInput:
    """Reads a JSON Lines file of tickets chunk by chunk.

    Args:
        stream: the text.
        columns: the keys of the ticket fields.
    """

    def __init__(self, stream: TextIO, columns: Columns | None = None) -> None:
        self.columns = columns or Columns()
        self.stream = stream
        self._keys: list[str] | None = None
        self._spooled = False

    def read_keys(self) -> list[str]:
        """Return every key of every object of the file, first seen first.

        The first call reads the whole file (before :meth:`chunks`, which then reads it
        again from the start).
        """
        if self._keys is None:
            original = self.stream
            self._keys, self.stream = _key_union(original)
            self._spooled = self.stream is not original
        return self._keys

    def chunks(self, size: int) -> Iterator[Chunk]:
        """Yield chunks of up to ``size`` JSON objects, one per non-blank line."""
        try:
            yield from self._chunks(size)
        finally:
            if self._spooled:
                self.stream.close()

    def _chunks(self, size: int) -> Iterator[Chunk]:
        stream, first_line = self.stream, 1
        while lines := list(islice(stream, size)):
            chunk = Chunk()
            texts = [line.strip() for line in lines]
            if all(texts):
                chunk.lines = list(range(first_line, first_line + len(texts)))
            else:  # drop blank lines
                chunk.lines = [first_line + i for i, text in enumerate(texts) if text]
                texts = [text for text in texts if text]
            first_line += len(lines)
            if not texts:
                continue
            chunk.raw = texts
            chunk.values = objs = _parse_json(texts, chunk.errors)
            self._fields(chunk, objs)
            yield chunk

    def _fields(self, chunk: Chunk, objs: list[dict[str, Any]]) -> None:
        """Set the field columns of ``chunk`` from its objects' keys."""
        keys: dict[str, list[str]] = {}
        for key in sorted(set().union(*map(dict.keys, objs))):
            column = self.columns.field(key)
            if column is not None:
                keys.setdefault(column, []).append(key)
        for column in FIELDS:
            names = keys.get(column, [])
            if len(names) == 1:
                values = [obj.get(names[0], _MISSING) for obj in objs]
            else:
                values = [self._one_value(chunk, row, obj, names) for row, obj in enumerate(objs)]
            if column in REQUIRED and _MISSING in values:
                for row, value in enumerate(values):
                    if value is _MISSING and row not in chunk.errors:
                        message = f"has no {column!r} key; every ticket needs {column}"
                        if column in self.columns.mapped:
                            message = (
                                f"has no {self.columns.mapped[column]!r} key, which --columns "
                                f"names for {column}; every ticket needs {column}"
                            )
                        chunk.errors[row] = RowError(TicketError, message)
            setattr(chunk, field_attribute(column), [None if v is _MISSING else v for v in values])

    def _one_value(self, chunk: Chunk, row: int, obj: dict[str, Any], names: list[str]) -> Any:
        """Return the value of the one key of ``names`` that ``obj`` has (two: an error)."""
        present = [name for name in names if name in obj]
        if len(present) > 1 and row not in chunk.errors:
            column = self.columns.field(present[0])
            shown = " and ".join(repr(name) for name in present)
            message = f"has both {shown} for the {column} field; keep one"
            chunk.errors[row] = RowError(TicketError, message)
        return obj[present[0]] if present else _MISSING
