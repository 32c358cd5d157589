r"""A plain CSV file of tickets read and written by pyarrow (``sla-clock[arrow]``).

A file is *plain* when every line is one record that the ``csv`` module and pyarrow can only
read one way: UTF-8 without a byte order mark, no quote character, no NUL, no ``\r`` but in
``\r\n``, no blank line, and as many delimiters on every line as in the header. Its fields
are then the texts between the delimiters, whichever reader splits them, and line ``n`` is
data row ``n - 1``. :func:`plain_path` checks this on the file's bytes, with NumPy, before a
row is read; such a file's rows then go through pyarrow's CSV reader, the same checks and
computation as every other row (:func:`~sla_clock.batch._rows.compute`), and pyarrow's CSV
writer, which writes each field back as it was (nothing needs quoting), then the status
columns, built as Arrow texts (:class:`~sla_clock.batch._texts.Cells`). Any other file goes
through the ``csv`` module, record by record. A test keeps the two ways byte for byte equal.
"""

from __future__ import annotations

import codecs
import csv
import importlib.util
import io
import os
import stat
from collections.abc import Iterator
from typing import Any, NamedTuple, TextIO

import numpy as np

from .._clock import STATE_CODES
from ..errors import TicketError
from ._arrow_arrays import from_numpy, texts_array
from ._arrow_columns import batch_chunk, exactly, readable
from ._arrow_writer import Background
from ._csv import Chunk, CsvInput
from ._lines import MAX_LINE
from ._prefetch import prefetched
from ._rows import Context
from ._texts import iso_cells, seconds_cells
from ._times import Times

__all__ = ["Plain", "PlainWriter", "plain_chunks", "plain_path"]

_BLOCK = 1 << 20
_BOM = b"\xef\xbb\xbf"


def plain_path(reader: TextIO, source: CsvInput, out: TextIO) -> Plain | None:
    """``reader``'s file when it is plain and pyarrow is installed, else ``None``.

    ``reader`` must be a regular file read from its start (its header only); its bytes are
    read again from its own descriptor (:class:`_Snapshot`), never by its name, which may
    name another file (``<stdin>``) or one moved there since. ``out`` must be a UTF-8 text
    stream over bytes (``out.buffer``) for pyarrow to write to. A line longer than the
    ``csv`` module's field limit or :data:`~._lines.MAX_LINE` leaves the file to the ``csv``
    module, which words the error of a field or line too long.
    """
    out_encoding = str(getattr(out, "encoding", "")).lower().replace("_", "-")
    if getattr(out, "buffer", None) is None or out_encoding not in ("utf-8", "utf8"):
        return None
    encoding = str(getattr(reader, "encoding", "")).lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8", "utf-8-sig") or not hasattr(os, "pread"):
        return None
    try:
        fd = reader.fileno()
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            return None  # a pipe or a device: read once, by the csv module
        size = found.st_size
        lines = _is_plain(_Snapshot(fd, size), source.delimiter.encode(), len(source.header))
    except (OSError, ValueError):  # (a stream without a file: io.UnsupportedOperation)
        return None
    if lines is None or lines[0] > min(MAX_LINE, csv.field_size_limit()):
        return None
    if importlib.util.find_spec("pyarrow") is None:  # (not imported yet)
        return None
    return Plain(fd, lines[0], size // lines[1], size)


class Plain(NamedTuple):
    """A plain CSV file: its descriptor; its longest line, the mean one and its size in bytes."""

    fd: int
    longest: int
    mean: int
    size: int

    def block(self, rows: int) -> int:
        """The bytes pyarrow reads at a time for about ``rows`` rows a batch (whole lines)."""
        return max(2 * self.longest, min(max(rows * self.mean, 1 << 20), 1 << 26))


class _Snapshot(io.RawIOBase):
    """The first ``size`` bytes of the open file ``fd``, read at their offsets (``pread``).

    The bytes checked are the bytes read, from the file the caller opened: neither the
    file's offset (the caller's) nor its name is used.
    """

    def __init__(self, fd: int, size: int) -> None:
        super().__init__()
        self._fd, self._at, self._left = fd, 0, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self._left)
        if wanted <= 0:
            return 0
        data = os.pread(self._fd, wanted, self._at)
        buffer[: len(data)] = data
        self._at += len(data)
        self._left -= len(data)
        return len(data)


