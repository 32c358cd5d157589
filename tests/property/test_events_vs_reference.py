"""Ticket event histories and SLA metrics (issue 12): the reference, the engine, and the laws.

- Hand-computed rows of the issue's example history T-1 on the default calendar (São Paulo,
  Mon-Fri 09:00-18:00, BR holidays; 2026-11-23 is a Monday), both ``on_reopen`` modes, at
  several ``now``: first for the reference (:mod:`event_reference`), then for the engine.
- Random histories (interleaved tickets, status churn, replies by agent and customer, priority
  changes, resolve and reopen in both modes, tickets still open at ``now``, events at night,
  on weekends and holidays) through ``SlaPolicy.metric_statuses`` and through the reference.
- The issue's laws: a history that never pauses is today's ``Ticket`` without pauses; pauses
  as status changes are today's ``Ticket`` with those pauses; adding a paused interval never
  makes a deadline earlier.

The engine is imported inside the helpers, so the reference's own tests run without it.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from event_reference import (
    FIRST_RESPONSE,
    RESOLUTION,
    EventTuple,
    MetricSpec,
    PolicySpec,
    Row,
    replay,
)
from reference import from_us, to_us
from sla_clock import (
    BusinessCalendar,
    EscalationLevel,
    Pause,
    Priority,
    PriorityChange,
    SlaPolicy,
    Ticket,
)
from strategies import POOL_SIZE, pool_calendar

US_SECOND = 1_000_000
US_MINUTE = 60 * US_SECOND
US_HOUR = 60 * US_MINUTE
US_DAY = 24 * US_HOUR
SP = ZoneInfo("America/Sao_Paulo")
DEFAULT_CAL = BusinessCalendar.default()


def sp(day: int, hour: int, minute: int = 0, month: int = 11) -> int:
    """An instant of 2026 in São Paulo, as epoch microseconds."""
    return to_us(datetime(2026, month, day, hour, minute, tzinfo=SP))


def hours(value: float) -> int:
    return round(value * US_HOUR)


# == the policy of the hand examples ========================================================

#: The default table (P0 4 h, P1 12 h, P2 40 h, P3 48 h), warning at 75 %, escalation at the
#: deadline and 4 h and 8 h after it; ``first_response`` as in the issue, not paused;
#: ``resolution`` on the priorities' targets, paused in ``waiting_on_customer``/``pending``.
HAND = PolicySpec(
    calendar=DEFAULT_CAL,
    priorities={"P0": hours(4), "P1": hours(12), "P2": hours(40), "P3": hours(48)},
    metrics=(
        MetricSpec(
            FIRST_RESPONSE,
            {"P0": hours(1), "P1": hours(2), "P2": hours(8), "P3": hours(8)},
            pause=False,
        ),
        MetricSpec(RESOLUTION, None, pause=True),
    ),
    on_reopen="continue",
    warn_at=(0.75,),
    offsets=(0, hours(4), hours(8)),
)
HAND_RESTART = replace(HAND, on_reopen="restart")

HAND_TOML = """
paused_statuses = ["waiting_on_customer", "pending"]
on_reopen = "{on_reopen}"
priority_change = "{priority_change}"
warn_at = [0.75]

[[priorities]]
code = "P0"
target = "PT4H"
[[priorities]]
code = "P1"
target = "PT12H"
[[priorities]]
code = "P2"
target = "PT40H"
[[priorities]]
code = "P3"
target = "PT48H"

[[escalation]]
name = "team leaders"
offset = "PT0H"
[[escalation]]
name = "coordination"
offset = "PT4H"
[[escalation]]
name = "management"
offset = "PT8H"

[[metrics]]
name = "first_response"
targets = {{ P0 = "PT1H", P1 = "PT2H", P2 = "PT8H", P3 = "PT8H" }}
pause = false

