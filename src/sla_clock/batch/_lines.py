r"""Lines of a tickets file, each at most :data:`MAX_LINE` characters long.

Reading a line reads until a line break, so a file without one (``/dev/zero``, a binary file
read by mistake) would be read into memory whole, forever. Every reader of ``sla-clock
batch`` reads through :class:`LimitedLines`, which stops such a file at the first line over
the limit with a :class:`~sla_clock.batch._quotes.BrokenFileError` naming the line. The limit
is far above any ticket row (CSV fields are already limited to 128 KiB by the ``csv``
module), and the memory it allows is bounded.

>>> import io
>>> list(LimitedLines(io.StringIO("a\nb\n"), "t.csv"))
['a\n', 'b\n']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NoReturn, TextIO

from ._quotes import BrokenFileError

__all__ = ["MAX_LINE", "LimitedLines"]

#: The longest line a tickets file may have, in characters (4 Mi).
MAX_LINE = 4 * 1024 * 1024


class LimitedLines:
    """A text stream read line by line, refusing a line longer than :data:`MAX_LINE`.

    It iterates and answers ``readline``, ``seekable``, ``tell``, ``seek`` and ``buffer``
    (for the progress line) as the stream it wraps does.
    """

    def __init__(self, stream: TextIO, name: str, limit: int = MAX_LINE) -> None:
        self._stream = stream
        self._name = name
        self._limit = limit
        self._line = 0

    @property
    def buffer(self) -> object:
        """The binary stream under the text, if any (to tell how much was read)."""
        return getattr(self._stream, "buffer", None)

    def readline(self, size: int = -1) -> str:
        """Return the next line (at most ``size`` characters when given)."""
        limit = self._limit + 1 if size < 0 else min(size, self._limit + 1)
        line = self._stream.readline(limit)
        if len(line) > self._limit and not line.endswith(("\n", "\r")):
            self._too_long()
        if line:
            self._line += 1
        return line

    def take(self, count: int) -> list[str]:
        """Return up to ``count`` next lines (fewer at the end), as :meth:`readline` would."""
        read, limit = self._stream.readline, self._limit
        lines: list[str] = []
        for _ in range(count):
            line = read(limit + 1)
            if not line:
                break
            if len(line) > limit and not line.endswith(("\n", "\r")):
                self._line += len(lines)
                self._too_long()
            lines.append(line)
        self._line += len(lines)
        return lines

    def _too_long(self) -> NoReturn:
        number = self._line + 1
        msg = (
            f"{self._name} line {number}: longer than {self._limit:,} characters without "
            "a line break, so it is no file of tickets (binary data, or a file of one "
            "line?); check the file and its --format"
        )
        raise BrokenFileError(msg, number)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def seekable(self) -> bool:
        """Whether the stream can go back (stdin cannot)."""
        return self._stream.seekable()

    def tell(self) -> int:
        """The position of the stream, for :meth:`seek`."""
        return self._stream.tell()

    def seek(self, offset: int) -> int:
        """Go back to ``offset`` (a :meth:`tell` value); lines count from the start again."""
        self._line = 0
        return self._stream.seek(offset)
