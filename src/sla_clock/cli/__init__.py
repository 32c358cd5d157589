"""The ``sla-clock`` command line: when is a ticket due, how much business time has passed.

::

    $ sla-clock due P1 --opened "2026-11-24 17:30"
    2026-11-26T11:30:00-03:00
    $ sla-clock elapsed "2026-11-20 10:00" "2026-11-23 10:00"
    1:00:00
    $ sla-clock days 2026-11-19 5
    2026-11-27
    $ sla-clock status P0 --opened "2026-11-23 14:00" --now "2026-11-24 09:30" || alert
    state:          breached
    ...

One module per subcommand (:mod:`._due`, :mod:`._elapsed`, :mod:`._days`, :mod:`._status`,
:mod:`._calendar`, :mod:`._policy`, :mod:`._batch`), each an ``add_<name>`` function that
declares its parser and a ``run_<name>`` function that runs it; :data:`COMMANDS` lists the
``add_*`` functions in the order ``--help`` shows them. To add a command, write its module
and append its ``add_*`` here: the others need no change. The options every command shares
are in :mod:`._options`; the exit statuses, the error line, pipes and ``--debug`` in
:mod:`._plumbing`.

Human summaries are in English, or in Portuguese with ``--lang pt`` or a Portuguese locale
(the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set starts with ``pt``); machine
output (``--json``, the ISO line of ``due``, the date or the number ``days`` prints) is the
same in every language. The command is a thin shell over the library: it uses the public
API, the parser :mod:`sla_clock.parsing`, and the wings (views, batch), never a private
module of the core.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from .. import __version__
from ._batch import add_batch
from ._calendar import add_calendar
from ._days import add_days
from ._due import add_due
from ._elapsed import add_elapsed
from ._options import add_debug_option, calendar_options, debug_options, output_options
from ._plumbing import PROG, Parser, run
from ._policy import add_policy
from ._report import add_report
from ._status import add_status

if TYPE_CHECKING:
    from ._plumbing import Subparsers

__all__ = ["main"]

#: Declares one subcommand on the subparsers, with the shared parent parsers.
CommandAdder = Callable[["Subparsers", Sequence[argparse.ArgumentParser]], None]

#: One ``add_<name>(subparsers, parents)`` per subcommand, in the order ``--help`` lists them.
COMMANDS: tuple[CommandAdder, ...] = (
    add_due,
    add_elapsed,
    add_days,
    add_status,
    add_calendar,
    add_policy,
    add_batch,
    add_report,
)


def build_parser() -> argparse.ArgumentParser:
    """Return the ``sla-clock`` argument parser with every subcommand.

    >>> build_parser().parse_args(["elapsed", "2026-11-20 10:00", "2026-11-23 10:00"]).end
    '2026-11-23 10:00'
    """
    parser = Parser(
        prog=PROG,
        description="Business-hours SLA clock: deadlines and business time of support tickets.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_debug_option(parser)
    # Each command's parser is a Parser too; the commands only need ArgumentParser's API.
    subparsers = cast(
        "Subparsers", parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    )
    parents = (calendar_options(), output_options(), debug_options())
    for add_command in COMMANDS:
        add_command(subparsers, parents)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``sla-clock`` with ``argv`` (default: the process arguments) and return its status.

    Every way a run ends has its own status (see ``docs/cli.md`` and
    :mod:`sla_clock.cli._plumbing`): 0 done; 1 ``status`` found the ticket late; 2 bad input,
    after one ``sla-clock: error:`` line on stderr; 3 an internal error (a bug), after one
    ``sla-clock: internal error:`` line; 130 interrupted; 141 stdout's reader went away.

    Args:
        argv: the arguments after the program name.

    Returns:
        The exit status.

    >>> main(["elapsed", "2026-11-20 10:00", "2026-11-23 10:00"])
    1:00:00
    0
    """
    return run(argv, build_parser)
