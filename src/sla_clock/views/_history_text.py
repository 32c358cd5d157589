"""The text ``sla-clock status --events`` prints: every metric row of one ticket.

One block per metric and cycle, its words from :mod:`sla_clock.views._words` (English or
Portuguese), its times as :mod:`sla_clock.views._formats` writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..metric_status import MetricStatus
from ..policy import EscalationLevel, SlaPolicy
from ._formats import format_datetime, format_duration
from ._rules_text import zones_text
from ._text import labelled
from ._words import Language, TextKey, escalation_name, priority_name, state_name, text

__all__ = ["metric_rows_text"]

_METRIC_KEYS: dict[str, TextKey] = {"first_response": "first_response", "resolution": "resolution"}


def _metric_name(row: MetricStatus, lang: Language) -> str:
    key = _METRIC_KEYS.get(row.metric)
    name = row.metric if key is None else text(key, lang)
    return f"{name} ({text('cycle', lang)} {row.cycle})"


def _escalation(row: MetricStatus, policy: SlaPolicy, lang: Language) -> str:
    level = row.escalation_level
    ladder = _ladder_of(row, policy)
    if ladder is None:  # versions with ladders of different lengths: the row's own name
        return f"{row.escalation} ({text('level', lang)} {level})" if level else text("none", lang)
    if not ladder:
        return text("none", lang)
    name = escalation_name(ladder[level - 1], lang) if level else text("none", lang)
    return f"{name} ({text('level', lang)} {level} {text('of', lang)} {len(ladder)})"


def _ladder_of(row: MetricStatus, policy: SlaPolicy) -> tuple[EscalationLevel, ...] | None:
    """The ladder the row counted under (``None``: not known).

    With policy versions a row knows its level and that level's name, not its version: the
    ladder is the first of the versions' with that name at that level; at level 0 it is
    known only when every version's ladder has the same length.
    """
    if not policy.versions:
        return policy.escalation
    ladders = [policy.escalation, *(policy.version_on(v.start).escalation for v in policy.versions)]
    level = row.escalation_level
    if level == 0:
        return ladders[0] if len({len(ladder) for ladder in ladders}) == 1 else None
    for ladder in ladders:
        if level <= len(ladder) and ladder[level - 1].name == row.escalation:
            return ladder
    return None


def _block(row: MetricStatus, policy: SlaPolicy, lang: Language) -> str:
    priority = policy.priority(row.priority)
    target = row.used + row.remaining
    rows = [
        (text("state", lang), state_name(row.state, lang)),
        (text("priority", lang), f"{priority.code} {priority_name(priority, lang)}"),
        (text("due", lang), format_datetime(row.due_at, lang)),
        (text("breach_at", lang), format_datetime(row.breach_at, lang)),
        (
            text("used", lang),
            f"{format_duration(row.used)} {text('of', lang)} {format_duration(target)}",
        ),
        (text("remaining", lang), format_duration(row.remaining)),
        (text("escalation", lang), _escalation(row, policy, lang)),
        (text("wall_time", lang), format_duration(row.elapsed)),
    ]
    body = "\n".join(f"  {line}" for line in labelled(rows).splitlines())
    return f"{_metric_name(row, lang)}\n{body}"


def metric_rows_text(
    ticket: str, rows: Sequence[MetricStatus], policy: SlaPolicy, now: datetime, lang: Language
) -> str:
    """Return the human text of one ticket's metric rows at ``now`` in ``lang``."""
    head = labelled(
        [
            (text("ticket", lang), ticket),
            (text("as_of", lang), format_datetime(now, lang)),
            (text("timezone", lang), zones_text(policy.calendar, [now], lang)),
        ]
    )
    return "\n\n".join([head, *(_block(row, policy, lang) for row in rows)])
