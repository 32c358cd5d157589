"""Tests of sla_clock.views._words: the translation tables and how each language writes a time."""

from __future__ import annotations

import ast
import inspect
from datetime import date, datetime, time, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

import pytest

from sla_clock import EscalationLevel, SlaPolicy, State
from sla_clock.views import _words as i18n
from sla_clock.views._formats import format_clock, format_date, format_datetime, format_share
from sla_clock.views._words import (
    LANGUAGES,
    STATE_NAMES,
    TEXTS,
    WEEKDAYS,
    Language,
    TextKey,
    escalation_name,
    priority_name,
    resolve_language,
    state_name,
    text,
)

SP = ZoneInfo("America/Sao_Paulo")


def test_languages() -> None:
    """The languages are English (the default, first) and Portuguese."""
    assert LANGUAGES == ("en", "pt")


def test_every_state_has_both_languages() -> None:
    """Each SLA state has a non-empty name in every language, distinct within a language."""
    assert set(STATE_NAMES) == set(State)
    for lang in LANGUAGES:
        names = [STATE_NAMES[state][lang] for state in State]
        assert all(name.strip() for name in names)
        assert len(set(names)) == len(names)


def test_portuguese_state_names() -> None:
    """The Portuguese states are a support desk's words."""
    assert {state: state_name(state, "pt") for state in State} == {
        "running": "em andamento",
        "at_risk": "em risco",
        "paused": "pausado",
        "breached": "violado",
        "met": "cumprido",
        "missed": "descumprido",
    }


def test_english_state_names_are_readable() -> None:
    """English state names are the state codes written as words (``at_risk`` is ``at risk``)."""
    for state in get_args(State):
        assert state_name(state, "en") == state.replace("_", " ")


def test_every_text_has_both_languages() -> None:
    """Every text key is in the table, with a non-empty text in every language."""
    assert set(TEXTS) == set(get_args(TextKey))
    for key in get_args(TextKey):
        assert set(TEXTS[key]) == set(LANGUAGES)
        assert all(text(key, lang).strip() for lang in LANGUAGES)


def test_texts_are_translated() -> None:
    """Portuguese labels differ from the English ones (no label was left untranslated)."""
    same = [key for key in get_args(TextKey) if text(key, "en") == text(key, "pt")]
    assert same == []


def test_weekday_names() -> None:
    """Seven distinct abbreviated weekdays per language, Monday first."""
    assert WEEKDAYS["en"] == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert WEEKDAYS["pt"] == ("seg", "ter", "qua", "qui", "sex", "sáb", "dom")
    assert set(WEEKDAYS) == set(LANGUAGES)
    for names in WEEKDAYS.values():
        assert len(set(names)) == 7


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
        ("pt", ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"]),
    ],
)
def test_format_date_uses_the_right_weekday(lang: Language, expected: list[str]) -> None:
    """The week of Mon 2026-11-23 gets its weekday names in order."""
    monday = date(2026, 11, 23)
    days = [format_date(monday + timedelta(days=n), lang).split()[0] for n in range(7)]
    assert days == expected


def test_date_formats() -> None:
    """English writes ``Tue 2027-01-05``, Portuguese ``ter 05/01/2027`` (zero-padded dd/mm)."""
    day = date(2027, 1, 5)
    assert format_date(day, "en") == "Tue 2027-01-05"
    assert format_date(day, "pt") == "ter 05/01/2027"


def test_datetime_formats() -> None:
    """A São Paulo time prints as its own wall time in each language."""
    due = datetime(2026, 11, 23, 18, 0, tzinfo=SP)
    assert format_datetime(due, "en") == "Mon 2026-11-23 18:00"
    assert format_datetime(due, "pt") == "seg 23/11/2026 18:00"


def test_datetime_is_written_in_its_own_zone() -> None:
    """The wall time written is the datetime's own, never the system zone's."""
    utc = datetime(2026, 11, 23, 21, 0, tzinfo=ZoneInfo("UTC"))
    assert format_datetime(utc, "pt") == "seg 23/11/2026 21:00"
    assert format_datetime(utc.astimezone(SP), "pt") == "seg 23/11/2026 18:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(9, 0), "09:00"),
        (time(18, 30, 5), "18:30:05"),
        (time(0, 0, 0, 1), "00:00:00.000001"),
        (datetime(2026, 11, 23, 7, 5, tzinfo=SP), "07:05"),
    ],
)
def test_format_clock(value: time | datetime, expected: str) -> None:
    """Clock times are HH:MM, with seconds and microseconds only when present (never rounded)."""
    assert format_clock(value) == expected


