"""Record batches written to a Parquet or Arrow IPC file, on a thread of their own.

Encoding and compressing a batch (pyarrow, which lets go of the GIL meanwhile) takes a
quarter of a ``batch`` run on a million tickets; on a thread of its own it runs while the
next batch is computed. At most :data:`_AHEAD` batches wait for it, so the memory stays
bounded; a failure of the writer (a full disk) is raised by the next :meth:`ArrowWriter.write`
or at the end, and the end waits until every batch is written.

The Parquet file keeps dictionary pages and statistics (min and max per row group, which
query engines use to skip row groups) for the columns a query filters on: the priority, the
state, and every column of times, durations or numbers; texts such as ids or pauses are
written plainly.

>>> import io
>>> import pyarrow as pa
>>> sink = io.BytesIO()
>>> with ArrowWriter(sink, "arrow") as out:
...     out.write(pa.record_batch({"state": ["met"]}))
>>> pa.ipc.open_file(sink.getvalue()).read_all().num_rows
1
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["ArrowWriter"]

#: How many batches may wait for the writer thread.
_AHEAD = 2
_DONE = object()


def _named_priority(name: str) -> bool:
    return name == "priority"


class ArrowWriter:
    """Writes record batches to a binary stream as Parquet or Arrow IPC (a file)."""

    def __init__(
        self, sink: Any, file_format: str, is_priority: Callable[[str], bool] = _named_priority
    ) -> None:
        self.sink, self.format = sink, file_format
        self._is_priority = is_priority
        self._writer: Any = None
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=_AHEAD)
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def __enter__(self) -> ArrowWriter:
        return self

    def write(self, batch: Any) -> None:
        """Hand one batch to the writer thread (the first one sets the file's schema)."""
        self._raise_failure()
        if self._thread is None:
            self._writer = self._open(batch.schema)
            self._thread = threading.Thread(target=self._run, name="sla-clock writer", daemon=True)
            self._thread.start()
        self._queue.put(batch)

    def _open(self, schema: Any) -> Any:
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        if self.format != "parquet":
            return pa.ipc.new_file(self.sink, schema)
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        def filtered(field: Any) -> bool:
            kind = field.type
            if pa.types.is_dictionary(kind) or self._is_priority(field.name):
                return True
            return not (pa.types.is_string(kind) or pa.types.is_large_string(kind))

        names = [field.name for field in schema if filtered(field)]
        return pq.ParquetWriter(self.sink, schema, use_dictionary=names, write_statistics=names)

    def _run(self) -> None:
        while (batch := self._queue.get()) is not _DONE:
            if self._failure is None:
                try:
                    self._writer.write_batch(batch)
                except BaseException as exc:
                    self._failure = exc

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._queue.put(_DONE)
            self._thread.join()
            self._writer.close()
        self._raise_failure()
