"""Tests of ``sla-clock status``, ``sla-clock due --explain`` and the language of human output."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from sla_clock import Pause, SlaPolicy, Ticket
from support import SP, as_json, call, fails, run_module, summary

#: The DESIGN.md P0 ticket: opened Monday 14:00, due Monday 18:00, breached after Tuesday 09:00.
P0 = ("status", "P0", "--opened", "2026-11-23 14:00")

# -- helpers ---------------------------------------------------------------------------------


def run(*args: str, lang: str = "C.UTF-8", **locale: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sla_clock`` with ``LANG`` set to ``lang`` and only the ``locale`` others."""
    return run_module(*args, lang=lang, **locale)


@pytest.fixture(autouse=True)
def english_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every in-process test with ``LANG=C.UTF-8``, whatever the developer's locale."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)  # they win over LANG
    monkeypatch.delenv("LC_MESSAGES", raising=False)


# -- the DESIGN.md P0 example ------------------------------------------------------------------


def test_p0_after_close_is_not_breached(capsys: pytest.CaptureFixture[str]) -> None:
    """At Mon 18:30 the P0 has used exactly its 4 h: due Mon 18:00, breach Tue 09:00, exit 0."""
    lines = summary(capsys, *P0, "--now", "2026-11-23 18:30")
    assert lines["state"] == "at risk"
    assert lines["priority"] == "P0 Highest"
    assert lines["opened"] == "Mon 2026-11-23 14:00"
    assert lines["as of"] == "Mon 2026-11-23 18:30"
    assert lines["due"] == "Mon 2026-11-23 18:00"
    assert lines["breached after"] == (
        "Tue 2026-11-24 09:00 (the clock stops from Mon 18:00 until then: the desk is closed)"
    )
    assert lines["used"] == "4:00:00 of 4:00:00 (100.0 %)"
    assert lines["remaining"] == "0:00:00"
    assert lines["escalation"] == "none (level 0 of 3)"  # on time: no level until late
    assert lines["paused"] == "no"
    assert lines["time zone"] == "America/Sao_Paulo"
    assert "resolved" not in lines


def test_p0_json_after_close(capsys: pytest.CaptureFixture[str]) -> None:
    """``--json`` at Mon 18:30 gives the ISO deadline, breach instant and seconds used."""
    data = as_json(capsys, *P0, "--now", "2026-11-23 18:30")
    assert data["state"] == "at_risk"
    assert data["due_at"] == "2026-11-23T18:00:00-03:00"
    assert data["breach_at"] == "2026-11-24T09:00:00-03:00"
    assert (data["used_seconds"], data["remaining_seconds"]) == (14400, 0)


def test_p0_tuesday_morning_is_breached(capsys: pytest.CaptureFixture[str]) -> None:
    """At Tue 09:30 the P0 has used 4 h 30 min: breached, exit 1."""
    lines = summary(capsys, *P0, "--now", "2026-11-24 09:30", status=1)
    assert lines["state"] == "breached"
    assert lines["used"] == "4:30:00 of 4:00:00 (112.5 %)"
    assert lines["remaining"] == "-0:30:00"


def test_breach_starts_just_after_breach_at(capsys: pytest.CaptureFixture[str]) -> None:
    """At Tue 09:00 the P0 is still on time (exit 0); one microsecond later it is breached."""
    assert as_json(capsys, *P0, "--now", "2026-11-24 09:00")["state"] == "at_risk"
    late = as_json(capsys, *P0, "--now", "2026-11-24 09:00:00.000001", status=1)
    assert late["state"] == "breached"


@pytest.mark.parametrize(
    ("resolved", "shown", "state", "exit_status"),
    [
        ("2026-11-23 18:30", "Mon 2026-11-23 18:30", "met", 0),
        ("2026-11-23 18:00", "Mon 2026-11-23 18:00", "met", 0),  # exactly at due_at
        ("2026-11-24 10:00", "Tue 2026-11-24 10:00", "missed", 1),
    ],
)
def test_resolved_ticket_is_met_or_missed(
    capsys: pytest.CaptureFixture[str], resolved: str, shown: str, state: str, exit_status: int
) -> None:
    """A P0 resolved by its deadline is met (exit 0); resolved Tue 10:00 it is missed (exit 1)."""
    args = (*P0, "--resolved", resolved, "--now", "2026-11-25 12:00")
    assert as_json(capsys, *args, status=exit_status)["state"] == state
    lines = summary(capsys, *args, status=exit_status)
    assert (lines["state"], lines["resolved"]) == (state, shown)


