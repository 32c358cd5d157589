"""A policy as a desk reads it: the priority table and the escalation ladder.

``sla-clock policy`` prints :func:`policy_text` for people and :func:`policy_dict` as JSON.
The JSON is a policy file (the shape of :class:`sla_clock.config.PolicyFile`, with
``target_hours`` and ``offset_hours`` and the calendar in full), so ``sla-clock policy
--json > policy.json`` writes a file that ``--policy policy.json`` loads back to the same
policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .._policy_versions import PolicyVersion, index_on
from ..calendar import BusinessCalendar
from ..config import calendar_document, policy_document
from ..policy import SlaPolicy
from ._formats import format_date, format_duration, format_share, format_target
from ._rules_text import since_text
from ._text import labelled
from ._words import Language, escalation_name, impact_text, text

__all__ = ["calendar_file_dict", "policy_at_text", "policy_dict", "policy_text"]


def calendar_file_dict(calendar: BusinessCalendar) -> dict[str, Any]:
    """Return ``calendar`` as the contents of a calendar file (JSON-ready).

    >>> data = calendar_file_dict(BusinessCalendar.default())
    >>> data["hours"]["fri"], data["hours"]["sat"], data["holidays"]["country"]
    (['09:00-18:00'], [], 'BR')
    """
    return calendar_document(calendar.to_data())


def policy_dict(policy: SlaPolicy) -> dict[str, Any]:
    """Return ``policy`` as the contents of a policy file (JSON-ready).

    >>> data = policy_dict(SlaPolicy.default())
    >>> [(p["code"], p["target_hours"]) for p in data["priorities"]]
    [('P0', 4), ('P1', 12), ('P2', 40), ('P3', 48)]
    >>> data["escalation"][1]
    {'name': 'coordination', 'name_pt': 'coordenação', 'offset_hours': 4}
    """
    return policy_document(policy.to_data())


def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Return ``rows`` as left-aligned columns, the first row being the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def policy_text(policy: SlaPolicy, lang: Language) -> str:
    """Return the priority table and escalation ladder ``sla-clock policy`` prints.

    >>> print(policy_text(SlaPolicy.default(), "en"))  # doctest: +ELLIPSIS
    priorities:
      code  name (en)  name (pt)  target    impact
      P0    Highest    Altíssima  4:00:00   Total unavailability, e.g. the whole system blocked.
    ...
    escalation (business time after the deadline):
      1  team leaders  +0:00:00
      2  coordination  +4:00:00
      3  management    +8:00:00
    at risk from:    75.0 %
    priority change: recompute (the new target applies to the time used since opening)
    time zone:       America/Sao_Paulo
    """
    header = (
        text("code", lang),
        text("name_en", lang),
        text("name_pt", lang),
        text("target", lang),
        text("impact", lang),
    )
    rows = [
        (p.code, p.name_en, p.name_pt, format_target(p, lang), impact_text(p, lang))
        for p in policy.priorities
    ]
    lines = [f"{text('priorities', lang)}:", *_table([header, *rows])]
    lines.append(f"{text('ladder', lang)}:")
    ladder = [
        (str(number), escalation_name(level, lang), f"+{format_duration(level.offset)}")
        for number, level in enumerate(policy.escalation, start=1)
    ]
    lines.extend(_table(ladder) if ladder else [f"  {text('none', lang)}"])
    footer = [
        (text("warning", lang), format_share(policy.warning_share, lang)),
        (text("priority_change", lang), text(policy.priority_change, lang)),
        (text("timezone", lang), policy.calendar.timezone),
    ]
    lines.append(labelled(footer))
    if policy.versions:
        lines.append(f"{text('policy_versions', lang)}:")
        lines.extend(f"  {_version_text(v, lang)}" for v in sorted(policy.versions, key=_start))
    return "\n".join(lines)


def _start(version: PolicyVersion) -> date:
    return version.start


def _version_text(version: PolicyVersion, lang: Language) -> str:
    """``from Fri 2027-01-01: P1 8:00:00; at risk from 50.0 %; escalation: ...``."""
    parts = [f"{p.code} {format_target(p, lang)}" for p in version.priorities]
    if version.warning_share is not None:
        parts.append(f"{text('warning', lang)} {format_share(version.warning_share, lang)}")
    if version.warn_at is not None:
        shares = ", ".join(format_share(share, lang) for share in version.warn_at)
        parts.append(f"{text('warning', lang)} {shares}")
    if version.escalation is not None:
        ladder = ", ".join(
            f"{escalation_name(level, lang)} +{format_duration(level.offset)}"
            for level in version.escalation
        ) or text("none", lang)
        parts.append(f"{text('escalation', lang)}: {ladder}")
    return f"{since_text(version.start, 'policy_own', lang)}: " + "; ".join(parts)


def policy_at_text(policy: SlaPolicy, day: date, lang: Language) -> str:
    """The policy in force on ``day`` (``sla-clock policy --at DATE``), saying which it is.

    >>> p = SlaPolicy.default().with_version(date(2027, 1, 1), warning_share=0.5)
    >>> policy_at_text(p, date(2027, 6, 1), "en").splitlines()[0]
    'in force on Tue 2027-06-01: from Fri 2027-01-01'
    """
    index = index_on(policy.versions, day)
    starts = sorted(v.start for v in policy.versions)
    since = since_text(starts[index - 1] if index else None, "policy_own", lang)
    head = f"{text('in_force_on', lang)} {format_date(day, lang)}: {since}"
    return f"{head}\n{policy_text(policy.version_on(day), lang)}"
