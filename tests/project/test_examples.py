"""Every script under examples/ runs and prints what its docs promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: For each example, lines its output must contain (values from DESIGN.md or hand reasoning).
EXPECTED: dict[str, list[str]] = {
    "due_date.py": [
        "P1 opened Tue 24/11 17:30 is due Thu 26/11 11:30",
        "Thu 17:00 + 4 h = 2026-11-23T12:00:00-03:00",
        "elapsed Fri 10:00 -> Mon 10:00 = 1:00:00",
        "Tue 09:00 - 1 h = 2026-11-23T17:00:00-03:00",
    ],
    "custom_calendar.py": [
        "default: Mon 09:00 + 40 h = 2026-11-27T13:00:00-03:00",
        "lunch:   Mon 09:00 + 40 h = 2026-12-04T18:00:00-03:00",
        "Sat 28/11 hours (file): ['09:00-13:00']",
        "Ash Wednesday hours (file): ['14:00-18:00']",
        "Jul 9 open in SP? False",
    ],
    "custom_policy.py": [
        "URGENT  Urgente  2:00:00",
        "due 2026-11-25T09:00:00-03:00 | state at Wed 09:00: at_risk",
        "escalation reached: none (on time: levels come once late)",
    ],
    "ticket_with_pause.py": [
        "no pause: at_risk  used 3:00:00 of 4:00:00, due Mon 18:00, breached after Tue 09:00",
        "paused 15:00-16:30: running  used 1:30:00 of 4:00:00, due Tue 10:30",
        "waiting since 16:00: paused   used 2:00:00, due if resumed now Tue 10:00",
    ],
    "ticket_history.py": [
        "T-1 first_response cycle 1 P1 missed   used 6 h of 2 h, due Mon 23/11 16:00, level 1",
        "T-1 resolution     cycle 1 P0 breached used 9 h of 4 h, due Tue 24/11 13:00, level 2",
        "T-2 resolution     cycle 1 P2 paused   used 11.5 h of 40 h, due Mon 30/11 13:30, level 0",
    ],
    "bulk_deadlines.py": [
        "add_many (UTC): [datetime.datetime(2026, 11, 23, 15, 0), "
        "datetime.datetime(2026, 11, 30, 16, 0)]",
        "INC-1 P0: breached due Mon 23/11 18:00, used 5 h",
        "INC-2 P1: running  due Wed 25/11 11:00, used 2 h",
        "INC-3 P3: running  due Mon 30/11 12:00, used 10 h",
    ],
    "alerting_loop.py": [
        "Mon 23/11 17:00:00 ticket #4711: at_risk",
        "Tue 24/11 09:00:00 ticket #4711: breached, escalate to team leaders",
        "Tue 24/11 13:00:00 ticket #4711: breached, escalate to coordination",
        "Tue 24/11 17:00:00 ticket #4711: breached, escalate to management",
    ],
}


def test_every_example_is_checked() -> None:
    """Each examples/*.py has expectations here, so a new example cannot go untested."""
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name: str) -> None:
    """The example exits 0 and prints its expected lines."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for line in EXPECTED[name]:
        assert line in done.stdout, f"{line!r} not in output of {name}:\n{done.stdout}"
