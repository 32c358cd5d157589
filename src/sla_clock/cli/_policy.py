"""``sla-clock policy``: the priority table and the escalation ladder of the policy in use.

``--json`` prints it as a policy file, which ``--policy`` reads back; ``--at DATE`` prints
the version in force on a date (without versions: a file of that version alone).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..parsing import parse_date
from ..views._policy_table import policy_at_text, policy_dict, policy_text
from ._options import add_policy_option, language_from_args, language_options, policy_from_args
from ._plumbing import EXIT_OK, print_json

if TYPE_CHECKING:
    from ._plumbing import Subparsers

__all__ = ["add_policy"]


def add_policy(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``policy [--policy FILE] [--at DATE] [--lang LANG]``."""
    parser = subparsers.add_parser(
        "policy",
        parents=[*parents, language_options()],
        help="print the priority table and the escalation ladder",
        description="Print the policy in use: each priority's code, names, business-time "
        "target and impact, the escalation ladder, the warning share. --json prints it as a "
        "policy file, which --policy reads back.",
    )
    add_policy_option(parser)
    parser.add_argument(
        "--at",
        metavar="DATE",
        help="print the version in force on DATE (2026-06-01 or 01/06/2026): its targets, "
        "warning share and ladder, and from when it applies",
    )
    parser.set_defaults(handler=run_policy)


def run_policy(args: argparse.Namespace) -> int:
    """Print the policy the options name."""
    policy = policy_from_args(args)
    day = None if args.at is None else parse_date(args.at)
    if args.json:
        print_json(policy_dict(policy if day is None else policy.version_on(day)))
    elif day is None:
        print(policy_text(policy, language_from_args(args)))
    else:
        print(policy_at_text(policy, day, language_from_args(args)))
    return EXIT_OK
