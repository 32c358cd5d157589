"""Dated versions of a policy: targets, warnings and the ladder in force from a local date.

A policy's own priorities, warning share and ladder are in force until its first
:class:`PolicyVersion`; each version is in force from 00:00 of its local date (in the
policy calendar's zone) until the next one. A version keeps only what it gives: a priority
it lists replaces that code's priority, the others carry over; a warning share or ``warn_at``
replaces the warning rule; a ladder replaces the ladder. :func:`resolve` turns the versions
into the fields in force from each date, in date order.

Which version a ticket counts under is one rule (:func:`version_key`): the version in force
when it opened (``policy_version = "opened"``, the contract the ticket was opened under), or
the one in force at the question (``"current"``).

>>> from datetime import timedelta
>>> p1 = Priority(code="P1", target=timedelta(hours=8), name_en="High", name_pt="Alta")
>>> base = {"priorities": (p1.model_copy(update={"target": timedelta(hours=12)}),)}
>>> base |= {"warning_share": 0.75, "warn_at": None, "escalation": ()}
>>> version = PolicyVersion(start=date(2027, 1, 1), priorities=(p1,))
>>> [fields["priorities"][0].target for fields in resolve(base, (version,))]
[datetime.timedelta(seconds=28800)]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import PolicyConfigError
from .priority import EscalationLevel, Priority

__all__ = [
    "PolicyVersion",
    "PolicyVersionMode",
    "check_versions",
    "index_on",
    "new_version",
    "refuse_versions",
    "resolve",
    "resolved_policies",
    "version_index",
    "version_key",
]

#: Which version a ticket counts under: the one in force when it ``"opened"`` (default), or
#: the one in force at the question (``"current"``); see ``docs/versions.md``.
PolicyVersionMode = Literal["opened", "current"]

#: The policy fields a version may change.
VERSIONED = ("priorities", "warning_share", "warn_at", "escalation")

T = TypeVar("T")


class PolicyVersion(BaseModel):
    """What changes in a policy from ``start`` (a local date) on.

    Attributes:
        start: the first local date the version is in force, from its 00:00 in the policy
            calendar's zone.
        priorities: priorities that replace those of the same codes (the others carry over).
        warning_share: the warning share from then (clears ``warn_at``), or ``None``.
        warn_at: warning shares from then, or ``None``.
        escalation: the whole ladder from then, or ``None``: the ladder in force before.

    >>> PolicyVersion(start=date(2027, 1, 1), warning_share=0.5).warning_share
    0.5
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    start: date
    priorities: tuple[Priority, ...] = ()
    warning_share: float | None = Field(default=None, gt=0, le=1)
    warn_at: tuple[float, ...] | None = None
    escalation: tuple[EscalationLevel, ...] | None = None

    @field_validator("start", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        if isinstance(value, datetime) or not isinstance(value, date | str):
            msg = f"a policy version starts on a date, not {value!r}; e.g. date(2027, 1, 1)"
            raise ValueError(msg)
        return value

    def changes(self) -> dict[str, Any]:
        """The policy fields this version gives (priorities merged by :func:`resolve`)."""
        found: dict[str, Any] = {}
        if self.warning_share is not None:
            found |= {"warning_share": self.warning_share, "warn_at": None}
        if self.warn_at is not None:
            found["warn_at"] = self.warn_at
        if self.escalation is not None:
            found["escalation"] = self.escalation
        return found


def check_versions(versions: Iterable[PolicyVersion], codes: Iterable[str]) -> None:
    """Refuse two versions of one date, both warning rules, or a code the policy lacks.

    Raises:
        ValueError: the message names the version and how to fix it.
    """
    known = {code.upper() for code in codes}
    seen: set[date] = set()
    for version in versions:
        if version.start in seen:
            msg = f"two policy versions start on {version.start}; give each date once"
            raise ValueError(msg)
        seen.add(version.start)
        if version.warning_share is not None and version.warn_at is not None:
            msg = f"the version from {version.start} gives warning_share and warn_at: give one"
            raise ValueError(msg)
        for p in version.priorities:
            if p.code.upper() not in known:
                msg = (
                    f"the version from {version.start} changes priority {p.code!r}, which the "
                    f"policy does not define ({', '.join(sorted(known))}); a version changes "
                    "existing codes: add the code to the policy's priorities"
                )
                raise ValueError(msg)


def resolve(base: Mapping[str, Any], versions: Iterable[PolicyVersion]) -> list[dict[str, Any]]:
    """The versioned fields in force from each version's date, in date order.

    ``base`` holds the policy's own ``priorities``, ``warning_share``, ``warn_at`` and
    ``escalation``; each entry of the result is the same four fields, resolved.
    """
    fields = {name: base[name] for name in VERSIONED}
    found = []
    for version in sorted(versions, key=lambda v: v.start):
        given = {p.code.upper(): p for p in version.priorities}
        merged = tuple(given.get(p.code.upper(), p) for p in fields["priorities"])
        fields = {**fields, **version.changes(), "priorities": merged}
        found.append(fields)
    return found


def new_version(
    start: date,
    before: Callable[[str], Priority],
    targets: Mapping[str, timedelta],
    **given: Any,
) -> PolicyVersion:
    """The version ``with_version`` adds, from ``start``.

    ``targets`` are new business-time targets, each keeping the rest of the priority
    ``before(code)`` gives (the one in force the day before).
    """
    changed = list(given.pop("priorities", ()))
    for code, target in targets.items():
        data = {**before(code).model_dump(), "target": target, "target_business_days": None}
        changed.append(Priority.model_validate({**data, "end_of_day": False}))
    return PolicyVersion(start=start, priorities=tuple(changed), **given)


def resolved_policies(
    build: Callable[[dict[str, Any]], T], own: dict[str, Any], versions: Iterable[PolicyVersion]
) -> tuple[T, ...]:
    """The policies in force: ``build(own)``, then ``build`` of each version's fields.

    Raises:
        ValueError: a version's rules are invalid (a ladder out of order...), named by date.
    """
    found = [build(own)]
    ordered = sorted(versions, key=lambda v: v.start)
    for version, fields in zip(ordered, resolve(own, ordered), strict=True):
        try:
            found.append(build({**own, **fields}))
        except ValidationError as exc:
            detail = "; ".join(err["msg"] for err in exc.errors())
            msg = f"the version from {version.start}: {detail}"
            raise ValueError(msg) from None
    return tuple(found)


def refuse_versions(versions: tuple[PolicyVersion, ...], what: str) -> None:
    """Refuse a question a versioned policy answers only for a ticket (a guard against bugs).

    Raises:
        PolicyConfigError: ``versions`` is not empty; the message says what to ask instead.
    """
    if versions:
        msg = f"this policy has versions: ask policy.in_force(opened_at, now).{what}"
        raise PolicyConfigError(msg)


def index_on(versions: Iterable[PolicyVersion], day: date) -> int:
    """The index of the version in force on the local date ``day`` (0: the policy's own).

    >>> index_on([PolicyVersion(start=date(2027, 1, 1))], date(2027, 1, 1))
    1
    """
    return sum(1 for v in versions if v.start <= day)


def version_key(mode: PolicyVersionMode, opened: T, now: T) -> T:
    """The instant (or column of instants) whose local date picks a ticket's version.

    >>> version_key("opened", 1, 2), version_key("current", 1, 2)
    (1, 2)
    """
    return opened if mode == "opened" else now


def version_index(starts_us: tuple[int, ...], key_us: int) -> int:
    """The index of the version in force at ``key_us`` (0: the policy's own rules).

    ``starts_us`` are the versions' first instants, in order; the vectorised twin is
    ``numpy.searchsorted(starts_us, keys, side="right")``.

    >>> version_index((100, 200), 99), version_index((100, 200), 100)
    (0, 1)
    """
    return bisect_right(starts_us, key_us)