[[metrics]]
name = "resolution"
pause = true
"""

#: The issue's example history (T-1), as (instant, event, value).
T1: list[EventTuple] = [
    (sp(23, 14), "opened", "P1"),  # Mon 14:00
    (sp(23, 15), "status", "waiting_on_customer"),  # Mon 15:00
    (sp(24, 10), "status", "open"),  # Tue 10:00
    (sp(24, 11), "reply", "agent"),  # Tue 11:00
    (sp(24, 12), "priority", "P0"),  # Tue 12:00
    (sp(24, 16), "resolved", None),  # Tue 16:00
    (sp(25, 10), "reopened", None),  # Wed 10:00
]


def row(
    metric: str,
    cycle: int,
    priority: str,
    state: str,
    due: int,
    breach: int,
    used: float,
    remaining: float,
    level: int,
    elapsed: float,
) -> Row:
    """A row with durations in hours."""
    return Row(
        metric,
        cycle,
        priority,
        state,
        due,
        breach,
        hours(used),
        hours(remaining),
        level,
        hours(elapsed),
    )


# Hand derivation. Business hours: Mon 23, Tue 24, Wed 25 November 2026, 09:00-18:00.
#
# first_response (pause = false): starts Mon 14:00. Target P1 2 h (75 % warning: 1.5 h),
# thresholds 2 h, 6 h, 10 h. It counts Mon 14:00-18:00 (4 h) and Tue 09:00-11:00 (2 h) and
# stops at the agent reply Tue 11:00: 6 h used, wall time Mon 14:00 -> Tue 11:00 = 21 h. The
# P0 change at 12:00 comes after the stop: the row stays P1. 6 h > 2 h: missed, level 1
# (6 h is not > 6 h). Due Mon 14:00 + 2 h = Mon 16:00, an open instant, so the breach instant
# (one µs before reaching 2 h + 1 µs) is Mon 16:00 too.
FR_STOPPED = row(FIRST_RESPONSE, 1, "P1", "missed", sp(23, 16), sp(23, 16), 6, -4, 1, 21)
#
# resolution (pause = true): counts Mon 14:00-15:00 (1 h), pauses Mon 15:00 -> Tue 10:00,
# counts Tue 10:00-16:00 (6 h), stops at 16:00: 7 h, wall 7 h. At the stop the priority is P0
# (recompute: 4 h on all the time used), thresholds 4 h, 8 h, 12 h: missed, level 1. 4 h is
# reached 3 h after Tue 10:00 (1 h was used on Monday): due and breach Tue 13:00.
RES_CLOSED = row(RESOLUTION, 1, "P0", "missed", sp(24, 13), sp(24, 13), 7, -3, 1, 7)

HAND_CASES: list[tuple[str, PolicySpec, int, list[Row]]] = [
    (
        # Mon 15:30. first_response: 1.5 h used of 2 h, >= 75 %: at risk, due Mon 16:00.
        # resolution: 1 h used, paused since 15:00; projected from now: 11 h left = Mon
        # 15:30-18:00 (2.5 h) + 8.5 h on Tuesday -> Tue 17:30.
        "mon-15:30",
        HAND,
        sp(23, 15, 30),
        [
            row(FIRST_RESPONSE, 1, "P1", "at_risk", sp(23, 16), sp(23, 16), 1.5, 0.5, 0, 1.5),
            row(RESOLUTION, 1, "P1", "paused", sp(24, 17, 30), sp(24, 17, 30), 1, 11, 0, 1),
        ],
    ),
    (
        # Mon 20:00 (closed). first_response: 4 h > 2 h, breached, level 1, wall 6 h.
        # resolution: paused, 11 h left from now: Tue 9 h + Wed 2 h -> Wed 11:00.
        "mon-20:00",
        HAND,
        sp(23, 20),
        [
            row(FIRST_RESPONSE, 1, "P1", "breached", sp(23, 16), sp(23, 16), 4, -2, 1, 6),
            row(RESOLUTION, 1, "P1", "paused", sp(25, 11), sp(25, 11), 1, 11, 0, 1),
        ],
    ),
    (
        # Tue 10:00, the status "open" at now counts: resolution is running again with 1 h
        # used; 11 h left from 10:00: Tue 8 h + Wed 3 h -> Wed 12:00. first_response: 4 h + 1 h.
        "tue-10:00",
        HAND,
        sp(24, 10),
        [
            row(FIRST_RESPONSE, 1, "P1", "breached", sp(23, 16), sp(23, 16), 5, -3, 1, 20),
            row(RESOLUTION, 1, "P1", "running", sp(25, 12), sp(25, 12), 1, 11, 0, 1),
        ],
    ),
    (
        # Tue 12:00, the P0 change at now counts: resolution P0 (4 h), 1 h + 2 h = 3 h used,
        # >= 75 % of 4 h: at risk; 1 h left from 12:00 -> Tue 13:00.
        "tue-12:00",
        HAND,
        sp(24, 12),
        [
            FR_STOPPED,
            row(RESOLUTION, 1, "P0", "at_risk", sp(24, 13), sp(24, 13), 3, 1, 0, 3),
        ],
    ),
    (
        # Tue 16:00, the resolution at now counts: missed.
        "tue-16:00",
        HAND,
        sp(24, 16),
        [FR_STOPPED, RES_CLOSED],
    ),
    (
        # Wed 09:30, resolved, not reopened yet: the same rows in both modes.
        "wed-09:30-continue",
        HAND,
        sp(25, 9, 30),
        [FR_STOPPED, RES_CLOSED],
    ),
    (
        "wed-09:30-restart",
        HAND_RESTART,
        sp(25, 9, 30),
        [FR_STOPPED, RES_CLOSED],
    ),
    (
        # Wed 10:00, reopened at now. continue: the clock resumes with 7 h > 4 h kept: breached
        # (no longer stopped), level 1, no time counted yet.
        "wed-10:00-continue",
        HAND,
        sp(25, 10),
        [FR_STOPPED, row(RESOLUTION, 1, "P0", "breached", sp(24, 13), sp(24, 13), 7, -3, 1, 7)],
    ),
    (
        # restart: cycle 1 closed as missed; cycle 2 starts at now with a zero clock, P0:
        # due Wed 10:00 + 4 h = Wed 14:00.
        "wed-10:00-restart",
        HAND_RESTART,
        sp(25, 10),
        [
            FR_STOPPED,
            RES_CLOSED,
            row(RESOLUTION, 2, "P0", "running", sp(25, 14), sp(25, 14), 0, 4, 0, 0),
        ],
    ),
    (
        # Wed 12:00, continue: 7 h + Wed 10:00-12:00 = 9 h, breached, level 2 (9 h > 8 h),
        # wall 7 h + 2 h. The gap Tue 16:00 -> Wed 10:00 counts neither way.
        "wed-12:00-continue",
        HAND,
        sp(25, 12),
        [FR_STOPPED, row(RESOLUTION, 1, "P0", "breached", sp(24, 13), sp(24, 13), 9, -5, 1 + 1, 9)],
    ),
    (
        # restart: cycle 2 has 2 h of 4 h (< 3 h warning): running, due Wed 14:00.
        "wed-12:00-restart",
        HAND_RESTART,
        sp(25, 12),
        [
            FR_STOPPED,
            RES_CLOSED,
            row(RESOLUTION, 2, "P0", "running", sp(25, 14), sp(25, 14), 2, 2, 0, 2),
        ],
    ),
    (
        # priority_change = restart (and on_reopen = restart), Wed 12:00. first_response
        # stopped at 11:00, before the change: unchanged. Cycle 1 restarts at the P0 change
        # Tue 12:00 and counts 12:00-16:00 = 4 h = the target: met, level 0 (not > 4 h); due
        # Tue 16:00; 4 h + 1 µs is reached (running on from the stop) at 16:00:00.000001, so
        # breach Tue 16:00. Cycle 2 as before.
        "wed-12:00-restart-restart",
        replace(HAND_RESTART, priority_change="restart"),
        sp(25, 12),
        [
            FR_STOPPED,
            row(RESOLUTION, 1, "P0", "met", sp(24, 16), sp(24, 16), 4, 0, 0, 4),
            row(RESOLUTION, 2, "P0", "running", sp(25, 14), sp(25, 14), 2, 2, 0, 2),
        ],
    ),
]

#: A P0 opened Thu 19 Nov 17:00, the day before the Consciência Negra holiday (Fri 20 Nov),
#: seen Mon 23 Nov 10:00 with no other event.
HOLIDAY_EVENTS: list[EventTuple] = [(sp(19, 17), "opened", "P0")]
# first_response: P0 1 h; counts Thu 17:00-18:00 and Mon 09:00-10:00: 2 h, breached, level 1
# (thresholds 1 h, 5 h, 9 h). Due Thu 18:00; 1 h + 1 µs is reached only at Mon 09:00:00.000001
# (Friday is a holiday, then the weekend), so breach Mon 09:00. Wall: Thu 17:00 -> Mon 10:00
# = 3 days + 17 h = 89 h. resolution: 2 h of 4 h (< 3 h): running, due Mon 09:00 + 2 h = 12:00.
HOLIDAY_ROWS = [
    row(FIRST_RESPONSE, 1, "P0", "breached", sp(19, 18), sp(23, 9), 2, -1, 1, 89),
    row(RESOLUTION, 1, "P0", "running", sp(23, 12), sp(23, 12), 2, 2, 0, 89),
]


# == the reference on the hand examples ======================================================


@pytest.mark.parametrize(
    ("policy", "now", "expected"),
    [case[1:] for case in HAND_CASES],
    ids=[case[0] for case in HAND_CASES],
)
def test_reference_on_the_issue_example(policy: PolicySpec, now: int, expected: list[Row]) -> None:
    assert replay(policy, T1, now) == expected


def test_reference_on_a_holiday_and_a_weekend() -> None:
    assert replay(HAND, HOLIDAY_EVENTS, sp(23, 10)) == HOLIDAY_ROWS


def test_reference_negative_offsets_and_several_shares() -> None:
    """Offsets -1 h and 0 on first_response at Mon 15:30 (1.5 h of 2 h): level 1 (1.5 > 1);
    warn_at [0.8, 0.9]: 1.5 h < 1.6 h, running. resolution (1 h of 12 h, thresholds 11 h and
    12 h): level 0, paused."""
    policy = replace(HAND, warn_at=(0.8, 0.9), offsets=(-hours(1), 0))
    rows = replay(policy, T1, sp(23, 15, 30))
    assert [(r.metric, r.state, r.escalation_level) for r in rows] == [
        (FIRST_RESPONSE, "running", 1),
        (RESOLUTION, "paused", 0),
    ]


def test_reference_same_instant_statuses_last_wins_and_zero_pauses_count_nothing() -> None:
    """Opened paused at the same instant, a zero-length pause Mon 16:00, paused at now."""
    events: list[EventTuple] = [
        (sp(23, 14), "opened", "P1"),
        (sp(23, 14), "status", "pending"),  # paused from the opening (same instant counts)
        (sp(23, 15), "status", "open"),  # counts from 15:00
        (sp(23, 16), "status", "pending"),
        (sp(23, 16), "status", "open"),  # last status wins: not paused, nothing lost
        (sp(23, 17), "status", "waiting_on_customer"),  # at now: paused
    ]
    res = replay(HAND, events, sp(23, 17))[1]
    assert (res.state, res.used_us, res.elapsed_us) == ("paused", hours(2), hours(2))
    # Projected from now (Mon 17:00): 10 h left = 1 h Monday + 9 h Tuesday -> Tue 18:00; one
    # µs more is reached at Wed 09:00:00.000001, so the breach instant is Wed 09:00.
    assert (res.due_us, res.breach_us) == (sp(24, 18), sp(25, 9))


def test_reference_ignores_events_after_now_and_customer_replies() -> None:
    events: list[EventTuple] = [
        (sp(23, 14), "opened", "P1"),
        (sp(23, 15), "reply", "customer"),
        (sp(23, 16, 30), "reply", "agent"),
    ]
    # At Mon 16:00 the agent reply (16:30) is not known yet, and the customer's does not
    # count: 2 h of 2 h used, not more (not breached) but >= 75 %: at risk.
    fr = replay(HAND, events, sp(23, 16))[0]
    assert (fr.state, fr.used_us, fr.escalation_level) == ("at_risk", hours(2), 0)


def test_reference_first_response_at_exactly_its_target() -> None:
    events: list[EventTuple] = [(sp(23, 14), "opened", "P1"), (sp(23, 16), "reply", "agent")]
    fr = replay(HAND, events, sp(23, 16))[0]
    # Stopped at now with exactly 2 h: met, level 0 (not > 2 h).
    assert (fr.state, fr.used_us, fr.escalation_level) == ("met", hours(2), 0)
    assert (fr.due_us, fr.breach_us) == (sp(23, 16), sp(23, 16))


def test_reference_metric_without_a_target_has_no_row() -> None:
    policy = replace(
        HAND,
        metrics=(MetricSpec(FIRST_RESPONSE, {"P0": hours(1)}, pause=False), *HAND.metrics[1:]),
    )
    assert [r.metric for r in replay(policy, T1, sp(24, 10))] == [RESOLUTION]
    # Once the ticket is P0 (at Tue 12:00), a first_response stopped before keeps P1: no row.
    assert [r.metric for r in replay(policy, T1, sp(24, 13))] == [RESOLUTION]


def test_reference_first_response_that_pauses() -> None:
    policy = replace(
        HAND,
        metrics=(MetricSpec(FIRST_RESPONSE, {"P1": hours(2)}, pause=True),),
    )
    # Counts Mon 14:00-15:00, paused until Tue 10:00, counts 10:00-11:00: 2 h, met.
    (fr,) = replay(policy, T1, sp(24, 12))
    assert (fr.state, fr.used_us, fr.elapsed_us, fr.due_us) == (
        "met",
        hours(2),
        hours(2),
        sp(24, 11),
    )


# == the engine ===============================================================================

_POLICY_DIR = Path(tempfile.mkdtemp(prefix="events-ref-"))
_policy_files = itertools.count()


def engine_policy_from_toml(text: str, calendar: BusinessCalendar) -> SlaPolicy:
    """Build an engine policy from a policy file's text, on ``calendar``."""
    path = _POLICY_DIR / f"policy-{next(_policy_files)}.toml"
    path.write_text(text, encoding="utf-8")
    return SlaPolicy.from_file(path).with_calendar(calendar)


