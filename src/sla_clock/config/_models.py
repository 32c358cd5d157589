"""The models of calendar and policy files: validated plain data, no values.

Each file format is a frozen pydantic model (``extra="forbid"``, so a mistyped key is named).
The values build themselves from these models (``BusinessCalendar.from_data``,
``SlaPolicy.from_data``) and give them back (``to_data``); this module imports none of them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
    model_validator,
)

from .._durations import MAX_BUSINESS_DAYS, check_day_target
from ._dates import FileDate, one_entry_per_date
from ._durations import bounded_hours, bounded_time, hours_number, hours_text
from ._metrics import (
    DEFAULT_PAUSED_STATUSES,
    DayTargetFile,
    MetricName,
    OnReopen,
    PolicyVersionMode,
)

__all__ = [
    "DEFAULT_HOURS",
    "DEFAULT_TIMEZONE",
    "CalendarFile",
    "CalendarVersionFile",
    "EscalationFile",
    "HolidaysFile",
    "HoursValue",
    "MetricFile",
    "PolicyFile",
    "PolicyVersionFile",
    "PriorityChangeMode",
    "PriorityFile",
]

#: The desk of the support document: its zone and its weekly hours.
DEFAULT_TIMEZONE = "America/Sao_Paulo"
DEFAULT_HOURS: dict[str, str | list[str]] = {"mon-fri": "09:00-18:00"}

#: What a priority change does: ``recompute`` applies the new target to the business time
#: used since the opening (pauses kept); ``restart`` starts a new clock at the change.
PriorityChangeMode = Literal["recompute", "restart"]

HoursValue = str | list[str]


class HolidaysFile(BaseModel):
    """The ``[holidays]`` table of a calendar file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str | None = Field(
        default="BR",
        description='ISO country code, or "none" (null in JSON) for no public holidays.',
    )
    subdiv: str | None = Field(default=None, description="Subdivision, e.g. 'SP'.")
    categories: list[str] = Field(default_factory=lambda: ["public"])

    @field_validator("country", mode="before")
    @classmethod
    def _no_country(cls, value: Any) -> Any:
        """TOML has no null: ``country = "none"`` (any case) means no public holidays."""
        if isinstance(value, str) and value.strip().lower() == "none":
            return None
        return value


