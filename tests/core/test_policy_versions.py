"""Dated policy versions (issue 14): targets, warnings and ladders in force from a date.

The property tests (``tests/property/test_status_properties.py``, ``test_bulk_vs_scalar.py``)
compare versioned policies with the reference's choice of version; these are the worked
examples, both modes, the file form, every path that looks a target up, and the bad values.
"""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from sla_clock import (
    EscalationLevel,
    PolicyConfigError,
    SlaPolicy,
    Ticket,
    metric_statuses,
    next_change,
)
from sla_clock.bulk import status_many_us
from sla_clock.config import policy_document
from sla_clock.policy import PolicyVersion
from sla_clock.replay import rules_as_of
from support import as_json, call, fails, summary

SP = ZoneInfo("America/Sao_Paulo")
JANUARY = date(2027, 1, 1)
EIGHT = {"P1": timedelta(hours=8)}
#: The issue's contract: P1 from 12 h to 8 h from 2027-01-01.
CONTRACT = SlaPolicy.default().with_version(JANUARY, targets=EIGHT)
EXAMPLE = Path(__file__).parents[2] / "examples" / "policy-versions.toml"


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SP)  # type: ignore[misc]  # (year, month, day, hour...)


def test_a_new_contract_cuts_p1_from_a_date() -> None:
    """A P1 opened Wed 30 Dec 2026 09:00 keeps 12 h (due Thu 31 Dec 12:00); one opened Mon 4
    Jan 2027 09:00 has 8 h (due 17:00 that day)."""
    assert CONTRACT.due_at(at(2026, 12, 30, 9), "P1") == at(2026, 12, 31, 12)
    assert CONTRACT.due_at(at(2027, 1, 4, 9), "P1") == at(2027, 1, 4, 17)
    assert CONTRACT.budget(at(2027, 1, 4, 9), "P1") == timedelta(hours=8)
    assert CONTRACT.due_at(at(2027, 1, 4, 9), "P0") == at(2027, 1, 4, 13)  # carried over
    version = CONTRACT.versions[0].priorities[0]
    assert (version.name_en, version.name_pt) == ("High", "Alta")  # names kept


def test_opened_keeps_the_contract_of_the_opening_and_current_applies_today() -> None:
    """A P1 opened Thu 31 Dec 2026 17:00, asked Mon 4 Jan 2027 15:00 (7 business hours used:
    1 h on Thursday, 6 h on Monday). Under "opened" it has its 12 h (running, at risk from
    9 h); under "current" the 8 h of January (at risk since 6 h)."""
    ticket = Ticket(opened_at=at(2026, 12, 31, 17), priority="P1")
    now = at(2027, 1, 4, 15)
    opened = CONTRACT.status(ticket, now)
    assert (opened.state, opened.target, opened.used) == (
        "running",
        timedelta(hours=12),
        timedelta(hours=7),
    )
    current = CONTRACT.model_copy(update={"policy_version": "current"}).status(ticket, now)
    assert (current.state, current.target) == ("at_risk", timedelta(hours=8))
    assert current.due_at == at(2027, 1, 4, 16)


def test_warnings_and_the_ladder_come_from_the_same_version_as_the_targets() -> None:
    """From January the desk is warned at half the target and coordination is called 2 h
    after a breach; a ticket of December keeps 75 % and +4 h."""
    ladder = (
        EscalationLevel(name="team leaders", offset=timedelta(0)),
        EscalationLevel(name="coordination", offset=timedelta(hours=2)),
    )
    policy = CONTRACT.with_version(
        date(2027, 1, 1), targets=EIGHT, warning_share=0.5, escalation=ladder
    )
    december = Ticket(opened_at=at(2026, 12, 30, 9), priority="P0")  # 4 h: due 13:00
    january = Ticket(opened_at=at(2027, 1, 4, 9), priority="P0")
    assert policy.status(december, at(2026, 12, 30, 11)).state == "running"  # 2 h < 3 h
    assert policy.status(january, at(2027, 1, 4, 11)).state == "at_risk"  # 2 h >= 2 h
    old = policy.status(december, at(2026, 12, 30, 16, 30))  # 3.5 h late
    new = policy.status(january, at(2027, 1, 4, 16, 30))
    assert (old.escalation, new.escalation) == ("team leaders", "coordination")
    assert len(policy.versions) == 1  # the same date replaced the version


