"""Write the documentation's figures into docs/img/ (needs the ``docs`` extra).

    python scripts/make_figures.py            # write docs/img/*.svg
    python scripts/make_figures.py --check    # exit 1 if a committed figure is out of date

Each figure is drawn by :func:`sla_clock.views.figure.plot_timeline` from real computations; the
SVG bytes are reproducible, so a change of behaviour shows up as a diff of docs/img/.
Holiday names come from the ``holidays`` package in the language of the environment, so the
script pins ``LANGUAGE=en`` before it draws anything.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_clock import Pause, SlaPolicy, Ticket
from sla_clock.config import DEFAULT_POLICY_DATA, PolicyFile
from sla_clock.views._history_figure import plot_history
from sla_clock.views.figure import plot_timeline

SP = ZoneInfo("America/Sao_Paulo")
IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


def timeline_p0(path: Path) -> None:
    """The DESIGN.md P0: opened Mon 2026-11-23 14:00, seen Tue 2026-11-24 15:00 (breached)."""
    ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=SP), priority="P0")
    plot_timeline(SlaPolicy.default(), ticket, datetime(2026, 11, 24, 15, 0, tzinfo=SP), path=path)


def timeline_pause(path: Path) -> None:
    """A P1 paused Wed 16:00 to Thu 12:00 (waiting on the customer), over a holiday and a weekend.

    Opened Wed 2026-11-18 14:00; used 2 h on Wednesday and 6 h on Thursday; Friday Nov 20 is a
    national holiday; due Mon 2026-11-23 13:00; seen Mon 11:00 (at risk, 10 h of 12 h used).
    """
    ticket = Ticket(
        id="T-1042",
        opened_at=datetime(2026, 11, 18, 14, 0, tzinfo=SP),
        priority="P1",
        pauses=[
            Pause(
                start=datetime(2026, 11, 18, 16, 0, tzinfo=SP),
                end=datetime(2026, 11, 19, 12, 0, tzinfo=SP),
            )
        ],
    )
    plot_timeline(SlaPolicy.default(), ticket, datetime(2026, 11, 23, 11, 0, tzinfo=SP), path=path)


def history_example() -> tuple[SlaPolicy, list[dict[str, object]], datetime]:
    """The ticket T-1 of docs/ticket-histories.md: its policy, its events and its ``now``."""

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=SP)

    events: list[dict[str, object]] = [
        {"ticket": "T-1", "at": at(23, 14), "event": "opened", "priority": "P1"},
        {"ticket": "T-1", "at": at(23, 15), "event": "status", "status": "waiting_on_customer"},
        {"ticket": "T-1", "at": at(24, 10), "event": "status", "status": "open"},
        {"ticket": "T-1", "at": at(24, 11), "event": "reply", "by": "agent"},
        {"ticket": "T-1", "at": at(24, 12), "event": "priority", "priority": "P0"},
        {"ticket": "T-1", "at": at(24, 16), "event": "resolved"},
        {"ticket": "T-1", "at": at(25, 10), "event": "reopened"},
    ]
    first_response = {
        "name": "first_response",
        "pause": False,
        "targets": {"P0": "PT1H", "P1": "PT2H", "P2": "PT8H", "P3": "PT8H"},
    }
    metrics = [first_response, {"name": "resolution", "pause": True}]
    policy = SlaPolicy.from_data(
        PolicyFile.model_validate({**DEFAULT_POLICY_DATA, "metrics": metrics})
    )
    return policy, events, at(25, 12)


def ticket_history(path: Path) -> None:
    """T-1's first response (missed at P1) and resolution (breached at P0), Wed 2026-11-25 12:00."""
    policy, events, now = history_example()
    plot_history(policy, events, now, path=path)


FIGURES: dict[str, Callable[[Path], None]] = {
    "timeline-p0.svg": timeline_p0,
    "timeline-pause.svg": timeline_pause,
    "ticket-history.svg": ticket_history,
}


def main(argv: list[str] | None = None) -> int:
    """Write (or, with ``--check``, compare) every figure; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with docs/img/ instead of writing"
    )
    args = parser.parse_args(argv)
    os.environ["LANGUAGE"] = "en"
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, draw in FIGURES.items():
            target = IMG / name
            if args.check:
                fresh = Path(tmp) / name
                draw(fresh)
                if not target.exists() or target.read_bytes() != fresh.read_bytes():
                    stale.append(name)
            else:
                IMG.mkdir(parents=True, exist_ok=True)
                draw(target)
                print(f"wrote {target.relative_to(IMG.parent.parent)}")
    if stale:
        print(f"out of date in docs/img/: {', '.join(stale)}; run scripts/make_figures.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
