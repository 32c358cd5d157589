"""Targets and escalation offsets mean business hours, finite and at most 100,000 of them.

A policy file writes a duration as ``target_hours = 40``, integer seconds or ISO 8601 hours
(``"PT40H"``). Text with days, weeks, months or years (``"P5D"``) is refused: pydantic would
read it as days of 24 hours, so ``"P5D"`` would silently be 120 business hours, about 13
working days. Huge, infinite or NaN values are a clear error naming the field, never an
``OverflowError`` or a computation that does not end.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from sla_clock import EscalationLevel, PolicyConfigError, Priority, SlaPolicy, cli
from sla_clock.policy import MAX_BUSINESS_HOURS

SP = ZoneInfo("America/Sao_Paulo")
OPENED = datetime(2026, 11, 24, 10, tzinfo=SP)


def policy_file(tmp_path: Path, priority: str, escalation: str = "") -> Path:
    """Write a TOML policy with one priority ``A`` (its target line given) and a ladder."""
    text = f'[[priorities]]\ncode = "A"\n{priority}\n'
    if escalation:
        text += f'\n[[escalation]]\nname = "leaders"\n{escalation}\n'
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    """Load ``path`` expecting a PolicyConfigError and return its message."""
    with pytest.raises(PolicyConfigError) as info:
        SlaPolicy.from_file(path)
    assert isinstance(info.value, ValueError)
    return str(info.value)


# -- days, weeks, months and years ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("P5D", 120),
        ("P1W", 168),
        ("P1DT2H", 26),
        ("P1M", 720),
        ("P1Y", 8760),
        ("1 day, 2:00:00", 26),
        ("2 days", 48),
        ("1d", 24),
    ],
)
def test_a_target_with_days_is_refused_with_how_to_write_hours(
    tmp_path: Path, text: str, hours: int
) -> None:
    """target = "P5D" is refused: it says what it would mean and how to write hours."""
    message = refused(policy_file(tmp_path, f"target = {json.dumps(text)}"))
    assert "policy.toml" in message
    assert "priorities.0.target" in message
    assert f"{text!r}" in message
    assert f"it would mean {hours} business hours" in message
    assert 'target = "PT40H" or target_hours = 40' in message
    assert "5 dias úteis" in message
    assert "target_business_days" in message


@pytest.mark.parametrize("text", ["P5D", "P1W", "1 day, 0:00:00"])
def test_an_escalation_offset_with_days_is_refused(tmp_path: Path, text: str) -> None:
    """offset = "P1D" is refused the same way, naming the escalation field."""
    path = policy_file(tmp_path, "target_hours = 4", f"offset = {json.dumps(text)}")
    message = refused(path)
    assert "escalation.0.offset" in message
    assert 'offset = "PT4H" or offset_hours = 4' in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('target = "PT40H"', timedelta(hours=40)),
        ('target = "PT4H30M"', timedelta(hours=4, minutes=30)),
        ('target = "PT1.5H"', timedelta(hours=1, minutes=30)),
        ('target = "PT90M"', timedelta(minutes=90)),
        ('target = "40:00:00"', timedelta(hours=40)),
        ("target = 14400", timedelta(hours=4)),
        ("target_hours = 40", timedelta(hours=40)),
        ("target_hours = 1.5", timedelta(hours=1, minutes=30)),
        (f"target_hours = {MAX_BUSINESS_HOURS}", timedelta(hours=MAX_BUSINESS_HOURS)),
    ],
)
def test_hours_minutes_and_seconds_stay_accepted(
    tmp_path: Path, line: str, expected: timedelta
) -> None:
    """Integer seconds, "PT…H/M/S", clock times and target_hours keep working."""
    assert SlaPolicy.from_file(policy_file(tmp_path, line)).target("A") == expected


def test_a_timedelta_from_python_stays_as_given() -> None:
    """In Python a timedelta is taken as given: days=5 is 120 business hours, on purpose."""
    priority = Priority(code="A", target=timedelta(days=5), name_en="A", name_pt="A")
    assert priority.target == timedelta(hours=120)
    assert EscalationLevel(name="x", offset=timedelta(days=1)).offset == timedelta(hours=24)


# -- finite and bounded ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("target_hours = 1e8", "priorities.0.target_hours"),
        ("target_hours = 1e12", "priorities.0.target_hours"),
        ("target_hours = 100000.5", "priorities.0.target_hours"),
        ("target_hours = inf", "priorities.0.target_hours"),
        ("target_hours = 1e400", "priorities.0.target_hours"),  # TOML reads it as inf
        ("target_hours = nan", "priorities.0.target_hours"),
        ("target_hours = true", "priorities.0.target_hours"),
        ("target = 1e12", "priorities.0.target"),
        ("target = 1e400", "priorities.0.target"),
        ("target = nan", "priorities.0.target"),
        ('target = "PT100001H"', "priorities.0.target"),
        ("target = 360000000000", "priorities.0.target"),
        ("target = true", "priorities.0.target"),
    ],
)
def test_huge_or_non_finite_targets_are_refused(tmp_path: Path, line: str, field: str) -> None:
    """1e8, 1e12, inf, 1e400 and nan are a PolicyConfigError naming the field."""
    message = refused(policy_file(tmp_path, line))
    assert f"bad field {field}:" in message
    assert "finite" in message or "100,000" in message or "not a duration" in message


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("offset_hours = 1e8", "escalation.0.offset_hours"),
        ("offset_hours = inf", "escalation.0.offset_hours"),
        ("offset_hours = nan", "escalation.0.offset_hours"),
        ("offset = 1e400", "escalation.0.offset"),
        ('offset = "PT100001H"', "escalation.0.offset"),
    ],
)
def test_huge_or_non_finite_offsets_are_refused(tmp_path: Path, line: str, field: str) -> None:
    """Escalation offsets follow the same bound as targets."""
    message = refused(policy_file(tmp_path, "target_hours = 4", line))
    assert f"bad field {field}:" in message


def test_json_infinity_and_nan_are_refused(tmp_path: Path) -> None:
    """JSON's Infinity and NaN (which Python reads) are refused like TOML's inf and nan."""
    for value in ("Infinity", "NaN", "1e400"):
        path = tmp_path / "policy.json"
        path.write_text(f'{{"priorities": [{{"code": "A", "target_hours": {value}}}]}}')
        assert "priorities.0.target_hours" in refused(path)


def test_python_models_refuse_targets_past_the_bound() -> None:
    """Priority and EscalationLevel refuse more than 100,000 business hours, naming the field."""
    too_long = timedelta(hours=MAX_BUSINESS_HOURS, microseconds=1)
    with pytest.raises(ValidationError, match=r"target[\s\S]*100,000"):
        Priority(code="A", target=too_long, name_en="A", name_pt="A")
    with pytest.raises(ValidationError, match=r"offset[\s\S]*100,000"):
        EscalationLevel(name="x", offset=timedelta.max)


def test_the_largest_target_gives_a_deadline(tmp_path: Path) -> None:
    """100,000 business hours is accepted and answered (about 44 years on the default desk)."""
    policy = SlaPolicy.from_file(policy_file(tmp_path, f"target_hours = {MAX_BUSINESS_HOURS}"))
    due = policy.due_at(OPENED, "A")
    assert policy.calendar.elapsed(OPENED, due) == timedelta(hours=MAX_BUSINESS_HOURS)
    assert 2060 < due.year < 2080
    assert SlaPolicy.default().due_at(OPENED, "P0") == datetime(2026, 11, 24, 14, tzinfo=SP)


@pytest.mark.parametrize("line", ["target_hours = 1e8", "target_hours = 1e400", 'target = "P5D"'])
def test_the_command_line_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    """`sla-clock due` with such a policy exits 2 with one error line, no traceback."""
    path = policy_file(tmp_path, line)
    status = cli.main(["due", "A", "--opened", "2026-11-24 10:00", "--policy", str(path)])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err.startswith("sla-clock: error: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("text", ["P5D", "P1W", "1 day, 2:00:00", "P1DT2H"])
def test_python_targets_and_offsets_with_days_are_refused_too(text: str) -> None:
    """Text with days given in Python was read as days of 24 hours ("P5D": 120 business
    hours), as only files refused it: a gap in issue 9's promises, found re-checking them."""
    with pytest.raises(ValueError, match="counts days of 24 hours"):
        Priority(code="X", name_en="x", name_pt="x", target=text)
    with pytest.raises(ValueError, match="counts days of 24 hours"):
        EscalationLevel(name="a", offset=text)
    assert Priority(code="X", name_en="x", name_pt="x", target="PT40H").target == timedelta(
        hours=40
    )
    assert Priority(code="X", name_en="x", name_pt="x", target=timedelta(days=5)).target == (
        timedelta(hours=120)  # a timedelta is taken as given (docs/design.md)
    )
