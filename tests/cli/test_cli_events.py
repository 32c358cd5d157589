"""``sla-clock batch --events`` and ``status --events --ticket`` on the command line."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from sla_clock import cli
from support import call, fails

NOW = "2026-11-25 12:00"
EXAMPLE = """\
{"ticket": "T-1", "at": "2026-11-23 14:00", "event": "opened", "priority": "P1"}
{"ticket": "T-1", "at": "2026-11-23 15:00", "event": "status", "status": "waiting_on_customer"}
{"ticket": "T-1", "at": "2026-11-24 10:00", "event": "status", "status": "open"}
{"ticket": "T-1", "at": "2026-11-24 11:00", "event": "reply", "by": "agent"}
{"ticket": "T-1", "at": "2026-11-24 12:00", "event": "priority", "priority": "P0"}
{"ticket": "T-1", "at": "2026-11-24 16:00", "event": "resolved"}
{"ticket": "T-1", "at": "2026-11-25 10:00", "event": "reopened"}
"""


@pytest.fixture
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text(EXAMPLE, encoding="utf-8")
    return path


@pytest.fixture
def policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The default policy (as ``policy --json`` writes it) with the issue's two metrics."""
    assert cli.main(["policy", "--json"]) == 0
    default = json.loads(capsys.readouterr().out)
    first = {
        "name": "first_response",
        "pause": False,
        "targets": {"P0": "PT1H", "P1": "PT2H", "P2": "PT8H", "P3": "PT8H"},
    }
    data = {**default, "metrics": [first, {"name": "resolution", "pause": True}]}
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_batch_events_writes_csv_rows_and_a_summary(
    capsys: pytest.CaptureFixture[str], events: Path, policy: Path
) -> None:
    args = ("batch", "--events", str(events), "--now", NOW, "--policy", str(policy))
    status, out, err = call(capsys, *args, "--output-format", "csv")
    assert status == 0, err
    got = [(r["metric"], r["state"], r["used_seconds"]) for r in csv_rows(out)]
    assert got == [("first_response", "missed", "21600"), ("resolution", "breached", "32400")]
    assert err.startswith("sla-clock batch: 7 events in, 2 out, 0 skipped")


def test_batch_events_jsonl_output_by_default_for_a_jsonl_input(
    capsys: pytest.CaptureFixture[str], events: Path
) -> None:
    status, out, _ = call(capsys, "batch", "--events", str(events), "--now", NOW)
    assert status == 0
    (row,) = map(json.loads, out.splitlines())
    assert (row["metric"], row["priority"], row["escalation_level"]) == ("resolution", "P0", 2)


def test_batch_events_output_through_a_symlink(
    capsys: pytest.CaptureFixture[str], events: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    status, _, err = call(capsys, "batch", "--events", str(events), "--now", NOW, "-o", str(link))
    assert status == 0, err
    assert link.is_symlink()
    assert csv_rows(real.read_text(encoding="utf-8"))[0]["state"] == "breached"
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []


def test_a_bad_events_file_leaves_the_output_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(EXAMPLE + EXAMPLE.splitlines()[-2] + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    status, stdout, err = call(capsys, "batch", "--events", str(bad), "--now", NOW, "-o", str(out))
    lines = err.splitlines()
    assert (status, stdout, len(lines)) == (2, "", 2)
    assert lines[0].startswith(f"sla-clock: error: {bad} line 8 (ticket T-1): 'resolved' twice")
    assert "stopped at line 8" in lines[1]
    assert out.read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xef\xbb\xbfticket,at,event,value\nT,2026-11-23 10:00,opened,P\xe91\n", "not utf-8"),
        (b'ticket,at,event,value\nT,2026-11-23 10:00,opened,"P1\n', "never closed"),
        (b"ticket,at,event,value\nT,2026-11-23 10:00,closed,\n", "unknown event 'closed'"),
    ],
)
def test_hostile_csv_files_exit_2_with_one_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    status, out, err = call(capsys, "batch", "--events", str(path), "--now", NOW)
    assert (status, out) == (2, "")
    assert err.count("sla-clock: error:") == 1
    assert message in err
    assert "Traceback" not in err


def test_skipping_every_ticket_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"ticket": "T", "at": "2026-11-23 10:00", "event": "x"}\n', encoding="utf-8")
    status, _, err = call(
        capsys, "batch", "--events", str(path), "--now", NOW, "--on-error", "skip"
    )
    assert status == 2
    assert "skipped" in err
    assert "1 ticket left out" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("tickets.csv",), "not both"),
        (("--columns", "id=Chamado"), "--columns names the columns of a tickets file"),
    ],
)
def test_batch_events_refuses_what_does_not_fit(
    capsys: pytest.CaptureFixture[str], events: Path, extra: tuple[str, ...], message: str
) -> None:
    assert message in fails(capsys, "batch", "--events", str(events), "--now", NOW, *extra)


def test_batch_without_a_file_says_what_it_needs(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--events FILE" in fails(capsys, "batch", "--now", NOW)


def test_status_events_prints_every_metric(
    capsys: pytest.CaptureFixture[str], events: Path, policy: Path
) -> None:
    args = ("status", "--events", str(events), "--ticket", "T-1", "--now", NOW)
    status, out, err = call(capsys, *args, "--policy", str(policy))
    assert (status, err) == (1, "")  # late: exit 1, as status says
    assert "first response (cycle 1)" in out
    assert "resolution (cycle 1)" in out
    assert "used:            9:00:00 of 4:00:00" in out
    status, out, _ = call(capsys, *args, "--policy", str(policy), "--lang", "pt")
    assert "primeira resposta (ciclo 1)" in out
    assert "tempo corrido: 21:00:00" in out


def test_status_events_json_is_a_list_of_rows(
    capsys: pytest.CaptureFixture[str], events: Path
) -> None:
    args = ("status", "--events", str(events), "--ticket", "T-1", "--now", NOW, "--json")
    status, out, _ = call(capsys, *args)
    assert status == 1
    (row,) = json.loads(out)
    assert (row["metric"], row["state"], row["used_seconds"]) == ("resolution", "breached", 32400)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ticket", "T-7"), "has no event of the ticket 'T-7'"),
        ((), "--events needs --ticket"),
        (("--ticket", "T-1", "--opened", NOW), "leave out --opened"),
    ],
)
def test_status_events_mistakes(
    capsys: pytest.CaptureFixture[str], events: Path, args: tuple[str, ...], message: str
) -> None:
    assert message in fails(capsys, "status", "--events", str(events), "--now", NOW, *args)


def test_status_ticket_without_events(capsys: pytest.CaptureFixture[str]) -> None:
    assert "give the events file too" in fails(capsys, "status", "--ticket", "T-1")
