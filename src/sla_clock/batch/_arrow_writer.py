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

from ._threads import Worker

__all__ = ["ArrowWriter", "Background"]

#: How many batches may wait for the writer thread.
_AHEAD = 2
_DONE = object()


def _named_priority(name: str) -> bool:
    return name == "priority"


class Background:
    """Calls ``work`` on each item handed to :meth:`put`, in order, on a thread of its own."""

    def __init__(self, work: Callable[[Any], None]) -> None:
        self._work = work
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=_AHEAD)
        self._failure: BaseException | None = None
        self._closed = threading.Event()  # no more items come
        self._hurried = False  # the items left are dropped
        self._worker = Worker(self._run, "sla-clock writer")

    def put(self, item: Any) -> None:
        """Hand ``item`` over (waiting while :data:`_AHEAD` items wait); raise a failure."""
        self._raise_failure()
        self._queue.put(item)

    @property
    def running(self) -> bool:
        """Whether the thread still runs (after :meth:`close`: it would not end in time)."""
        return self._worker.running

    def close(self, *, finish: bool = True) -> None:
        """Wait until the thread has ended (see :meth:`._threads.Worker.finish`).

        With ``finish`` every item handed over is done first, and the first failure of
        ``work`` is raised; without (the run was interrupted), the items still waiting are
        dropped and only the one being done is waited for.
        """

        def end() -> None:
            if not finish:
                self._hurry()
            self._closed.set()

        self._worker.finish(end, self._hurry, unwinding=not finish)
        if finish:
            self._raise_failure()

    def _hurry(self) -> None:
        self._hurried = True

    def _run(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=0.05)
            except queue.Empty:
                if self._closed.is_set() and self._queue.empty():  # (no put after closing)
                    return
                continue
            if self._failure is None and not self._hurried:
                try:
                    self._work(item)
                except BaseException as exc:
                    self._failure = exc

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure


class ArrowWriter:
    """Writes record batches to a binary stream as Parquet or Arrow IPC (a file)."""

    def __init__(
        self, sink: Any, file_format: str, is_priority: Callable[[str], bool] = _named_priority
    ) -> None:
        self.sink, self.format = sink, file_format
        self._is_priority = is_priority
        self._writer: Any = None
        self._background: Background | None = None

    def __enter__(self) -> ArrowWriter:
        return self

    def write(self, batch: Any) -> None:
        """Hand one batch to the writer thread (the first one sets the file's schema)."""
        if self._background is None:
            self._writer = self._open(batch.schema)
            self._background = Background(self._writer.write_batch)
        self._background.put(batch)

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

    def __exit__(self, kind: object, exc: BaseException | None, trace: object) -> None:
        """Finish the file; after an interruption, stop at the batch being written.

        The file is closed only once the thread has let go of it.
        """
        if self._background is None:
            return
        finish = exc is None or isinstance(exc, Exception)  # not Ctrl-C or a stop signal
        try:
            self._background.close(finish=finish)
        finally:
            if not self._background.running:
                self._writer.close()