class CalendarVersionFile(BaseModel):
    """A ``[[versions]]`` entry: the rules in force from a local date (see docs/versions.md).

    Only what changes is given; the rest carries over from the version before. ``hours``
    replaces the whole weekly table. Closed dates, partial days and extra open days stay
    top-level: they are dates, whatever the version.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    start: FileDate = Field(alias="from", description="Local date, in force from its 00:00.")
    timezone: str | None = Field(default=None, description="The same zone (a change is not yet).")
    hours: dict[str, HoursValue] | None = None
    holidays: HolidaysFile | None = None


class CalendarFile(BaseModel):
    """The contents of a calendar file (or of a policy file's ``[calendar]`` table)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: str = Field(default=DEFAULT_TIMEZONE, description="IANA zone of the desk.")
    hours: dict[str, HoursValue] = Field(
        default_factory=lambda: dict(DEFAULT_HOURS),
        description="Weekly hours: {'mon-fri': ['09:00-12:00', '13:00-18:00']}.",
    )
    holidays: HolidaysFile = Field(default_factory=HolidaysFile)
    closed: list[FileDate] = Field(default_factory=list, description="Company closed dates.")
    partial: dict[FileDate, HoursValue] = Field(
        default_factory=dict, description="Dates open part of the day."
    )
    extra_open: dict[FileDate, HoursValue] = Field(
        default_factory=dict, description="Dates open though normally closed."
    )
    versions: list[CalendarVersionFile] = Field(
        default_factory=list, description="Rules in force from later dates."
    )
    closures_ics: str | None = Field(
        default=None,
        description="An iCalendar file of closures (relative to this file); see docs/ics.md.",
        min_length=1,
    )

    @field_validator("partial", "extra_open", mode="before")
    @classmethod
    def _dates_once(cls, value: Any) -> Any:
        return one_entry_per_date(value)


class PriorityFile(BaseModel):
    """A ``[[priorities]]`` entry: one of ``target``, ``target_hours``, ``target_business_days``.

    ``target`` (ISO 8601 or seconds) and ``target_hours`` are business hours, finite and at
    most ``MAX_BUSINESS_HOURS``; a ``target`` with days, weeks, months or years (``"P5D"``)
    is refused. ``target_business_days`` counts business days (see ``docs/business-days.md``),
    at the same wall time or, with ``end_of_day = true``, to the day's last close.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    target: timedelta | None = None
    target_hours: float | None = Field(default=None, gt=0)
    target_business_days: StrictInt | None = Field(default=None, ge=0, le=MAX_BUSINESS_DAYS)
    end_of_day: StrictBool = False
    #: The calendar this priority's clocks count on (a table, or a file's path).
    calendar: CalendarFile | str | None = None
    name_en: str | None = None
    name_pt: str | None = None
    impact: str = ""
    impact_pt: str = ""

    @field_validator("target", mode="before")
    @classmethod
    def _target_text(cls, value: object) -> object:
        return hours_text(value, "target")

    @field_validator("target_hours", mode="before")
    @classmethod
    def _target_number(cls, value: object) -> object:
        return hours_number(value, "target_hours")

    @field_validator("target")
    @classmethod
    def _target_bound(cls, value: timedelta | None) -> timedelta | None:
        return bounded_time(value, "target")

    @field_validator("target_hours")
    @classmethod
    def _target_hours_bound(cls, value: float | None) -> float | None:
        return bounded_hours(value, "target_hours")

    @model_validator(mode="after")
    def _one_target(self) -> PriorityFile:
        given = [self.target, self.target_hours, self.target_business_days]
        if sum(value is not None for value in given) != 1:
            msg = (
                f"priority {self.code!r} needs exactly one of target, target_hours or "
                "target_business_days"
            )
            raise ValueError(msg)
        check_day_target(self.code, self.target_business_days, end_of_day=self.end_of_day)
        return self


class EscalationFile(BaseModel):
    """An ``[[escalation]]`` entry: ``offset`` (hours as ISO 8601, or seconds) or ``offset_hours``.

    The same rules as a priority's target: business hours, finite, at most
    ``MAX_BUSINESS_HOURS``, and no days, weeks, months or years in text.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    name_pt: str | None = None
    offset: timedelta | None = None
    offset_hours: float | None = None

    @field_validator("offset", mode="before")
    @classmethod
    def _offset_text(cls, value: object) -> object:
        return hours_text(value, "offset")

    @field_validator("offset_hours", mode="before")
    @classmethod
    def _offset_number(cls, value: object) -> object:
        return hours_number(value, "offset_hours")

    @field_validator("offset")
    @classmethod
    def _offset_bound(cls, value: timedelta | None) -> timedelta | None:
        return bounded_time(value, "offset")

    @field_validator("offset_hours")
    @classmethod
    def _offset_hours_bound(cls, value: float | None) -> float | None:
        return bounded_hours(value, "offset_hours")

    @model_validator(mode="after")
    def _one_offset(self) -> EscalationFile:
        if self.offset is not None and self.offset_hours is not None:
            msg = f"escalation level {self.name!r} has both offset and offset_hours; keep one"
            raise ValueError(msg)
        return self


class MetricFile(BaseModel):
    """A ``[[metrics]]`` entry.

    ``targets`` names a target per priority code (a priority without one has no row of this
    metric); ``resolution`` may leave it out and use the priorities' own targets. ``pause``
    says whether the statuses of ``paused_statuses`` stop the clock (default: only for
    ``resolution``). ``calendar`` is a calendar table or the path of a calendar file
    (relative to the policy file).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: MetricName
    targets: dict[str, timedelta | DayTargetFile] | None = None
    pause: StrictBool | None = None
    #: A calendar table, or a file's path (``config.read_policy`` reads it, relative to the
    #: policy file).
    calendar: CalendarFile | str | None = None

    @field_validator("targets", mode="before")
    @classmethod
    def _target_texts(cls, value: object) -> object:
        if isinstance(value, dict):
            return {
                code: target if isinstance(target, dict) else hours_text(target, "target")
                for code, target in value.items()
            }
        return value

    @field_validator("targets")
    @classmethod
    def _targets_bound(
        cls, value: dict[str, timedelta | DayTargetFile] | None
    ) -> dict[str, timedelta | DayTargetFile] | None:
        if value is None:
            return None
        for code, target in value.items():
            if isinstance(target, DayTargetFile):
                check_day_target(code, target.business_days, end_of_day=target.end_of_day)
            else:
                if target <= timedelta(0):
                    msg = f"target of {code} must be a positive duration, got {target}"
                    raise ValueError(msg)
                bounded_time(target, "target")
        return value

    def pauses(self) -> bool:
        """Whether paused statuses stop this metric's clock."""
        return self.pause if self.pause is not None else self.name == "resolution"


def _check_shares(value: list[float] | None) -> list[float] | None:
    if value is not None and (
        any(not 0 < share <= 1 for share in value) or value != sorted(set(value))
    ):
        msg = f"warn_at {value} must be shares in (0, 1], increasing, e.g. [0.5, 0.75, 0.9]"
        raise ValueError(msg)
    return value


class PolicyVersionFile(BaseModel):
    """A policy's ``[[versions]]`` entry: what changes from a local date (docs/versions.md).

    A priority listed replaces that code's target and keeps its names unless given; the
    other codes carry over. ``escalation`` replaces the whole ladder.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    start: FileDate = Field(alias="from", description="Local date, in force from its 00:00.")
    warning_share: float | None = Field(default=None, gt=0, le=1)
    warn_at: list[float] | None = Field(default=None, min_length=1)
    priorities: list[PriorityFile] = Field(default_factory=list)
    escalation: list[EscalationFile] | None = None

    @field_validator("warn_at")
    @classmethod
    def _shares(cls, value: list[float] | None) -> list[float] | None:
        return _check_shares(value)


class PolicyFile(BaseModel):
    """The contents of a policy file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    warning_share: float = Field(default=0.75, gt=0, le=1)
    warn_at: list[float] | None = Field(default=None, min_length=1)
    priorities: list[PriorityFile] = Field(min_length=1)
    escalation: list[EscalationFile] = Field(default_factory=list)
    priority_change: PriorityChangeMode = "recompute"
    paused_statuses: list[str] = Field(default_factory=lambda: list(DEFAULT_PAUSED_STATUSES))
    on_reopen: OnReopen = "continue"
    metrics: list[MetricFile] = Field(default_factory=lambda: [MetricFile(name="resolution")])
    calendar: CalendarFile = Field(default_factory=CalendarFile)
    versions: list[PolicyVersionFile] = Field(
        default_factory=list, description="Targets, warnings and ladders from later dates."
    )
    policy_version: PolicyVersionMode = "opened"

    @field_validator("warn_at")
    @classmethod
    def _shares(cls, value: list[float] | None) -> list[float] | None:
        return _check_shares(value)

    @field_validator("metrics")
    @classmethod
    def _metrics_once(cls, value: list[MetricFile]) -> list[MetricFile]:
        names = [metric.name for metric in value]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            msg = f"metrics {twice} are defined twice; give each metric once"
            raise ValueError(msg)
        for metric in value:
            if metric.name != "resolution" and metric.targets is None:
                msg = f'metric {metric.name!r} needs targets, e.g. targets = {{ P0 = "PT1H" }}'
                raise ValueError(msg)
        return value