def _seconds(us: int) -> int:
    assert us % US_SECOND == 0, "policy files take whole seconds here"
    return us // US_SECOND


def policy_toml(spec: PolicySpec) -> str:
    """The policy file (issue 12's keys) that describes ``spec`` (its calendar apart)."""
    lines = [
        f"paused_statuses = {json.dumps(sorted(spec.paused_statuses))}",
        f'on_reopen = "{spec.on_reopen}"',
        f'priority_change = "{spec.priority_change}"',
        f"warn_at = {json.dumps(list(spec.warn_at))}",
    ]
    for code, target in spec.priorities.items():
        lines += ["[[priorities]]", f'code = "{code}"', f"target = {_seconds(target)}"]
    for index, offset in enumerate(spec.offsets, start=1):
        lines += ["[[escalation]]", f'name = "level {index}"', f"offset = {_seconds(offset)}"]
    for metric in spec.metrics:
        lines += ["[[metrics]]", f'name = "{metric.name}"']
        if metric.targets is not None:
            table = ", ".join(f"{c} = {_seconds(t)}" for c, t in metric.targets.items())
            lines.append(f"targets = {{ {table} }}")
        lines.append(f"pause = {'true' if metric.pause else 'false'}")
    return "\n".join(lines) + "\n"


def engine_policy(spec: PolicySpec) -> SlaPolicy:
    return engine_policy_from_toml(policy_toml(spec), spec.calendar)


