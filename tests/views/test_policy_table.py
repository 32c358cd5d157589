"""Tests of sla_clock.views._policy_table: a policy printed for people and as a policy file."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from sla_clock import BusinessCalendar, EscalationLevel, Priority, SlaPolicy
from sla_clock.config import PolicyFile
from sla_clock.policy import DEFAULT_POLICY_DATA
from sla_clock.views._policy_table import calendar_file_dict, policy_dict, policy_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_POLICY = SlaPolicy.from_file(str(ROOT / "examples" / "policy.toml"))
EXAMPLE_CALENDAR = BusinessCalendar.from_file(str(ROOT / "examples" / "calendar.toml"))

POLICIES = {
    "default": SlaPolicy.default(),
    "example": EXAMPLE_POLICY,
    "busy-calendar-restart": SlaPolicy.default().model_copy(
        update={"calendar": EXAMPLE_CALENDAR, "priority_change": "restart"}
    ),
    "odd-durations": SlaPolicy(
        priorities=(
            Priority(code="Q", target=timedelta(minutes=90), name_en="Quick", name_pt="Rápida"),
            Priority(code="S", target=timedelta(seconds=1), name_en="Second", name_pt="Segundo"),
        ),
        warning_share=0.5,
        escalation=(EscalationLevel(name="boss", offset=timedelta(minutes=30)),),
        calendar=BusinessCalendar.create(
            hours={"mon-sat": "07:30-19:15"},
            timezone="America/Manaus",
            country=None,
            closed_dates=[date(2026, 12, 28)],
        ),
    ),
}


@pytest.mark.parametrize("name", POLICIES)
def test_policy_dict_is_a_policy_file_of_the_same_policy(name: str) -> None:
    """policy_dict validates as a PolicyFile that builds back the very same policy."""
    policy = POLICIES[name]
    assert SlaPolicy.from_data(PolicyFile.model_validate(policy_dict(policy))) == policy


def test_default_matches_the_default_policy_file() -> None:
    """The default policy's dict builds what the default policy data builds."""
    rebuilt = SlaPolicy.from_data(PolicyFile.model_validate(policy_dict(SlaPolicy.default())))
    assert (
        rebuilt
        == SlaPolicy.from_data(PolicyFile.model_validate(DEFAULT_POLICY_DATA))
        == SlaPolicy.default()
    )


def test_hours_are_numbers() -> None:
    """Targets and offsets are hours: ints when whole, floats otherwise."""
    data = policy_dict(POLICIES["odd-durations"])
    assert [p["target_hours"] for p in data["priorities"]] == [1.5, 1 / 3600]
    assert data["escalation"] == [{"name": "boss", "name_pt": None, "offset_hours": 0.5}]
    assert policy_dict(SlaPolicy.default())["priorities"][2]["target_hours"] == 40


def test_calendar_file_dict_sorts_overrides() -> None:
    """Overrides come back as closed, partial and extra_open, like the file they came from."""
    data = calendar_file_dict(EXAMPLE_CALENDAR)
    assert data["closed"] == ["2026-12-26"]
    assert data["partial"] == {
        "2026-02-18": ["14:00-18:00"],
        "2026-12-24": ["09:00-12:00"],
        "2026-12-31": ["09:00-12:00"],
    }
    assert data["extra_open"] == {"2026-11-28": ["09:00-13:00"]}
    assert data["holidays"] == {
        "country": "BR",
        "subdiv": "SP",
        "categories": ["public", "optional"],
    }


def test_text_english() -> None:
    """The English table lists codes, both names, targets, impacts and the ladder."""
    out = policy_text(SlaPolicy.default(), "en")
    lines = out.splitlines()
    assert lines[0] == "priorities:"
    assert lines[1].split() == ["code", "name", "(en)", "name", "(pt)", "target", "impact"]
    assert lines[4].startswith("  P2    Medium     Média      40:00:00  No unavailability")
    assert "  2  coordination  +4:00:00" in lines
    assert "at risk from:    75.0 %" in lines


def test_text_portuguese() -> None:
    """In Portuguese the labels and the ladder's names are Portuguese, the share uses a comma."""
    out = policy_text(SlaPolicy.default(), "pt")
    assert out.startswith("prioridades:\n  código  nome (en)  nome (pt)  meta")
    assert "  1  líderes de equipe  +0:00:00" in out
    assert "em risco a partir de:  75,0 %" in out
    assert "fuso horário:          America/Sao_Paulo" in out


def test_text_without_escalation() -> None:
    """A policy without a ladder says so."""
    policy = SlaPolicy.default().model_copy(update={"escalation": ()})
    assert "escalation (business time after the deadline):\n  none\n" in policy_text(policy, "en")
