"""Tests of sla_clock.views.figure (the timeline picture) and of ``sla-clock status --plot``."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgba_array
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from sla_clock import Pause, SlaPolicy, SlaStatus, Ticket, cli
from sla_clock.views.figure import plot_format, plot_timeline, timeline_marks

SP = ZoneInfo("America/Sao_Paulo")
ROOT = Path(__file__).resolve().parents[2]
POLICY = SlaPolicy.default()
#: The DESIGN.md P0: opened Monday 14:00, seen Tuesday 15:00 (breached, coordination reached).
P0 = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=SP), priority="P0")
P0_NOW = datetime(2026, 11, 24, 15, 0, tzinfo=SP)
#: A P1 paused Wednesday 16:00 to Thursday 12:00, over Friday's holiday and the weekend.
PAUSED = Ticket(
    id="T-1042",
    opened_at=datetime(2026, 11, 18, 14, 0, tzinfo=SP),
    priority="P1",
    pauses=[
        Pause(
            start=datetime(2026, 11, 18, 16, 0, tzinfo=SP),
            end=datetime(2026, 11, 19, 12, 0, tzinfo=SP),
        )
    ],
)
PAUSED_NOW = datetime(2026, 11, 23, 11, 0, tzinfo=SP)
SVG_NS = "{http://www.w3.org/2000/svg}"

# -- helpers ---------------------------------------------------------------------------------


def svg_texts(path: Path) -> list[str]:
    """Return the text of every ``<text>`` element of an SVG file, stripped."""
    root = ElementTree.parse(path).getroot()
    return [(el.text or "").strip() for el in root.iter(f"{SVG_NS}text")]


def mark_x(fig: Figure, kind: str) -> list[float]:
    """Return the x of every vertical mark of ``kind`` (its Line2D gid is ``mark-<kind>``)."""
    xs = []
    for line in fig.axes[0].get_lines():
        if line.get_gid() == f"mark-{kind}":
            assert isinstance(line, Line2D)
            x0, x1 = np.asarray(line.get_xdata(), dtype=float)
            assert x0 == x1
            xs.append(float(x0))
    return xs


def num(at: datetime) -> float:
    """Return matplotlib's own date number of ``at`` (independent of sla_clock.views.figure)."""
    return float(date2num(at))  # type: ignore[no-untyped-call]  # matplotlib leaves it untyped


