"""``sla-clock report``: its numbers against pandas ``groupby`` over ``batch`` output, its HTML.

The independent aggregation reads what ``sla-clock batch`` writes with pandas, takes the
local month of ``opened`` in São Paulo, and counts the states and quantiles (NumPy's linear
method) per priority and month; the report must give the same numbers on random tickets.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_clock import SlaPolicy
from sla_clock.batch._pipeline import process
from support import call, fails

NOW = "2026-12-01 12:00"
NOW_DT = pd.Timestamp("2026-12-01 12:00", tz="America/Sao_Paulo").to_pydatetime()


def tickets_csv(rows: list[tuple[str, str, str]]) -> str:
    return "id,priority,opened,resolved\n" + "".join(
        f"{k},{p},{o},{r}\n" for k, (p, o, r) in enumerate(rows)
    )


TICKETS = st.lists(
    st.tuples(
        st.sampled_from(("P0", "P1", "P2", "P3")),
        st.integers(0, 120 * 24 * 4).map(
            lambda q: (pd.Timestamp("2026-08-01") + pd.Timedelta(minutes=15 * q)).strftime(
                "%Y-%m-%d %H:%M"
            )
        ),
        st.one_of(st.just(""), st.integers(1, 400).map(lambda h: f"+{h}")),
    ),
    min_size=1,
    max_size=40,
)


def resolved_of(opened: str, plus: str) -> str:
    if not plus:
        return ""
    at = pd.Timestamp(opened) + pd.Timedelta(hours=int(plus[1:]))
    return "" if at > pd.Timestamp(NOW) else at.strftime("%Y-%m-%d %H:%M")


def expected(text: str) -> list[dict[str, object]]:
    """The groups by pandas over batch's own output."""
    out = io.StringIO()
    process(io.StringIO(text), out, SlaPolicy.default(), NOW_DT, input_format="csv")
    df = pd.read_csv(io.StringIO(out.getvalue()), dtype={"resolved": str})
    opened = pd.to_datetime(df["opened"]).dt.tz_localize("America/Sao_Paulo")
    df["month"] = opened.dt.strftime("%Y-%m")
    groups = []
    for (priority, month), g in df.groupby(["priority", "month"], sort=True):
        states = g["state"]
        met, open_ok = (
            int((states == "met").sum()),
            int(states.isin(["running", "at_risk", "paused"]).sum()),
        )
        used = (g["used_seconds"].to_numpy() * 1_000_000).round().astype(np.int64)
        median, p90 = np.quantile(used, [0.5, 0.9]) / 1_000_000
        groups.append(
            {
                "priority": priority,
                "month": month,
                "tickets": len(g),
                "met": met,
                "missed": int((states == "missed").sum()),
                "open_on_time": open_ok,
                "open_breached": int((states == "breached").sum()),
                "on_time_share": (met + open_ok) / len(g),
                "used_median_seconds": float(median),
                "used_p90_seconds": float(p90),
                "escalated": [int((g["escalation_level"] > k).sum()) for k in range(3)],
            }
        )
    return groups


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(TICKETS)
def test_the_report_equals_pandas_over_batch_output(rows: list[tuple[str, str, str]]) -> None:
    text = tickets_csv([(p, o, resolved_of(o, r)) for p, o, r in rows])
    path = Path(__import__("tempfile").mkdtemp()) / "t.csv"
    path.write_text(text, encoding="utf-8")
    status = subprocess.run(
        [sys.executable, "-m", "sla_clock", "report", str(path), "--now", NOW, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert status.returncode == 0, status.stderr
    got = json.loads(status.stdout)
    assert got["by"] == ["priority", "month"]
    assert got["groups"] == expected(text)


SAMPLE = tickets_csv(
    [
        ("P1", "2026-11-23 14:00", "2026-11-23 16:00"),  # met
        ("P0", "2026-11-23 14:00", ""),  # open, late
        ("P0", "2026-10-05 10:00", "2026-10-05 11:00"),  # met
        ("p1", "2026-11-30 17:00", ""),  # open, on time
    ]
)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_json_groups_by_priority_and_month(
    capsys: pytest.CaptureFixture[str], sample: Path
) -> None:
    status, out, _ = call(capsys, "report", str(sample), "--now", NOW, "--json")
    data = json.loads(out)
    assert status == 0
    assert data["now"] == "2026-12-01T12:00:00-03:00"
    keys = [(g["priority"], g["month"], g["tickets"]) for g in data["groups"]]
    assert keys == [("P0", "2026-10", 1), ("P0", "2026-11", 1), ("P1", "2026-11", 2)]
    p1 = data["groups"][2]
    assert (p1["met"], p1["open_on_time"], p1["on_time_share"]) == (1, 1, 1.0)


def test_window_and_other_keys(capsys: pytest.CaptureFixture[str], sample: Path) -> None:
    args = ("report", str(sample), "--now", NOW, "--json", "--by", "weekday")
    status, out, _ = call(capsys, *args, "--from", "2026-11-01", "--to", "2026-11-30")
    assert status == 0
    assert [(g["weekday"], g["tickets"]) for g in json.loads(out)["groups"]] == [("mon", 2)]


def test_csv_and_the_table_in_portuguese(capsys: pytest.CaptureFixture[str], sample: Path) -> None:
    _, out, _ = call(capsys, "report", str(sample), "--now", NOW, "--csv")
    assert out.splitlines()[0].startswith("priority,month,tickets,met,missed")
    _, out, _ = call(capsys, "report", str(sample), "--now", NOW, "--lang", "pt")
    assert "Cumprimento do SLA" in out
    assert "chamados" in out


def test_a_batch_output_is_counted_again_at_now(
    capsys: pytest.CaptureFixture[str], sample: Path, tmp_path: Path
) -> None:
    done = tmp_path / "done.csv"
    assert call(capsys, "batch", str(sample), "--now", "2026-12-01 09:00", "-o", str(done))[0] == 0
    _, again, _ = call(capsys, "report", str(done), "--now", NOW, "--json")
    _, first, _ = call(capsys, "report", str(sample), "--now", NOW, "--json")
    assert json.loads(again) == json.loads(first)


def test_events_give_a_row_per_metric(capsys: pytest.CaptureFixture[str]) -> None:
    events = Path(__file__).parents[2] / "examples" / "events.jsonl"
    status, out, _ = call(capsys, "report", str(events), "--now", NOW, "--json", "--by", "metric")
    assert status == 0
    assert [g["metric"] for g in json.loads(out)["groups"]] == ["resolution"]


def test_mistakes(capsys: pytest.CaptureFixture[str], sample: Path, tmp_path: Path) -> None:
    assert "no such column" in fails(capsys, "report", str(sample), "--now", NOW, "--by", "team")
    assert "check the path" in fails(capsys, "report", str(tmp_path / "none.csv"))
    assert "--by needs" in fails(capsys, "report", str(sample), "--by", ",")


class _Checker(HTMLParser):
    """Checks that every element is closed in order (void elements apart)."""

    VOID = frozenset({"meta", "br", "img", "link", "hr", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack.pop() == tag


@pytest.mark.slow
def test_the_html_report_is_whole_and_the_same_each_time(
    capsys: pytest.CaptureFixture[str], sample: Path, tmp_path: Path
) -> None:
    pages = []
    for k in range(2):
        page = tmp_path / f"r{k}.html"
        assert call(capsys, "report", str(sample), "--now", NOW, "--html", str(page))[0] == 0
        pages.append(page.read_bytes())
    assert pages[0] == pages[1]
    text = pages[0].decode()
    checker = _Checker()
    checker.feed(text)
    assert checker.stack == []
    assert not [link for link in checker.links if not link.startswith(("#", "data:"))]
    assert "url(http" not in text
    assert text.count("<svg") == 3
    plot = tmp_path / "share.svg"
    assert call(capsys, "report", str(sample), "--now", NOW, "--plot", str(plot))[0] == 0
    assert plot.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_the_cli_needs_no_numpy_until_a_command_does() -> None:
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from sla_clock.cli import main\n"
        "assert main(['due', 'P1', '--opened', '2026-11-24 17:30']) == 0\n"
        "assert main(['report', 'x.csv']) == 2\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "2026-11-26T11:30:00-03:00" in done.stdout
    assert "pip install 'sla-clock[fast]'" in done.stderr


def test_a_parquet_file_gives_the_report_of_its_csv(
    capsys: pytest.CaptureFixture[str], sample: Path, tmp_path: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pa_csv = pytest.importorskip("pyarrow.csv")
    parquet = tmp_path / "tickets.parquet"
    pq.write_table(pa_csv.read_csv(sample), parquet)
    _, from_csv, _ = call(capsys, "report", str(sample), "--now", NOW, "--json")
    status, from_parquet, err = call(capsys, "report", str(parquet), "--now", NOW, "--json")
    assert status == 0, err
    assert json.loads(from_parquet) == json.loads(from_csv)
    assert "not - (stdin)" in fails(capsys, "report", "-", "--format", "parquet")


def test_first_response_comes_next_to_resolution(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    levels = "".join(
        f'[[priorities]]\ncode = "{code}"\ntarget = "PT{hours}H"\n'
        for code, hours in (("P0", 4), ("P1", 12), ("P2", 40), ("P3", 48))
    )
    policy = tmp_path / "policy.toml"
    policy.write_text(
        levels
        + '[[metrics]]\nname = "first_response"\npause = false\n'
        + 'targets = { P0 = "PT2H", P1 = "PT2H", P2 = "PT2H", P3 = "PT2H" }\n'
        + '[[metrics]]\nname = "resolution"\npause = true\n',
        encoding="utf-8",
    )
    events = Path(__file__).parents[2] / "examples" / "events.jsonl"
    args = ("report", str(events), "--now", NOW, "--policy", str(policy), "--by", "priority")
    status, out, err = call(capsys, *args, "--json")
    assert status == 0, err
    groups = json.loads(out)["groups"]
    by_metric = json.loads(call(capsys, *args[:-1], "metric,priority", "--json")[1])["groups"]
    resolution = [g for g in by_metric if g["metric"] == "resolution"]
    first = {g["priority"]: g for g in by_metric if g["metric"] == "first_response"}
    tickets = {g["priority"]: g["tickets"] for g in resolution}
    assert [g["tickets"] for g in groups] == [tickets.get(g["priority"], 0) for g in groups]
    assert all(g["on_time_share"] is None for g in groups if g["tickets"] == 0)
    for g in groups:
        nested = {k: v for k, v in first[g["priority"]].items() if k not in ("metric", "priority")}
        assert g["first_response"] == nested
    assert "first_response_tickets" in call(capsys, *args, "--csv")[1].splitlines()[0]
