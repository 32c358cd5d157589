"""Deadlines with the default desk: Mon-Fri 09:00-18:00 São Paulo, Brazilian holidays."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sla_clock import BusinessCalendar, SlaPolicy

SP = ZoneInfo("America/Sao_Paulo")

calendar = BusinessCalendar.default()
policy = SlaPolicy.default()

opened = datetime(2026, 11, 24, 17, 30, tzinfo=SP)
for code in policy.codes:
    due = policy.due_at(opened, code)
    print(f"{code} opened {opened:%a %d/%m %H:%M} is due {due:%a %d/%m %H:%M}")

# Nov 20 is a national holiday, so Thursday 17:00 + 4 business hours is Monday 12:00.
thursday = datetime(2026, 11, 19, 17, 0, tzinfo=SP)
print("Thu 17:00 + 4 h =", calendar.add(thursday, timedelta(hours=4)).isoformat())

# Business time between two instants, and a negative add (lands on an opening).
friday = datetime(2026, 11, 20, 10, 0, tzinfo=SP)
monday = datetime(2026, 11, 23, 10, 0, tzinfo=SP)
print("elapsed Fri 10:00 -> Mon 10:00 =", calendar.elapsed(friday, monday))
tuesday = datetime(2026, 11, 24, 9, 0, tzinfo=SP)
print("Tue 09:00 - 1 h =", calendar.add(tuesday, timedelta(hours=-1)).isoformat())
