"""Tests of ``sla-clock calendar``, ``sla-clock policy`` and ``sla-clock --version``."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sla_clock import BusinessCalendar, SlaPolicy, __version__
from sla_clock.views._calendar_year import calendar_year
from sla_clock.views._policy_table import policy_dict
from support import call, fails, run_module

ROOT = Path(__file__).resolve().parents[2]
CALENDAR_FILE = str(ROOT / "examples" / "calendar.toml")
POLICY_FILE = str(ROOT / "examples" / "policy.toml")

# -- helpers ---------------------------------------------------------------------------------


def text_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Call ``cli.main`` expecting success and return what it printed."""
    status, out, err = call(capsys, *args)
    assert (status, err) == (0, "")
    return out


def json_of(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    """Call ``cli.main`` with ``--json`` expecting success and return the one parsed line."""
    out = text_of(capsys, *args, "--json")
    assert out.count("\n") == 1
    data: dict[str, Any] = json.loads(out)
    return data


def run(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    """Run ``python -m sla_clock`` with ``LANG`` set to ``lang`` and no other locale variable."""
    return run_module(*args, lang=lang, LANGUAGE="en")


@pytest.fixture(autouse=True)
def english_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in-process tests with English output and English holiday names."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)  # they win over LANG
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANGUAGE", "en")


# -- calendar --------------------------------------------------------------------------------


def test_calendar_default_2026(capsys: pytest.CaptureFixture[str]) -> None:
    """``calendar 2026`` lists weekly hours, the national holidays by name and the totals."""
    out = text_of(capsys, "calendar", "2026")
    lines = out.splitlines()
    assert lines[:4] == [
        "calendar 2026",
        "time zone: America/Sao_Paulo",
        "holidays:  BR (public)",
        "weekly hours:",
    ]
    assert lines[4:11] == [f"  {d}  09:00-18:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri")] + [
        "  Sat  closed",
        "  Sun  closed",
    ]
    assert "closed dates (10):" in lines
    names = BusinessCalendar.default().holidays.names(2026)
    assert f"  Fri 2026-11-20  holiday  {names[date(2026, 11, 20)]}" in lines
    assert lines[-2:] == ["open days: 252", "open time: 2268:00:00"]


def test_calendar_json(capsys: pytest.CaptureFixture[str]) -> None:
    """``--json`` prints the CalendarYear dict of the same calendar and year."""
    data = json_of(capsys, "calendar", "2026")
    assert data == calendar_year(BusinessCalendar.default(), 2026).to_dict()
    assert data["weekly_hours"]["mon"] == ["09:00-18:00"]
    assert data["closed"][0] == {
        "date": "2026-01-01",
        "name": BusinessCalendar.default().holidays.names(2026)[date(2026, 1, 1)],
        "source": "holiday",
        "category": "public",
    }
    assert (data["open_days"], data["open_hours"], data["open_seconds"]) == (252, 2268, 2268 * 3600)


def test_calendar_subdiv(capsys: pytest.CaptureFixture[str]) -> None:
    """``--subdiv SP`` adds São Paulo state's Jul 9."""
    plain = {d["date"] for d in json_of(capsys, "calendar", "2026")["closed"]}
    sp = {d["date"] for d in json_of(capsys, "calendar", "2026", "--subdiv", "SP")["closed"]}
    assert sp - plain == {"2026-07-09"}


def test_calendar_file(capsys: pytest.CaptureFixture[str]) -> None:
    """``--calendar FILE`` lists the file's company date, partial days and working Saturday."""
    data = json_of(capsys, "calendar", "2026", "--calendar", CALENDAR_FILE)
    company = {"date": "2026-12-26", "name": None, "source": "company", "category": None}
    assert company in data["closed"]
    carnival = next(d for d in data["closed"] if d["date"] == "2026-02-16")
    assert (carnival["source"], carnival["category"]) == ("holiday", "optional")
    assert [d["date"] for d in data["partial"]] == ["2026-02-18", "2026-12-24", "2026-12-31"]
    assert data["extra_open"] == [{"date": "2026-11-28", "hours": ["09:00-13:00"], "name": None}]
    assert data["weekly_hours"]["mon"] == ["09:00-12:00", "13:00-18:00"]
    out = text_of(capsys, "calendar", "2026", "--calendar", CALENDAR_FILE)
    assert "  Sat 2026-12-26  company" in out.splitlines()
    assert "extra open days (1):\n  Sat 2026-11-28  09:00-13:00\n" in out


def test_calendar_tz(capsys: pytest.CaptureFixture[str]) -> None:
    """``--tz`` replaces the zone: same wall-clock hours, another zone."""
    data = json_of(capsys, "calendar", "2026", "--tz", "America/New_York")
    assert data["timezone"] == "America/New_York"
    assert data["weekly_hours"]["fri"] == ["09:00-18:00"]


def test_calendar_of_a_policy(capsys: pytest.CaptureFixture[str]) -> None:
    """``--policy FILE`` lists the policy's calendar (08:00-12:00, 13:00-17:00, SP)."""
    data = json_of(capsys, "calendar", "2026", "--policy", POLICY_FILE)
    assert data["weekly_hours"]["wed"] == ["08:00-12:00", "13:00-17:00"]
    assert data["holidays"]["subdiv"] == "SP"


def test_calendar_default_year_is_this_year(capsys: pytest.CaptureFixture[str]) -> None:
    """Without YEAR the current year in the calendar's zone is listed."""
    before = datetime.now(ZoneInfo("America/Sao_Paulo")).year
    year = json_of(capsys, "calendar")["year"]
    after = datetime.now(ZoneInfo("America/Sao_Paulo")).year
    assert year in (before, after)


def test_calendar_in_portuguese(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang pt`` writes the listing in Portuguese; JSON is the same in every language."""
    out = text_of(capsys, "calendar", "2026", "--lang", "pt")
    assert out.startswith("calendário 2026\nfuso horário: America/Sao_Paulo\n")
    assert "  sex 20/11/2026  feriado  " in out
    assert "dias de atendimento:  252" in out
    assert json_of(capsys, "calendar", "2026", "--lang", "pt") == json_of(
        capsys, "calendar", "2026", "--lang", "en"
    )


@pytest.mark.slow
def test_calendar_lang_env_through_subprocess() -> None:
    """``LANG=pt_BR.UTF-8`` chooses Portuguese, as for ``status``."""
    result = run("calendar", "2026", lang="pt_BR.UTF-8")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("calendário 2026\n")


@pytest.mark.parametrize("year", ["10000", "1", "2", "9997", "-5", str(10**30)])
def test_calendar_year_out_of_range(capsys: pytest.CaptureFixture[str], year: str) -> None:
    """A year a calendar cannot list is one error line naming the years it lists, exit 2.

    Years 2 and 9997 used to be offered ("from 2 to 9997") and then refused for the year
    next to them, which a listing of the whole year needs.
    """
    assert f"year {year} is outside the years a calendar lists; give one from 3 to 9996" == (
        fails(capsys, "calendar", year)
    )


@pytest.mark.parametrize("args", [("3", "--tz", "Etc/GMT-14"), ("9996", "--tz", "Etc/GMT+12")])
def test_calendar_first_and_last_years(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    """The first and last years listed are listed in the zones farthest from UTC.

    On a calendar without country holidays: the holiday source covers fewer years.
    """
    path = tmp_path / "no-holidays.json"
    path.write_text('{"holidays": {"country": null}}', encoding="utf-8")
    status, out, err = call(capsys, "calendar", *args, "--calendar", str(path))
    assert (status, err) == (0, "")
    assert out.startswith(f"calendar {args[0]}\n")


def test_calendar_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A bad calendar file is one error line naming the field, exit 2."""
    path = tmp_path / "bad.toml"
    path.write_text('[hours]\nmon = "18:00-09:00"\n', encoding="utf-8")
    assert "ends before it starts" in fails(capsys, "calendar", "2026", "--calendar", str(path))


# -- policy ----------------------------------------------------------------------------------


def test_policy_table(capsys: pytest.CaptureFixture[str]) -> None:
    """``policy`` prints the priority table and the escalation ladder of the default policy."""
    lines = text_of(capsys, "policy").splitlines()
    assert lines[0] == "priorities:"
    rows = {line.split()[0]: line for line in lines[2:6]}
    assert list(rows) == ["P0", "P1", "P2", "P3"]
    assert rows["P0"].split()[1:4] == ["Highest", "Altíssima", "4:00:00"]
    assert "Total unavailability" in rows["P0"]
    assert rows["P3"].split()[1:4] == ["Low", "Baixa", "48:00:00"]
    assert lines[6] == "escalation (business time after the deadline):"
    assert lines[7:10] == [
        "  1  team leaders  +0:00:00",
        "  2  coordination  +4:00:00",
        "  3  management    +8:00:00",
    ]


def test_policy_in_portuguese(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang pt`` prints Portuguese labels and the ladder's Portuguese names."""
    out = text_of(capsys, "policy", "--lang", "pt")
    assert out.startswith("prioridades:\n  código")
    assert "  3  gerência           +8:00:00" in out


def test_policy_file(capsys: pytest.CaptureFixture[str]) -> None:
    """``--policy FILE`` prints that file's priorities."""
    out = text_of(capsys, "policy", "--policy", POLICY_FILE)
    assert "  URGENT  Urgent     Urgente    2:00:00   Production down for every customer." in out
    assert "at risk from:    80.0 %" in out


def test_policy_json_is_a_policy_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``policy --json`` writes a policy file that ``--policy`` reads back to the same policy."""
    data = json_of(capsys, "policy", "--policy", POLICY_FILE)
    assert data == policy_dict(SlaPolicy.from_file(POLICY_FILE))
    saved = tmp_path / "policy.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    assert SlaPolicy.from_file(str(saved)) == SlaPolicy.from_file(POLICY_FILE)
    assert json_of(capsys, "policy", "--policy", str(saved)) == data
    opened = ("--opened", "2026-11-24 17:30")
    assert text_of(capsys, "due", "URGENT", *opened, "--policy", str(saved)) == text_of(
        capsys, "due", "URGENT", *opened, "--policy", POLICY_FILE
    )


def test_policy_json_default(capsys: pytest.CaptureFixture[str]) -> None:
    """The default policy's JSON has hours, both names and the calendar in file form."""
    data = json_of(capsys, "policy", "--lang", "pt")
    assert data["priorities"][0] == {
        "code": "P0",
        "target_hours": 4,
        "name_en": "Highest",
        "name_pt": "Altíssima",
        "impact": "Total unavailability, e.g. the whole system blocked.",
        "impact_pt": "Indisponibilidade total, ex.: todo o sistema bloqueado.",
    }
    assert data["escalation"][0] == {
        "name": "team leaders",
        "name_pt": "líderes de equipe",
        "offset_hours": 0,
    }
    assert data["calendar"]["timezone"] == "America/Sao_Paulo"
    assert data["calendar"]["hours"]["mon"] == ["09:00-18:00"]


def test_policy_with_calendar_options(capsys: pytest.CaptureFixture[str]) -> None:
    """Calendar options apply to the printed policy's calendar."""
    data = json_of(capsys, "policy", "--tz", "America/Manaus", "--subdiv", "AM")
    assert data["calendar"]["timezone"] == "America/Manaus"
    assert data["calendar"]["holidays"]["subdiv"] == "AM"


def test_policy_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A bad policy file is one error line, exit 2."""
    path = tmp_path / "bad.toml"
    path.write_text("warning_share = 2\n", encoding="utf-8")
    assert "bad field" in fails(capsys, "policy", "--policy", str(path))


# -- --version and --help --------------------------------------------------------------------


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    """``--version`` prints the installed package's version, the one in _version.py."""
    status, out, _ = call(capsys, "--version")
    assert (status, out) == (0, f"sla-clock {version('sla-clock')}\n")
    assert version("sla-clock") == __version__


@pytest.mark.slow
def test_version_through_subprocess() -> None:
    """``python -m sla_clock --version`` prints the same."""
    result = run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"sla-clock {__version__}\n",
        "",
    )


def test_new_commands_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` lists ``calendar`` and ``policy``; ``status --help`` lists ``--plot``."""
    _, out, _ = call(capsys, "--help")
    assert "calendar" in out
    assert "policy" in out
    _, out, _ = call(capsys, "status", "--help")
    assert "--plot FILE" in out
    assert "sla-clock[docs]" in out
