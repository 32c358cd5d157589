"""Deadlines and statuses for many tickets at once: NumPy arrays and a pandas DataFrame."""

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sla_clock import BusinessCalendar, SlaPolicy
from sla_clock.adapters.pandas import add_sla_columns
from sla_clock.bulk import add_many

SP = ZoneInfo("America/Sao_Paulo")
calendar = BusinessCalendar.default()

# NumPy datetime64 values are UTC instants: Thu 2026-11-19 17:00 and Sat 11-28 10:00 in São Paulo.
starts = np.array(["2026-11-19T20:00", "2026-11-28T13:00"], dtype="datetime64[us]")
print("add_many (UTC):", add_many(calendar, starts, np.timedelta64(4, "h")).tolist())

# A DataFrame of tickets with tz-aware times gets its SLA columns in one call.
tickets = pd.DataFrame(
    {
        "id": ["INC-1", "INC-2", "INC-3"],
        "priority": ["P0", "P1", "P3"],
        "opened": pd.to_datetime(
            ["2026-11-23 14:00", "2026-11-23 17:00", "2026-11-20 10:00"]
        ).tz_localize(SP),
    }
)
now = datetime(2026, 11, 24, 10, 0, tzinfo=SP)
out = add_sla_columns(tickets, SlaPolicy.default(), now=now)
for row in out.itertuples():
    print(
        f"{row.id} {row.priority}: {row.state:<8} due {row.due_at:%a %d/%m %H:%M}, "
        f"used {row.used_seconds / 3600:g} h"
    )