def event_dict(ticket: str, event: EventTuple, tz: tzinfo) -> dict[str, Any]:
    """One event as the Python API takes it (a dict with the JSON Lines keys)."""
    at, kind, value = event
    item: dict[str, Any] = {"ticket": ticket, "at": from_us(at, tz), "event": kind}
    if kind in ("opened", "priority"):
        item["priority"] = value
    elif kind == "status":
        item["status"] = value
    elif kind == "reply":
        item["by"] = value
    return item


def event_object(ticket: str, event: EventTuple, tz: tzinfo) -> Any:
    """One event as an ``sla_clock.Event`` (imported here: the engine is being built)."""
    from sla_clock import Event

    return Event(**{"priority": None, "status": None, "by": None, **event_dict(ticket, event, tz)})


def engine_rows(
    policy: SlaPolicy, calendar: BusinessCalendar, items: Iterable[Any], now: int
) -> list[tuple[str, Row]]:
    """The engine's rows as ``(ticket, Row)``, instants and durations in microseconds."""
    one = timedelta(microseconds=1)
    out = []
    # The engine landed as the function sla_clock.metric_statuses(policy, events, now).
    from sla_clock import metric_statuses

    for status in metric_statuses(policy, items, from_us(now, calendar.zone)):
        out.append(
            (
                status.ticket,
                Row(
                    metric=status.metric,
                    cycle=status.cycle,
                    priority=status.priority,
                    state=str(status.state),
                    due_us=to_us(status.due_at),
                    breach_us=to_us(status.breach_at),
                    used_us=status.used // one,
                    remaining_us=status.remaining // one,
                    escalation_level=status.escalation_level,
                    elapsed_us=status.elapsed // one,
                ),
            )
        )
    return out


@pytest.mark.parametrize(
    ("policy", "now", "expected"),
    [case[1:] for case in HAND_CASES],
    ids=[case[0] for case in HAND_CASES],
)
def test_engine_on_the_issue_example(policy: PolicySpec, now: int, expected: list[Row]) -> None:
    text = HAND_TOML.format(on_reopen=policy.on_reopen, priority_change=policy.priority_change)
    engine = engine_policy_from_toml(text, DEFAULT_CAL)
    items = [event_dict("T-1", e, SP) for e in T1]
    assert engine_rows(engine, DEFAULT_CAL, items, now) == [("T-1", r) for r in expected]


def test_engine_on_a_holiday_and_a_weekend() -> None:
    engine = engine_policy(HAND)
    items = [event_object("T-9", e, UTC) for e in HOLIDAY_EVENTS]
    assert engine_rows(engine, DEFAULT_CAL, items, sp(23, 10)) == [("T-9", r) for r in HOLIDAY_ROWS]


# == a change at the instant of a stop, after it in the file ==================================
#
# Detail 3: "Events at the same instant apply in file order". Detail 2: "a priority change
# after the first agent reply does not touch first_response; a closed restart cycle keeps
# the priority it had when it was resolved". A change at the stop's instant but after the
# stop in the file comes after the stop.