def load_script() -> ModuleType:
    """Import scripts/make_figures.py as a module."""
    spec = importlib.util.spec_from_file_location("make_figures", ROOT / "scripts/make_figures.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def english_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    """Holiday names follow the environment's language: pin English for every test."""
    monkeypatch.setenv("LANGUAGE", "en")


# -- the picture comes from the real status --------------------------------------------------


def test_marks_sit_at_the_status_instants() -> None:
    """The due, breach, opening and "now" lines are at the status's own instants."""
    status = POLICY.status(P0, P0_NOW)
    fig = plot_timeline(POLICY, P0, P0_NOW)
    assert mark_x(fig, "due") == [pytest.approx(num(status.due_at), abs=1e-9)]
    assert mark_x(fig, "breach") == [pytest.approx(num(status.breach_at), abs=1e-9)]
    assert mark_x(fig, "opened") == [pytest.approx(num(P0.opened_at), abs=1e-9)]
    assert mark_x(fig, "now") == [pytest.approx(num(P0_NOW), abs=1e-9)]
    assert mark_x(fig, "resolved") == []
    # The DESIGN.md instants, so a wrong status would not go unnoticed either.
    assert status.due_at == datetime(2026, 11, 23, 18, 0, tzinfo=SP)
    assert status.breach_at == datetime(2026, 11, 24, 9, 0, tzinfo=SP)


def test_escalation_marks_follow_the_ladder_in_business_time() -> None:
    """Each level is marked, like breach_at, at the last instant before the clock counts more
    than the target plus its offset: the deadline plus the offset, then the next open moment."""
    status = POLICY.status(P0, P0_NOW)
    one_us = timedelta(microseconds=1)
    expected = [
        POLICY.calendar.add(status.due_at, level.offset + one_us) - one_us
        for level in POLICY.escalation
    ]
    assert [e.strftime("%a %H:%M") for e in expected] == ["Tue 09:00", "Tue 13:00", "Tue 17:00"]
    fig = plot_timeline(POLICY, P0, P0_NOW)
    assert mark_x(fig, "escalation") == [pytest.approx(num(at), abs=1e-9) for at in expected]


def test_svg_has_the_labels(tmp_path: Path) -> None:
    """The SVG names the priority, target, state and every mark with its time."""
    path = tmp_path / "p0.svg"
    plot_timeline(POLICY, P0, P0_NOW, path=path)
    texts = svg_texts(path)
    joined = "\n".join(texts)
    for label in (
        "opened Mon 14:00",
        "due Mon 18:00",
        "team leaders Tue 09:00",
        "breached after Tue 09:00",
        "coordination Tue 13:00",
        "management Tue 17:00",
        "as of Tue 15:00",
        "Mon 2026-11-23",
        "Tue 2026-11-24",
        "time zone: America/Sao_Paulo",
        "business time used",
        "used after the breach",
    ):
        assert label in texts, label
    assert "P0 Highest · target 4:00:00" in joined
    assert "state: breached · used 10:00:00 of 4:00:00 (250.0 %)" in joined


def test_svg_due_text_matches_status(tmp_path: Path) -> None:
    """The due and breach texts of the SVG are the status's times, whatever the ticket."""
    ticket = Ticket(opened_at=datetime(2026, 11, 19, 17, 0, tzinfo=SP), priority="P0")
    now = datetime(2026, 11, 23, 10, 0, tzinfo=SP)
    status = POLICY.status(ticket, now)
    path = tmp_path / "holiday.svg"
    plot_timeline(POLICY, ticket, now, path=path)
    texts = svg_texts(path)
    assert f"due {status.due_at.strftime('%a %H:%M')}" in texts
    assert f"breached after {status.breach_at.strftime('%a %H:%M')}" in texts
    assert status.due_at == datetime(2026, 11, 23, 12, 0, tzinfo=SP)  # Nov 20 is a holiday
    assert any(text.startswith("holiday: ") for text in texts)


@pytest.mark.slow
def test_portuguese_labels(tmp_path: Path) -> None:
    """With lang="pt" every word comes from the Portuguese word table (and dates dd/mm)."""
    path = tmp_path / "p0-pt.svg"
    plot_timeline(POLICY, P0, P0_NOW, lang="pt", path=path)
    texts = svg_texts(path)
    for label in (
        "aberto em seg 14:00",
        "prazo seg 18:00",
        "líderes de equipe ter 09:00",
        "violado após ter 09:00",
        "coordenação ter 13:00",
        "gerência ter 17:00",
        "seg 23/11/2026",
        "fuso horário: America/Sao_Paulo",
    ):
        assert label in texts, label
    joined = "\n".join(texts)
    assert "P0 Altíssima · meta 4:00:00" in joined
    assert "situação: violado · usado 10:00:00 de 4:00:00 (250,0 %)" in joined
    assert "due" not in texts


def test_pause_is_hatched_where_it_was(tmp_path: Path) -> None:
    """The pause is drawn hatched from its start to its end; the time left is projected."""
    fig = plot_timeline(POLICY, PAUSED, PAUSED_NOW)
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1
    span = hatched[0]
    assert isinstance(span, Rectangle)
    pause = PAUSED.pauses[0]
    assert pause.end is not None
    assert span.get_x() == pytest.approx(num(pause.start), abs=1e-9)
    assert span.get_x() + span.get_width() == pytest.approx(num(pause.end), abs=1e-9)
    status = POLICY.status(PAUSED, PAUSED_NOW)
    assert (status.state, status.used) == ("at_risk", timedelta(hours=10))
    assert status.due_at == datetime(2026, 11, 23, 13, 0, tzinfo=SP)
    assert mark_x(fig, "due") == [pytest.approx(num(status.due_at), abs=1e-9)]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "pause" in legend
    assert "business time left (projected)" in legend
    assert "closed all day (weekend, holiday)" in legend


def test_counted_bars_are_the_business_time_used() -> None:
    """The blue bars of the clock lane add up to the status's business time used."""
    fig = plot_timeline(POLICY, PAUSED, PAUSED_NOW)
    ax = fig.axes[0]
    total = 0.0
    for collection in ax.collections:
        if to_hex(to_rgba_array(collection.get_facecolor())[0]) == "#4c78a8":
            for path in collection.get_paths():
                xs = np.asarray(path.vertices, dtype=float)[:, 0]
                total += float(xs.max() - xs.min())
    assert total * 24 == pytest.approx(10.0)  # 2 h on Wednesday, 6 h Thursday, 2 h Monday


def test_resolved_ticket_has_no_now_mark() -> None:
    """A resolved ticket is marked at its resolution, with the levels reached before it."""
    ticket = P0.model_copy(update={"resolved_at": datetime(2026, 11, 24, 10, 0, tzinfo=SP)})
    now = datetime(2026, 11, 27, 12, 0, tzinfo=SP)
    marks = timeline_marks(POLICY, ticket, now)
    assert [m.kind for m in marks] == ["opened", "due", "escalation", "breach", "resolved"]
    assert marks[-1].label == "resolved Tue 10:00"
    fig = plot_timeline(POLICY, ticket, now)
    assert mark_x(fig, "now") == []
    assert len(mark_x(fig, "escalation")) == 1
    assert fig.axes[0].get_xlim()[1] == pytest.approx(num(datetime(2026, 11, 25, tzinfo=SP)))


def test_axis_covers_whole_local_days() -> None:
    """The axis runs from the opening day's midnight to the midnight after the last mark."""
    fig = plot_timeline(POLICY, P0, P0_NOW)
    left, right = fig.axes[0].get_xlim()
    assert left == pytest.approx(num(datetime(2026, 11, 23, tzinfo=SP)))
    assert right == pytest.approx(num(datetime(2026, 11, 25, tzinfo=SP)))


# -- files -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_svg_is_reproducible(tmp_path: Path) -> None:
    """Two drawings of the same ticket are byte for byte the same SVG, with no date in it."""
    one, two = tmp_path / "one.svg", tmp_path / "two.svg"
    plot_timeline(POLICY, PAUSED, PAUSED_NOW, path=one)
    plot_timeline(POLICY, PAUSED, PAUSED_NOW, path=two)
    assert one.read_bytes() == two.read_bytes()
    content = one.read_text(encoding="utf-8")
    assert content.startswith("<?xml")
    assert "<dc:date>" not in content
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", content)


def test_png_by_extension(tmp_path: Path) -> None:
    """A ``.png`` path writes a PNG image."""
    path = tmp_path / "p0.PNG"
    plot_timeline(POLICY, P0, P0_NOW, path=path)
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("name", ["p0.pdf", "p0", "p0.svg.txt"])
def test_other_extensions_are_refused(tmp_path: Path, name: str) -> None:
    """A path that does not end in .svg or .png is refused before anything is drawn."""
    with pytest.raises(ValueError, match=r"name the file \*\.svg or \*\.png"):
        plot_timeline(POLICY, P0, P0_NOW, path=tmp_path / name)
    assert not (tmp_path / name).exists()
    assert plot_format("a/b.Svg") == "svg"


@pytest.mark.slow
def test_figure_uses_agg_without_pyplot(tmp_path: Path) -> None:
    """The figure lives on an Agg canvas; drawing never imports pyplot (no GUI, no globals)."""
    assert type(plot_timeline(POLICY, P0, P0_NOW).canvas).__name__ == "FigureCanvasAgg"
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from zoneinfo import ZoneInfo\n"
        "from sla_clock import SlaPolicy, Ticket\n"
        "from sla_clock.views.figure import plot_timeline\n"
        "sp = ZoneInfo('America/Sao_Paulo')\n"
        "t = Ticket(opened_at=datetime(2026, 11, 23, 14, tzinfo=sp), priority='P0')\n"
        f"plot_timeline(SlaPolicy.default(), t, datetime(2026, 11, 24, 15, tzinfo=sp), "
        f"path={str(tmp_path / 'x.svg')!r})\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    env = {**os.environ, "MPLBACKEND": "TkAgg"}  # a GUI backend that must never be loaded
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "False\n", "")


