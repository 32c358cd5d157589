"""Stop signals during ``sla-clock batch``: SIGTERM and SIGHUP unwind the run as Ctrl-C does.

While :func:`stop_signals` lasts, SIGTERM and SIGHUP raise :class:`Stopped`, which unwinds
the run through its ``finally`` blocks (the temporary output file is removed) up to the
command, which exits with 128 + the signal. SIGINT already arrives as ``KeyboardInterrupt``.
A signal the caller chose to ignore (``nohup`` ignores SIGHUP) stays ignored; outside the
main thread, where handlers cannot be set, nothing changes.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["STOP_SIGNALS", "Stopped", "stop_signals"]

#: The signals that stop a run cleanly (temporary file removed), exiting with 128 + signal.
#: SIGINT comes as KeyboardInterrupt; the others are caught while the run lasts.
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class Stopped(BaseException):
    """A stop signal came: unwind the run (cleaning up) and exit with 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    for name in STOP_SIGNALS[1:]:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is _stop:
            signal.signal(number, signal.SIG_IGN)  # one stop is enough: let the cleanup run
    raise Stopped(signum)


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """While the run lasts, make SIGTERM and SIGHUP unwind it as Ctrl-C does.

    A signal someone chose to ignore (``nohup`` ignores SIGHUP) stays ignored; outside the
    main thread, where handlers cannot be set, nothing changes.
    """
    previous: dict[int, signal._HANDLER] = {}
    if threading.current_thread() is threading.main_thread():
        for name in STOP_SIGNALS[1:]:
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) == signal.SIG_DFL:
                previous[number] = signal.signal(number, _stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
