"""The check of each event's kind and value, for ``batch --events``: once per distinct pair.

A chunk's events come with their value part encoded (each distinct ``(event, ...)`` tuple
once, :mod:`sla_clock.batch._events_input`); :class:`Checks` checks each distinct tuple
once for the whole run (:func:`sla_clock.history.event_problem`, the priority against the
policy, a JSON key that the event does not take) and gives back its pair code in the
:class:`~sla_clock.bulk._histories.EventStore`, or why it is bad.
"""

from __future__ import annotations

from typing import Any, cast

from ..bulk._histories import EventStore, typed
from ..errors import SlaClockError
from ..history import EVENT_KINDS, VALUE_FIELD, event_problem
from ..policy import SlaPolicy
from ._csv import Format
from ._events_input import VALUE_KEYS

__all__ = ["Check", "Checks"]

#: The most distinct ``(event, value)`` checks kept (free status names could be many).
_MAX_CHECKS = 100_000
#: A checked event: its pair code (``-1`` if bad), why its line is bad by itself (a JSON
#: key that its event does not take), and why its value is bad.
Check = tuple[int, str | None, str | None]


class Checks:
    """The check of each distinct event kind and value of a run, computed once and kept."""

    def __init__(self, policy: SlaPolicy, store: EventStore, input_format: Format) -> None:
        self.policy, self.store = policy, store
        self.json = input_format == "jsonl"
        self._done: dict[tuple[Any, ...], Check] = {}

    def all(self, distinct: list[tuple[Any, ...]]) -> list[Check]:
        """The check of each of a chunk's distinct keys."""
        done, out = self._done, []
        for key in distinct:
            try:
                check = done.get(typed(key))
            except TypeError:  # a JSON list or object as a value: not kept
                out.append(self.one(key))
                continue
            if check is None:
                check = self.one(key)
                if len(done) < _MAX_CHECKS:
                    done[typed(key)] = check
            out.append(check)
        return out

    def one(self, key: tuple[Any, ...]) -> Check:
        """Check one event's kind and value."""
        kind = key[0]
        wanted = VALUE_FIELD.get(kind) if isinstance(kind, str) else None
        if not self.json:
            value = key[1]
        else:
            if kind in EVENT_KINDS:
                for name, given in zip(VALUE_KEYS, key[1:], strict=True):
                    if name != wanted and given is not None:
                        return -1, f"a {kind!r} event takes no {name!r}", None
            value = key[1 + VALUE_KEYS.index(wanted)] if wanted is not None else None
        checked, problem = _value(self.policy, kind, value)
        if problem is not None:
            return -1, None, problem
        return self.store.pair_code(cast("str", kind), checked), None, None


def _value(policy: SlaPolicy, kind: object, value: object) -> tuple[str | None, str | None]:
    """Return the checked value of an event, or why it is bad: ``(value, error)``."""
    if value is None or isinstance(value, str):
        text = value
    elif isinstance(kind, str) and VALUE_FIELD.get(kind, "") is None:
        text = repr(value)  # a kind without a value: shown in "takes no value"
    else:
        text = ""  # a value that is no text is no priority, status or by
    problem = event_problem(kind, text)
    if problem is not None:
        return None, problem
    wanted = VALUE_FIELD[cast("str", kind)]
    if wanted is None or text is None:
        return None, None
    if wanted == "priority":
        try:
            return policy.priority(text).code, None
        except SlaClockError as exc:
            return None, str(exc)
    return text.strip(), None
