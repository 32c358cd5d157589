"""An iterator run ahead on a thread of its own, a bounded number of items at a time.

Reading and decoding a Parquet or Arrow file is pyarrow's work, done without the GIL: on a
thread of its own it runs while the batch before is computed. At most ``ahead`` items wait;
an error of the iterator is raised where the item would have come, and stopping early (an
error, an interrupt) stops the thread at its next item.

>>> list(prefetched(iter(range(5))))
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

from ._threads import Worker

__all__ = ["prefetched"]

T = TypeVar("T")
_END = object()


def prefetched(items: Iterator[T], ahead: int = 2) -> Iterator[T]:
    """Yield the items of ``items``, computed on a thread up to ``ahead`` items ahead."""
    waiting: queue.Queue[object] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def hand(item: object) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def run() -> None:
        try:
            for item in items:
                if not hand(item):
                    return
        except BaseException as exc:
            hand(_Failure(exc))
            return
        hand(_END)

    worker = Worker(run, "sla-clock reader")
    leaving = True  # early: closed by the consumer, or an error of the iterator
    try:
        while (item := waiting.get()) is not _END:
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]  # (only items and the two markers are queued)
        leaving = False
    finally:  # the thread never left inside pyarrow as the file closes
        worker.finish(stop.set, stop.set, unwinding=leaving)


class _Failure:
    """An error of the iterator, carried to the consumer."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
