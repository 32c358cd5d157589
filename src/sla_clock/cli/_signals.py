"""Stop signals during ``sla-clock batch``: SIGTERM and SIGHUP unwind the run as Ctrl-C does.

While :func:`stop_signals` lasts, SIGTERM and SIGHUP raise :class:`Stopped`, which unwinds
the run through its ``finally`` blocks (the temporary output file is removed) up to the
command, which exits with 128 + the signal. SIGINT arrives as ``KeyboardInterrupt``, as in
Python. The first stop holds the others until the run has unwound: a second Ctrl-C does
not cut the cleanup short.
:func:`hold_stops` makes the cleanup itself safe from a second signal. A signal the caller
chose to ignore (``nohup`` ignores SIGHUP) stays ignored; outside the main thread, where
handlers cannot be set, nothing changes.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["STOP_SIGNALS", "Stopped", "held", "hold_stops", "stop_signals"]

#: The signals that stop a run cleanly (temporary file removed), exiting with 128 + signal.
#: SIGINT comes as KeyboardInterrupt; the others are caught while the run lasts.
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class Stopped(BaseException):
    """A stop signal came: unwind the run (cleaning up) and exit with 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _numbers() -> list[int]:
    """Return the numbers of :data:`STOP_SIGNALS` this platform has."""
    return [getattr(signal, name) for name in STOP_SIGNALS if hasattr(signal, name)]


def _stop(signum: int, frame: FrameType | None) -> None:
    """Unwind the run; one stop is enough, so further ones are ignored while it unwinds."""
    hold_stops()
    raise Stopped(signum)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C: unwind the run as Python does, and hold further stops while it unwinds.

    A second Ctrl-C raised while the run closes its files (and waits for the threads that
    write them) would cut that short, leaving a temporary file or a thread inside pyarrow.
    """
    hold_stops()
    raise KeyboardInterrupt


def hold_stops() -> None:
    """Hold the stop signals that :func:`stop_signals` handles (for the cleanup).

    SIGINT is held too, while Python's own handler (``KeyboardInterrupt``) is in place.
    The handlers come back when :func:`stop_signals` ends.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for number in _numbers():
        if signal.getsignal(number) in (_stop, _interrupt, signal.default_int_handler):
            signal.signal(number, held)


def held(signum: int, frame: FrameType | None) -> None:
    """A stop held by :func:`hold_stops`: nothing happens.

    A handler that does nothing rather than ``SIG_IGN``: a signal that came just before
    (its Python handler not run yet) would otherwise print "Signal 15 ignored due to race
    condition" with a traceback.
    """


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """While the run lasts, make SIGTERM and SIGHUP unwind it as Ctrl-C does."""
    previous: dict[int, signal._HANDLER] = {}
    if threading.current_thread() is threading.main_thread():
        for number in _numbers():
            previous[number] = signal.getsignal(number)
            if number != signal.SIGINT and previous[number] == signal.SIG_DFL:
                signal.signal(number, _stop)
            elif number == signal.SIGINT and previous[number] == signal.default_int_handler:
                signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
