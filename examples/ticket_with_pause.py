"""A P0 ticket waiting on the customer: how a pause moves the deadline."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sla_clock import Pause, SlaPolicy, Ticket

SP = ZoneInfo("America/Sao_Paulo")
policy = SlaPolicy.default()

opened = datetime(2026, 11, 23, 14, 0, tzinfo=SP)  # Monday 14:00, P0: 4 business hours
plain = Ticket(opened_at=opened, priority="P0")
paused = Ticket(
    opened_at=opened,
    priority="P0",
    pauses=[
        Pause(
            start=datetime(2026, 11, 23, 15, 0, tzinfo=SP),
            end=datetime(2026, 11, 23, 16, 30, tzinfo=SP),
        )
    ],
)
now = datetime(2026, 11, 23, 17, 0, tzinfo=SP)
for label, ticket in (("no pause", plain), ("paused 15:00-16:30", paused)):
    s = policy.status(ticket, now)
    print(
        f"{label:>20}: {s.state:<8} used {s.used} of {s.target}, due {s.due_at:%a %H:%M}, "
        f"breached after {s.breach_at:%a %H:%M}"
    )

# Waiting on the customer right now: the deadline is projected as if the pause ended now.
waiting = Ticket(
    opened_at=opened, priority="P0", pauses=[Pause(start=datetime(2026, 11, 23, 16, 0, tzinfo=SP))]
)
s = policy.status(waiting, now)
print(
    f"{'waiting since 16:00':>20}: {s.state:<8} used {s.used}, "
    f"due if resumed now {s.due_at:%a %H:%M}"
)
