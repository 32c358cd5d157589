"""The words of human output, in English and Portuguese, and how each language writes a time.

Every text a person reads in ``sla-clock status`` and ``sla-clock due --explain`` comes from the
tables of this module, so a translation is reviewed in one place: :data:`STATE_NAMES` (the
SLA states), :data:`WEEKDAYS` (abbreviated weekday names) and :data:`TEXTS` (labels and
words). Machine output never goes through it: JSON keys, ISO 8601 values and the ISO line
``sla-clock due`` prints are the same in every language.

The system locale is never used (no ``locale.setlocale``, no ``%a`` in ``strftime``): the
language is :func:`resolve_language`'s choice and the names come from the tables below.

======  ==========================  ==========================
lang    a time                      a share
======  ==========================  ==========================
en      ``Mon 2026-11-23 18:00``    ``87.5 %``
pt      ``seg 23/11/2026 18:00``    ``87,5 %``
======  ==========================  ==========================

Seconds, then microseconds, are written only when they are not zero: a time is never rounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from .policy import EscalationLevel, Priority
    from .status import State

__all__ = [
    "LANGUAGES",
    "LOCALE_VARIABLES",
    "STATE_NAMES",
    "TEXTS",
    "WEEKDAYS",
    "Language",
    "TextKey",
    "escalation_name",
    "format_clock",
    "format_date",
    "format_datetime",
    "format_share",
    "priority_name",
    "resolve_language",
    "state_name",
    "text",
]

#: A language of human output.
Language = Literal["en", "pt"]
#: Every language, English (the default) first.
LANGUAGES: tuple[Language, ...] = get_args(Language)

#: The SLA states as a support desk names them.
STATE_NAMES: Mapping[State, Mapping[Language, str]] = {
    "running": {"en": "running", "pt": "em andamento"},
    "at_risk": {"en": "at risk", "pt": "em risco"},
    "paused": {"en": "paused", "pt": "pausado"},
    "breached": {"en": "breached", "pt": "violado"},
    "met": {"en": "met", "pt": "cumprido"},
    "missed": {"en": "missed", "pt": "descumprido"},
}

#: Abbreviated weekday names, Monday first (the index is :meth:`date.weekday`).
WEEKDAYS: Mapping[Language, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "pt": ("seg", "ter", "qua", "qui", "sex", "sáb", "dom"),
}

#: The name of a text of :data:`TEXTS`.
TextKey = Literal[
    "state",
    "priority",
    "opened",
    "as_of",
    "due",
    "breach_at",
    "used",
    "of",
    "remaining",
    "escalation",
    "level",
    "none",
    "paused",
    "resolved",
    "timezone",
    "yes",
    "no",
    "target",
    "day",
    "periods",
    "that_day",
    "total",
]

#: Labels and words of the human summaries.
TEXTS: Mapping[TextKey, Mapping[Language, str]] = {
    "state": {"en": "state", "pt": "situação"},
    "priority": {"en": "priority", "pt": "prioridade"},
    "opened": {"en": "opened", "pt": "aberto em"},
    "as_of": {"en": "as of", "pt": "posição em"},
    "due": {"en": "due", "pt": "prazo"},
    "breach_at": {"en": "breached after", "pt": "violado após"},
    "used": {"en": "used", "pt": "usado"},
    "of": {"en": "of", "pt": "de"},
    "remaining": {"en": "remaining", "pt": "restante"},
    "escalation": {"en": "escalation", "pt": "escalonamento"},
    "level": {"en": "level", "pt": "nível"},
    "none": {"en": "none", "pt": "nenhum"},
    "paused": {"en": "paused", "pt": "pausado"},
    "resolved": {"en": "resolved", "pt": "resolvido em"},
    "timezone": {"en": "time zone", "pt": "fuso horário"},
    "yes": {"en": "yes", "pt": "sim"},
    "no": {"en": "no", "pt": "não"},
    "target": {"en": "target", "pt": "meta"},
    "day": {"en": "day", "pt": "dia"},
    "periods": {"en": "open periods counted", "pt": "períodos contados"},
    "that_day": {"en": "that day", "pt": "no dia"},
    "total": {"en": "total", "pt": "acumulado"},
}


#: The environment variables that choose the language, first the one that wins (POSIX order).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def resolve_language(explicit: Language | None, environ: Mapping[str, str]) -> Language:
    """Return the language of human output: ``explicit`` if given, else the locale's.

    Without ``explicit`` (the ``--lang`` option), the first of ``LC_ALL``, ``LC_MESSAGES``
    and ``LANG`` that is set and not empty decides, as POSIX orders them: a value starting
    with ``pt`` (``pt_BR.UTF-8``, ``pt_PT``, ``pt``, in any case) chooses Portuguese, any other
    (``C``, ``POSIX``, ``en_US.UTF-8``, ``de_DE``) English; none set, English. ``LANGUAGE``
    is not read, and the locale itself is never set.

    Args:
        explicit: ``"en"`` or ``"pt"`` (the ``--lang`` option), or None.
        environ: the process environment, e.g. :data:`os.environ`.

    >>> resolve_language(None, {"LANG": "pt_BR.UTF-8"}), resolve_language("en", {"LANG": "pt"})
    ('pt', 'en')
    >>> resolve_language(None, {"LC_ALL": "C", "LANG": "pt_BR.UTF-8"})
    'en'
    """
    if explicit is not None:
        return explicit
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "pt" if value.lower().startswith("pt") else "en"
    return "en"


def text(key: TextKey, lang: Language) -> str:
    """Return the text ``key`` of :data:`TEXTS` in ``lang``.

    >>> text("due", "pt")
    'prazo'
    """
    return TEXTS[key][lang]


def state_name(state: State, lang: Language) -> str:
    """Return the name of an SLA state in ``lang``.

    >>> state_name("at_risk", "en"), state_name("missed", "pt")
    ('at risk', 'descumprido')
    """
    return STATE_NAMES[state][lang]


def priority_name(priority: Priority, lang: Language) -> str:
    """Return the policy's name of ``priority`` in ``lang`` (``name_en`` or ``name_pt``).

    >>> from sla_clock.policy import SlaPolicy
    >>> priority_name(SlaPolicy.default().priority("P0"), "pt")
    'Altíssima'
    """
    return priority.name_pt if lang == "pt" else priority.name_en


def escalation_name(level: EscalationLevel, lang: Language) -> str:
    """Return an escalation level's name in ``lang`` (its ``name_pt`` in Portuguese, if set).

    >>> from sla_clock.policy import EscalationLevel
    >>> level = EscalationLevel(name="coordination", name_pt="coordenação")
    >>> escalation_name(level, "pt"), escalation_name(EscalationLevel(name="diretoria"), "pt")
    ('coordenação', 'diretoria')
    """
    if lang == "pt" and level.name_pt:
        return level.name_pt
    return level.name


def format_clock(value: time | datetime) -> str:
    """Return a wall-clock time as ``HH:MM``, with ``:SS`` and ``.ffffff`` only when not zero.

    >>> format_clock(time(9, 0)), format_clock(time(9, 0, 5)), format_clock(time(9, 0, 0, 250))
    ('09:00', '09:00:05', '09:00:00.000250')
    """
    out = f"{value.hour:02d}:{value.minute:02d}"
    if value.second or value.microsecond:
        out += f":{value.second:02d}"
    if value.microsecond:
        out += f".{value.microsecond:06d}"
    return out


def format_date(day: date, lang: Language) -> str:
    """Return a date with its weekday: ``Mon 2026-11-23`` or ``seg 23/11/2026``.

    >>> format_date(date(2026, 11, 28), "pt")
    'sáb 28/11/2026'
    """
    weekday = WEEKDAYS[lang][day.weekday()]
    if lang == "pt":
        return f"{weekday} {day.day:02d}/{day.month:02d}/{day.year:04d}"
    return f"{weekday} {day.isoformat()}"


def format_datetime(value: datetime, lang: Language) -> str:
    """Return a time as its weekday, date and wall-clock time, in its own zone.

    Args:
        value: the time; its wall-clock reading is written (convert it to the calendar's
            zone first).
        lang: ``en`` writes ``Mon 2026-11-23 18:00``, ``pt`` writes ``seg 23/11/2026 18:00``.

    >>> from zoneinfo import ZoneInfo
    >>> due = datetime(2026, 11, 23, 18, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> format_datetime(due, "en"), format_datetime(due, "pt")
    ('Mon 2026-11-23 18:00', 'seg 23/11/2026 18:00')
    """
    return f"{format_date(value.date(), lang)} {format_clock(value)}"


def format_share(share: float, lang: Language) -> str:
    """Return a share as a percentage with one decimal, a comma for the decimal in Portuguese.

    >>> format_share(0.875, "en"), format_share(1.125, "pt")
    ('87.5 %', '112,5 %')
    """
    out = f"{share * 100:.1f} %"
    return out.replace(".", ",") if lang == "pt" else out