def test_next_change_and_the_timeline_use_the_version() -> None:
    ticket = Ticket(opened_at=at(2027, 1, 4, 9), priority="P1")
    change = next_change(CONTRACT, ticket, at(2027, 1, 4, 9))
    assert change is not None
    assert (change.at, change.state) == (at(2027, 1, 4, 15), "at_risk")  # 75 % of 8 h


def test_the_vectorised_status_counts_each_row_under_its_version() -> None:
    """Two tickets opened at the same instant, asked before and after the change: under
    "current" each takes the version of its own now (the rows of one group differ)."""
    current = CONTRACT.model_copy(update={"policy_version": "current"})
    cal = current.calendar
    opened = np.array([cal.to_us(at(2026, 12, 31, 9))] * 2 + [cal.to_us(at(2027, 1, 4, 9))])
    nows = np.array([cal.to_us(at(2026, 12, 31, 10)), *[cal.to_us(at(2027, 1, 4, 10))] * 2])
    cols = status_many_us(current, opened, np.array(["P1", "p1", "P1"]), nows)
    assert (cols.target // 3_600_000_000).tolist() == [12, 8, 8]
    cols = status_many_us(CONTRACT, opened, np.array(["P1", "p1", "P1"]), nows)
    assert (cols.target // 3_600_000_000).tolist() == [12, 12, 8]
    assert cols.state.tolist() == ["running", "at_risk", "running"]  # 10 h of 12 used


def test_metric_rows_count_under_the_version_of_the_ticket() -> None:
    events = [
        {"ticket": "old", "at": at(2026, 12, 30, 9), "event": "opened", "priority": "P1"},
        {"ticket": "new", "at": at(2027, 1, 4, 9), "event": "opened", "priority": "P1"},
    ]
    rows = metric_statuses(CONTRACT, events, at(2027, 1, 4, 10))
    assert [(r.ticket, r.used + r.remaining) for r in rows] == [
        ("old", timedelta(hours=12)),
        ("new", timedelta(hours=8)),
    ]


def test_current_needs_now_where_a_question_has_none() -> None:
    current = CONTRACT.model_copy(update={"policy_version": "current"})
    with pytest.raises(PolicyConfigError, match="needs now"):
        current.due_at(at(2026, 12, 30, 9), "P1")
    assert current.due_at(at(2026, 12, 30, 9), "P1", now=at(2027, 1, 4)) == at(2026, 12, 30, 17)


def test_a_versioned_policy_refuses_questions_without_a_ticket() -> None:
    """``target(code)`` and the clock rules have no single answer under versions: an error
    saying what to ask, never the first version's answer."""
    for ask in (lambda: CONTRACT.target("P1"), lambda: CONTRACT.clock_rules):
        with pytest.raises(PolicyConfigError, match="in_force"):
            ask()
    assert CONTRACT.in_force(at(2027, 1, 4)).target("P1") == timedelta(hours=8)
    assert CONTRACT.version_on(date(2026, 12, 31)).target("P1") == timedelta(hours=12)


def test_replay_applies_the_policy_version_of_the_date() -> None:
    """As of January, December's tickets get 8 h too; as of December, January's keep 12 h."""
    assert rules_as_of(CONTRACT, JANUARY).due_at(at(2026, 12, 30, 9), "P1") == at(2026, 12, 30, 17)
    assert rules_as_of(CONTRACT, date(2026, 12, 1)).due_at(at(2027, 1, 4, 9), "P1") == at(
        2027, 1, 5, 12
    )
    assert rules_as_of(CONTRACT, JANUARY).versions == ()


def test_versions_round_trip_pickle_and_files(tmp_path: Path) -> None:
    policy = SlaPolicy.from_file(EXAMPLE)
    assert policy.versions[0].start == JANUARY
    assert SlaPolicy.from_data(policy.to_data()) == policy
    assert pickle.loads(pickle.dumps(policy)) == policy
    written = tmp_path / "policy.json"
    written.write_text(json.dumps(policy_document(policy.to_data())), encoding="utf-8")
    assert SlaPolicy.from_file(written) == policy
    plain = SlaPolicy.default()
    assert "versions" not in policy_document(plain.to_data())  # old files stay the same


def test_a_version_keeps_what_it_does_not_give(tmp_path: Path) -> None:
    """Names, impacts and calendars carry over; a name given replaces both when alone."""
    path = tmp_path / "p.toml"
    path.write_text(
        '[[priorities]]\ncode = "P1"\ntarget_hours = 12\nname_en = "High"\nname_pt = "Alta"\n'
        'impact = "Partial"\n[[versions]]\nfrom = "01/01/2027"\n[[versions.priorities]]\n'
        'code = "p1"\ntarget_hours = 8\n[[versions]]\nfrom = "2027-06-01"\n'
        '[[versions.priorities]]\ncode = "P1"\ntarget_hours = 6\nname_en = "Urgent"\n',
        encoding="utf-8",
    )
    policy = SlaPolicy.from_file(path)
    january, june = (v.priorities[0] for v in policy.versions)
    assert (january.name_en, january.name_pt, january.impact) == ("High", "Alta", "Partial")
    assert (june.name_en, june.name_pt, june.impact) == ("Urgent", "Urgent", "Partial")
    assert june.target == timedelta(hours=6)


BAD_VERSIONS = {
    "unknown code": (
        '[[versions]]\nfrom = "2027-01-01"\n[[versions.priorities]]\ncode = "P9"\n'
        "target_hours = 1\n",
        "does not define",
    ),
    "two on a date": (
        '[[versions]]\nfrom = "2027-01-01"\nwarning_share = 0.5\n[[versions]]\n'
        'from = "01/01/2027"\nwarning_share = 0.6\n',
        "give each date once",
    ),
    "both shares": (
        '[[versions]]\nfrom = "2027-01-01"\nwarning_share = 0.5\nwarn_at = [0.5]\n',
        "give one",
    ),
    "ladder out of order": (
        '[[versions]]\nfrom = "2027-01-01"\n[[versions.escalation]]\nname = "a"\n'
        'offset_hours = 4\n[[versions.escalation]]\nname = "b"\noffset_hours = 1\n',
        "increasing offset",
    ),
    "no from": ("[[versions]]\nwarning_share = 0.5\n", "versions.0.from"),
    "bad from": ('[[versions]]\nfrom = "2027-02-30"\n', "versions.0.from"),
    "from a time": ("[[versions]]\nfrom = 2027-01-01T10:00:00\n", "versions.0.from"),
    "share out of range": (
        '[[versions]]\nfrom = "2027-01-01"\nwarning_share = 1.5\n',
        "warning_share",
    ),
    "infinite target": (
        '[[versions]]\nfrom = "2027-01-01"\n[[versions.priorities]]\ncode = "P1"\n'
        "target_hours = inf\n",
        "target_hours",
    ),
    "no target": (
        '[[versions]]\nfrom = "2027-01-01"\n[[versions.priorities]]\ncode = "P1"\n',
        "target",
    ),
    "unknown key": ('[[versions]]\nfrom = "2027-01-01"\ntimezone = "UTC"\n', "timezone"),
    "versions not a list": ('versions = "2027"\n', "versions"),
    "bad mode": ('policy_version = "latest"\n', "policy_version"),
}
HEAD = '[[priorities]]\ncode = "P1"\ntarget_hours = 12\n'


@pytest.mark.parametrize("name", sorted(BAD_VERSIONS))
def test_bad_versions_are_one_clear_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body, expected = BAD_VERSIONS[name]
    path = tmp_path / "p.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(PolicyConfigError, match=expected):
        SlaPolicy.from_file(path)
    assert expected in fails(
        capsys, "due", "P1", "--opened", "2027-01-04 09:00", "--policy", str(path)
    )


def test_bad_versions_in_python() -> None:
    with pytest.raises(ValueError, match="starts on a date"):
        CONTRACT.with_version(datetime(2027, 2, 1, 10, tzinfo=SP), warning_share=0.5)
    with pytest.raises(ValueError, match="P9"):
        SlaPolicy.default().with_version(JANUARY, targets={"P9": timedelta(hours=1)})
    with pytest.raises(ValueError, match="positive"):
        SlaPolicy.default().with_version(JANUARY, targets={"P1": timedelta(0)})
    with pytest.raises(ValueError, match="give each date once"):
        SlaPolicy.model_validate(
            {**SlaPolicy.default().model_dump(), "versions": (PolicyVersion(start=JANUARY),) * 2}
        )


def test_a_far_version_date_is_fine() -> None:
    """A version in year 9999 is never in force for today's tickets and costs nothing."""
    far = SlaPolicy.default().with_version(date(9999, 12, 31), targets=EIGHT)
    assert far.due_at(at(2027, 1, 4, 9), "P1") == SlaPolicy.default().due_at(
        at(2027, 1, 4, 9), "P1"
    )
    early = SlaPolicy.default().with_version(date(1, 1, 1), targets=EIGHT)
    assert early.budget(at(2027, 1, 4, 9), "P1") == timedelta(hours=8)


# -- the CLI -------------------------------------------------------------------------------


def test_cli_due_explain_and_status_name_the_versions(capsys: pytest.CaptureFixture[str]) -> None:
    base = ("--policy", str(EXAMPLE))
    assert call(capsys, "due", "P1", "--opened", "2027-01-04 09:00", *base)[1] == (
        "2027-01-04T17:00:00-03:00\n"
    )
    _, out, _ = call(capsys, "due", "P1", "--opened", "2027-01-04 09:00", "--explain", *base)
    assert "rules: policy: from Fri 2027-01-01; calendar: the calendar's own" in out
    assert "target 8:00:00" in out
    data = as_json(capsys, "due", "P1", "--opened", "2026-12-30 09:00", *base)
    assert data["rules"] == {"policy_from": None, "calendar_from": [None]}
    lines = summary(
        capsys,
        "status",
        "P1",
        "--opened",
        "2027-01-04 09:00",
        "--now",
        "2027-01-04 10:00",
        "--lang",
        "pt",
        *base,
    )
    assert lines[
        "regras"
    ] == "política: a partir de seg 01/01/2027; calendário: as do próprio calendário".replace(
        "seg", "sex"
    )
    data = as_json(
        capsys,
        "status",
        "P1",
        "--opened",
        "2027-01-04 09:00",
        "--now",
        "2027-01-05 12:00",
        *base,
        status=1,
    )
    assert data["escalation"] == "coordination"
    assert data["rules"] == {"policy_from": "2027-01-01", "calendar_from": [None]}
    plain = as_json(
        capsys, "status", "P1", "--opened", "2027-01-04 09:00", "--now", "2027-01-04 10:00"
    )
    assert "rules" not in plain


def test_cli_policy_at_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    base = ("policy", "--policy", str(EXAMPLE))
    _, out, _ = call(capsys, *base)
    assert "from Fri 2027-01-01: P1 8:00:00; at risk from 50.0 %" in out
    _, out, _ = call(capsys, *base, "--at", "2027-06-01")
    assert out.startswith("in force on Tue 2027-06-01: from Fri 2027-01-01\n")
    assert "  P1    High       Alta       8:00:00" in out
    _, out, _ = call(capsys, *base, "--at", "01/06/2026", "--lang", "pt")
    assert out.startswith("em vigor em seg 01/06/2026: as da própria política\n")
    data = as_json(capsys, *base, "--at", "2027-06-01")
    assert "versions" not in data
    assert [p["target_hours"] for p in data["priorities"]] == [4, 8, 40, 48]  # type: ignore[index]  # (JSON: a list of objects)
    for bad in ("", "2027-13-01", "tomorrow", "0000-01-01", "2027-01-01T10:00", "1e9", "\udcff"):
        assert "date" in fails(capsys, *base, "--at", bad)


def test_cli_batch_rules_as_of_applies_the_policy_version(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened_at\nold,P1,2026-12-30 09:00\nnew,P1,2027-01-04 09:00\n")
    base = ("batch", str(tickets), "--policy", str(EXAMPLE), "--now", "2027-01-04 10:00")
    _, out, _ = call(capsys, *base)
    assert [line.split(",")[3][:16] for line in out.splitlines()[1:]] == [
        "2026-12-31T12:00",
        "2027-01-04T17:00",
    ]
    _, out, _ = call(capsys, *base, "--rules-as-of", "2027-01-01")
    assert [line.split(",")[3][:16] for line in out.splitlines()[1:]] == [
        "2026-12-30T17:00",
        "2027-01-04T17:00",
    ]


def test_cli_status_of_a_history_counts_under_the_version(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A P1 opened Mon 4 Jan 2027 09:00, asked Tue 12:00: 12 h used of January's 8 h, 4 h
    late, past January's coordination (+2 h) though not December's (+4 h)."""
    events = tmp_path / "e.jsonl"
    events.write_text(
        '{"ticket": "T-1", "at": "2027-01-04T09:00:00-03:00", "event": "opened", '
        '"priority": "P1"}\n',
        encoding="utf-8",
    )
    base = ("status", "--events", str(events), "--ticket", "T-1", "--policy", str(EXAMPLE))
    status, out, _ = call(capsys, *base, "--now", "2027-01-05 12:00", "--lang", "pt")
    assert status == 1
    assert "coordenação (nível 2 de 2)" in out
    rows = json.loads(call(capsys, *base, "--now", "2027-01-05 12:00", "--json")[1])
    assert (rows[0]["escalation_level"], rows[0]["remaining_seconds"]) == (2, -4 * 3600)
