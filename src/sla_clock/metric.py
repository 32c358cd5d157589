"""A metric of a policy: which clock it is, its targets per priority, and what pauses it.

sla-clock knows two metrics, each with fixed start and stop rules
(``docs/ticket-histories.md``):

- ``resolution`` starts at the opening and stops at the resolution; by default its targets
  are the priorities' own, and the policy's ``paused_statuses`` pause it;
- ``first_response`` starts at the opening and stops at the first agent reply or at the
  resolution, whichever comes first; a reopen never restarts it, and it does not pause unless
  the metric says ``pause = true``.

>>> from datetime import timedelta
>>> m = Metric(name="first_response", targets={"P0": timedelta(hours=1)})
>>> m.pause, sorted(m.targets)
(False, ['P0'])
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ._durations import MAX_BUSINESS_DAYS, check_business_time, check_day_target
from .calendar import BusinessCalendar
from .config import CalendarFile, DayTargetFile, MetricFile, MetricName

__all__ = [
    "DEFAULT_METRICS",
    "DaysTarget",
    "Metric",
    "MetricName",
    "calendar_of",
    "metric_from_file",
    "metric_to_file",
]


class DaysTarget(BaseModel):
    """A metric's target in business days (see ``docs/business-days.md``).

    >>> DaysTarget(business_days=1, end_of_day=True).business_days
    1
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    business_days: int = Field(ge=0, le=MAX_BUSINESS_DAYS, strict=True)
    end_of_day: bool = Field(default=False, strict=True)

    @model_validator(mode="after")
    def _meaningful(self) -> DaysTarget:
        check_day_target("metric", self.business_days, end_of_day=self.end_of_day)
        return self


class Metric(BaseModel):
    """One SLA metric of a policy.

    Attributes:
        name: ``"resolution"`` or ``"first_response"``.
        targets: the target per priority code (business time, or :class:`DaysTarget`); a
            priority without one has no row of this metric. ``None`` (only for
            ``resolution``): the priorities' own targets.
        pause: whether the policy's ``paused_statuses`` stop this clock; by default only
            ``resolution`` pauses.
        calendar: the calendar this metric counts on, or ``None`` for the priority's (or the
            policy's).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    name: MetricName
    targets: dict[str, timedelta | DaysTarget] | None = None
    pause: bool = False  # when not given: True for resolution (see _default_pause)
    calendar: BusinessCalendar | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_pause(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("pause") is None:
            return {**data, "pause": data.get("name") == "resolution"}
        return data

    @model_validator(mode="after")
    def _check(self) -> Metric:
        if self.targets is None:
            if self.name != "resolution":
                msg = f"metric {self.name!r} needs targets, e.g. {{'P0': timedelta(hours=1)}}"
                raise ValueError(msg)
            return self
        for code, target in self.targets.items():
            if isinstance(target, timedelta):
                if target <= timedelta(0):
                    msg = f"target of {code} must be a positive duration, got {target}"
                    raise ValueError(msg)
                check_business_time(target, "target")
        return self

    def target_of(self, code: str) -> timedelta | DaysTarget | None:
        """Return this metric's own target for priority ``code`` (case-insensitive), if any."""
        if self.targets is None:
            return None
        wanted = code.strip().upper()
        for name, target in self.targets.items():
            if name.strip().upper() == wanted:
                return target
        return None


#: The metrics of a policy that names none: resolution, on the priorities' own targets.
DEFAULT_METRICS = (Metric(name="resolution"),)


def calendar_of(value: CalendarFile | str | None) -> BusinessCalendar | None:
    """Return the calendar a file's ``calendar`` names: a table, or a file's path.

    ``config.read_policy`` reads paths relative to the policy file; a path left in data built
    in Python is read relative to the current folder.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return BusinessCalendar.from_file(value)
    return BusinessCalendar.from_data(value)


def metric_from_file(data: MetricFile) -> Metric:
    """Build a metric from a policy file's ``[[metrics]]`` entry."""
    targets: dict[str, timedelta | DaysTarget] | None = None
    if data.targets is not None:
        targets = {
            code: (
                DaysTarget(business_days=t.business_days, end_of_day=t.end_of_day)
                if isinstance(t, DayTargetFile)
                else t
            )
            for code, t in data.targets.items()
        }
    return Metric(
        name=data.name, targets=targets, pause=data.pauses(), calendar=calendar_of(data.calendar)
    )


def metric_to_file(metric: Metric) -> MetricFile:
    """Return a metric as a policy file's ``[[metrics]]`` entry."""
    targets: dict[str, timedelta | DayTargetFile] | None = None
    if metric.targets is not None:
        targets = {
            code: (
                DayTargetFile(business_days=t.business_days, end_of_day=t.end_of_day)
                if isinstance(t, DaysTarget)
                else t
            )
            for code, t in metric.targets.items()
        }
    calendar = None if metric.calendar is None else metric.calendar.to_data()
    return MetricFile(name=metric.name, targets=targets, pause=metric.pause, calendar=calendar)
