"""The metrics part of a policy file: ``[[metrics]]``, their targets, and where a clock pauses.

```toml
paused_statuses = ["waiting_on_customer", "pending"]   # the default
on_reopen = "continue"                                 # or "restart"

[[metrics]]
name = "first_response"       # stops at the first agent reply, or at resolution
targets = { P0 = "PT1H", P1 = "PT2H", P2 = "PT8H", P3 = "PT8H" }
pause = false

[[metrics]]
name = "resolution"           # the priorities' own targets; stops at resolution
pause = true
```

A target in ``targets`` is business hours as a priority's ``target`` is (``"PT1H"``, or
seconds), or business days as a table: ``P2 = { business_days = 1, end_of_day = true }``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from .._durations import MAX_BUSINESS_DAYS

__all__ = [
    "DEFAULT_PAUSED_STATUSES",
    "METRIC_NAMES",
    "DayTargetFile",
    "MetricName",
    "OnReopen",
    "PolicyVersionMode",
]

#: The metrics sla-clock knows: when each clock starts, stops and restarts is fixed.
MetricName = Literal["first_response", "resolution"]
METRIC_NAMES: tuple[MetricName, ...] = ("first_response", "resolution")
#: What a reopen does to the resolution clock.
OnReopen = Literal["continue", "restart"]

#: Which policy version a ticket counts under (see docs/versions.md).
PolicyVersionMode = Literal["opened", "current"]
#: The statuses that pause a clock with ``pause = true`` when a policy names none.
DEFAULT_PAUSED_STATUSES = ("waiting_on_customer", "pending")


class DayTargetFile(BaseModel):
    """A metric target in business days: ``{ business_days = 1, end_of_day = true }``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    business_days: StrictInt = Field(ge=0, le=MAX_BUSINESS_DAYS)
    end_of_day: StrictBool = False