#: Mon 10:00 opened P0; Mon 11:00 the agent replies, then (same instant) the priority is P1.
#: Seen Mon 12:00.
AFTER_REPLY: list[EventTuple] = [
    (sp(23, 10), "opened", "P0"),
    (sp(23, 11), "reply", "agent"),
    (sp(23, 11), "priority", "P1"),
]
# first_response stopped at 11:00 as P0 (1 h): 1 h used, met, remaining 0; due 11:00, and
# 1 h + 1 µs is reached running on from the stop at 11:00:00.000001: breach 11:00. resolution
# is P1 (12 h) since 11:00: 2 h used, running; 10 h left from 12:00: Mon 6 h + Tue 4 h.
AFTER_REPLY_ROWS = [
    row(FIRST_RESPONSE, 1, "P0", "met", sp(23, 11), sp(23, 11), 1, 0, 0, 1),
    row(RESOLUTION, 1, "P1", "running", sp(24, 13), sp(24, 13), 2, 10, 0, 2),
]
#: on_reopen = restart. Mon 10:00 opened P1; Mon 12:00 resolved, then (same instant) P0;
#: reopened Mon 15:00. Seen Mon 16:00.
AFTER_RESOLVED: list[EventTuple] = [
    (sp(23, 10), "opened", "P1"),
    (sp(23, 12), "resolved", None),
    (sp(23, 12), "priority", "P0"),
    (sp(23, 15), "reopened", None),
]
# first_response stopped at the resolution as P1 (2 h): 2 h used, met, due 12:00. Cycle 1
# closed as P1 (12 h): 2 h, met, 10 h left from the stop: Tue 13:00. Cycle 2 is P0 from
# 15:00: 1 h of 4 h (< 3 h), running, due 15:00 + 3 h (Mon) + 1 h -> Tue 10:00.
AFTER_RESOLVED_ROWS = [
    row(FIRST_RESPONSE, 1, "P1", "met", sp(23, 12), sp(23, 12), 2, 0, 0, 2),
    row(RESOLUTION, 1, "P1", "met", sp(24, 13), sp(24, 13), 2, 10, 0, 2),
    row(RESOLUTION, 2, "P0", "running", sp(24, 10), sp(24, 10), 1, 3, 0, 1),
]
SAME_INSTANT_CASES = [
    pytest.param(HAND, AFTER_REPLY, AFTER_REPLY_ROWS, id="after-agent-reply"),
    pytest.param(HAND_RESTART, AFTER_RESOLVED, AFTER_RESOLVED_ROWS, id="after-resolved-restart"),
]


@pytest.mark.parametrize(("policy", "events", "expected"), SAME_INSTANT_CASES)
def test_reference_change_at_the_stop_after_it_in_the_file(
    policy: PolicySpec, events: list[EventTuple], expected: list[Row]
) -> None:
    now = events[-1][0] + US_HOUR
    assert replay(policy, events, now) == expected


@pytest.mark.parametrize(("policy", "events", "expected"), SAME_INSTANT_CASES)
def test_engine_change_at_the_stop_after_it_in_the_file(
    policy: PolicySpec, events: list[EventTuple], expected: list[Row]
) -> None:
    now = events[-1][0] + US_HOUR
    items = [event_dict("T-1", e, SP) for e in events]
    assert engine_rows(engine_policy(policy), DEFAULT_CAL, items, now) == [
        ("T-1", r) for r in expected
    ]


# == random histories =========================================================================

STATUSES = ("open", "in_progress", "waiting_on_customer", "pending", "on_hold")
PAUSED_CHOICES = (
    frozenset({"waiting_on_customer", "pending"}),
    frozenset({"on_hold"}),
    frozenset({"waiting_on_customer", "pending", "on_hold"}),
)
CODES = ("P0", "P1", "P2", "P3")
TZINFOS = (UTC, ZoneInfo("America/Sao_Paulo"), ZoneInfo("Asia/Kolkata"))
#: The default calendar's histories start around Consciência Negra, Christmas and New Year.
DEFAULT_ANCHOR = sp(16, 9)

#: Gaps between a ticket's events: the same instant, seconds, minutes, hours, days.
GAPS = st.one_of(
    st.just(0),
    st.integers(1, 10**6),
    st.integers(1, 240).map(lambda m: m * US_MINUTE),
    st.integers(1, 72).map(lambda h: h * US_HOUR),
    st.integers(1, 10 * US_DAY),
)


@dataclass(frozen=True)
class History:
    """A policy, tickets' events (each ticket's in order), the file order, and ``now``."""

    policy: PolicySpec
    tickets: dict[str, list[EventTuple]]
    order: tuple[str, ...]  # the ticket of each line of the file, in file order
    tz: tzinfo
    now: int

    def lines(self) -> list[tuple[str, EventTuple]]:
        """The file's lines: tickets interleaved in ``order``, each keeping its own order."""
        cursors = dict.fromkeys(self.tickets, 0)
        out = []
        for ticket in self.order:
            out.append((ticket, self.tickets[ticket][cursors[ticket]]))
            cursors[ticket] += 1
        return out

    def first_seen(self) -> list[str]:
        return list(dict.fromkeys(self.order))


def _weekly_open_us(calendar: BusinessCalendar) -> int:
    return sum(e - s for day in calendar.hours.days for s, e in day) * US_SECOND


@st.composite
def calendars_and_anchors(draw: st.DrawFn) -> tuple[BusinessCalendar, int]:
    if draw(st.integers(0, 3)) == 0:
        return DEFAULT_CAL, DEFAULT_ANCHOR + draw(st.integers(0, 40 * US_DAY))
    calendar, anchor = pool_calendar(draw(st.integers(0, POOL_SIZE - 1)))
    return calendar, anchor + draw(st.integers(-10 * US_DAY, 10 * US_DAY))


