"""SlaPolicy: the support document's table, codes, validation and deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sla_clock import (
    BusinessCalendar,
    EscalationLevel,
    Priority,
    SlaClockError,
    SlaPolicy,
    Ticket,
    UnknownPriorityError,
)
from support import SP, nov

POLICY = SlaPolicy.default()


def prio(code: str, hours: float = 4) -> Priority:
    """A priority with a target of ``hours``."""
    return Priority(code=code, target=timedelta(hours=hours), name_en=code, name_pt=code)


def test_default_table() -> None:
    """The default policy is the support document's four priorities, in table order."""
    table = [(p.code, p.target, p.name_pt, p.name_en) for p in POLICY.priorities]
    assert table == [
        ("P0", timedelta(hours=4), "Altíssima", "Highest"),
        ("P1", timedelta(hours=12), "Alta", "High"),
        ("P2", timedelta(hours=40), "Média", "Medium"),
        ("P3", timedelta(hours=48), "Baixa", "Low"),
    ]
    assert POLICY.codes == ("P0", "P1", "P2", "P3")
    assert all(p.impact for p in POLICY.priorities)


def test_default_warning_ladder_and_rule() -> None:
    """Default: 75 % warning, leaders +0 h, coordination +4 h, management +8 h, recompute."""
    assert POLICY.warning_share == 0.75
    ladder = [(level.name, level.offset) for level in POLICY.escalation]
    assert ladder == [
        ("team leaders", timedelta(0)),
        ("coordination", timedelta(hours=4)),
        ("management", timedelta(hours=8)),
    ]
    assert POLICY.priority_change == "recompute"


def test_default_runs_on_the_default_calendar() -> None:
    """The default policy's calendar is the default desk, and default() is one shared value."""
    assert POLICY.calendar == BusinessCalendar.default()
    assert SlaPolicy.default() is POLICY


@pytest.mark.parametrize("code", ["P2", "p2", " p2 ", "P2 "])
def test_codes_are_case_insensitive(code: str) -> None:
    """Codes are found whatever their case and surrounding spaces."""
    assert POLICY.priority(code).code == "P2"
    assert POLICY.target(code) == timedelta(hours=40)


def test_unknown_code_lists_the_known_ones() -> None:
    """An unknown code raises UnknownPriorityError, a ValueError, listing the codes."""
    with pytest.raises(UnknownPriorityError, match=r"'P7'.*P0, P1, P2, P3") as info:
        POLICY.priority("P7")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, SlaClockError)
    with pytest.raises(UnknownPriorityError):
        POLICY.due_at(nov(23, 9), "P7")


@pytest.mark.parametrize(
    ("opened", "code", "due"),
    [
        (nov(23, 14), "P0", nov(23, 18)),
        (nov(24, 17, 30), "P1", nov(26, 11, 30)),
        (nov(23, 9), "P2", nov(27, 13)),
        (nov(23, 9), "P3", nov(30, 12)),
        (datetime(2026, 11, 19, 17, tzinfo=SP), "P0", nov(23, 12)),
    ],
)
def test_due_at(opened: datetime, code: str, due: datetime) -> None:
    """due_at adds the priority's target in business time on the policy's calendar."""
    assert POLICY.due_at(opened, code) == due


def test_lunch_break_makes_p2_exactly_five_days() -> None:
    """With a 12:00-13:00 break, P2 (40 h) opened Mon 09:00 is due Fri 18:00."""
    lunch = POLICY.calendar.with_hours({"mon-fri": ["09:00-12:00", "13:00-18:00"]})
    policy = POLICY.with_calendar(lunch)
    assert policy.due_at(nov(23, 9), "P2") == nov(27, 18)
    assert POLICY.due_at(nov(23, 9), "P2") == nov(27, 13)  # the original is unchanged
    assert policy.calendar is lunch


@pytest.mark.parametrize("codes", [("P1", "P1"), ("P1", "p1"), ("a", "B", "b")])
def test_duplicate_codes_are_rejected(codes: tuple[str, ...]) -> None:
    """A code defined twice (in any case) is rejected with a message naming it."""
    with pytest.raises(ValueError, match="defined twice"):
        SlaPolicy(priorities=tuple(prio(code) for code in codes))