def test_resolved_with_default_now(capsys: pytest.CaptureFixture[str]) -> None:
    """Without ``--now`` a ticket resolved in the past is judged on its resolution."""
    data = as_json(capsys, *P0, "--resolved", "2026-11-24 10:00", status=1)
    assert (data["state"], data["resolved_at"]) == ("missed", "2026-11-24T10:00:00-03:00")


def test_json_is_the_library_status(capsys: pytest.CaptureFixture[str]) -> None:
    """``--json`` prints exactly ``SlaStatus.to_dict()`` of the same ticket at the same instant."""
    data = as_json(
        capsys,
        *P0,
        "--now",
        "2026-11-24 09:30",
        "--pause",
        "2026-11-23 15:00",
        "2026-11-23 15:15",
        status=1,
    )
    ticket = Ticket(
        opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=SP),
        priority="P0",
        pauses=(
            Pause(
                start=datetime(2026, 11, 23, 15, 0, tzinfo=SP),
                end=datetime(2026, 11, 23, 15, 15, tzinfo=SP),
            ),
        ),
    )
    expected = SlaPolicy.default().status(ticket, datetime(2026, 11, 24, 9, 30, tzinfo=SP))
    assert data == expected.to_dict()
    for key in ("state", "due_at", "breach_at", "used_seconds", "remaining_seconds"):
        assert key in data


# -- pauses ------------------------------------------------------------------------------------

MONDAY_9 = ("status", "P0", "--opened", "2026-11-23 09:00", "--now", "2026-11-23 17:00")


def test_pause_of_one_hour_moves_due_by_one_hour(capsys: pytest.CaptureFixture[str]) -> None:
    """A P0 opened Mon 09:00 is due 13:00; a 10:00-11:00 pause makes it due 14:00."""
    assert as_json(capsys, *MONDAY_9, status=1)["due_at"] == "2026-11-23T13:00:00-03:00"
    paused = as_json(capsys, *MONDAY_9, "--pause", "2026-11-23 10:00", "2026-11-23 11:00", status=1)
    assert paused["due_at"] == "2026-11-23T14:00:00-03:00"
    assert paused["used_seconds"] == 7 * 3600


def test_overlapping_pauses_merge(capsys: pytest.CaptureFixture[str]) -> None:
    """Pauses 10:00-11:00 and 10:30-11:30 stop the clock for 1 h 30 min, not 2 h."""
    data = as_json(
        capsys,
        *MONDAY_9,
        "--pause",
        "2026-11-23 10:00",
        "2026-11-23 11:00",
        "--pause",
        "2026-11-23 10:30",
        "2026-11-23 11:30",
        status=1,
    )
    assert data["due_at"] == "2026-11-23T14:30:00-03:00"


def test_pause_over_the_night_moves_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """A pause from Mon 18:00 to Tue 09:00 covers no business time, so the deadline stays."""
    data = as_json(
        capsys,
        *P0,
        "--now",
        "2026-11-24 09:30",
        "--pause",
        "2026-11-23 18:00",
        "24/11/2026 09:00",
        status=1,
    )
    assert data["due_at"] == "2026-11-23T18:00:00-03:00"


@pytest.mark.parametrize("end", ["open", "-", "OPEN"])
def test_ongoing_pause_is_paused(capsys: pytest.CaptureFixture[str], end: str) -> None:
    """A pause whose END is ``open`` or ``-`` is going on: state paused, clock stopped."""
    args = (*P0, "--now", "2026-11-23 16:00", "--pause", "2026-11-23 15:00", end)
    data = as_json(capsys, *args)
    assert (data["state"], data["paused"], data["used_seconds"]) == ("paused", True, 3600)
    lines = summary(capsys, *args)
    assert (lines["state"], lines["paused"]) == ("paused", "yes")


