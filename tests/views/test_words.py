"""The words of human output in both languages: impacts, holiday categories, the clock note.

Each test here held a gap of the Portuguese output, or a sentence the English output lacked:
the impacts of the priority table were English in Portuguese too, the holidays line said
``(public)`` in Portuguese, optional days (pontos facultativos) were labelled ``feriado``,
``posição em`` read oddly for "as of", and ``status`` did not say why ``breach_at`` can be
the next morning.
"""

from __future__ import annotations

import ast
import inspect
import json
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from sla_clock import BusinessCalendar, Priority, SlaPolicy, Ticket, cli
from sla_clock.views import _words as i18n
from sla_clock.views._calendar_year import calendar_year, calendar_year_text
from sla_clock.views._policy_table import policy_dict, policy_text
from sla_clock.views._words import Language, category_name, holiday_label, impact_text, text

SP = ZoneInfo("America/Sao_Paulo")
P0 = ("status", "P0", "--opened", "2026-11-23 14:00")
OPTIONAL = BusinessCalendar.create(categories=["public", "optional"])


@pytest.fixture(autouse=True)
def english_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """English unless a test asks for Portuguese, whatever the developer's locale."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


def breach_line(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Return the value of the ``breached after`` (or ``violado após``) line of a status."""
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    assert (status in (0, 1), err) == (True, "")
    line = out.splitlines()[5]
    assert line.startswith(("breached after:", "violado após:"))
    return line.split(":", 1)[1].strip()