@st.composite
def policies(draw: st.DrawFn, calendar: BusinessCalendar) -> PolicySpec:
    # Targets up to 60 h and at most two weeks of the calendar's weekly open time, in whole
    # seconds (policy files) and often whole minutes.
    cap = max(US_SECOND, min(60 * US_HOUR, 2 * _weekly_open_us(calendar))) // US_SECOND
    seconds = st.one_of(
        st.integers(1, cap), st.integers(1, max(1, cap // 60)).map(lambda m: 60 * m)
    )
    targets = st.builds(lambda s: s * US_SECOND, seconds)
    priorities = {code: draw(targets) for code in CODES}
    fr_codes = draw(st.sets(st.sampled_from(CODES), min_size=1)) if draw(st.booleans()) else CODES
    first_response = MetricSpec(
        FIRST_RESPONSE,
        {code: draw(targets) for code in CODES if code in fr_codes},
        draw(st.booleans()),
    )
    resolution = MetricSpec(RESOLUTION, None, pause=draw(st.booleans()))
    metrics = draw(
        st.sampled_from(((first_response, resolution), (resolution, first_response), (resolution,)))
    )
    offsets = sorted(
        draw(st.lists(st.integers(-cap, cap).map(lambda s: s * US_SECOND), max_size=3, unique=True))
    )
    warn_at = sorted(draw(st.sets(st.sampled_from((0.25, 0.5, 0.75, 0.9, 1.0)), min_size=1)))
    return PolicySpec(
        calendar=calendar,
        priorities=priorities,
        metrics=metrics,
        paused_statuses=draw(st.sampled_from(PAUSED_CHOICES)),
        on_reopen=draw(st.sampled_from(("continue", "restart"))),
        priority_change=draw(st.sampled_from(("recompute", "restart"))),
        warn_at=tuple(warn_at),
        offsets=tuple(offsets),
    )


@st.composite
def ticket_events(draw: st.DrawFn, opened: int, *, max_events: int = 10) -> list[EventTuple]:
    """One ticket's events in order: opened, then status churn, replies, changes, cycles."""
    t = opened
    events: list[EventTuple] = [(t, "opened", draw(st.sampled_from(CODES)))]
    resolved = False
    for _ in range(draw(st.integers(0, max_events))):
        t += draw(GAPS)
        if resolved:
            kind = draw(st.sampled_from(("status", "priority", "reply", "reopened", "reopened")))
        else:
            kind = draw(
                st.sampled_from(("status", "status", "status", "priority", "reply", "resolved"))
            )
        if kind == "status":
            value: str | None = draw(st.sampled_from(STATUSES))
        elif kind == "priority":
            value = draw(st.sampled_from(CODES))
        elif kind == "reply":
            value = draw(st.sampled_from(("agent", "customer")))
        else:
            value = None
            resolved = kind == "resolved"
        events.append((t, kind, value))
    return events


@st.composite
def histories(draw: st.DrawFn, *, max_tickets: int = 4) -> History:
    calendar, anchor = draw(calendars_and_anchors())
    policy = draw(policies(calendar))
    count = draw(st.integers(1, max_tickets))
    tickets: dict[str, list[EventTuple]] = {}
    for index in range(count):
        opened = anchor + draw(st.integers(0, 5 * US_DAY))
        tickets[f"T-{index + 1}"] = draw(ticket_events(opened))
    # Interleave: any order of the lines that keeps each ticket's own order.
    slots = [ticket for ticket, events in tickets.items() for _ in events]
    order = tuple(draw(st.permutations(slots)))
    # now: on an event's instant, a microsecond around one, or later; not before the first
    # opening (a ticket opened after now has no rows).
    first_open = min(events[0][0] for events in tickets.values())
    instants = sorted({at for events in tickets.values() for at, _, _ in events})
    how = draw(st.sampled_from(("on", "near", "later")))
    if how == "later":
        now = instants[-1] + draw(st.integers(0, 5 * US_DAY))
    else:
        now = draw(st.sampled_from(instants)) + (
            draw(st.sampled_from((-1, 1))) if how == "near" else 0
        )
    now = max(now, first_open)
    return History(policy, tickets, order, draw(st.sampled_from(TZINFOS)), now)


def reference_rows(history: History) -> list[tuple[str, Row]]:
    out = []
    for ticket in history.first_seen():
        out += [(ticket, r) for r in replay(history.policy, history.tickets[ticket], history.now)]
    return out


def run_engine(history: History, *, objects: bool = False) -> list[tuple[str, Row]]:
    make = event_object if objects else event_dict
    items = [make(ticket, event, history.tz) for ticket, event in history.lines()]
    engine = engine_policy(history.policy)
    return engine_rows(engine, history.policy.calendar, items, history.now)


@pytest.mark.slow
@given(histories())
def test_reference_is_sane_on_random_histories(history: History) -> None:
    """The reference's own invariants: what the issue says of every row."""
    metrics = {m.name: m for m in history.policy.metrics}
    for _, r in reference_rows(history):
        assert r.cycle >= 1
        targets = metrics[r.metric].targets or history.policy.priorities
        assert r.used_us + r.remaining_us == targets[r.priority]
        assert 0 <= r.used_us <= r.elapsed_us
        assert r.due_us <= r.breach_us
        late = r.remaining_us < 0
        assert r.state in (
            ("breached", "missed") if late else ("running", "at_risk", "paused", "met")
        )
        if r.metric == FIRST_RESPONSE:
            assert r.cycle == 1
    if history.policy.on_reopen == "continue":
        for ticket in history.tickets:
            rows = replay(history.policy, history.tickets[ticket], history.now)
            assert all(r.cycle == 1 for r in rows)


@pytest.mark.slow
@given(histories())
def test_engine_matches_the_reference(history: History) -> None:
    assert run_engine(history) == reference_rows(history)


@pytest.mark.slow
@given(histories(max_tickets=2))
def test_engine_takes_event_objects_too(history: History) -> None:
    assert run_engine(history, objects=True) == reference_rows(history)


def batch_rows(history: History, *, csv_input: bool, csv_output: bool) -> list[tuple[str, Row]]:
    """``batch --events`` on the history's lines, its output read back into rows."""
    import csv
    import io
    from decimal import Decimal

    from sla_clock.batch._events import process_events

    lines = history.lines()
    if csv_input:
        text = "ticket,at,event,value\n" + "".join(
            f"{t},{from_us(at, history.tz).isoformat()},{kind},{value or ''}\n"
            for t, (at, kind, value) in lines
        )
    else:
        text = "".join(
            json.dumps(event_dict(t, e, history.tz), default=datetime.isoformat) + "\n"
            for t, e in lines
        )
    out = io.StringIO()
    engine = engine_policy(history.policy)
    process_events(
        io.StringIO(text),
        out,
        engine,
        from_us(history.now, history.policy.calendar.zone),
        input_format="csv" if csv_input else "jsonl",
        output_format="csv" if csv_output else "jsonl",
    )
    out.seek(0)
    records: list[dict[str, Any]] = (
        list(csv.DictReader(out)) if csv_output else [json.loads(line) for line in out]
    )

    def micro(value: Any) -> int:
        return int(Decimal(str(value)) * US_SECOND)

    def instant(text: str) -> int:
        return to_us(datetime.fromisoformat(text))

    return [
        (
            r["ticket"],
            Row(
                metric=r["metric"],
                cycle=int(r["cycle"]),
                priority=r["priority"],
                state=r["state"],
                due_us=instant(r["due_at"]),
                breach_us=instant(r["breach_at"]),
                used_us=micro(r["used_seconds"]),
                remaining_us=micro(r["remaining_seconds"]),
                escalation_level=int(r["escalation_level"]),
                elapsed_us=micro(r["elapsed_seconds"]),
            ),
        )
        for r in records
    ]


@pytest.mark.slow
@given(histories(), st.sampled_from(("csv", "jsonl", "jsonl-python")), st.booleans())
def test_batch_events_matches_the_reference(
    history: History,
    reader: str,
    csv_output: bool,  # noqa: FBT001 (hypothesis passes the drawn values by position)
) -> None:
    """``batch --events`` (its readers, store, bulk clocks and writer) gives the reference's rows.

    ``jsonl-python`` reads JSON Lines without pyarrow's reader, as without the arrow extra.
    """
    from unittest import mock

    from sla_clock.batch import _events_input

    arrow = None if reader == "jsonl-python" else _events_input.arrow_columns
    with mock.patch.object(_events_input, "arrow_columns", arrow):
        got = batch_rows(history, csv_input=reader == "csv", csv_output=csv_output)
    assert got == reference_rows(history)


# == the laws =================================================================================


def _resolution_only(spec: PolicySpec) -> PolicySpec:
    return replace(spec, metrics=(MetricSpec(RESOLUTION, None, pause=True),))


@dataclass(frozen=True)
class Life:
    """A ticket that is opened, maybe changes priority, maybe pauses, maybe is resolved."""

    opened: int
    priority: str
    changes: tuple[tuple[int, str], ...]
    pauses: tuple[tuple[int, int | None], ...]  # disjoint, in order; the last may go on
    resolved: int | None
    churn: tuple[tuple[int, str], ...]  # status changes that never pause


@st.composite
def lives(draw: st.DrawFn, opened: int, *, with_pauses: bool) -> Life:
    t = opened
    changes: list[tuple[int, str]] = []
    pauses: list[tuple[int, int | None]] = []
    churn: list[tuple[int, str]] = []
    kind = "opened"
    for _ in range(draw(st.integers(0, 8))):
        t += draw(GAPS)
        kind = draw(
            st.sampled_from(("churn", "change", "pause") if with_pauses else ("churn", "change"))
        )
        if kind == "churn":
            churn.append((t, draw(st.sampled_from(("open", "in_progress")))))
        elif kind == "change":
            changes.append((t, draw(st.sampled_from(CODES))))
        else:
            end = t + draw(GAPS)
            pauses.append((t, end))
            t = end
    if kind == "pause" and draw(st.booleans()):  # the last thing that happened: it goes on
        pauses[-1] = (pauses[-1][0], None)  # still going on
        t += draw(GAPS)
    resolved = t + draw(GAPS) if draw(st.booleans()) else None
    return Life(
        opened, draw(st.sampled_from(CODES)), tuple(changes), tuple(pauses), resolved, tuple(churn)
    )


def life_events(life: Life) -> list[EventTuple]:
    """The life as events: pauses as ``pending`` then ``open`` (never ``on_hold``)."""
    keyed: list[tuple[int, int, EventTuple]] = [
        (life.opened, 0, (life.opened, "opened", life.priority))
    ]
    for at, status in life.churn:
        keyed.append((at, 1, (at, "status", status)))
    for start, end in life.pauses:
        keyed.append((start, 1, (start, "status", "pending")))
        if end is not None:
            keyed.append((end, 1, (end, "status", "open")))
    for at, code in life.changes:
        keyed.append((at, 2, (at, "priority", code)))
    if life.resolved is not None:
        keyed.append((life.resolved, 3, (life.resolved, "resolved", None)))
    # Ordered by instant; at one instant the opening first and the resolution last; a pause's
    # end before the next pause's start (a touching pair stays paused: the last status wins).
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in keyed]


def life_ticket(life: Life) -> Ticket:
    utc = UTC
    return Ticket(
        opened_at=from_us(life.opened, utc),
        priority=life.priority,
        pauses=tuple(
            Pause(start=from_us(s, utc), end=None if e is None else from_us(e, utc))
            for s, e in life.pauses
        ),
        priority_changes=tuple(
            PriorityChange(at=from_us(a, utc), priority=c) for a, c in life.changes
        ),
        resolved_at=None if life.resolved is None else from_us(life.resolved, utc),
    )


@st.composite
def law_cases(draw: st.DrawFn, *, with_pauses: bool) -> tuple[PolicySpec, Life, int]:
    calendar, anchor = draw(calendars_and_anchors())
    spec = _resolution_only(draw(policies(calendar)))
    # Today's Ticket has one warning share: the law compares the two on the same one.
    spec = replace(
        spec, paused_statuses=frozenset({"waiting_on_customer", "pending"}), warn_at=(0.75,)
    )
    life = draw(lives(anchor, with_pauses=with_pauses))
    instants = sorted(at for at, _, _ in life_events(life))
    now = max(
        life.opened, draw(st.sampled_from(instants)) + draw(st.sampled_from((0, 0, -1, 1, US_DAY)))
    )
    return spec, life, now


def _same_as_ticket(spec: PolicySpec, life: Life, now: int) -> None:
    engine = engine_policy(spec)
    items = [event_dict("T", e, UTC) for e in life_events(life)]
    (got,) = [r for _, r in engine_rows(engine, spec.calendar, items, now)]
    today = engine.status(life_ticket(life), from_us(now, UTC))
    one = timedelta(microseconds=1)
    assert (
        got.state,
        got.priority,
        got.due_us,
        got.breach_us,
        got.used_us,
        got.escalation_level,
    ) == (
        str(today.state),
        today.priority,
        to_us(today.due_at),
        to_us(today.breach_at),
        today.used // one,
        today.escalation_level,
    )
    assert got.remaining_us == today.remaining // one


def todays_policy(spec: PolicySpec) -> SlaPolicy:
    """Today's policy (no metrics) for ``spec``: its priorities, warning and ladder."""
    return SlaPolicy(
        priorities=tuple(
            Priority(code=c, target=timedelta(microseconds=t), name_en=c, name_pt=c)
            for c, t in spec.priorities.items()
        ),
        warning_share=spec.warn_at[0],
        escalation=tuple(
            EscalationLevel(name=f"level {i}", offset=timedelta(microseconds=o))
            for i, o in enumerate(spec.offsets)
        ),
        priority_change=spec.priority_change,
        calendar=spec.calendar,
    )


@pytest.mark.slow
@given(st.booleans().flatmap(lambda pauses: law_cases(with_pauses=pauses)))
def test_reference_resolution_is_todays_ticket_status(case: tuple[PolicySpec, Life, int]) -> None:
    """The reference's resolution of a life without reopen is today's status of its Ticket.

    Checks the reference against the released engine, before the event engine exists.
    """
    spec, life, now = case
    spec = replace(spec, offsets=tuple(o for o in spec.offsets if o >= 0))
    (got,) = replay(spec, life_events(life), now)
    today = todays_policy(spec).status(life_ticket(life), from_us(now, UTC))
    one = timedelta(microseconds=1)
    assert (got.state, got.priority, got.due_us, got.breach_us, got.used_us) == (
        str(today.state),
        today.priority,
        to_us(today.due_at),
        to_us(today.breach_at),
        today.used // one,
    )
    assert (got.remaining_us, got.escalation_level) == (
        today.remaining // one,
        today.escalation_level,
    )


@pytest.mark.slow
@given(law_cases(with_pauses=False))
def test_law_a_history_that_never_pauses_is_a_ticket_without_pauses(
    case: tuple[PolicySpec, Life, int],
) -> None:
    _same_as_ticket(*case)


@pytest.mark.slow
@given(law_cases(with_pauses=True))
def test_law_pauses_as_status_changes_are_a_tickets_pauses(
    case: tuple[PolicySpec, Life, int],
) -> None:
    _same_as_ticket(*case)


def with_pause(events: Sequence[EventTuple], start: int, end: int, name: str) -> list[EventTuple]:
    """``events`` with every instant of ``[start, end)`` paused, all else as before.

    Status events in ``[start, end]`` are dropped; ``name`` (a paused status) is set after the
    events at ``start`` and the status in force after the events at ``end`` is set again after
    them ("open" when there was none).
    """
    before_end = [v for at, kind, v in events if kind == "status" and at <= end]
    restore = before_end[-1] if before_end else "open"
    kept = [e for e in events if not (e[1] == "status" and start <= e[0] <= end)]
    out: list[EventTuple] = []
    placed_start = placed_end = False
    for event in kept:
        if not placed_start and event[0] > start:
            out.append((start, "status", name))
            placed_start = True
        if not placed_end and event[0] > end:
            out.append((end, "status", restore))
            placed_end = True
        out.append(event)
    if not placed_start:
        out.append((start, "status", name))
    if not placed_end:
        out.append((end, "status", restore))
    return out


@st.composite
def paused_additions(draw: st.DrawFn) -> tuple[History, str, int, int]:
    history = draw(histories(max_tickets=1))
    (ticket,) = history.tickets
    events = history.tickets[ticket]
    start = events[0][0] + draw(st.integers(0, max(0, history.now - events[0][0]) + US_DAY))
    end = start + draw(GAPS)
    return history, ticket, start, end


def _deadlines(rows: Iterable[tuple[str, Row]]) -> dict[tuple[str, int], tuple[int, int]]:
    return {(r.metric, r.cycle): (r.due_us, r.breach_us) for _, r in rows}


@pytest.mark.slow
@given(paused_additions())
def test_law_adding_a_paused_interval_never_makes_a_deadline_earlier(
    case: tuple[History, str, int, int],
) -> None:
    history, ticket, start, end = case
    name = sorted(history.policy.paused_statuses)[0]
    events = with_pause(history.tickets[ticket], start, end, name)
    longer = replace(history, tickets={ticket: events}, order=(ticket,) * len(events))
    for rows_of in (reference_rows, run_engine):
        before, after = _deadlines(rows_of(history)), _deadlines(rows_of(longer))
        assert before.keys() == after.keys()
        for key, (due, breach) in before.items():
            assert after[key][0] >= due, key
            assert after[key][1] >= breach, key
