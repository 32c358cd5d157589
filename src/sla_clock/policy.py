"""SLA policies: the priority table, the warning share, the escalation ladder and a calendar.

The default policy is the support document's table (see ``DESIGN.md``):

====  =========  =====  ==========================================================
code  name (pt)  target impact
====  =========  =====  ==========================================================
P0    Altíssima  4 h    total unavailability, e.g. the whole system blocked
P1    Alta       12 h   partial unavailability, e.g. a payment slip for a blocked customer
P2    Média      40 h   no unavailability: invoice disputes, contract termination
P3    Baixa      48 h   no unavailability: any other request
====  =========  =====  ==========================================================
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ._clock import ClockRule, ClockRules
from ._durations import MAX_BUSINESS_HOURS, check_business_time
from .calendar import BusinessCalendar
from .config import (
    DEFAULT_POLICY_DATA,
    EscalationFile,
    PolicyFile,
    PriorityChangeMode,
    PriorityFile,
    field_errors,
    read_policy,
)
from .errors import (
    CalendarConfigError,
    InvalidHoursError,
    PolicyConfigError,
    UnknownPriorityError,
)
from .status import status_of

if TYPE_CHECKING:
    from .status import SlaStatus
    from .ticket import Ticket

#: Only what users need; the rest of this module serves the engine's other rooms.
__all__ = ["MAX_BUSINESS_HOURS", "EscalationLevel", "Priority", "PriorityChangeMode", "SlaPolicy"]


class Priority(BaseModel):
    """One priority level: its code, its business-time target and how it is described.

    Attributes:
        code: the short code used on tickets, e.g. ``"P0"`` (one word, case-insensitive).
        target: the business time allowed to solve a ticket of this priority: positive, at
            most :data:`MAX_BUSINESS_HOURS` (100,000) business hours.
        name_en: the English name, e.g. ``"Highest"``.
        name_pt: the Portuguese name, e.g. ``"Altíssima"``.
        impact: the impact description of the support document, in English.
        impact_pt: the impact description in Portuguese, or ``""`` to show ``impact``.

    >>> Priority(code="P9", target=timedelta(hours=2), name_en="Urgent", name_pt="Urgente").code
    'P9'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1, description="Short code used on tickets, e.g. 'P0'.")
    target: timedelta = Field(description="Business time allowed to solve the ticket.")
    name_en: str = Field(description="English name, e.g. 'Highest'.")
    name_pt: str = Field(description="Portuguese name, e.g. 'Altíssima'.")
    impact: str = Field(default="", description="Impact description from the support document.")
    impact_pt: str = Field(
        default="", description="Impact description in Portuguese; default: impact."
    )

    @field_validator("code")
    @classmethod
    def _clean_code(cls, value: str) -> str:
        code = value.strip()
        if not code or any(ch.isspace() for ch in code):
            msg = f"priority code {value!r} must be one word without spaces, e.g. 'P0'"
            raise ValueError(msg)
        return code

    @field_validator("target")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            msg = f"target must be a positive duration, got {value}; e.g. 'PT4H' or 14400"
            raise ValueError(msg)
        return check_business_time(value, "target")


