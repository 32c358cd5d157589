"""Calendar and policy files (TOML and JSON), their errors, and the policy JSON Schema."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from sla_clock import (
    BusinessCalendar,
    CalendarConfigError,
    PolicyConfigError,
    SlaClockError,
    SlaPolicy,
    Ticket,
)
from sla_clock.config import policy_json_schema
from support import sp

LUNCH_TOML = """
timezone = "America/Sao_Paulo"

[hours]
mon-fri = ["09:00-12:00", "13:00-18:00"]
"""

CALENDAR_TOML = """
timezone = "America/Sao_Paulo"
closed = ["2026-12-28", 2026-12-29]

[hours]
mon-fri = ["09:00-12:00", "13:00-18:00"]

[holidays]
country = "BR"
subdiv = "SP"

[partial]
"2026-12-24" = "09:00-12:00"

[extra_open]
"2026-11-28" = "09:00-13:00"
"""

POLICY_TOML = """
warning_share = 0.8
priority_change = "restart"

[[priorities]]
code = "URGENT"
target_hours = 2
name_en = "Urgent"
name_pt = "Urgente"
impact = "Production down"

[[priorities]]
code = "NORMAL"
target = "PT16H"
name_en = "Normal"

[[priorities]]
code = "LOW"
target = 90000

[[escalation]]
name = "team leaders"
offset_hours = 0

[[escalation]]
name = "coordination"
name_pt = "coordenação"
offset = "PT2H"

[calendar]
timezone = "America/Sao_Paulo"
[calendar.hours]
mon-fri = ["08:00-12:00", "13:00-17:00"]
"""

POLICY_DATA = {
    "warning_share": 0.5,
    "priorities": [
        {"code": "A", "target_hours": 1.5, "name_en": "Alpha", "name_pt": "Alfa"},
        {"code": "B", "target": "PT8H"},
    ],
    "escalation": [{"name": "boss", "offset_hours": 1}],
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``tmp_path / name`` and return the path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- calendar files -------------------------------------------------------------------------


def test_lunch_calendar_file_makes_p2_exactly_five_days(tmp_path: Path) -> None:
    """A 12:00-13:00 break in a calendar file turns P2's 40 h into Mon 09:00 -> Fri 18:00."""
    calendar = BusinessCalendar.from_file(str(write(tmp_path, "lunch.toml", LUNCH_TOML)))
    policy = SlaPolicy.default().with_calendar(calendar)
    assert policy.due_at(sp(2026, 11, 23, 9), "P2") == sp(2026, 11, 27, 18)
    assert calendar.elapsed(sp(2026, 11, 23, 9), sp(2026, 11, 27, 18)) == timedelta(hours=40)
    ticket = Ticket(opened_at=sp(2026, 11, 23, 9), priority="P2")
    assert policy.status(ticket, sp(2026, 11, 27, 18)).state == "at_risk"
    assert policy.status(ticket, sp(2026, 11, 30, 9, 1)).state == "breached"


def test_calendar_file_fields(tmp_path: Path) -> None:
    """Hours, closed dates (string or TOML date), holidays, partial and extra open days apply."""
    calendar = BusinessCalendar.from_file(write(tmp_path, "desk.toml", CALENDAR_TOML))
    assert calendar.day_hours(date(2026, 11, 23)) == ["09:00-12:00", "13:00-18:00"]
    assert calendar.day_hours(date(2026, 12, 28)) == []
    assert calendar.day_hours(date(2026, 12, 29)) == []
    assert calendar.day_hours(date(2026, 7, 9)) == []  # São Paulo state holiday
    assert calendar.day_hours(date(2026, 12, 24)) == ["09:00-12:00"]
    assert calendar.day_hours(date(2026, 11, 28)) == ["09:00-13:00"]  # a Saturday
    assert calendar.day_hours(date(2026, 11, 29)) == []
    assert calendar.is_open(sp(2026, 11, 28, 10))
    assert not calendar.is_open(sp(2026, 11, 23, 12, 30))


def test_calendar_json_matches_toml(tmp_path: Path) -> None:
    """A JSON calendar file with the same structure gives the same calendar."""
    data = {
        "timezone": "America/Sao_Paulo",
        "closed": ["2026-12-28", "2026-12-29"],
        "hours": {"mon-fri": ["09:00-12:00", "13:00-18:00"]},
        "holidays": {"country": "BR", "subdiv": "SP"},
        "partial": {"2026-12-24": "09:00-12:00"},
        "extra_open": {"2026-11-28": "09:00-13:00"},
    }
    from_json = BusinessCalendar.from_file(write(tmp_path, "desk.json", json.dumps(data)))
    assert from_json == BusinessCalendar.from_file(write(tmp_path, "desk.toml", CALENDAR_TOML))