@pytest.mark.parametrize(
    ("share", "en", "pt"),
    [(0.75, "75.0 %", "75,0 %"), (1.125, "112.5 %", "112,5 %"), (0.0, "0.0 %", "0,0 %")],
)
def test_format_share(share: float, en: str, pt: str) -> None:
    """A share is a percentage with one decimal: a point in English, a comma in Portuguese."""
    assert (format_share(share, "en"), format_share(share, "pt")) == (en, pt)


@pytest.mark.parametrize(
    ("code", "en", "pt"),
    [
        ("P0", "Highest", "Altíssima"),
        ("P1", "High", "Alta"),
        ("P2", "Medium", "Média"),
        ("P3", "Low", "Baixa"),
    ],
)
def test_priority_names(code: str, en: str, pt: str) -> None:
    """Priority names come from the policy: ``name_en`` in English, ``name_pt`` in Portuguese."""
    priority = SlaPolicy.default().priority(code)
    assert (priority_name(priority, "en"), priority_name(priority, "pt")) == (en, pt)


def test_escalation_names() -> None:
    """The default ladder has Portuguese names; a level without name_pt keeps its name."""
    levels = SlaPolicy.default().escalation
    assert [escalation_name(level, "pt") for level in levels] == [
        "líderes de equipe",
        "coordenação",
        "gerência",
    ]
    assert [escalation_name(level, "en") for level in levels] == [
        "team leaders",
        "coordination",
        "management",
    ]
    assert escalation_name(EscalationLevel(name="diretoria"), "pt") == "diretoria"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "pt_BR.UTF-8"}, "pt"),
        ({"LANG": "pt_PT"}, "pt"),
        ({"LANG": "pt"}, "pt"),
        ({"LANG": "PT_BR.utf8"}, "pt"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": ""}, "en"),
        ({}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C"}, "en"),
    ],
)
def test_language_from_lang(environ: dict[str, str], expected: Language) -> None:
    """Without ``--lang``, ``LANG`` starting with ``pt`` means Portuguese, anything else English."""
    assert resolve_language(None, environ) == expected


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        # LC_ALL wins over everything (it used to be ignored: English).
        ({"LC_ALL": "pt_BR.UTF-8"}, "pt"),
        ({"LC_ALL": "pt_BR.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, "pt"),
        ({"LC_ALL": "C", "LANG": "pt_BR.UTF-8"}, "en"),
        ({"LC_ALL": "POSIX", "LC_MESSAGES": "pt_BR.UTF-8"}, "en"),
        # Then LC_MESSAGES (it used to be ignored too).
        ({"LC_MESSAGES": "pt_BR.UTF-8"}, "pt"),
        ({"LC_MESSAGES": "pt_BR.UTF-8", "LANG": "en_US.UTF-8"}, "pt"),
        ({"LC_MESSAGES": "C.UTF-8", "LANG": "pt_BR.UTF-8"}, "en"),
        # An empty variable counts as unset.
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "pt_BR.UTF-8"}, "pt"),
        ({"LC_ALL": "", "LC_MESSAGES": "pt_PT", "LANG": "C"}, "pt"),
        # Other categories and GNU's LANGUAGE do not choose the language of messages.
        ({"LC_TIME": "pt_BR.UTF-8", "LC_CTYPE": "pt_BR.UTF-8", "LANG": "C"}, "en"),
        ({"LANGUAGE": "pt_BR", "LANG": "en_US.UTF-8"}, "en"),
    ],
)
def test_locale_variables_in_posix_order(environ: dict[str, str], expected: Language) -> None:
    """Without ``--lang``: ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``, the first one set."""
    assert resolve_language(None, environ) == expected


@pytest.mark.parametrize("explicit", LANGUAGES)
def test_explicit_language_wins_over_every_variable(explicit: Language) -> None:
    """``--lang`` wins over ``LC_ALL`` and ``LC_MESSAGES`` too."""
    for value in ("pt_BR.UTF-8", "C"):
        environ = {"LC_ALL": value, "LC_MESSAGES": value, "LANG": value}
        assert resolve_language(explicit, environ) == explicit


@pytest.mark.parametrize("explicit", LANGUAGES)
def test_explicit_language_wins(explicit: Language) -> None:
    """``--lang`` wins over ``LANG`` in both directions."""
    for lang_env in ("pt_BR.UTF-8", "en_US.UTF-8"):
        assert resolve_language(explicit, {"LANG": lang_env}) == explicit


def test_no_system_locale() -> None:
    """The module's code never imports ``locale`` nor calls locale-dependent ``strftime``."""
    tree = ast.parse(inspect.getsource(i18n))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert "locale" not in imported
    assert not {"setlocale", "strftime", "getlocale"} & attributes
