"""Dated policy versions for the tests: a random versioned policy, and the reference's choice.

:func:`reference_in_force` is written from the words of ``docs/versions.md`` alone, without
the engine's resolution (``_policy_versions.resolve``, ``version_index``): the version is the
last whose local date is on or before the local date of the opening (``"opened"``) or of the
question (``"current"``); its priorities replace those of their codes, its warning share
replaces the warning rule, its ladder the ladder, and what it does not give carries over from
the versions before it, taken in date order.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from reference import reference_for, to_us
from sla_clock import EscalationLevel, Priority, SlaPolicy
from sla_clock.policy import PolicyVersion

ONE_US = timedelta(microseconds=1)
US_PER_HOUR = 3_600_000_000


def reference_in_force(policy: SlaPolicy, opened: datetime, now: datetime) -> SlaPolicy:
    """The policy, without versions, a ticket opened at ``opened`` counts under at ``now``."""
    key = opened if policy.policy_version == "opened" else now
    zone = reference_for(policy.calendar).zone_at(to_us(key))  # the zone in force then
    day = key.astimezone(zone).date()
    priorities = {p.code.upper(): p for p in policy.priorities}
    order = [p.code.upper() for p in policy.priorities]
    fields: dict[str, Any] = {
        "warning_share": policy.warning_share,
        "warn_at": policy.warn_at,
        "escalation": policy.escalation,
    }
    for version in sorted(policy.versions, key=lambda v: v.start):
        if version.start > day:
            break
        for p in version.priorities:
            priorities[p.code.upper()] = p
        if version.warning_share is not None:
            fields["warning_share"] = version.warning_share
            fields["warn_at"] = None
        if version.warn_at is not None:
            fields["warn_at"] = version.warn_at
        if version.escalation is not None:
            fields["escalation"] = version.escalation
    return SlaPolicy(
        priorities=tuple(priorities[code] for code in order),
        priority_change=policy.priority_change,
        calendar=policy.calendar,
        paused_statuses=policy.paused_statuses,
        on_reopen=policy.on_reopen,
        metrics=policy.metrics,
        policy_version=policy.policy_version,
        **fields,
    )


@st.composite
def policy_versions(draw: st.DrawFn, policy: SlaPolicy, around: date) -> SlaPolicy:
    """``policy`` with one to three versions within 40 days of ``around``, random mode.

    A version changes some hour targets (never a priority's kind: a day target stays one),
    the warning share, the ladder (zero to three levels), or nothing at all.
    """
    starts = draw(
        st.lists(st.integers(-40, 40), min_size=1, max_size=3, unique=True), label="starts"
    )
    versions = []
    for offset in starts:
        changed = []
        for p in policy.priorities:
            if p.target is not None and draw(st.booleans()):
                hours = draw(st.integers(1, 60 * 60), label="target minutes") / 60
                data = {**p.model_dump(), "target": timedelta(hours=hours)}
                changed.append(Priority.model_validate(data))
        share = draw(st.one_of(st.none(), st.sampled_from((0.3, 0.5, 0.9, 1.0))), label="share")
        ladder = None
        if draw(st.booleans()):
            hours = sorted(draw(st.lists(st.integers(-4, 12), max_size=3), label="ladder"))
            ladder = tuple(
                EscalationLevel(name=f"v{offset} level {i}", offset=timedelta(hours=h))
                for i, h in enumerate(hours)
            )
        versions.append(
            PolicyVersion(
                start=around + timedelta(days=offset),
                priorities=tuple(changed),
                warning_share=share,
                escalation=ladder,
            )
        )
    mode = draw(st.sampled_from(("opened", "current")), label="policy_version")
    fields = {name: getattr(policy, name) for name in SlaPolicy.model_fields}
    return SlaPolicy.model_validate({**fields, "versions": tuple(versions), "policy_version": mode})
