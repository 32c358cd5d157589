"""Calendar and policy files: TOML or JSON, validated with pydantic, errors name the field.

A calendar file::

    timezone = "America/Sao_Paulo"
    closed = ["2026-12-26"]

    [hours]
    mon-fri = ["09:00-12:00", "13:00-18:00"]

    [holidays]
    country = "BR"
    subdiv = "SP"
    categories = ["public", "optional"]

    [partial]
    "2026-02-18" = "14:00-18:00"   # Ash Wednesday opens at 14:00

    [extra_open]
    "2026-11-28" = "09:00-13:00"   # a working Saturday

A policy file has ``warning_share``, ``[[priorities]]``, ``[[escalation]]`` and an optional
``[calendar]`` table of the same form. Durations are hours (``target_hours = 4``) or ISO 8601
(``target = "PT4H"``).
"""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .calendar import DEFAULT_HOURS, DEFAULT_TIMEZONE, BusinessCalendar
from .errors import CalendarConfigError, InvalidHoursError, PolicyConfigError, SlaClockError
from .policy import (
    DEFAULT_POLICY_DATA,
    EscalationLevel,
    Priority,
    PriorityChangeMode,
    SlaPolicy,
)

__all__ = [
    "CalendarFile",
    "PolicyFile",
    "load_calendar",
    "load_policy",
    "policy_json_schema",
]

HoursValue = str | list[str]


class HolidaysFile(BaseModel):
    """The ``[holidays]`` table of a calendar file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str | None = Field(default="BR", description="ISO country code, or null for none.")
    subdiv: str | None = Field(default=None, description="Subdivision, e.g. 'SP'.")
    categories: list[str] = Field(default_factory=lambda: ["public"])


class CalendarFile(BaseModel):
    """The contents of a calendar file (or of a policy file's ``[calendar]`` table)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: str = Field(default=DEFAULT_TIMEZONE, description="IANA zone of the desk.")
    hours: dict[str, HoursValue] = Field(
        default_factory=lambda: dict(DEFAULT_HOURS),  # type: ignore[arg-type]
        description="Weekly hours: {'mon-fri': ['09:00-12:00', '13:00-18:00']}.",
    )
    holidays: HolidaysFile = Field(default_factory=HolidaysFile)
    closed: list[date] = Field(default_factory=list, description="Company closed dates.")
    partial: dict[date, HoursValue] = Field(
        default_factory=dict, description="Dates open part of the day."
    )
    extra_open: dict[date, HoursValue] = Field(
        default_factory=dict, description="Dates open though normally closed."
    )

    def to_calendar(self) -> BusinessCalendar:
        """Build the :class:`BusinessCalendar` this file describes."""
        return BusinessCalendar.create(
            hours=self.hours,
            timezone=self.timezone,
            country=self.holidays.country,
            subdiv=self.holidays.subdiv,
            categories=self.holidays.categories,
            closed_dates=self.closed,
            partial_days=self.partial,
            extra_open_days=self.extra_open,
        )


class PriorityFile(BaseModel):
    """A ``[[priorities]]`` entry: ``target`` (ISO 8601 or seconds) or ``target_hours``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    target: timedelta | None = None
    target_hours: float | None = Field(default=None, gt=0)
    name_en: str | None = None
    name_pt: str | None = None
    impact: str = ""
    impact_pt: str = ""

    @model_validator(mode="after")
    def _one_target(self) -> PriorityFile:
        if (self.target is None) == (self.target_hours is None):
            msg = f"priority {self.code!r} needs exactly one of target or target_hours"
            raise ValueError(msg)
        return self

    def to_priority(self) -> Priority:
        """Build the runtime :class:`Priority`."""
        target = self.target if self.target is not None else timedelta(hours=self.target_hours or 0)
        return Priority(
            code=self.code,
            target=target,
            name_en=self.name_en or self.code,
            name_pt=self.name_pt or self.name_en or self.code,
            impact=self.impact,
            impact_pt=self.impact_pt,
        )


class EscalationFile(BaseModel):
    """An ``[[escalation]]`` entry: ``offset`` (ISO 8601 or seconds) or ``offset_hours``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    name_pt: str | None = None
    offset: timedelta | None = None
    offset_hours: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_offset(self) -> EscalationFile:
        if self.offset is not None and self.offset_hours is not None:
            msg = f"escalation level {self.name!r} has both offset and offset_hours; keep one"
            raise ValueError(msg)
        return self

    def to_level(self) -> EscalationLevel:
        """Build the runtime :class:`EscalationLevel`."""
        offset = self.offset if self.offset is not None else timedelta(hours=self.offset_hours or 0)
        return EscalationLevel(name=self.name, name_pt=self.name_pt, offset=offset)


class PolicyFile(BaseModel):
    """The contents of a policy file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    warning_share: float = Field(default=0.75, gt=0, le=1)
    priorities: list[PriorityFile] = Field(min_length=1)
    escalation: list[EscalationFile] = Field(default_factory=list)
    priority_change: PriorityChangeMode = "recompute"
    calendar: CalendarFile = Field(default_factory=CalendarFile)

    def to_policy(self) -> SlaPolicy:
        """Build the runtime :class:`SlaPolicy`."""
        return SlaPolicy(
            priorities=tuple(p.to_priority() for p in self.priorities),
            warning_share=self.warning_share,
            escalation=tuple(level.to_level() for level in self.escalation),
            priority_change=self.priority_change,
            calendar=self.calendar.to_calendar(),
        )


def _read(path: str | Path, error: type[SlaClockError]) -> Any:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"cannot read {file}: {exc.strerror or exc}; check the path"
        raise error(msg) from exc
    try:
        if file.suffix.lower() == ".json":
            return json.loads(text)
        return tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        kind = "JSON" if file.suffix.lower() == ".json" else "TOML"
        msg = f"{file} is not valid {kind}: {exc}"
        raise error(msg) from exc


def _field_errors(file: str | Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(item) for item in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    return f"{file}: bad field " + "; ".join(parts)


def load_calendar(path: str | Path) -> BusinessCalendar:
    """Load a :class:`BusinessCalendar` from a TOML or JSON calendar file.

    Raises:
        CalendarConfigError: unreadable file, bad syntax, or a bad field (named).
    """
    data = _read(path, CalendarConfigError)
    try:
        return CalendarFile.model_validate(data).to_calendar()
    except ValidationError as exc:
        raise CalendarConfigError(_field_errors(path, exc)) from None
    except (InvalidHoursError, CalendarConfigError) as exc:
        msg = f"{path}: {exc}"
        raise CalendarConfigError(msg) from None


def load_policy(path: str | Path) -> SlaPolicy:
    """Load an :class:`SlaPolicy` from a TOML or JSON policy file.

    Raises:
        PolicyConfigError: unreadable file, bad syntax, or a bad field (named).
    """
    data = _read(path, PolicyConfigError)
    try:
        return PolicyFile.model_validate(data).to_policy()
    except ValidationError as exc:
        raise PolicyConfigError(_field_errors(path, exc)) from None
    except (InvalidHoursError, CalendarConfigError) as exc:
        msg = f"{path}: calendar: {exc}"
        raise PolicyConfigError(msg) from None


def policy_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of policy files (for editors and validation)."""
    return PolicyFile.model_json_schema()


def default_policy_file() -> PolicyFile:
    """Return the default policy in file form (what ``sla-clock policy --json`` prints)."""
    data = dict(DEFAULT_POLICY_DATA)
    return PolicyFile.model_validate(data)
