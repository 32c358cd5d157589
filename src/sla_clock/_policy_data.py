"""A policy file's data to a policy's fields and back (``SlaPolicy.from_data``, ``to_data``).

A version's priority keeps the names, impacts and calendar of the code's priority in force
before it unless it gives them: the file says only what changes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

from ._policy_versions import PolicyVersion
from .calendar import BusinessCalendar
from .config import (
    EscalationFile,
    OnReopen,
    PolicyFile,
    PolicyVersionFile,
    PolicyVersionMode,
    PriorityChangeMode,
    PriorityFile,
)
from .metric import Metric, calendar_of, metric_from_file, metric_to_file
from .priority import EscalationLevel, Priority

__all__ = ["policy_fields", "policy_file"]

_ONE_HOUR = timedelta(hours=1)
#: What a version's priority carries over from the one before when the file leaves it out.
_CARRIED = ("name_en", "name_pt", "impact", "impact_pt", "calendar")


def policy_fields(data: PolicyFile) -> dict[str, Any]:
    """The fields of the policy ``data`` describes (``SlaPolicy(**fields)`` validates them)."""
    priorities = tuple(_priority(p, None) for p in data.priorities)
    return {
        "priorities": priorities,
        "warning_share": data.warning_share,
        "escalation": _ladder(data.escalation),
        "priority_change": data.priority_change,
        "calendar": BusinessCalendar.from_data(data.calendar),
        "warn_at": None if data.warn_at is None else tuple(data.warn_at),
        "paused_statuses": tuple(data.paused_statuses),
        "on_reopen": data.on_reopen,
        "metrics": tuple(metric_from_file(m) for m in data.metrics),
        "versions": _versions(data.versions, priorities),
        "policy_version": data.policy_version,
    }


def _versions(
    files: list[PolicyVersionFile], priorities: tuple[Priority, ...]
) -> tuple[PolicyVersion, ...]:
    """The versions in date order, each priority completed from the one in force before."""
    in_force = {p.code.upper(): p for p in priorities}
    found = []
    for v in sorted(files, key=lambda v: v.start):
        changed = tuple(_priority(p, in_force.get(p.code.strip().upper())) for p in v.priorities)
        in_force |= {p.code.upper(): p for p in changed}
        found.append(
            PolicyVersion(
                start=v.start,
                priorities=changed,
                warning_share=v.warning_share,
                warn_at=None if v.warn_at is None else tuple(v.warn_at),
                escalation=None if v.escalation is None else _ladder(v.escalation),
            )
        )
    return tuple(found)


def _priority(p: PriorityFile, before: Priority | None) -> Priority:
    """The priority a file entry describes; what it leaves out comes from ``before``."""
    target = p.target
    if p.target_hours is not None:
        target = timedelta(hours=p.target_hours)
    given = p.model_fields_set
    own: dict[str, Any] = {
        "name_en": p.name_en or p.code,
        "name_pt": p.name_pt or p.name_en or p.code,
        "impact": p.impact,
        "impact_pt": p.impact_pt,
        "calendar": calendar_of(p.calendar),
    }
    if before is not None:
        kept = {name: getattr(before, name) for name in _CARRIED if name not in given}
        if "name_en" in given and "name_pt" not in given:
            kept["name_pt"] = p.name_en
        own |= kept
    return Priority(
        code=p.code,
        target=target,
        target_business_days=p.target_business_days,
        end_of_day=p.end_of_day,
        **own,
    )


def _ladder(files: list[EscalationFile]) -> tuple[EscalationLevel, ...]:
    levels = []
    for e in files:
        offset = e.offset if e.offset is not None else timedelta(hours=e.offset_hours or 0)
        levels.append(EscalationLevel(name=e.name, name_pt=e.name_pt, offset=offset))
    return tuple(levels)


class _Policy(Protocol):
    """What :func:`policy_file` reads of an ``SlaPolicy`` (which imports this module)."""

    @property
    def priorities(self) -> tuple[Priority, ...]: ...
    @property
    def warning_share(self) -> float: ...
    @property
    def escalation(self) -> tuple[EscalationLevel, ...]: ...
    @property
    def priority_change(self) -> PriorityChangeMode: ...
    @property
    def calendar(self) -> BusinessCalendar: ...
    @property
    def warn_at(self) -> tuple[float, ...] | None: ...
    @property
    def paused_statuses(self) -> tuple[str, ...]: ...
    @property
    def on_reopen(self) -> OnReopen: ...
    @property
    def metrics(self) -> tuple[Metric, ...]: ...
    @property
    def versions(self) -> tuple[PolicyVersion, ...]: ...
    @property
    def policy_version(self) -> PolicyVersionMode: ...


def policy_file(policy: _Policy) -> PolicyFile:
    """``policy`` as a policy file's data (:func:`policy_fields` builds it back).

    Durations are given as hours (``target_hours``, ``offset_hours``).
    """
    return PolicyFile(
        warning_share=policy.warning_share,
        priority_change=policy.priority_change,
        priorities=[_priority_file(p) for p in policy.priorities],
        escalation=_ladder_file(policy.escalation),
        calendar=policy.calendar.to_data(),
        warn_at=None if policy.warn_at is None else list(policy.warn_at),
        paused_statuses=list(policy.paused_statuses),
        on_reopen=policy.on_reopen,
        metrics=[metric_to_file(m) for m in policy.metrics],
        versions=[
            PolicyVersionFile(
                start=v.start,
                warning_share=v.warning_share,
                warn_at=None if v.warn_at is None else list(v.warn_at),
                priorities=[_priority_file(p) for p in v.priorities],
                escalation=None if v.escalation is None else _ladder_file(v.escalation),
            )
            for v in policy.versions
        ],
        policy_version=policy.policy_version,
    )


def _priority_file(p: Priority) -> PriorityFile:
    return PriorityFile(
        code=p.code,
        target_hours=None if p.target is None else p.target / _ONE_HOUR,
        target_business_days=p.target_business_days,
        end_of_day=p.end_of_day,
        name_en=p.name_en,
        name_pt=p.name_pt,
        impact=p.impact,
        impact_pt=p.impact_pt,
        calendar=None if p.calendar is None else p.calendar.to_data(),
    )


def _ladder_file(levels: tuple[EscalationLevel, ...]) -> list[EscalationFile]:
    return [
        EscalationFile(
            name=level.name, name_pt=level.name_pt, offset_hours=level.offset / _ONE_HOUR
        )
        for level in levels
    ]
