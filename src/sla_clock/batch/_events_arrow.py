r"""JSON Lines events parsed by pyarrow's JSON reader, a chunk at a time (``sla-clock[arrow]``).

:func:`arrow_columns` parses a chunk's lines with :func:`pyarrow.json.read_json` (C++,
several threads) into the columns of an :class:`~sla_clock.batch._events_input.EventChunk`,
its tickets and event values already encoded as distinct values and, per line, an index. It
answers only when the result is certainly what the Python reader would give, and returns
``None`` otherwise, so that the chunk is read again line by line by the standard :mod:`json`
module, which names the bad line:

- every line is ``{...}`` and one JSON object (pyarrow makes a row of nulls of a line
  ``null``, and crashes on a chunk of that line alone, so no such line reaches it), whose
  ``ticket`` is text or a whole number
  and whose ``at``, ``event``, ``priority``, ``status`` and ``by`` are text, ``null`` or
  missing (``null`` and missing are one to both readers);
- no key is given twice, nested ones included: pyarrow refuses such a line itself
  ("Column(/at) was specified twice"), as the Python reader does.

Without pyarrow, :data:`arrow_columns` is ``None`` and every chunk goes the Python way.

>>> if arrow_columns is not None:
...     tickets, ats, distinct, _ = arrow_columns(['{"ticket": 7, "at": "2026-11-23 14:00", '
...                                                '"event": "opened", "priority": "P1"}'])
...     assert (tickets, distinct[0]) == (['7'], ['7'])
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["ArrowColumns", "Encoded", "arrow_columns"]

#: Distinct values and, per line, the index of its value among them.
Encoded = tuple[list[Any], npt.NDArray[np.int64]]
#: ``(tickets, ats, tickets encoded, (event, priority, status, by) encoded)``.
ArrowColumns = tuple[list[Any], list[Any], Encoded, Encoded]
_TEXT_FIELDS = ("at", "event", "priority", "status", "by")


#: Braces and brackets a chunk may hold beyond its lines' own before pyarrow is not asked:
#: it overflows its stack on a value nested some 20,000 deep (Python's json refuses 1,000).
_MOST_NESTING = 1_000
#: A whole number this long is an error to Python's json (and ``inf`` to pyarrow).
_LONG_NUMBER = re.compile(rb"[0-9]{4300}")
#: pyarrow reads a block of at most this many bytes.
_MOST_BYTES = 2**31 - 2


def _plain_enough(data: bytes, lines: int) -> bool:
    """Whether pyarrow may read ``data``: not too big, not deeply nested, no huge number."""
    if len(data) > _MOST_BYTES:
        return False
    if data.count(b"{") + data.count(b"[") > lines + _MOST_NESTING:
        return False
    return _LONG_NUMBER.search(data) is None


def _reader() -> Callable[[list[str]], ArrowColumns | None] | None:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # (pyarrow ships no type hints)
        import pyarrow.compute as pc  # type: ignore[import-untyped]  # (no type hints)
        import pyarrow.json as pa_json  # type: ignore[import-untyped]  # (no type hints)
    except ImportError:
        return None
    schema = pa.schema([(name, pa.string()) for name in _TEXT_FIELDS])
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer")
    pool = pa.system_memory_pool()  # memory goes back to the system as chunks go

    def encoded(column: Any) -> tuple[list[Any], npt.NDArray[np.int64]]:
        codes = pc.dictionary_encode(column.combine_chunks(), memory_pool=pool)
        indices = codes.indices.fill_null(-1)
        return codes.dictionary.to_pylist(), indices.to_numpy(zero_copy_only=False).astype(np.int64)

    def columns(texts: list[str]) -> ArrowColumns | None:
        # Only lines that look like one object each: pyarrow reads a line "null" as a row of
        # nulls, and crashes on a chunk that is that line alone.
        if not all(text[0] == "{" and text[-1] == "}" for text in texts):
            return None
        try:
            data = "\n".join(texts).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: pyarrow would not check it
            return None
        if not _plain_enough(data, len(texts)):
            return None
        read = pa_json.ReadOptions(use_threads=False, block_size=max(1 << 20, len(data) + 1))
        try:
            table = pa_json.read_json(
                io.BytesIO(data), read_options=read, parse_options=options, memory_pool=pool
            )
        except (pa.ArrowException, UnicodeError, OverflowError, ValueError):
            return None
        if table.num_rows != len(texts) or "ticket" not in table.column_names:
            return None
        ticket = table.column("ticket")
        if pa.types.is_integer(ticket.type):
            ticket = pc.cast(ticket, pa.string(), memory_pool=pool)  # as str() writes it
        elif not pa.types.is_string(ticket.type):
            return None
        parts = [encoded(table.column(name)) for name in _TEXT_FIELDS[1:]]
        keys = _combined(parts)
        return ticket.to_pylist(), table.column("at").to_pylist(), encoded(ticket), keys

    return columns


def _combined(parts: list[tuple[list[Any], npt.NDArray[np.int64]]]) -> Encoded:
    """The distinct ``(event, priority, status, by)`` tuples of a chunk and each line's.

    Each line's four indices (``-1`` for a missing value) are one mixed-radix number, so
    one 1-D ``numpy.unique`` finds the distinct tuples.
    """
    key = np.zeros(parts[0][1].shape[0], dtype=np.int64)
    radices = [len(values) + 1 for values, _ in parts]
    if np.prod(np.array(radices, dtype=np.float64)) >= 2.0**62:  # too many: one by one
        rows = np.stack([indices for _, indices in parts], axis=1)
        distinct_rows, inverse = np.unique(rows, axis=0, return_inverse=True)
        return _tuples(parts, distinct_rows.tolist()), inverse.reshape(-1).astype(np.int64)
    for radix, (_, indices) in zip(radices, parts, strict=True):
        key = key * radix + (indices + 1)
    distinct_keys, inverse = np.unique(key, return_inverse=True)
    rows_of: list[list[int]] = []
    for number in distinct_keys.tolist():
        digits = []
        for radix in reversed(radices):
            number, digit = divmod(number, radix)
            digits.append(digit - 1)
        rows_of.append(digits[::-1])
    return _tuples(parts, rows_of), inverse.reshape(-1).astype(np.int64)


def _tuples(
    parts: list[tuple[list[Any], npt.NDArray[np.int64]]], rows: list[list[int]]
) -> list[tuple[Any, ...]]:
    return [
        tuple(None if i < 0 else values[i] for (values, _), i in zip(parts, row, strict=True))
        for row in rows
    ]


#: Parse a chunk's lines with pyarrow, or ``None`` (then: the Python reader); ``None`` when
#: pyarrow is not installed.
arrow_columns = _reader()