def test_docs_figures_are_up_to_date(tmp_path: Path) -> None:
    """docs/img/ holds what scripts/make_figures.py draws now (compared by their texts)."""
    script = load_script()
    for name, draw in script.FIGURES.items():
        fresh = tmp_path / name
        draw(fresh)
        committed = ROOT / "docs" / "img" / name
        assert svg_texts(committed) == svg_texts(fresh), f"run scripts/make_figures.py ({name})"


def test_status_api_types() -> None:
    """plot_timeline returns a Figure and leaves the status unchanged."""
    before: SlaStatus = POLICY.status(P0, P0_NOW)
    assert isinstance(plot_timeline(POLICY, P0, P0_NOW), Figure)
    assert POLICY.status(P0, P0_NOW) == before


# -- sla-clock status --plot -----------------------------------------------------------------

STATUS = ("status", "P0", "--opened", "2026-11-23 14:00", "--now", "2026-11-24 15:00")


def test_cli_plot_writes_svg(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``status --plot out.svg`` writes the picture and prints the usual summary (exit 1)."""
    path = tmp_path / "out.svg"
    status = cli.main([*STATUS, "--plot", str(path), "--lang", "en"])
    out, err = capsys.readouterr()
    assert (status, err) == (1, "")
    assert "breached after: Tue 2026-11-24 09:00" in out
    assert "due Mon 18:00" in svg_texts(path)


def test_cli_plot_png_in_portuguese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``--plot out.png --lang pt`` writes a PNG; ``--json`` output is unchanged."""
    path = tmp_path / "out.png"
    status = cli.main([*STATUS, "--plot", str(path), "--lang", "pt", "--json"])
    out, err = capsys.readouterr()
    assert (status, err) == (1, "")
    assert out.startswith('{"state": "breached"')
    assert path.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("out.pdf", "--plot cannot tell the picture format of"),
        ("missing-dir/out.svg", "cannot write --plot"),
    ],
)
def test_cli_plot_bad_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, message: str
) -> None:
    """A bad ``--plot`` path is one ``sla-clock: error:`` line and exit 2, nothing printed."""
    status = cli.main([*STATUS, "--plot", str(tmp_path / name)])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err.startswith(f"sla-clock: error: {message}")
    assert err.count("\n") == 1


