"""The words of human output, in English and Portuguese, and how each language writes a time.

Every text a person reads in ``sla-clock status``, ``due --explain``, ``policy``, ``calendar``
and the timeline figure comes from the tables of this module, so a translation is reviewed in
one place: :data:`STATE_NAMES` (the SLA states), :data:`WEEKDAYS` (abbreviated weekday names)
and :data:`TEXTS` (labels and words, read with :func:`text`); the names a policy gives its
priorities, impacts and escalation levels come from the policy (:func:`priority_name`,
:func:`impact_text`, :func:`escalation_name`). Machine output never goes through it: JSON
keys, ISO 8601 values and the ISO line ``sla-clock due`` prints are the same in every
language.

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
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from ..policy import EscalationLevel, Priority
    from ..status import State

__all__ = [
    "CATEGORY_KEYS",
    "HOLIDAY_LABEL_KEYS",
    "LANGUAGES",
    "LOCALE_VARIABLES",
    "STATE_NAMES",
    "TEXTS",
    "WEEKDAYS",
    "Language",
    "TextKey",
    "category_name",
    "escalation_name",
    "holiday_label",
    "impact_text",
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
STATE_NAMES: Mapping[str, Mapping[Language, str]] = {
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
    "business_day",
    "business_days",
    "end_of_day",
    # status and due --explain
    "state",
    "priority",
    "opened",
    "as_of",
    "due",
    "breach_at",
    "clock_stopped",
    "stopped_closed",
    "stopped_paused",
    "stopped_both",
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
    # policy
    "priorities",
    "code",
    "name_en",
    "name_pt",
    "impact",
    "ladder",
    "warning",
    "priority_change",
    "recompute",
    "restart",
    "policy",
    "policy_own",
    "policy_versions",
    "in_force_on",
    # calendar
    "calendar",
    "holidays",
    "category_public",
    "category_optional",
    "weekly_hours",
    "rules_from",
    "rules",
    "rules_own",
    "then",
    "closed",
    "closed_dates",
    "partial",
    "extra_open",
    "holiday",
    "optional_holiday",
    "company",
    "open_days",
    "open_time",
    # the timeline figure
    "open_hours",
    "night",
    "closed_day",
    "company_closed",
    "pause",
    "used_time",
    "late_time",
    "left_time",
    # the ticket-history figure
    "first_response",
    "resolution",
    "agent_reply",
    "reopened",
    "cycle",
    "not_counted",
    # status --events
    "ticket",
    "wall_time",
    "metric_rows",
]

#: Every word and label of human output: the status and ``due --explain`` summaries, the
#: policy table, the calendar listing and the timeline figure. A text with ``{name}`` fields
#: is a template, filled with :meth:`str.format`.
TEXTS: Mapping[TextKey, Mapping[Language, str]] = {
    # status and due --explain
    "state": {"en": "state", "pt": "situação"},
    "priority": {"en": "priority", "pt": "prioridade"},
    "opened": {"en": "opened", "pt": "aberto em"},
    "as_of": {"en": "as of", "pt": "consultado em"},
    "due": {"en": "due", "pt": "prazo"},
    "breach_at": {"en": "breached after", "pt": "violado após"},
    "clock_stopped": {
        "en": "(the clock stops from {stop} until then: {reason})",
        "pt": "(o relógio fica parado de {stop} até lá: {reason})",
    },
    "stopped_closed": {"en": "the desk is closed", "pt": "fora do expediente"},
    "stopped_paused": {"en": "the ticket is paused", "pt": "chamado pausado"},
    "stopped_both": {
        "en": "the desk is closed or the ticket paused",
        "pt": "fora do expediente ou chamado pausado",
    },
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
    "business_day": {"en": "business day", "pt": "dia útil"},
    "business_days": {"en": "business days", "pt": "dias úteis"},
    "end_of_day": {"en": "end of day", "pt": "fim do dia"},
    "day": {"en": "day", "pt": "dia"},
    "periods": {"en": "open periods counted", "pt": "períodos contados"},
    "that_day": {"en": "that day", "pt": "no dia"},
    "total": {"en": "total", "pt": "acumulado"},
    # policy
    "priorities": {"en": "priorities", "pt": "prioridades"},
    "code": {"en": "code", "pt": "código"},
    "name_en": {"en": "name (en)", "pt": "nome (en)"},
    "name_pt": {"en": "name (pt)", "pt": "nome (pt)"},
    "impact": {"en": "impact", "pt": "impacto"},
    "ladder": {
        "en": "escalation (business time after the deadline)",
        "pt": "escalonamento (tempo útil após o prazo)",
    },
    "warning": {"en": "at risk from", "pt": "em risco a partir de"},
    "priority_change": {"en": "priority change", "pt": "mudança de prioridade"},
    "recompute": {
        "en": "recompute (the new target applies to the time used since opening)",
        "pt": "recalcular (a nova meta vale para o tempo usado desde a abertura)",
    },
    "restart": {
        "en": "restart (a new clock starts at the change)",
        "pt": "reiniciar (um novo relógio começa na mudança)",
    },
    "policy": {"en": "policy", "pt": "política"},
    "policy_own": {"en": "the policy's own", "pt": "as da própria política"},
    "policy_versions": {
        "en": "versions (each in force from its date; --at DATE shows one)",
        "pt": "versões (cada uma em vigor a partir da sua data; --at DATA mostra uma)",
    },
    "in_force_on": {"en": "in force on", "pt": "em vigor em"},
    # calendar
    "calendar": {"en": "calendar", "pt": "calendário"},
    "holidays": {"en": "holidays", "pt": "feriados"},
    "category_public": {"en": "public", "pt": "oficiais"},
    "category_optional": {"en": "optional", "pt": "pontos facultativos"},
    "weekly_hours": {"en": "weekly hours", "pt": "horário semanal"},
    "rules_from": {"en": "from", "pt": "a partir de"},
    "rules": {"en": "rules", "pt": "regras"},
    "rules_own": {"en": "the calendar's own", "pt": "as do próprio calendário"},
    "then": {"en": "then", "pt": "depois"},
    "closed": {"en": "closed", "pt": "fechado"},
    "closed_dates": {"en": "closed dates", "pt": "datas fechadas"},
    "partial": {"en": "partial days", "pt": "dias com horário reduzido"},
    "extra_open": {"en": "extra open days", "pt": "dias extras de atendimento"},
    "holiday": {"en": "holiday", "pt": "feriado"},
    "optional_holiday": {"en": "optional", "pt": "ponto facultativo"},
    "company": {"en": "company", "pt": "empresa"},
    "open_days": {"en": "open days", "pt": "dias de atendimento"},
    "open_time": {"en": "open time", "pt": "tempo de atendimento"},
    # the timeline figure
    "open_hours": {"en": "open hours", "pt": "horário de atendimento"},
    "night": {"en": "closed (night)", "pt": "fechado (noite)"},
    "closed_day": {
        "en": "closed all day (weekend, holiday)",
        "pt": "fechado o dia todo (fim de semana, feriado)",
    },
    "company_closed": {"en": "closed", "pt": "fechado"},
    "pause": {"en": "pause", "pt": "pausa"},
    "used_time": {"en": "business time used", "pt": "tempo útil usado"},
    "late_time": {"en": "used after the breach", "pt": "usado após a violação"},
    "left_time": {"en": "business time left (projected)", "pt": "tempo útil restante (previsto)"},
    # the ticket-history figure
    "first_response": {"en": "first response", "pt": "primeira resposta"},
    "resolution": {"en": "resolution", "pt": "solução"},
    "agent_reply": {"en": "agent reply", "pt": "resposta do agente"},
    "reopened": {"en": "reopened", "pt": "reaberto em"},
    "cycle": {"en": "cycle", "pt": "ciclo"},
    "not_counted": {
        "en": "not counted (pause, or resolved until reopened)",
        "pt": "não contado (pausa, ou resolvido até reabrir)",
    },
    # status --events
    "ticket": {"en": "ticket", "pt": "chamado"},
    "wall_time": {"en": "wall-clock time", "pt": "tempo corrido"},
    "metric_rows": {"en": "metrics", "pt": "métricas"},
}

#: The text key of each holiday category's name, for the categories the words tables know.
CATEGORY_KEYS: Mapping[str, TextKey] = {
    "public": "category_public",
    "optional": "category_optional",
}
#: The text key of the label of a closed date from each holiday category.
HOLIDAY_LABEL_KEYS: Mapping[str, TextKey] = {
    "public": "holiday",
    "optional": "optional_holiday",
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


def category_name(category: str, lang: Language) -> str:
    """Return a holiday category's name in ``lang``; a category without one keeps its code.

    >>> category_name("optional", "pt"), category_name("public", "en"), category_name("bank", "pt")
    ('pontos facultativos', 'public', 'bank')
    """
    key = CATEGORY_KEYS.get(category)
    return text(key, lang) if key is not None else category


def holiday_label(category: str | None, lang: Language) -> str:
    """Return the label of a date closed by a holiday of ``category`` (``feriado``, ...).

    >>> holiday_label("optional", "pt"), holiday_label("public", "pt"), holiday_label(None, "en")
    ('ponto facultativo', 'feriado', 'holiday')
    """
    key = HOLIDAY_LABEL_KEYS.get(category or "public")
    return text(key, lang) if key is not None else f"{text('holiday', lang)} ({category})"


def state_name(state: State | str, lang: Language) -> str:
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


def impact_text(priority: Priority, lang: Language) -> str:
    """Return the policy's impact text of ``priority`` in ``lang``.

    In Portuguese it is ``impact_pt`` when the policy gives one, else ``impact``.

    >>> from sla_clock.policy import SlaPolicy
    >>> impact_text(SlaPolicy.default().priority("P0"), "pt")
    'Indisponibilidade total, ex.: todo o sistema bloqueado.'
    """
    if lang == "pt" and priority.impact_pt:
        return priority.impact_pt
    return priority.impact


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