def test_empty_calendar_file_is_the_default_desk(tmp_path: Path) -> None:
    """Every calendar field is optional: an empty file is the default calendar."""
    assert (
        BusinessCalendar.from_file(write(tmp_path, "empty.toml", "")) == BusinessCalendar.default()
    )
    assert (
        BusinessCalendar.from_file(write(tmp_path, "empty.json", "{}"))
        == BusinessCalendar.default()
    )


def test_calendar_without_holidays(tmp_path: Path) -> None:
    """country = null in JSON turns public holidays off."""
    text = json.dumps({"holidays": {"country": None}})
    calendar = BusinessCalendar.from_file(write(tmp_path, "none.json", text))
    assert calendar.day_hours(date(2026, 11, 20)) == ["09:00-18:00"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('timezone = "Mars/Olympus"', "Mars/Olympus"),
        ('closed = ["2026-13-01"]', "closed.0"),
        ('weekends = "closed"', "weekends"),
        ('[hours]\nmon-fri = "18:00-09:00"', "18:00-09:00"),
        ('[hours]\nmonday = "09:00-18:00"', "monday"),
        ("[hours]\nmon-fri = 9", "hours.mon-fri"),
        ('[holidays]\ncountry = "XX"', "XX"),
        ('[holidays]\ncolour = "red"', "holidays.colour"),
        ('[partial]\n"2026-12-24" = "09:00-25:00"', "25:00"),
    ],
)
def test_calendar_bad_field_is_named(tmp_path: Path, text: str, named: str) -> None:
    """A bad calendar field raises CalendarConfigError naming the file and the field."""
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(CalendarConfigError) as info:
        BusinessCalendar.from_file(path)
    message = str(info.value)
    assert named in message
    assert "bad.toml" in message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, SlaClockError)


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [("bad.toml", "[hours\nmon-fri =", "TOML"), ("bad.json", '{"hours": ', "JSON")],
)
def test_calendar_bad_syntax(tmp_path: Path, name: str, text: str, kind: str) -> None:
    """A calendar file that does not parse raises CalendarConfigError saying which format."""
    with pytest.raises(CalendarConfigError, match=f"not valid {kind}"):
        BusinessCalendar.from_file(str(write(tmp_path, name, text)))


def test_calendar_missing_file(tmp_path: Path) -> None:
    """A missing calendar file raises CalendarConfigError naming the path."""
    path = tmp_path / "nowhere.toml"
    with pytest.raises(CalendarConfigError, match="cannot read") as info:
        BusinessCalendar.from_file(str(path))
    assert "nowhere.toml" in str(info.value)


# -- policy files ---------------------------------------------------------------------------


def test_policy_toml_file(tmp_path: Path) -> None:
    """A TOML policy gives its priorities, targets, ladder, rule and calendar."""
    policy = SlaPolicy.from_file(str(write(tmp_path, "policy.toml", POLICY_TOML)))
    assert policy.codes == ("URGENT", "NORMAL", "LOW")
    assert [p.target for p in policy.priorities] == [
        timedelta(hours=2),
        timedelta(hours=16),
        timedelta(hours=25),
    ]
    urgent, normal, low = policy.priorities
    assert (urgent.name_en, urgent.name_pt, urgent.impact) == (
        "Urgent",
        "Urgente",
        "Production down",
    )
    assert (normal.name_en, normal.name_pt) == ("Normal", "Normal")
    assert (low.name_en, low.name_pt) == ("LOW", "LOW")
    assert [(lv.name, lv.offset) for lv in policy.escalation] == [
        ("team leaders", timedelta(0)),
        ("coordination", timedelta(hours=2)),
    ]
    assert policy.escalation[1].name_pt == "coordenação"
    assert policy.warning_share == 0.8
    assert policy.priority_change == "restart"
    assert policy.calendar.day_hours(date(2026, 11, 23)) == ["08:00-12:00", "13:00-17:00"]
    # 2 business hours from Mon 11:00 on 08-12/13-17: 11-12, then 13-14.
    assert policy.due_at(sp(2026, 11, 23, 11), "urgent") == sp(2026, 11, 23, 14)