def test_a_code_with_spaces_is_usable_or_rejected() -> None:
    """A code defined as ' b ' is either refused or found again under its own spelling."""
    try:
        policy = SlaPolicy(priorities=(prio(" b "),))
    except ValueError:
        return
    assert policy.priority(" b ").name_en == " b "


def test_an_empty_table_is_rejected() -> None:
    """A policy needs at least one priority."""
    with pytest.raises(ValueError, match="priorities"):
        SlaPolicy(priorities=())


@pytest.mark.parametrize("target", [timedelta(0), timedelta(hours=-1)])
def test_targets_must_be_positive(target: timedelta) -> None:
    """A zero or negative target is rejected and the message gives an example."""
    with pytest.raises(ValueError, match="positive"):
        Priority(code="X", target=target, name_en="X", name_pt="X")


@pytest.mark.parametrize("share", [0, -0.1, 1.01])
def test_warning_share_must_be_a_share(share: float) -> None:
    """The warning share lies in (0, 1]."""
    with pytest.raises(ValueError, match="warning_share"):
        SlaPolicy(priorities=(prio("A"),), warning_share=share)


def test_escalation_offsets_bounded_and_in_order() -> None:
    """A negative offset escalates before the deadline (issue 12, as GLPI does); a huge one or
    levels out of order are rejected."""
    assert EscalationLevel(name="x", offset=timedelta(hours=-1)).offset == timedelta(hours=-1)
    with pytest.raises(ValueError, match="more than the 100,000"):
        EscalationLevel(name="x", offset=timedelta(hours=-100_001))
    levels = (
        EscalationLevel(name="late", offset=timedelta(hours=2)),
        EscalationLevel(name="early", offset=timedelta(hours=1)),
    )
    with pytest.raises(ValueError, match="increasing offset"):
        SlaPolicy(priorities=(prio("A"),), escalation=levels)


def test_unknown_fields_are_rejected() -> None:
    """Policies and priorities forbid unknown fields, so typos do not pass silently."""
    data: dict[str, Any] = {"priorities": (prio("A"),), "warnign_share": 0.5}
    with pytest.raises(ValueError, match="warnign_share"):
        SlaPolicy(**data)


def test_policy_is_frozen() -> None:
    """A policy is an immutable value."""
    with pytest.raises(ValueError, match="frozen"):
        POLICY.warning_share = 0.5  # type: ignore[misc]  # frozen: the assignment must fail


def test_a_custom_policy_status() -> None:
    """A custom priority table drives the status: targets, warning and ladder."""
    policy = SlaPolicy(
        priorities=(prio("URGENT", 2),),
        warning_share=0.5,
        escalation=(EscalationLevel(name="boss", offset=timedelta(hours=1)),),
    )
    ticket = Ticket(opened_at=nov(24, 9), priority="urgent")
    assert policy.status(ticket, nov(24, 10)).state == "at_risk"
    on_the_offset = policy.status(ticket, nov(24, 12))  # exactly target + 1 h: not yet
    assert (on_the_offset.state, on_the_offset.escalation) == ("breached", None)
    late = policy.status(ticket, nov(24, 12, 30))
    assert (late.state, late.escalation) == ("breached", "boss")


def test_model_copy_does_not_keep_stale_rules() -> None:
    """A copy with another ladder or table computes with its own thresholds, not the original's."""
    from datetime import datetime

    from sla_clock import Ticket

    sp = ZoneInfo("America/Sao_Paulo")
    policy = SlaPolicy.default()
    ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, tzinfo=sp), priority="P0")
    late = datetime(2026, 11, 24, 17, 30, tzinfo=sp)
    assert policy.status(ticket, late).escalation_level == 3
    bare = policy.model_copy(update={"escalation": ()})
    assert bare.status(ticket, late).escalation_level == 0
    longer = policy.model_copy(
        update={
            "priorities": tuple(
                p.model_copy(update={"target": p.target * 10}) for p in policy.priorities
            )
        }
    )
    assert longer.status(ticket, late).state == "running"
