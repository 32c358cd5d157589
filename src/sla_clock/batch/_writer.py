"""Tickets written back with their statuses, chunk by chunk, as CSV or JSON Lines.

Every input column is kept, followed by :data:`~sla_clock.batch._rows.OUTPUT_COLUMNS`
(an input column of the same name is replaced). CSV to CSV copies each row's raw text when
it can and appends the new cells; JSON Lines to JSON Lines splices them into each line as it
was read. A CSV made from JSON Lines has a column for every key of the file, in the order
they are first seen (:meth:`~sla_clock.batch._jsonl.JsonlInput.read_keys`, a first pass
before the header is written), an empty cell where a row lacks the key; pauses given as a JSON list
are written as ``start/end;...`` text.
"""

from __future__ import annotations

import csv
import json
from json.encoder import encode_basestring
from typing import Any, TextIO

from ..errors import TicketError
from ._csv import Chunk, CsvInput, Format
from ._jsonl import JsonlInput
from ._pauses import pauses_of
from ._rows import OUTPUT_COLUMNS, Statuses

__all__ = ["Writer"]


def _cell(value: Any) -> str:
    """Write a JSON value into a CSV cell: text as is, ``null`` empty, others as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False)


def _pauses_cell(value: Any) -> str:
    """Write a JSON ``pauses`` value as the CSV ``start/end;...`` text when it is one."""
    pauses = pauses_of(value)
    if isinstance(pauses, str):
        return _cell(value)
    return ";".join(f"{p.start}/{p.end or ''}" for p in pauses)


class Writer:
    """Writes the header and the good rows of each chunk in the output format."""

    def __init__(self, out: TextIO, output_format: Format, source: CsvInput | JsonlInput) -> None:
        self.out = out
        self.format = output_format
        self.source = source if isinstance(source, CsvInput) else None
        self.delimiter = source.delimiter if isinstance(source, CsvInput) else ","
        self.keep: list[int] = []
        self.passthrough = False
        self.keys: list[str] = []
        #: The CSV columns of a JSON Lines input: its keys (the status keys apart).
        self.names: list[str] = []
        #: The JSON keys of the pauses field, written as CSV ``start/end;...`` text.
        self.pauses: set[str] = set()
        if isinstance(source, JsonlInput) and output_format == "csv":
            self.names = [key for key in source.read_keys() if key not in OUTPUT_COLUMNS]
            self.pauses = {key for key in self.names if source.columns.field(key) == "pauses"}
            self._header(self.names)
        if isinstance(source, CsvInput):
            header = source.header
            self.keep = [i for i, name in enumerate(header) if name not in OUTPUT_COLUMNS]
            self.passthrough = len(self.keep) == len(header)
            self.keys = [encode_basestring(header[i]) + ": " for i in self.keep]
            names = [header[i] for i in self.keep]
            twice = sorted({name for name in names if names.count(name) > 1})
            if output_format == "jsonl" and twice:
                msg = (
                    f"column {twice[0]!r} appears twice in the header, and a JSON object "
                    "cannot have a key twice; rename one, or write CSV"
                )
                raise TicketError(msg)
            if output_format == "csv":
                self._header([header[i] for i in self.keep], header_raw=source.header_raw)

    def _header(self, names: list[str], header_raw: str | None = None) -> None:
        if header_raw is not None and self.passthrough:
            line = header_raw + self.delimiter + self.delimiter.join(OUTPUT_COLUMNS)
            self.out.write(line + "\n")
            return
        writer = csv.writer(self.out, delimiter=self.delimiter, lineterminator="\n")
        writer.writerow([*names, *OUTPUT_COLUMNS])

    def write(self, chunk: Chunk, statuses: Statuses) -> None:
        """Write the good rows of ``chunk`` with their status columns."""
        rows, columns = statuses
        if self.format == "jsonl":
            self._jsonl(chunk, rows, columns)
        elif self.source is not None:
            self._csv_from_csv(chunk, rows, columns)
        else:
            self._csv_from_jsonl(chunk, rows, columns)

    def _csv_from_csv(self, chunk: Chunk, rows: list[int], columns: list[list[str]]) -> None:
        sep = self.delimiter
        if self.passthrough:
            raw = chunk.raw
            lines = raw if len(rows) == len(raw) else [raw[row] for row in rows]
            if lines:  # each line as it came in, then its status columns
                self.out.write("\n".join(map(sep.join, zip(lines, *columns, strict=True))) + "\n")
            return
        keep, values = self.keep, chunk.values
        writer = csv.writer(self.out, delimiter=sep, lineterminator="\n")
        writer.writerows(
            [*(values[row][i] for i in keep), *extra]
            for row, extra in zip(rows, zip(*columns, strict=True), strict=True)
        )

    def _csv_from_jsonl(self, chunk: Chunk, rows: list[int], columns: list[list[str]]) -> None:
        names, pauses = self.names, self.pauses
        writer = csv.writer(self.out, delimiter=",", lineterminator="\n")
        out_rows = []
        for row, extra in zip(rows, zip(*columns, strict=True), strict=True):
            obj = chunk.values[row]
            cells = [_pauses_cell(obj.get(k)) if k in pauses else _cell(obj.get(k)) for k in names]
            out_rows.append([*cells, *extra])
        writer.writerows(out_rows)

    def _jsonl(self, chunk: Chunk, rows: list[int], columns: list[list[str]]) -> None:
        due, breach, used, remaining, state, level = columns
        suffixes = [
            f'"due_at": "{a}", "breach_at": "{b}", "used_seconds": {u}, '
            f'"remaining_seconds": {r}, "state": "{s}", "escalation_level": {lv}}}\n'
            for a, b, u, r, s, lv in zip(due, breach, used, remaining, state, level, strict=True)
        ]
        lines: list[str] = []
        if self.source is not None:  # CSV in: build each object from the header's keys
            keys, keep = self.keys, self.keep
            for row, suffix in zip(rows, suffixes, strict=True):
                record = chunk.values[row]
                fields = ", ".join(
                    [keys[j] + encode_basestring(record[i]) for j, i in enumerate(keep)]
                )
                lines.append("{" + fields + (", " if fields else "") + suffix)
        elif set().union(*map(dict.keys, chunk.values)).isdisjoint(OUTPUT_COLUMNS):
            # JSON in: splice the status into each line as it was (a good row is never {}).
            raw = chunk.raw
            lines = [
                raw[row][:-1] + ", " + suffix for row, suffix in zip(rows, suffixes, strict=True)
            ]
        else:  # JSON with status keys already (an earlier output): replace them
            for row, suffix in zip(rows, suffixes, strict=True):
                kept = {k: v for k, v in chunk.values[row].items() if k not in OUTPUT_COLUMNS}
                head = json.dumps(kept, ensure_ascii=False)[:-1]
                lines.append(head + (", " if kept else "") + suffix)
        self.out.writelines(lines)
