"""The rows of a policy: a priority with its target, and a rung of the escalation ladder."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ._durations import MAX_BUSINESS_DAYS, check_business_time, check_day_target
from .calendar import BusinessCalendar
from .config._durations import hours_text

__all__ = ["EscalationLevel", "Priority"]


class Priority(BaseModel):
    """One priority level: its code, its business-time target and how it is described.

    Attributes:
        code: the short code used on tickets, e.g. ``"P0"`` (one word, case-insensitive).
        target: the business time allowed to solve a ticket of this priority: positive, at
            most :data:`MAX_BUSINESS_HOURS` (100,000) business hours.
        target_business_days: instead of ``target``, the business days allowed ("5 dias
            úteis"), at most 10,000: see ``docs/business-days.md``.
        end_of_day: with ``target_business_days``, the deadline is the last close of the
            day rather than the same wall time.
        calendar: the calendar this priority's clocks count on (a P0 counted 24x7), or
            ``None`` for the policy's.
        name_en: the English name, e.g. ``"Highest"``.
        name_pt: the Portuguese name, e.g. ``"Altíssima"``.
        impact: the impact description of the support document, in English.
        impact_pt: the impact description in Portuguese, or ``""`` to show ``impact``.

    >>> Priority(code="P9", target=timedelta(hours=2), name_en="Urgent", name_pt="Urgente").code
    'P9'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    code: str = Field(min_length=1, description="Short code used on tickets, e.g. 'P0'.")
    target: timedelta | None = Field(
        default=None, description="Business time allowed to solve the ticket."
    )
    target_business_days: int | None = Field(
        default=None,
        ge=0,
        le=MAX_BUSINESS_DAYS,
        strict=True,
        description="Business days allowed instead of a business time (see end_of_day).",
    )
    end_of_day: bool = Field(
        default=False,
        strict=True,
        description="With target_business_days: due at the last close of the day, not the "
        "same wall time.",
    )
    name_en: str = Field(description="English name, e.g. 'Highest'.")
    name_pt: str = Field(description="Portuguese name, e.g. 'Altíssima'.")
    impact: str = Field(default="", description="Impact description from the support document.")
    impact_pt: str = Field(
        default="", description="Impact description in Portuguese; default: impact."
    )
    calendar: BusinessCalendar | None = Field(
        default=None, description="The calendar this priority counts on; default: the policy's."
    )

    @field_validator("code")
    @classmethod
    def _clean_code(cls, value: str) -> str:
        code = value.strip()
        if not code or any(ch.isspace() for ch in code):
            msg = f"priority code {value!r} must be one word without spaces, e.g. 'P0'"
            raise ValueError(msg)
        return code

    @field_validator("target", mode="before")
    @classmethod
    def _hours_only(cls, value: object) -> object:
        return hours_text(value, "target")  # "P5D" is not 120 business hours

    @field_validator("target")
    @classmethod
    def _positive(cls, value: timedelta | None) -> timedelta | None:
        if value is None:
            return None
        if value <= timedelta(0):
            msg = f"target must be a positive duration, got {value}; e.g. 'PT4H' or 14400"
            raise ValueError(msg)
        return check_business_time(value, "target")

    @model_validator(mode="after")
    def _one_target(self) -> Priority:
        if (self.target is None) == (self.target_business_days is None):
            msg = f"priority {self.code!r} needs exactly one of target or target_business_days"
            raise ValueError(msg)
        check_day_target(self.code, self.target_business_days, end_of_day=self.end_of_day)
        return self


class EscalationLevel(BaseModel):
    """A rung of the escalation ladder, reached at a business-time offset from the deadline.

    Attributes:
        name: who is alerted, e.g. ``"team leaders"``.
        name_pt: the Portuguese name, or ``None`` to use ``name``.
        offset: business time after the deadline (negative: before it, as GLPI escalates
            ahead of a breach; at most :data:`MAX_BUSINESS_HOURS` either way
            business hours); the level is reached once the ticket has used more than its
            target plus this offset.

    >>> EscalationLevel(name="coordination", offset=timedelta(hours=4)).offset
    datetime.timedelta(seconds=14400)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, description="Who is alerted, e.g. 'team leaders'.")
    name_pt: str | None = Field(
        default=None, description="Portuguese name, e.g. 'líderes de equipe'; default: name."
    )
    offset: timedelta = Field(
        default=timedelta(0),
        description="Business time after the deadline at which this level is reached.",
    )

    @field_validator("offset", mode="before")
    @classmethod
    def _hours_only(cls, value: object) -> object:
        return hours_text(value, "offset")

    @field_validator("offset")
    @classmethod
    def _bounded(cls, value: timedelta) -> timedelta:
        return check_business_time(value, "offset")