BLOCK_MATPLOTLIB = textwrap.dedent(
    '''
    """Make ``import matplotlib`` fail, as if the docs extra were not installed."""
    import sys


    class _NoMatplotlib:
        def find_spec(self, name, path=None, target=None):
            if name == "matplotlib" or name.startswith("matplotlib."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None


    sys.meta_path.insert(0, _NoMatplotlib())
    '''
)


def run_without_matplotlib(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sla_clock`` with a sitecustomize that makes matplotlib unimportable."""
    stub = tmp_path / "stub"
    stub.mkdir(exist_ok=True)
    (stub / "sitecustomize.py").write_text(BLOCK_MATPLOTLIB, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(stub), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )


@pytest.mark.slow
def test_cli_plot_without_matplotlib_names_the_extra(tmp_path: Path) -> None:
    """Without matplotlib, ``--plot`` is one error line naming the docs extra, exit 2."""
    result = run_without_matplotlib(
        tmp_path, "-m", "sla_clock", *STATUS, "--plot", str(tmp_path / "out.svg")
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("sla-clock: error: --plot needs matplotlib")
    assert "pip install 'sla-clock[docs]'" in result.stderr
    assert not (tmp_path / "out.svg").exists()


@pytest.mark.slow
def test_cli_without_matplotlib_still_works(tmp_path: Path) -> None:
    """Without matplotlib, ``status`` without ``--plot`` works (the stub really blocks it)."""
    result = run_without_matplotlib(tmp_path, "-m", "sla_clock", *STATUS, "--json")
    assert (result.returncode, result.stderr) == (1, "")
    probe = run_without_matplotlib(tmp_path, "-c", "import sla_clock.views.figure")
    assert probe.returncode == 1
    assert "sla_clock.views.figure needs matplotlib" in probe.stderr
    assert "pip install 'sla-clock[docs]'" in probe.stderr