# -- the clock note ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            (*P0, "--now", "2026-11-24 10:00"),
            "Tue 2026-11-24 09:00 (the clock stops from Mon 18:00 until then: the desk is closed)",
        ),
        (
            (*P0, "--now", "2026-11-24 10:00", "--lang", "pt"),
            "ter 24/11/2026 09:00 (o relógio fica parado de seg 18:00 até lá: fora do expediente)",
        ),
        (  # due Mon 13:00, when a pause starts; the pause ends at 14:00
            (
                *("status", "P0", "--opened", "2026-11-23 09:00", "--now", "2026-11-23 17:00"),
                *("--pause", "2026-11-23 13:00", "2026-11-23 14:00"),
            ),
            "Mon 2026-11-23 14:00 (the clock stops from Mon 13:00 until then: the ticket is "
            "paused)",
        ),
        (
            (
                *("status", "P0", "--opened", "2026-11-23 09:00", "--now", "2026-11-23 17:00"),
                *("--pause", "2026-11-23 13:00", "2026-11-23 14:00", "--lang", "pt"),
            ),
            "seg 23/11/2026 14:00 (o relógio fica parado de seg 13:00 até lá: chamado pausado)",
        ),
        (  # due Mon 17:00, paused until 19:00, then the night
            (
                *("status", "P0", "--opened", "2026-11-23 13:00", "--now", "2026-11-24 10:00"),
                *("--pause", "2026-11-23 17:00", "2026-11-23 19:00"),
            ),
            "Tue 2026-11-24 09:00 (the clock stops from Mon 17:00 until then: the desk is "
            "closed or the ticket paused)",
        ),
        (  # due Thu 18:00 before a holiday and a weekend: restarts Monday
            ("status", "P0", "--opened", "2026-11-19 14:00", "--now", "2026-11-23 10:00"),
            "Mon 2026-11-23 09:00 (the clock stops from Thu 18:00 until then: the desk is closed)",
        ),
    ],
)
def test_a_later_breach_says_why(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], expected: str
) -> None:
    """When breach_at comes after due_at, its line says the clock stops and why."""
    assert breach_line(capsys, *args) == expected


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_no_note_when_breach_at_is_due_at(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    """A deadline inside opening hours is also the breach instant: no note."""
    args = ("status", "P0", "--opened", "2026-11-23 10:00", "--now", "2026-11-24 10:00")
    line = breach_line(capsys, *args, "--lang", lang)
    assert line in ("Mon 2026-11-23 14:00", "seg 23/11/2026 14:00")


def test_the_note_is_not_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    """``--json`` keeps the bare breach_at instant."""
    assert cli.main([*P0, "--now", "2026-11-24 10:00", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["breach_at"] == "2026-11-24T09:00:00-03:00"


def test_as_of_in_portuguese(capsys: pytest.CaptureFixture[str]) -> None:
    """ "as of" is "consultado em" in Portuguese (it was "posição em")."""
    assert text("as_of", "pt") == "consultado em"
    assert cli.main([*P0, "--now", "2026-11-23 15:00", "--lang", "pt"]) == 0
    assert "consultado em: seg 23/11/2026 15:00" in capsys.readouterr().out.splitlines()


# -- impacts -------------------------------------------------------------------------------


def test_default_impacts_in_portuguese() -> None:
    """The default policy has the support document's impacts in Portuguese."""
    policy = SlaPolicy.default()
    assert [impact_text(p, "pt") for p in policy.priorities] == [
        "Indisponibilidade total, ex.: todo o sistema bloqueado.",
        "Indisponibilidade parcial, ex.: pedido de boleto de cliente bloqueado.",
        "Sem indisponibilidade: contestação de faturas, cancelamento ou redução de contrato.",
        "Sem indisponibilidade: qualquer outra solicitação.",
    ]
    assert impact_text(policy.priority("P0"), "en") == (
        "Total unavailability, e.g. the whole system blocked."
    )


def test_policy_table_in_portuguese_shows_portuguese_impacts() -> None:
    """``policy --lang pt`` prints the Portuguese impacts, English ones in English."""
    pt = policy_text(SlaPolicy.default(), "pt")
    en = policy_text(SlaPolicy.default(), "en")
    assert "Indisponibilidade total, ex.: todo o sistema bloqueado." in pt
    assert "Total unavailability" not in pt
    assert "Total unavailability, e.g. the whole system blocked." in en
    assert "Indisponibilidade" not in en


def test_an_impact_without_portuguese_falls_back_to_impact() -> None:
    """A priority without ``impact_pt`` shows ``impact`` in Portuguese too."""
    priority = Priority(code="X", target=timedelta(hours=1), name_en="X", name_pt="X", impact="i")
    assert (impact_text(priority, "pt"), priority.impact_pt) == ("i", "")


def test_policy_files_round_trip_impact_pt(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``policy --json`` writes impact_pt, and ``--policy`` reads it back."""
    assert cli.main(["policy", "--json"]) == 0
    written = capsys.readouterr().out
    assert json.loads(written)["priorities"][1]["impact_pt"] == (
        "Indisponibilidade parcial, ex.: pedido de boleto de cliente bloqueado."
    )
    path = tmp_path / "policy.json"
    path.write_text(written, encoding="utf-8")
    assert policy_dict(SlaPolicy.from_file(str(path))) == json.loads(written)
    assert cli.main(["policy", "--policy", str(path), "--lang", "pt"]) == 0
    assert "Sem indisponibilidade: qualquer outra solicitação." in capsys.readouterr().out


def test_a_policy_file_may_give_impact_pt(tmp_path: Path) -> None:
    """``impact_pt`` is an optional field of a priority in a policy file."""
    path = tmp_path / "policy.toml"
    path.write_text(
        '[[priorities]]\ncode = "X"\ntarget_hours = 2\nimpact = "Down"\nimpact_pt = "Fora do ar"\n',
        encoding="utf-8",
    )
    priority = SlaPolicy.from_file(str(path)).priority("X")
    assert (priority.impact, priority.impact_pt) == ("Down", "Fora do ar")


# -- holiday categories --------------------------------------------------------------------


def test_category_names() -> None:
    """Holiday categories have a name in each language; an unknown one keeps its code."""
    assert [category_name(c, "pt") for c in ("public", "optional", "bank")] == [
        "oficiais",
        "pontos facultativos",
        "bank",
    ]
    assert [category_name(c, "en") for c in ("public", "optional")] == ["public", "optional"]
    assert [holiday_label(c, "pt") for c in ("public", "optional", None)] == [
        "feriado",
        "ponto facultativo",
        "feriado",
    ]
    assert holiday_label("bank", "en") == "holiday (bank)"


def test_calendar_holidays_line_names_the_categories() -> None:
    """The holidays line lists the categories in the listing's language."""
    listing_pt = calendar_year_text(calendar_year(OPTIONAL, 2026, lang="pt"), "pt").splitlines()
    listing_en = calendar_year_text(calendar_year(OPTIONAL, 2026), "en").splitlines()
    assert listing_pt[2] == "feriados:     BR (oficiais, pontos facultativos)"
    assert listing_en[2] == "holidays:  BR (public, optional)"


@pytest.mark.parametrize(
    ("lang", "carnival", "christmas"),
    [
        ("en", "  Mon 2026-02-16  optional  Carnival", "  Fri 2026-12-25  holiday   Christmas Day"),
        (
            "pt",
            "  seg 16/02/2026  ponto facultativo  Carnaval",
            "  sex 25/12/2026  feriado            Natal",
        ),
    ],
)
def test_optional_days_are_labelled_by_category(
    lang: Language, carnival: str, christmas: str
) -> None:
    """Carnival is listed as an optional day (ponto facultativo), Christmas as a holiday."""
    lines = calendar_year_text(calendar_year(OPTIONAL, 2026, lang=lang), lang).splitlines()
    assert carnival in lines
    assert christmas in lines


def test_json_gives_each_closed_date_its_category() -> None:
    """The calendar listing's JSON has each closed date's category."""
    closed = {d["date"]: d for d in calendar_year(OPTIONAL, 2026).to_dict()["closed"]}
    assert closed["2026-02-16"]["category"] == "optional"
    assert closed["2026-12-25"]["category"] == "public"


def _svg_texts(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    return [(el.text or "").strip() for el in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize(
    ("lang", "note"), [("en", "optional: Carnival"), ("pt", "ponto facultativo: Carnaval")]
)
def test_figure_labels_optional_days_by_category(tmp_path: Path, lang: Language, note: str) -> None:
    """The timeline names a closed optional day by its category, in the figure's language."""
    figure_module = pytest.importorskip("sla_clock.views.figure")
    policy = SlaPolicy.default().with_calendar(OPTIONAL)
    ticket = Ticket(opened_at=datetime(2026, 2, 13, 17, 0, tzinfo=SP), priority="P0")
    path = tmp_path / "carnival.svg"
    figure_module.plot_timeline(
        policy, ticket, datetime(2026, 2, 19, 10, 0, tzinfo=SP), lang=lang, path=path
    )
    texts = _svg_texts(path)
    assert note in texts
    assert not any(t.startswith(("holiday: Carnival", "feriado: Carnaval")) for t in texts)


# -- one table of words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "module", ["views._calendar_year", "views._policy_table", "views.figure", "views._text"]
)
def test_words_live_in_i18n(module: str) -> None:
    """The modules that print for people keep no word table of their own: i18n has them all."""
    import importlib

    source = inspect.getsource(importlib.import_module(f"sla_clock.{module}"))
    tree = ast.parse(source)
    functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    assert "_word" not in functions
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            assert not {"en", "pt"} <= keys, f"{module}: a word table at line {node.lineno}"
    assert i18n.TEXTS  # where they are
