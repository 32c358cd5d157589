"""What a batch run tells its user while it runs: skipped rows, warnings, a progress line.

Everything goes to one report stream (stderr in the command). The progress line, rewritten
in place and shown only on a terminal, is cleared before each message so the two never mix.
"""

from __future__ import annotations

import time
from typing import TextIO

from .._version import PROG

__all__ = ["Report"]


class Report:
    """Writes bad rows and the progress line on the report stream (stderr in the CLI)."""

    def __init__(
        self, name: str, stream: TextIO | None, progress: TextIO | None, size: int | None
    ) -> None:
        self.name = name
        self.stream = stream
        self.progress = progress
        self.size = size
        self.shown = 0
        self.last = 0.0

    def _clear(self) -> None:
        if self.progress is not None and self.shown:
            self.progress.write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def line(self, text: str) -> None:
        """Write one line, clearing the progress line first."""
        if self.stream is not None:
            self._clear()
            self.stream.write(text + "\n")

    def tick(self, rows: int, position: int | None, *, final: bool = False) -> None:
        """Show how many rows are done (and how much of the file), at most 5 times a second."""
        if self.progress is None:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.2:
            return
        self.last = now
        text = f"{PROG} batch: {rows:,} rows"
        if self.size and position is not None:
            text += f" ({min(100, 100 * position // self.size)} %)"
        padding = " " * max(0, self.shown - len(text))
        self.progress.write("\r" + text + padding)
        self.progress.flush()
        self.shown = len(text)

    def done(self) -> None:
        """Remove the progress line."""
        self._clear()
        if self.progress is not None:
            self.progress.flush()