def test_policy_json_file_with_default_calendar(tmp_path: Path) -> None:
    """A JSON policy without a calendar runs on the default desk."""
    policy = SlaPolicy.from_file(write(tmp_path, "policy.json", json.dumps(POLICY_DATA)))
    assert policy.codes == ("A", "B")
    assert policy.target("a") == timedelta(hours=1, minutes=30)
    assert policy.target("B") == timedelta(hours=8)
    assert policy.calendar == BusinessCalendar.default()
    assert policy.priority_change == "recompute"
    ticket = Ticket(opened_at=sp(2026, 11, 23, 17), priority="A")
    status = policy.status(ticket, sp(2026, 11, 24, 9, 45))
    assert (status.due_at, status.state) == (sp(2026, 11, 24, 9, 30), "breached")
    assert status.escalation is None


def _policy_with(**changes: object) -> dict[str, object]:
    return {**POLICY_DATA, **changes}


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (_policy_with(warning_share=2), "warning_share"),
        (_policy_with(priorities=[]), "priorities"),
        (_policy_with(priorities=[{"code": "A"}]), "priorities.0"),
        (_policy_with(priorities=[{"code": "A", "target": 1, "target_hours": 1}]), "priorities.0"),
        (_policy_with(priorities=[{"code": "A", "target_hours": -1}]), "target_hours"),
        (_policy_with(priorities=[{"code": "A", "target": "soon"}]), "priorities.0.target"),
        (_policy_with(priorities=[{"code": "A", "target": 1, "colour": "red"}]), "colour"),
        (_policy_with(priority_change="reset"), "priority_change"),
        (_policy_with(escalation=[{"name": "x", "offset_hours": -1e6}]), "offset_hours"),
        (_policy_with(escalation=[{"name": "x", "offset": 1, "offset_hours": 1}]), "both"),
        (_policy_with(tiers=[]), "tiers"),
        (_policy_with(calendar={"timezone": "Nowhere/Land"}), "Nowhere/Land"),
        (_policy_with(calendar={"hours": {"mon-fri": "9-18"}}), "bad time '9'"),
    ],
)
def test_policy_bad_field_is_named(tmp_path: Path, data: dict[str, object], named: str) -> None:
    """A bad policy field raises PolicyConfigError naming the file and the field."""
    path = write(tmp_path, "policy.json", json.dumps(data))
    with pytest.raises(PolicyConfigError) as info:
        SlaPolicy.from_file(path)
    message = str(info.value)
    assert named in message
    assert "policy.json" in message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, SlaClockError)


def test_policy_duplicate_codes(tmp_path: Path) -> None:
    """A policy file defining a code twice (in any case) is refused."""
    data = _policy_with(priorities=[{"code": "A", "target": 60}, {"code": "a", "target": 60}])
    with pytest.raises(PolicyConfigError, match="defined twice"):
        SlaPolicy.from_file(write(tmp_path, "policy.json", json.dumps(data)))


def test_policy_escalation_out_of_order(tmp_path: Path) -> None:
    """Escalation levels in a file must come in increasing offset."""
    ladder = [{"name": "late", "offset_hours": 2}, {"name": "early", "offset_hours": 1}]
    with pytest.raises(PolicyConfigError, match="increasing offset"):
        SlaPolicy.from_file(
            write(tmp_path, "policy.json", json.dumps(_policy_with(escalation=ladder)))
        )


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [("p.toml", "warning_share = = 1", "TOML"), ("p.json", "{'single': 'quotes'}", "JSON")],
)
def test_policy_bad_syntax(tmp_path: Path, name: str, text: str, kind: str) -> None:
    """A policy file that does not parse raises PolicyConfigError saying which format."""
    with pytest.raises(PolicyConfigError, match=f"not valid {kind}"):
        SlaPolicy.from_file(str(write(tmp_path, name, text)))


def test_policy_missing_file(tmp_path: Path) -> None:
    """A missing policy file raises PolicyConfigError (not a calendar error) naming the path."""
    with pytest.raises(PolicyConfigError, match="cannot read") as info:
        SlaPolicy.from_file(tmp_path / "absent.toml")
    assert "absent.toml" in str(info.value)
    assert not isinstance(info.value, CalendarConfigError)


# -- JSON Schema ----------------------------------------------------------------------------


def test_policy_json_schema_describes_policy_files() -> None:
    """The JSON Schema lists the policy fields, the allowed rules and forbids extra keys."""
    schema = policy_json_schema()
    json.dumps(schema)  # plain JSON data
    properties = schema["properties"]
    assert {"warning_share", "priorities", "escalation", "priority_change", "calendar"} <= set(
        properties
    )
    assert "priorities" in schema["required"]
    assert schema.get("additionalProperties") is False
    assert properties["priority_change"]["enum"] == ["recompute", "restart"]
    text = json.dumps(schema)
    for field in ("target_hours", "offset_hours", "extra_open", "timezone", "name_pt"):
        assert f'"{field}"' in text