class EscalationLevel(BaseModel):
    """A rung of the escalation ladder, reached at a business-time offset from the deadline.

    Attributes:
        name: who is alerted, e.g. ``"team leaders"``.
        name_pt: the Portuguese name, or ``None`` to use ``name``.
        offset: business time after the deadline (>= 0, at most :data:`MAX_BUSINESS_HOURS`
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

    @field_validator("offset")
    @classmethod
    def _not_negative(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            msg = f"escalation offset must be zero or positive, got {value}"
            raise ValueError(msg)
        return check_business_time(value, "offset")


#: What a policy computes once from its fields and keeps (never copied nor pickled).
_CACHED = ("_clock_rules", "clock_rules")


class SlaPolicy(BaseModel):
    """Targets per priority, a warning share, an escalation ladder and the calendar they run on.

    Attributes:
        priorities: the priority table; codes are unique, case-insensitively.
        warning_share: the share of the target from which a ticket is ``at_risk`` (0.75).
        escalation: the ladder, in order of increasing offset.
        priority_change: ``"recompute"`` (default) or ``"restart"``, see
            :data:`PriorityChangeMode`.
        calendar: the business calendar the targets are counted on.

    >>> from zoneinfo import ZoneInfo
    >>> opened = datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> SlaPolicy.default().due_at(opened, "P1").isoformat()
    '2026-11-26T11:30:00-03:00'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    priorities: tuple[Priority, ...] = Field(min_length=1)
    warning_share: float = Field(default=0.75, gt=0, le=1)
    escalation: tuple[EscalationLevel, ...] = ()
    priority_change: PriorityChangeMode = "recompute"
    calendar: BusinessCalendar = Field(default_factory=BusinessCalendar.default)

    @model_validator(mode="after")
    def _check(self) -> SlaPolicy:
        codes = [p.code.upper() for p in self.priorities]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            msg = f"priority codes {duplicates} are defined twice; give each code once"
            raise ValueError(msg)
        offsets = [level.offset for level in self.escalation]
        if offsets != sorted(offsets):
            msg = "escalation levels must be in order of increasing offset"
            raise ValueError(msg)
        return self

    @classmethod
    @functools.cache
    def default(cls) -> SlaPolicy:
        """Return the support document's policy on :meth:`BusinessCalendar.default`."""
        return cls.model_validate(DEFAULT_POLICY_DATA)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> SlaPolicy:
        """Load a policy from a TOML or JSON file (see ``docs/policy-files.md``).

        Raises:
            PolicyConfigError: the file is missing, does not parse or has a bad field; the
                message names the file and the field.
        """
        data = read_policy(path)
        try:
            return cls.from_data(data)
        except ValidationError as exc:
            raise PolicyConfigError(field_errors(path, exc)) from None
        except (InvalidHoursError, CalendarConfigError) as exc:
            msg = f"{path}: calendar: {exc}"
            raise PolicyConfigError(msg) from None

    @classmethod
    def from_data(cls, data: PolicyFile) -> SlaPolicy:
        """Build the policy a policy file's validated data describes.

        Raises:
            pydantic.ValidationError: a priority or level the data describes is invalid.
            InvalidHoursError, CalendarConfigError: its calendar is.

        >>> SlaPolicy.from_data(SlaPolicy.default().to_data()) == SlaPolicy.default()
        True
        """
        priorities = []
        for p in data.priorities:
            target = p.target if p.target is not None else timedelta(hours=p.target_hours or 0)
            priorities.append(
                Priority(
                    code=p.code,
                    target=target,
                    name_en=p.name_en or p.code,
                    name_pt=p.name_pt or p.name_en or p.code,
                    impact=p.impact,
                    impact_pt=p.impact_pt,
                )
            )
        levels = []
        for e in data.escalation:
            offset = e.offset if e.offset is not None else timedelta(hours=e.offset_hours or 0)
            levels.append(EscalationLevel(name=e.name, name_pt=e.name_pt, offset=offset))
        return cls(
            priorities=tuple(priorities),
            warning_share=data.warning_share,
            escalation=tuple(levels),
            priority_change=data.priority_change,
            calendar=BusinessCalendar.from_data(data.calendar),
        )

    def to_data(self) -> PolicyFile:
        """Return the policy as a policy file's data (``from_data`` builds it back).

        Durations are given as hours (``target_hours``, ``offset_hours``).

        >>> [p.target_hours for p in SlaPolicy.default().to_data().priorities]
        [4.0, 12.0, 40.0, 48.0]
        """
        one_hour = timedelta(hours=1)
        return PolicyFile(
            warning_share=self.warning_share,
            priority_change=self.priority_change,
            priorities=[
                PriorityFile(
                    code=p.code,
                    target_hours=p.target / one_hour,
                    name_en=p.name_en,
                    name_pt=p.name_pt,
                    impact=p.impact,
                    impact_pt=p.impact_pt,
                )
                for p in self.priorities
            ],
            escalation=[
                EscalationFile(
                    name=level.name, name_pt=level.name_pt, offset_hours=level.offset / one_hour
                )
                for level in self.escalation
            ],
            calendar=self.calendar.to_data(),
        )

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> SlaPolicy:
        """Return a copy, as pydantic does, without the rules cached from the original."""
        copy = super().model_copy(update=update, deep=deep)
        for name in _CACHED:
            copy.__dict__.pop(name, None)
        return copy

    def __getstate__(self) -> dict[Any, Any]:
        """Pickle the policy's data only; its integer rules are rebuilt where it is used."""
        state = super().__getstate__()
        values = {k: v for k, v in state["__dict__"].items() if k not in _CACHED}
        return {**state, "__dict__": values}

    def with_calendar(self, calendar: BusinessCalendar) -> SlaPolicy:
        """Return a copy of the policy on another calendar."""
        return self.model_copy(update={"calendar": calendar})

    @functools.cached_property
    def _clock_rules(self) -> dict[str, ClockRule]:
        one_us = timedelta(microseconds=1)
        rules: dict[str, ClockRule] = {}
        for p in self.priorities:
            target = p.target // one_us
            thresholds = tuple(target + level.offset // one_us for level in self.escalation)
            rules[p.code.upper()] = ClockRule(
                p.code, target, int(target * self.warning_share), thresholds
            )
        return rules

    @functools.cached_property
    def clock_rules(self) -> ClockRules:
        """What the ticket clock needs of this policy, in integer microseconds.

        The calendar, each priority's thresholds (:meth:`clock_rule`), whether a priority
        change restarts the clock, and the escalation levels' names: the status, the
        vectorised engine and :func:`~sla_clock.next_change` take these as arguments.

        >>> SlaPolicy.default().clock_rules.level_names
        ('team leaders', 'coordination', 'management')
        """
        return ClockRules(
            calendar=self.calendar,
            rule_of=self.clock_rule,
            restart=self.priority_change == "restart",
            level_names=tuple(level.name for level in self.escalation),
        )

    def clock_rule(self, code: str) -> ClockRule:
        """Return the integer thresholds of priority ``code`` (for status computations).

        Raises:
            UnknownPriorityError: the policy has no such code.
        """
        rule = self._clock_rules.get(code) or self._clock_rules.get(code.strip().upper())
        if rule is None:
            self.priority(code)  # raises the UnknownPriorityError with the known codes
        assert rule is not None
        return rule

    @property
    def codes(self) -> tuple[str, ...]:
        """The priority codes, in table order."""
        return tuple(p.code for p in self.priorities)

    def priority(self, code: str) -> Priority:
        """Return the priority called ``code`` (case-insensitive).

        Raises:
            UnknownPriorityError: the policy has no such code.

        >>> SlaPolicy.default().priority("p2").name_pt
        'Média'
        """
        wanted = code.strip().upper()
        for p in self.priorities:
            if p.code.upper() == wanted:
                return p
        known = ", ".join(self.codes)
        msg = f"unknown priority {code!r}; this policy defines {known}"
        raise UnknownPriorityError(msg)

    def target(self, code: str) -> timedelta:
        """Return the business-time target of priority ``code``."""
        return self.priority(code).target

    def due_at(self, opened_at: datetime, code: str) -> datetime:
        """Return the deadline of a ticket of priority ``code`` opened at ``opened_at``."""
        return self.calendar.add(opened_at, self.target(code))

    def status(self, ticket: Ticket, now: datetime) -> SlaStatus:
        """Return the SLA status of ``ticket`` at ``now`` (see :mod:`sla_clock.status`).

        Raises:
            NaiveDatetimeError: ``now`` has no timezone.
            TicketError: the ticket breaks a ticket rule, e.g. ``now`` before its opening.
            UnknownPriorityError: the ticket uses a priority the policy does not define.
        """
        return status_of(self.clock_rules, ticket, now)