def _is_plain(
    data: io.BufferedReader | Any, delimiter: bytes, width: int
) -> tuple[int, int] | None:
    """The longest line of ``data`` in bytes and its lines, or ``None`` when it is not plain.

    Plain: ``width`` fields on every line, and at least one record after the header.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    code = np.uint8(delimiter[0])
    carried = 0  # delimiters of the line not ended at the end of the block before
    previous = b"\n"  # the byte before the block (the file starts as after a line break)
    first = True
    carried_cr = False
    records = longest = 0
    position = 0  # of the block in the file, after \r\n became \n
    line_start = 0  # where the line not ended yet starts
    while block := data.read(_BLOCK):
        if first and block.startswith(_BOM):
            return None
        first = False
        try:
            decoder.decode(block)
        except UnicodeDecodeError:
            return None
        if b'"' in block or b"\x00" in block or len(delimiter) != 1:
            return None
        if carried_cr and not block.startswith(b"\n"):
            return None  # a \r alone, at the end of the block before
        carried_cr = block.endswith(b"\r")
        if block.count(b"\r") != block.count(b"\r\n") + carried_cr:
            return None
        text = block.replace(b"\r\n", b"\n")
        if (text.startswith(b"\n") and previous == b"\n") or b"\n\n" in text:
            return None  # a blank line
        previous = text[-1:]
        seen = np.frombuffer(text, dtype=np.uint8)
        ends = np.flatnonzero(seen == 10)
        if len(ends):
            starts = np.concatenate(([line_start - position], ends[:-1] + 1))
            longest = max(longest, int((ends - starts).max()))
            line_start = position + int(ends[-1]) + 1
            records += len(ends)
        position += len(text)
        delimiters = np.flatnonzero(seen == code)
        if len(ends):  # the delimiters of each line ended in the block
            before = np.searchsorted(delimiters, ends)
            per_line = np.diff(np.concatenate(([0], before)))
            per_line[0] += carried
            if (per_line != width - 1).any():
                return None
            carried = len(delimiters) - int(before[-1])
        else:
            carried += len(delimiters)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    if carried_cr:
        return None
    if previous != b"\n":  # the last line has no line break
        if carried != width - 1:
            return None
        records += 1
        longest = max(longest, position - line_start)
    return (longest + 2, records) if records >= 2 else None


def plain_chunks(
    plain: Plain, source: CsvInput, ctx: Context, size: int
) -> Iterator[tuple[Chunk, Times, Times, Any]]:
    """The records of a plain file, as chunks with their instants read and their Arrow batch."""
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # (no type hints)
    import pyarrow.csv as pa_csv  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

    names = [f"f{k}" for k in range(len(source.header))]
    read = pa_csv.ReadOptions(
        block_size=plain.block(size), skip_rows=1, column_names=names, use_threads=False
    )
    parse = pa_csv.ParseOptions(delimiter=source.delimiter, quote_char=False)
    types = {name: pa.string() for name in names}
    convert = pa_csv.ConvertOptions(column_types=types, strings_can_be_null=False)
    line = 2  # the header is line 1, and every line after it one record
    pool = pa.system_memory_pool()  # memory goes back to the system as batches go

    def read_all() -> Iterator[Any]:
        try:
            yield from pa_csv.open_csv(_input(plain, pa), read, parse, convert, pool)
        except pa.ArrowException:
            _unchanged(plain, ctx.name)  # (rows added since the check: that is the error)
            raise
        _unchanged(plain, ctx.name)

    batches = prefetched(read_all())  # (open_csv's errors too go through readable)
    for batch in exactly(readable(batches, ctx.name, "csv"), size, pool):
        chunk, opened, resolved = batch_chunk(batch, line, source.columns, ctx)
        line += batch.num_rows
        yield chunk, opened, resolved, batch


def _input(plain: Plain, pa: Any) -> Any:
    """What pyarrow reads: the file of ``plain.fd``, never its name.

    On Linux ``/proc/self/fd/<fd>`` opens that very file (a native pyarrow file, which
    keeps some 20 MB less than a Python one on a million rows); elsewhere its checked bytes
    are read through :class:`_Snapshot`.
    """
    own = f"/proc/self/fd/{plain.fd}"
    try:
        if os.path.samestat(os.stat(own), os.fstat(plain.fd)):
            return pa.OSFile(own)
    except OSError:
        pass
    return _Snapshot(plain.fd, plain.size)


def _unchanged(plain: Plain, name: str) -> None:
    """Refuse a file whose size changed since it was checked (rows added or cut)."""
    now = os.fstat(plain.fd).st_size
    if now != plain.size:
        msg = (
            f"{name} changed while it was read ({plain.size:,} bytes when the run began, "
            f"{now:,} now); run batch again on a file that is not being written"
        )
        raise TicketError(msg)


class PlainWriter:
    """Writes the good rows of plain batches, each field as read, then the status columns.

    The texts are built here; pyarrow writes them out on a thread of its own
    (:class:`~sla_clock.batch._arrow_writer.Background`). :meth:`close` waits for it.
    """

    def __init__(self, out: TextIO, delimiter: str, ctx: Context) -> None:
        import pyarrow.csv as pa_csv  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        self.out, self.ctx = out, ctx
        self._options = pa_csv.WriteOptions(
            include_header=False, delimiter=delimiter, quoting_style="none"
        )
        self._states = texts_array(STATE_CODES)
        out.flush()  # the header, written as text before
        self._background = Background(self._write_table)

    def write(self, batch: Any, good: list[int], status: Any) -> None:
        """Write the rows ``good`` of ``batch`` with their ``status`` columns."""
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        if not good:
            return
        if len(good) != batch.num_rows:
            batch = batch.take(from_numpy(np.asarray(good, dtype=np.int64), pa.int64()))
        calendar = self.ctx.calendar
        state = pa.DictionaryArray.from_arrays(
            from_numpy(status.state_code.astype(np.int8), pa.int8()), self._states
        ).cast(pa.string())
        added = [
            iso_cells(calendar, status.due, narrow=True).arrow(),
            iso_cells(calendar, status.breach, narrow=True).arrow(),
            seconds_cells(status.used, narrow=True).arrow(),
            seconds_cells(status.remaining, narrow=True).arrow(),
            state,
            from_numpy(status.escalation_level.astype(np.int16), pa.int16()),
        ]
        names = [*batch.schema.names, *(f"s{k}" for k in range(len(added)))]
        self._background.put(pa.RecordBatch.from_arrays([*batch.columns, *added], names=names))

    def _write_table(self, table: Any) -> None:
        import pyarrow.csv as pa_csv  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        sink = io.BytesIO()
        pa_csv.write_csv(table, sink, self._options)
        self.out.buffer.write(sink.getvalue())

    def close(self, *, finish: bool = True) -> None:
        """Wait until every row is written (raising the writer's failure, if any).

        Without ``finish`` (an interrupted run), only the rows being written are waited for.
        """
        self._background.close(finish=finish)
