"""What ``sla-clock batch`` says on stderr: its progress line and its summary line.

The summary counts the rows read, written and skipped (and the pauses clipped), and says
what became of the output; the progress stream knows whether a progress line is showing,
so an error after it starts on a line of its own and none leaves a blank line.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime
from typing import TextIO, cast

from ..batch._pipeline import BatchSummary
from ._batch_args import Progress
from ._output import Output
from ._plumbing import PROG

__all__ = ["end_line", "progress_stream", "summary_line"]


def _counts(summary: BatchSummary) -> str:
    """Return the counts of the summary line: one entry per count, easy to extend."""
    rows = "row" if summary.rows_in == 1 else "rows"
    if summary.events:
        rows = "event" if summary.rows_in == 1 else "events"
    parts = [
        f"{summary.rows_in:,} {rows} in",
        f"{summary.rows_out:,} out",
        f"{summary.rows_skipped:,} skipped",
    ]
    if summary.tickets_skipped:
        skipped = summary.tickets_skipped
        parts.append(f"{skipped:,} {'ticket' if skipped == 1 else 'tickets'} left out")
    if summary.pauses_clipped:  # pauses reaching outside their ticket's life: data, not errors
        clipped = summary.pauses_clipped
        parts.append(
            f"{clipped:,} {'pause' if clipped == 1 else 'pauses'} clipped to the ticket's life"
        )
    return ", ".join(parts)


def summary_line(
    summary: BatchSummary,
    now: datetime,
    *,
    as_json: bool,
    output: Output | None,
    stopped: str | None,
) -> str:
    """Return the last line of a run: its counts, and what became of the output.

    ``stopped`` says why the run did not complete (``None``: it did; ``"stopped"``: bad
    input, at the summary's ``stopped_at`` line when there is one).
    """
    if as_json:
        return json.dumps(
            {
                "rows_in": summary.rows_in,
                "rows_out": summary.rows_out,
                "rows_skipped": summary.rows_skipped,
                "pauses_clipped": summary.pauses_clipped,
                **({"tickets_skipped": summary.tickets_skipped} if summary.events else {}),
                "as_of": now.isoformat(),
                "stopped_at_line": summary.stopped_at if summary.counted_in == "line" else None,
                **({"stopped_at_row": summary.stopped_at} if summary.counted_in == "row" else {}),
                "complete": stopped is None,
            }
        )
    counts = _counts(summary)
    if stopped is None:
        return f"{PROG} batch: {counts}; statuses as of {now.isoformat()}"
    if stopped == "stopped" and summary.stopped_at:
        stopped = f"stopped at {summary.counted_in} {summary.stopped_at}"
    if output is None or output.mode == "stdout":
        lost = "the output on stdout is incomplete"
    elif output.in_place:
        lost = f"the output written to {output.path} is incomplete"
    else:
        lost = f"{output.path} was not written"
    return f"{PROG} batch: {stopped}: {counts}; {lost}"


def progress_stream(want: Progress) -> TextIO | None:
    """Return where the progress line goes: stderr when wanted, else nowhere."""
    wanted = want == "always" or (want == "auto" and sys.stderr.isatty())
    # A text stream for the writer; TextIOBase is what typing.TextIO stands for at run time.
    return cast("TextIO", _ProgressLine(sys.stderr)) if wanted else None


def end_line(progress: object) -> None:
    """End the progress line a run stopped in the middle of left on the terminal, if any."""
    if isinstance(progress, _ProgressLine) and progress.showing:
        progress.write("\n")


class _ProgressLine(io.TextIOBase):
    r"""The progress stream, knowing whether a progress line is showing (no newline yet).

    The progress line is rewritten in place with ``\r`` and erased with ``\r...\r``; when
    a run stops while one shows, the error must start on a line of its own, and when none
    shows a newline would leave a blank line.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self.showing = False

    def write(self, text: str) -> int:
        if text:
            self.showing = not text.endswith(("\r", "\n"))
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()
