"""The plumbing every subcommand shares: exit statuses, the error line, pipes, debugging.

Every way a run ends has its own status (``docs/cli.md``): :data:`EXIT_OK` done;
:data:`EXIT_LATE` ``status`` found the ticket late; :data:`EXIT_USAGE` bad input, after one
``sla-clock: error:`` line on stderr; :data:`EXIT_INTERNAL` an internal error (a bug), after
one ``sla-clock: internal error:`` line, with the traceback only under ``--debug`` or
``SLA_CLOCK_DEBUG=1``; :data:`EXIT_INTERRUPTED` after Ctrl-C; :data:`EXIT_BROKEN_PIPE` when
stdout's reader went away. :func:`run` turns whatever a handler raises into one of them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from .._version import PROG
from ..errors import SlaClockError

__all__ = [
    "DEBUG_OPTION",
    "DEBUG_VARIABLE",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_LATE",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "Handler",
    "Parser",
    "error_line",
    "one_line",
    "print_json",
    "quiet_stdout",
    "run",
]

#: Exit status of a run that did what it was asked.
EXIT_OK = 0
#: Exit status of ``status`` when the ticket is late (``breached`` or ``missed``), only.
EXIT_LATE = 1
#: Exit status for bad input (the same as argparse's usage errors).
EXIT_USAGE = 2
#: Exit status of an internal error (a bug): an exception sla-clock did not expect.
EXIT_INTERNAL = 3
#: Exit status after Ctrl-C (128 + SIGINT), as shells do.
EXIT_INTERRUPTED = 130
#: Exit status when stdout's reader went away (128 + SIGPIPE), as shells do.
EXIT_BROKEN_PIPE = 141

#: The option, and the environment variable, that print the traceback of an internal error.
DEBUG_OPTION = "--debug"
DEBUG_VARIABLE = "SLA_CLOCK_DEBUG"

#: Runs one subcommand on its parsed options and returns the exit status.
Handler = Callable[[argparse.Namespace], int]

if TYPE_CHECKING:
    from typing import TypeAlias

    #: The subparsers of the ``sla-clock`` parser, where each subcommand declares itself.
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def one_line(text: str) -> str:
    r"""Return ``text`` with its line breaks (of every kind ``str.splitlines`` knows) as spaces.

    >>> one_line("a\nb\r\nc")
    'a b c'
    """
    return " ".join(text.splitlines()).strip()


def error_line(message: str) -> int:
    """Print ``sla-clock: error: <message>`` (on one line) on stderr; return :data:`EXIT_USAGE`."""
    print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)
    return EXIT_USAGE


def print_json(data: Mapping[str, Any]) -> None:
    """Print ``data`` as one line of JSON (non-ASCII kept as is)."""
    print(json.dumps(data, ensure_ascii=False))


class Parser(argparse.ArgumentParser):
    """argparse's parser, with its error message on one line whatever the arguments hold.

    argparse quotes some arguments as typed (``unrecognized arguments: a<newline>b``); the
    usage lines stay as they are, the message that ends stderr is one line.
    """

    def error(self, message: str) -> NoReturn:
        """Print the usage and ``PROG: error: <message>`` on one line; exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)}\n")


def quiet_stdout() -> None:
    """Point the process's stdout at /dev/null, so that Python's flush at exit cannot fail again.

    Only the real stdout: a stream a caller put in its place (a test's capture) is left alone.
    """
    stream: TextIO = sys.stdout
    if stream is not sys.__stdout__:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())


def _exit_status(exc: SystemExit) -> int:
    """Return the status an argparse ``SystemExit`` carries (``--help``, usage errors)."""
    if exc.code is None:
        return EXIT_OK
    return exc.code if isinstance(exc.code, int) else EXIT_USAGE


def _debugging(argv: Sequence[str] | None, environ: Mapping[str, str]) -> bool:
    """Whether ``--debug`` or ``SLA_CLOCK_DEBUG`` (set, not empty nor ``0``) asks for tracebacks."""
    words = sys.argv[1:] if argv is None else argv
    value = environ.get(DEBUG_VARIABLE, "").strip().lower()
    return DEBUG_OPTION in words or value not in ("", "0", "false", "no")


def _internal_error(exc: BaseException, *, debug: bool) -> int:
    """Report an exception sla-clock did not expect: one line, the traceback only in debug."""
    if debug:
        import traceback  # only for a bug: importing it costs every run a millisecond

        traceback.print_exception(exc, file=sys.stderr)
    what = one_line(f"{type(exc).__name__}: {exc}") if str(exc) else type(exc).__name__
    print(
        f"{PROG}: internal error: {what}; this is a bug, please report it; "
        f"run with {DEBUG_OPTION} or {DEBUG_VARIABLE}=1 for the traceback",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def run(argv: list[str] | None, build_parser: Callable[[], argparse.ArgumentParser]) -> int:
    """Parse ``argv``, run the chosen handler, and turn whatever happens into an exit status.

    Args:
        argv: the arguments after the program name (default: the process's).
        build_parser: returns the parser, whose subcommands set a ``handler`` default.

    Returns:
        The exit status (see the module's docstring).
    """
    try:
        nul = next((arg for arg in argv or () if isinstance(arg, str) and "\0" in arg), None)
        if nul is not None:  # a real command line cannot hold one; a caller of main() can
            return error_line(
                f"the argument {nul!r} holds a NUL character, which no command line can "
                "pass; remove it"
            )
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:
            return _exit_status(exc)
        handler: Handler = args.handler
        status = handler(args)
        sys.stdout.flush()  # a failing write (a closed pipe, a full disk) is reported here
        return status
    except SlaClockError as exc:
        return error_line(str(exc))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as shell tools do, and keep
        # Python from complaining again when it flushes stdout at exit.
        quiet_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        # The system refused a read or a write (a full disk, a closed terminal): not a bug.
        if exc.filename is not None:
            return error_line(f"cannot use {exc.filename}: {exc.strerror or exc}; check the path")
        quiet_stdout()  # the output may be what failed: do not fail again at exit
        return error_line(
            f"input or output failed: {exc.strerror or exc}; check where the output goes"
        )
    except Exception as exc:  # anything else is a bug: one line, status 3
        return _internal_error(exc, debug=_debugging(argv, os.environ))
