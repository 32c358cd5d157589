"""A reader or writer thread of ``batch``, waited for to its end whatever interrupts the wait.

``batch`` reads and writes Arrow files on threads of their own (:mod:`._prefetch`,
:mod:`._arrow_writer`). A second Ctrl-C (or a stop signal) while the run waits for such a
thread must not cut the wait short: the file would be closed, or the interpreter would
exit, while the thread is still inside pyarrow, which can crash the process and leave the
temporary output file behind. :meth:`Worker.finish` goes on waiting, asks the thread to
hurry, and raises the interruption once the thread has ended; a thread that does not end
within ``patience`` seconds of it (blocked on a pipe nobody reads), or of the start of the
wait when the run is already unwinding, is left to the process's exit.

The wait polls an event the thread sets as it ends, rather than ``Thread.join``: on Python
3.11 a ``join`` interrupted by Ctrl-C marks the thread as ended while it still runs
(bpo-45274's fix releases the running thread's lock).

>>> worker = Worker(lambda: None, "example")
>>> worker.finish()
>>> worker.running
False
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["PATIENCE", "Worker"]

#: Seconds a thread is still waited for after an interruption.
PATIENCE = 10.0
_POLL = 0.002


class Worker:
    """Runs ``target`` on a daemon thread of its own, started at once."""

    def __init__(self, target: Callable[[], None], name: str) -> None:
        self._target = target
        self._ended = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._target()
        finally:
            self._ended.set()

    @property
    def running(self) -> bool:
        """Whether ``target`` has not returned yet."""
        return not self._ended.is_set()

    def finish(
        self,
        end: Callable[[], None] | None = None,
        hurry: Callable[[], None] | None = None,
        patience: float = PATIENCE,
        *,
        unwinding: bool = False,
    ) -> None:
        """Tell the thread to end, and wait until it has, through interruptions.

        Args:
            end: tells the thread to end (called again if interrupted: it must be
                idempotent).
            hurry: called at each interruption, to make the thread end sooner.
            patience: seconds to go on waiting after the first interruption, or at all
                when ``unwinding``.
            unwinding: the caller is already leaving on an error or an interruption, which
                goes on: a further interruption is not raised (it only hurries the thread).

        Raises:
            BaseException: the first interruption (``KeyboardInterrupt``, a stop signal),
                once the thread has ended, unless ``unwinding``.
        """
        caught: BaseException | None = None
        deadline = time.monotonic() + patience if unwinding else None
        told = end is None
        while True:
            try:
                if not told and end is not None:
                    end()
                    told = True
                while self.running and (deadline is None or time.monotonic() < deadline):
                    time.sleep(_POLL)
                break
            except BaseException as exc:  # a second Ctrl-C or stop signal: wait, then raise it
                caught = exc if caught is None else caught
                if deadline is None:
                    deadline = time.monotonic() + patience
                if hurry is not None:
                    hurry()
        if caught is not None and not unwinding:
            raise caught
