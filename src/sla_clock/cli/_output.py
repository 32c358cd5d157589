"""Where ``sla-clock batch --output`` writes: a whole new file, or a stream in place.

- ``-``: stdout.
- A regular file, or a name not taken yet: the rows go to a hidden temporary file beside the
  real target, renamed onto it at the end of a good run (with the target's permissions),
  so a failed or interrupted run leaves the previous file as it was. A symbolic link is
  followed: the file it points to is replaced and the link stays a link.
- A FIFO, a terminal, ``/dev/null``, a socket: written in place, as the shell's ``>`` does.
- A name of an open descriptor (``/dev/stdout``, ``/dev/fd/3``, ``/proc/self/fd/1``, or a
  link to one) that reaches a regular file, as ``-o /dev/stdout`` with stdout redirected to a
  file: written in place too, appending, as writing to that descriptor would (a rename would
  cut the file away from whoever has it open, and truncating would drop what is there).

What cannot be written is an :class:`OutputFileError` before any row is read: a directory,
a dangling symbolic link (as ``cp`` refuses to write through one), a loop of links, a
missing or unwritable directory, a read-only file.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import Literal, TextIO

from ..errors import SlaClockError

__all__ = ["Output", "OutputFileError"]

#: How the output is written: stdout, a new file renamed into place, a stream in place.
Mode = Literal["stdout", "replace", "direct", "append"]
#: The names of open descriptors: a path through one reaches a descriptor's file.
_DESCRIPTOR = re.compile(r"/(proc/[^/]+(/task/[^/]+)?/fd/\d+|dev/fd/\d+|dev/std(in|out|err))")
#: At most this many symbolic links are followed (Linux's own limit is 40).
_MAX_LINKS = 40


class OutputFileError(SlaClockError, ValueError):
    """The ``--output`` path cannot be written (a directory, a dangling link...)."""


def _through_descriptors(path: str) -> bool:
    """Tell whether ``path``, or a link on its way, names an open descriptor."""
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        if _DESCRIPTOR.fullmatch(os.path.normpath(current)):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return False


def _plan(path: str) -> tuple[Mode, Path]:
    """Return how to write ``path``, and the file to write.

    Raises:
        OutputFileError: ``path`` cannot be written.
    """
    if not path.strip():
        msg = f"--output {path!r} is empty; give a file name, or - for stdout"
        raise OutputFileError(msg)
    try:
        info: os.stat_result | None = os.stat(path)  # follows links
    except FileNotFoundError:
        if os.path.islink(path):
            msg = (
                f"--output {path} is a symbolic link to {os.readlink(path)}, which does not "
                "exist; create the file it points to, or give another --output"
            )
            raise OutputFileError(msg) from None
        info = None
    except OSError as exc:  # a loop of links, a file used as a directory...
        msg = f"cannot write --output {path}: {exc.strerror or exc}; give another --output"
        raise OutputFileError(msg) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        msg = f"--output {path} is a directory; give a file name, e.g. {Path(path) / 'report.csv'}"
        raise OutputFileError(msg)
    if info is not None and not stat.S_ISREG(info.st_mode):
        return "direct", Path(path)  # a FIFO, a device, a socket
    if info is not None and _through_descriptors(path):
        return "append", Path(path)
    real = Path(os.path.realpath(path))
    if info is not None and not os.access(real, os.W_OK):
        shown = path if str(real) == os.path.abspath(path) else f"{path} ({real})"
        msg = f"--output {shown} is read-only; make it writable or give another --output"
        raise OutputFileError(msg)
    return "replace", real


class Output:
    """The output stream of a batch run, and what to do with it at the end.

    Args:
        path: the ``--output`` value; ``-`` is stdout.

    Raises:
        OutputFileError: ``path`` cannot be written.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.temp: str | None = None
        self._wrapper: io.TextIOWrapper | None = None  # around stdout's bytes, detached at the end
        if path == "-":
            self.mode: Mode = "stdout"
            sys.stdout.flush()
            binary = getattr(sys.stdout, "buffer", None)
            if binary is not None:
                self._wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            self.stream: TextIO = self._wrapper if self._wrapper is not None else sys.stdout
            return
        self.mode, self.target = _plan(path)
        if self.mode != "replace":
            try:
                if self.mode == "append":
                    self.stream = self.target.open("a", encoding="utf-8", newline="")
                else:
                    self.stream = self.target.open("w", encoding="utf-8", newline="")
            except OSError as exc:
                msg = f"cannot write --output {path}: {exc.strerror or exc}"
                raise OutputFileError(msg) from None
            return
        directory = self.target.parent
        try:
            fd, self.temp = tempfile.mkstemp(
                prefix=f".{self.target.name}.", suffix=".tmp", dir=directory
            )
        except FileNotFoundError:
            msg = f"cannot write --output {path}: the directory {directory} does not exist"
            raise OutputFileError(msg) from None
        except OSError as exc:
            msg = (
                f"cannot write --output {path}: cannot create a file in {directory} "
                f"({exc.strerror or exc}); give an --output in a directory you can write to"
            )
            raise OutputFileError(msg) from None
        self.stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by close())

    @property
    def in_place(self) -> bool:
        """Whether rows reach the destination as they are written (no rename at the end)."""
        return self.mode != "replace"

    def commit(self) -> None:
        """Flush, and move a finished file into place with the target's permissions."""
        self.stream.flush()
        if self.temp is None:
            return
        self.stream.close()
        try:
            mode = self.target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self.temp, mode)
        os.replace(self.temp, self.target)
        self.temp = None

    def close(self) -> None:
        """Release the stream; remove the temporary file of an unfinished run."""
        if self.mode == "stdout":
            with contextlib.suppress(OSError, ValueError):
                self.stream.flush()
            if self._wrapper is not None:
                with contextlib.suppress(ValueError):
                    self._wrapper.detach()  # leave sys.stdout open
            return
        with contextlib.suppress(OSError):
            self.stream.close()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = None
