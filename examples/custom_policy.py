"""A desk's own policy from TOML: its priority codes, targets, ladder and calendar."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_clock import SlaPolicy, Ticket

SP = ZoneInfo("America/Sao_Paulo")

policy = SlaPolicy.from_file(str(Path(__file__).with_name("policy.toml")))
for priority in policy.priorities:
    print(f"{priority.code:<7} {priority.name_pt:<8} {priority.target}  {priority.impact}")

ticket = Ticket(opened_at=datetime(2026, 11, 24, 16, 0, tzinfo=SP), priority="urgent")
status = policy.status(ticket, now=datetime(2026, 11, 25, 9, 0, tzinfo=SP))
print("URGENT opened Tue 16:00 (desk closes 17:00):")
print("  due", status.due_at.isoformat(), "| state at Wed 09:00:", status.state)
print("  escalation reached:", status.escalation or "none (on time: levels come once late)")