def test_pause_after_now_is_ignored(capsys: pytest.CaptureFixture[str]) -> None:
    """A pause that starts after ``--now`` does not change the status at ``--now``."""
    later = ("--pause", "2026-11-23 17:00", "open")
    data = as_json(capsys, *P0, "--now", "2026-11-23 16:00", *later)
    assert (data["state"], data["paused"]) == ("running", False)


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (("--pause", "2026-11-23 16:00", "2026-11-23 15:00"), "before it starts"),
        (("--resolved", "2026-11-23 13:00"), "before opened_at"),
        (("--now", "yesterday"), "cannot read the time 'yesterday'"),
        (("--now", "2026-11-23 13:00"), "before the ticket opened"),
        (("--pause", "2026-11-23 15:00", "soon"), "cannot read the time 'soon'"),
        (("--tz", "Mars/Olympus_Mons"), "unknown timezone"),
    ],
)
def test_bad_status_input_exits_2(
    capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], needle: str
) -> None:
    """Inconsistent or unreadable status input exits 2 with one ``sla-clock: error:`` line."""
    assert needle in fails(capsys, *P0, *extra)


def test_pauses_outside_the_life_are_clipped(capsys: pytest.CaptureFixture[str]) -> None:
    """A pause from before the opening, and one still open on a resolved ticket, are clipped
    to the ticket's life instead of refused (tickets are often resolved while waiting)."""
    before = ("--pause", "2026-11-23 13:00", "2026-11-23 15:00")  # Mon 14:00-15:00 counts
    data = as_json(capsys, *P0, "--now", "2026-11-23 17:00", *before)
    assert (data["state"], data["used_seconds"]) == ("running", 2 * 3600)
    ongoing = ("--resolved", "2026-11-23 17:00", "--pause", "2026-11-23 15:00", "open")
    data = as_json(capsys, *P0, "--now", "2026-11-24 10:00", *ongoing)
    assert (data["state"], data["used_seconds"], data["paused"]) == ("met", 3600, False)


def test_unknown_priority_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown priority exits 2 and names the codes the policy defines."""
    message = fails(capsys, "status", "P7", "--opened", "2026-11-23 14:00")
    assert message == "unknown priority 'P7'; this policy defines P0, P1, P2, P3"


def test_opened_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    """``status`` without ``--opened`` is a usage error (exit 2)."""
    code, out, err = call(capsys, "status", "P0")
    assert (code, out) == (2, "")
    assert "--opened" in err


# -- options -----------------------------------------------------------------------------------


def test_status_is_listed_with_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` lists ``status``, and ``status --help`` its own and the shared options."""
    assert "status" in call(capsys, "--help")[1]
    code, out, _ = call(capsys, "status", "--help")
    assert code == 0
    for option in ("--now", "--resolved", "--pause", "--policy", "--calendar", "--tz", "--lang"):
        assert option in out


