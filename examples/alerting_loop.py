"""An alerting job that sleeps until a ticket's status changes instead of polling.

The clock is simulated so the example runs instantly: a real job would sleep until
``change.at`` (``time.sleep`` or a scheduler) and then send the alert.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from sla_clock import SlaPolicy, Ticket, next_change

SP = ZoneInfo("America/Sao_Paulo")
policy = SlaPolicy.default()
ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=SP), priority="P0", id="4711")

now = ticket.opened_at
while (change := next_change(policy, ticket, now)) is not None:
    now = change.at  # a real job sleeps until here
    status = policy.status(ticket, now)
    who = f", escalate to {status.escalation}" if status.escalation else ""
    print(f"{now:%a %d/%m %H:%M:%S} ticket #{ticket.id}: {status.state}{who}")
