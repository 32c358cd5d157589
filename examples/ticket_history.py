"""Ticket histories as a back end stores them: first response and resolution of each ticket.

Reads ``examples/events.jsonl`` (the issue's ticket T-1 and two more), and prints every
metric row of every ticket at Wednesday 12:00, with first response targets of 1 to 8 hours
next to the priorities' own resolution targets.
"""

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_clock import SlaPolicy, metric_statuses
from sla_clock.config import DEFAULT_POLICY_DATA, PolicyFile

SP = ZoneInfo("America/Sao_Paulo")
first_response = {
    "name": "first_response",
    "pause": False,
    "targets": {"P0": "PT1H", "P1": "PT2H", "P2": "PT8H", "P3": "PT8H"},
}
data = {**DEFAULT_POLICY_DATA, "metrics": [first_response, {"name": "resolution", "pause": True}]}
policy = SlaPolicy.from_data(PolicyFile.model_validate(data))


def read(path: Path) -> list[dict[str, object]]:
    """The events of a JSON Lines file, their times read in São Paulo."""
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        event["at"] = datetime.fromisoformat(event["at"]).replace(tzinfo=SP)
        events.append(event)
    return events


def hours(value: timedelta) -> str:
    """A duration in business hours, e.g. ``6.5 h``."""
    return f"{value / timedelta(hours=1):g} h"


events = read(Path(__file__).with_name("events.jsonl"))
now = datetime(2026, 11, 25, 12, 0, tzinfo=SP)
for row in metric_statuses(policy, events, now):
    print(
        f"{row.ticket} {row.metric:<14} cycle {row.cycle} {row.priority} {row.state:<8} "
        f"used {hours(row.used)} of {hours(row.used + row.remaining)}, "
        f"due {row.due_at:%a %d/%m %H:%M}, level {row.escalation_level}"
    )