def test_policy_without_escalation(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """With a policy file's own priority and no ladder, the summary says escalation none."""
    path = tmp_path / "policy.toml"
    path.write_text('[[priorities]]\ncode = "X"\ntarget_hours = 2\n', encoding="utf-8")
    args = ("status", "x", "--opened", "2026-11-23 14:00", "--now", "2026-11-23 17:00")
    lines = summary(capsys, *args, "--policy", str(path), status=1)
    assert lines["escalation"] == "none"
    assert lines["due"] == "Mon 2026-11-23 16:00"


def test_seconds_are_shown_not_rounded(capsys: pytest.CaptureFixture[str]) -> None:
    """A time with seconds prints them in the summary rather than rounding to the minute."""
    lines = summary(capsys, *P0, "--now", "2026-11-23 15:30:15")
    assert lines["as of"] == "Mon 2026-11-23 15:30:15"
    assert lines["used"] == "1:30:15 of 4:00:00 (37.6 %)"


def test_calendar_option_applies(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``--calendar`` with a 12:00-13:00 break delays the P0 due Monday by the hour of lunch."""
    path = tmp_path / "lunch.toml"
    path.write_text('[hours]\nmon-fri = ["09:00-12:00", "13:00-18:00"]\n', encoding="utf-8")
    args = ("status", "P0", "--opened", "2026-11-23 09:00", "--now", "2026-11-23 10:00")
    data = as_json(capsys, *args, "--calendar", str(path))
    assert data["due_at"] == "2026-11-23T14:00:00-03:00"


# -- language ----------------------------------------------------------------------------------


def test_portuguese_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang pt`` prints Portuguese labels, Altíssima, dd/mm/yyyy dates and 'violado'."""
    lines = summary(capsys, *P0, "--now", "2026-11-24 09:30", "--lang", "pt", status=1)
    assert lines["situação"] == "violado"
    assert lines["prioridade"] == "P0 Altíssima"
    assert lines["aberto em"] == "seg 23/11/2026 14:00"
    assert lines["consultado em"] == "ter 24/11/2026 09:30"
    assert "posição em" not in lines
    assert lines["prazo"] == "seg 23/11/2026 18:00"
    assert lines["violado após"] == (
        "ter 24/11/2026 09:00 (o relógio fica parado de seg 18:00 até lá: fora do expediente)"
    )
    assert lines["usado"] == "4:30:00 de 4:00:00 (112,5 %)"
    assert lines["escalonamento"] == "líderes de equipe (nível 1 de 3)"
    assert lines["pausado"] == "não"


@pytest.mark.parametrize(
    ("extra", "state"),
    [
        (("--now", "2026-11-23 15:00"), "em andamento"),
        (("--now", "2026-11-23 17:30"), "em risco"),
        (("--now", "2026-11-23 16:00", "--pause", "2026-11-23 15:00", "-"), "pausado"),
        (("--resolved", "2026-11-23 17:00"), "cumprido"),
        (("--resolved", "2026-11-24 10:00"), "descumprido"),
    ],
)
def test_portuguese_state_names(
    capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], state: str
) -> None:
    """Each state prints its Portuguese name with ``--lang pt``."""
    code, out, _ = call(capsys, *P0, *extra, "--lang", "pt")
    assert code in (0, 1)
    assert out.splitlines()[0].split(":", 1)[1].strip() == state


def test_lang_env_chooses_portuguese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``LANG=pt_BR.UTF-8`` makes the summary Portuguese without ``--lang``."""
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    lines = summary(capsys, *P0, "--now", "2026-11-23 18:30")
    assert (lines["situação"], lines["prioridade"]) == ("em risco", "P0 Altíssima")


def test_lang_en_overrides_env(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--lang en`` forces English even when ``LANG`` is Portuguese."""
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    lines = summary(capsys, *P0, "--now", "2026-11-23 18:30", "--lang", "en")
    assert (lines["state"], lines["due"]) == ("at risk", "Mon 2026-11-23 18:00")


def test_unknown_lang_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang fr`` exits 2: only en and pt are offered."""
    code, out, err = call(capsys, *P0, "--lang", "fr")
    assert (code, out) == (2, "")
    assert "--lang" in err


def test_json_does_not_change_with_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--json`` is byte-identical in English, with ``--lang pt`` and with ``LANG=pt_BR``."""
    args = ("--now", "2026-11-24 09:30", "--pause", "2026-11-23 15:00", "2026-11-23 15:30")
    outputs = [call(capsys, *P0, *args, "--json", *lang)[1] for lang in ((), ("--lang", "pt"))]
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    outputs.append(call(capsys, *P0, *args, "--json")[1])
    assert outputs[0]
    assert outputs.count(outputs[0]) == 3


def test_due_iso_line_in_every_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``due`` without ``--explain`` prints its one ISO line with ``--lang pt`` and LANG=pt."""
    due = ("due", "P0", "--opened", "2026-11-19 17:00")
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert call(capsys, *due) == (0, "2026-11-23T12:00:00-03:00\n", "")
    assert call(capsys, *due, "--lang", "pt") == (0, "2026-11-23T12:00:00-03:00\n", "")


# -- due --explain -----------------------------------------------------------------------------

EXPLAIN = ("due", "P0", "--opened", "2026-11-19 17:00", "--explain")


def test_explain_design_example(capsys: pytest.CaptureFixture[str]) -> None:
    """Thu 2026-11-19 17:00 + 4 h: Thu 1 h, (Fri holiday, weekend), Mon 3 h, due Mon 12:00."""
    code, out, err = call(capsys, *EXPLAIN)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "P0 Highest, opened Thu 2026-11-19 17:00, target 4:00:00",
        "day             open periods counted  that day    total",
        "Thu 2026-11-19  17:00-18:00            1:00:00  1:00:00",
        "Mon 2026-11-23  09:00-12:00            3:00:00  4:00:00",
        "due:       Mon 2026-11-23 12:00",
        "time zone: America/Sao_Paulo",
    ]


def test_explain_in_portuguese(capsys: pytest.CaptureFixture[str]) -> None:
    """``--explain --lang pt`` writes Portuguese headers, weekdays and dd/mm/yyyy dates."""
    code, out, _ = call(capsys, *EXPLAIN, "--lang", "pt")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "P0 Altíssima, aberto em qui 19/11/2026 17:00, meta 4:00:00"
    assert lines[1].split() == ["dia", "períodos", "contados", "no", "dia", "acumulado"]
    assert lines[2].split() == ["qui", "19/11/2026", "17:00-18:00", "1:00:00", "1:00:00"]
    assert lines[3].split() == ["seg", "23/11/2026", "09:00-12:00", "3:00:00", "4:00:00"]
    assert lines[4] == "prazo:        seg 23/11/2026 12:00"


def test_explain_json_has_days(capsys: pytest.CaptureFixture[str]) -> None:
    """``--explain --json`` adds a ``days`` list of dates, periods and seconds to the due JSON."""
    data = as_json(capsys, *EXPLAIN)
    assert data["due_at"] == "2026-11-23T12:00:00-03:00"
    assert data["days"] == [
        {
            "date": "2026-11-19",
            "periods": [{"start": "2026-11-19T17:00:00-03:00", "end": "2026-11-19T18:00:00-03:00"}],
            "consumed_seconds": 3600,
            "total_seconds": 3600,
        },
        {
            "date": "2026-11-23",
            "periods": [{"start": "2026-11-23T09:00:00-03:00", "end": "2026-11-23T12:00:00-03:00"}],
            "consumed_seconds": 10800,
            "total_seconds": 14400,
        },
    ]


def test_due_json_without_explain_has_no_days(capsys: pytest.CaptureFixture[str]) -> None:
    """Plain ``due --json`` keeps its five keys; ``days`` comes only with ``--explain``."""
    data = as_json(capsys, "due", "P0", "--opened", "2026-11-19 17:00")
    assert set(data) == {"priority", "opened_at", "due_at", "target_seconds", "timezone"}


def test_explain_json_does_not_change_with_language(capsys: pytest.CaptureFixture[str]) -> None:
    """``due --explain --json`` is identical in English and Portuguese."""
    english = call(capsys, *EXPLAIN, "--json")[1]
    assert english
    assert call(capsys, *EXPLAIN, "--json", "--lang", "pt")[1] == english


def test_explain_lunch_break_lists_two_periods(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With a lunch break, a day's open periods are listed together on its line."""
    path = tmp_path / "lunch.toml"
    path.write_text('[hours]\nmon-fri = ["09:00-12:00", "13:00-18:00"]\n', encoding="utf-8")
    code, out, _ = call(
        capsys, "due", "P0", "--opened", "2026-11-23 11:00", "--explain", "--calendar", str(path)
    )
    assert code == 0
    cells = re.split(r"\s{2,}", out.splitlines()[2].strip())
    assert cells == ["Mon 2026-11-23", "11:00-12:00, 13:00-16:00", "4:00:00", "4:00:00"]


def test_explain_period_ending_at_midnight(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """On a desk open around the clock, a period that runs to midnight ends at ``24:00``."""
    path = tmp_path / "always.toml"
    path.write_text('[hours]\nmon-sun = "00:00-24:00"\n', encoding="utf-8")
    code, out, _ = call(
        capsys, "due", "P0", "--opened", "2026-11-23 22:00", "--explain", "--calendar", str(path)
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[2].split()[2] == "22:00-24:00"
    assert lines[3].split()[2] == "00:00-02:00"
    assert lines[4] == "due:       Tue 2026-11-24 02:00"


# -- through a subprocess ----------------------------------------------------------------------


@pytest.mark.slow
def test_status_exit_status_through_subprocess() -> None:
    """``sla-clock status ... || alert`` works: exit 1 when breached, 0 when on time."""
    late = run(*P0, "--now", "2026-11-24 09:30")
    assert (late.returncode, late.stderr) == (1, "")
    assert late.stdout.startswith("state:")
    on_time = run(*P0, "--now", "2026-11-23 18:30")
    assert (on_time.returncode, on_time.stderr) == (0, "")


@pytest.mark.slow
def test_lang_env_through_subprocess() -> None:
    """With ``LANG=pt_BR.UTF-8`` the program speaks Portuguese: Altíssima, dd/mm/yyyy, violado."""
    result = run(*P0, "--now", "2026-11-24 09:30", lang="pt_BR.UTF-8")
    assert (result.returncode, result.stderr) == (1, "")
    assert "situação:      violado" in result.stdout
    assert "P0 Altíssima" in result.stdout
    assert "ter 24/11/2026 09:00" in result.stdout
    explain = run(*EXPLAIN, lang="pt_BR.UTF-8")
    assert "prazo:        seg 23/11/2026 12:00" in explain.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "locale", "first_line"),
    [
        ("C.UTF-8", {"LC_ALL": "pt_BR.UTF-8"}, "situação:      violado"),
        ("C.UTF-8", {"LC_MESSAGES": "pt_BR.UTF-8"}, "situação:      violado"),
        ("pt_BR.UTF-8", {"LC_ALL": "C"}, "state:          breached"),
        ("pt_BR.UTF-8", {"LC_ALL": "", "LC_MESSAGES": ""}, "situação:      violado"),
    ],
)
def test_locale_variables_through_subprocess(
    lang: str, locale: dict[str, str], first_line: str
) -> None:
    """LC_ALL, then LC_MESSAGES, then LANG choose the language (LC_ALL used to be ignored)."""
    result = run(*P0, "--now", "2026-11-24 09:30", lang=lang, **locale)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == first_line


@pytest.mark.slow
def test_json_through_subprocess_is_language_free() -> None:
    """Through a real process, ``--json`` is the same under ``LANG=C`` and ``LANG=pt_BR``."""
    args = (*P0, "--now", "2026-11-24 09:30", "--json")
    english, portuguese = run(*args), run(*args, lang="pt_BR.UTF-8")
    assert english.returncode == portuguese.returncode == 1
    assert english.stdout == portuguese.stdout
    assert json.loads(english.stdout)["state"] == "breached"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        (*P0, "--now", "2026-11-23 18:30", "--lang", "pt"),
        (*P0, "--pause", "2026-11-23 16:00", "2026-11-23 15:00"),
        (*P0, "--resolved", "2026-11-23 13:00"),
        ("status", "P9", "--opened", "2026-11-23 14:00"),
        (*EXPLAIN, "--lang", "pt"),
        ("due", "P0", "--opened", "31/02/2026 10:00", "--explain"),
        ("elapsed", "2026-11-20 10:00", "2026-11-23 10:00", "--json"),
        ("elapsed", "2026-11-20 10:00", "later"),
    ],
)
def test_no_traceback_through_subprocess(args: tuple[str, ...]) -> None:
    """Every command, on good or bad input, exits 0, 1 or 2 and never prints a traceback."""
    result = run(*args)
    assert result.returncode in (0, 1, 2)
    assert "Traceback" not in result.stderr
    if result.returncode == 2:
        assert result.stdout == ""
        assert result.stderr.startswith("sla-clock: error: ")
        assert result.stderr.count("\n") == 1
    else:
        assert (result.stderr, result.stdout.endswith("\n")) == ("", True)


# -- --plot bounds -----------------------------------------------------------------------------


def test_a_plot_longer_than_a_year_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A timeline of five years is refused before drawing (it took 8 s; 1890 took minutes)."""
    pytest.importorskip("matplotlib")
    target = tmp_path / "p.svg"
    args = ("status", "P0", "--opened", "2021-11-23 10:00", "--now", "2026-11-24 10:00")
    message = fails(capsys, *args, "--plot", str(target))
    assert message == (
        "--plot draws at most 366 days, and this ticket's timeline spans 1,828 days "
        "(2021-11-23 to 2026-11-24); give a --now closer to --opened, or leave --plot out"
    )
    assert not target.exists()


@pytest.mark.slow
def test_a_plot_of_a_year_is_drawn(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A timeline of exactly 366 local days is still drawn."""
    pytest.importorskip("matplotlib")
    target = tmp_path / "p.svg"
    args = ("status", "P0", "--opened", "2025-11-24 10:00", "--now", "2026-11-24 10:00")
    status, out, err = call(capsys, *args, "--plot", str(target), "--json")
    assert (status, err) == (1, "")
    assert json.loads(out)["state"] == "breached"
    assert target.read_text(encoding="utf-8").startswith("<?xml")
