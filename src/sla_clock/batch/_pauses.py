"""The ``pauses`` cell of a tickets file, read as the start and end texts of each pause.

In CSV the cell is ``start/end`` pairs separated by ``;`` (a ``dd/mm/yyyy`` start keeps its
own slashes); an empty end, ``open`` or ``-`` is a pause still going on. A JSON Lines value
may also be a list of ``"start/end"`` texts, ``[start, end]`` pairs or
``{"start": ..., "end": ...}`` objects. Only the shape is read here: the times themselves are
read in bulk by :func:`sla_clock.batch._times.read_times`.

>>> [(p.start, p.end) for p in pauses_of("2026-11-23T15:00/2026-11-23T16:00;24/11/2026 10:00/")]
[('2026-11-23T15:00', '2026-11-23T16:00'), ('24/11/2026 10:00', None)]
"""

from __future__ import annotations

import json
import re
from collections.abc import Container, Sequence
from itertools import compress
from typing import Any, NamedTuple

__all__ = ["PauseText", "PauseTexts", "pause_texts_of", "pauses_of"]

#: End of a pause still going on, as in ``sla-clock status --pause START open``.
_ONGOING = ("", "open", "-")
#: ``start/end``, where a ``dd/mm/yyyy`` start keeps its own slashes.
_PAUSE = re.compile(r"(?P<start>\d{1,2}/\d{1,2}/\d{4}[^/]*|[^/]*)/(?P<end>.*)", re.DOTALL)
_BRAZILIAN_ALONE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}[^/]*")
_PAUSE_FORMS = (
    "write pauses as start/end pairs separated by ';', with an empty end for a pause still going on"
)


class PauseText(NamedTuple):
    """One pause as written: the item of the ``pauses`` value, and its start and end texts."""

    item: Any
    start: str
    end: str | None

    @property
    def shown(self) -> str:
        """The pause as it is quoted in messages."""
        if isinstance(self.item, str):
            return self.item.strip()
        return json.dumps(self.item, ensure_ascii=False)


def _split_pause(text: str) -> PauseText | str:
    """Split one ``start/end`` pause; return the reason when it is not one."""
    stripped = text.strip()
    match = _PAUSE.fullmatch(stripped)
    if match is None or _BRAZILIAN_ALONE.fullmatch(stripped):
        return f"pause {stripped!r} is not start/end; {_PAUSE_FORMS}"
    return _pause_parts(stripped, match["start"], match["end"])


def _pause_parts(item: Any, start: Any, end: Any) -> PauseText | str:
    if not isinstance(start, str) or not start.strip():
        return f"pause {PauseText(item, '', None).shown!r} has no start; {_PAUSE_FORMS}"
    if end is not None and not isinstance(end, str):
        return f"pause {PauseText(item, '', None).shown!r} has an end that is not text"
    if end is None or end.strip().lower() in _ONGOING:
        return PauseText(item, start, None)
    return PauseText(item, start, end)


def pauses_of(value: Any) -> list[PauseText] | str:
    """Read a pauses cell: ``start/end;...`` text, or a JSON list of pairs or objects."""
    if value is None:
        return []
    if isinstance(value, str):
        if ";" not in value and value.count("/") == 1:  # the usual case: one ISO pause
            start, _, end = value.partition("/")
            one = _pause_parts(value.strip(), start, end)
            return [one] if isinstance(one, PauseText) else one
        items: list[Any] = [part for part in value.split(";") if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        return f"pauses must be text or a list, got {type(value).__name__} {value!r}"
    found: list[PauseText] = []
    for item in items:
        pause: PauseText | str
        if isinstance(item, str):
            pause = _split_pause(item)
        elif isinstance(item, list) and len(item) == 2:
            pause = _pause_parts(item, item[0], item[1])
        elif isinstance(item, dict) and "start" in item and set(item) <= {"start", "end"}:
            pause = _pause_parts(item, item["start"], item.get("end"))
        else:
            shown = json.dumps(item, ensure_ascii=False)
            pause = (
                f"pause {shown} is neither 'start/end', [start, end] nor "
                '{"start": ..., "end": ...}'
            )
        if isinstance(pause, str):
            return pause
        found.append(pause)
    return found


class PauseTexts(NamedTuple):
    """The pauses of a column as parallel lists: each one's row, start, end and item."""

    owners: list[int]
    starts: list[str]
    ends: list[str | None]
    items: list[Any]

    def text(self, k: int) -> PauseText:
        """Pause ``k`` as a :class:`PauseText` (for its message)."""
        return PauseText(self.items[k], self.starts[k], self.ends[k])

    def only(self, kept: Sequence[int]) -> PauseTexts:
        """The pauses at positions ``kept``, in that order."""
        return PauseTexts(
            [self.owners[k] for k in kept],
            [self.starts[k] for k in kept],
            [self.ends[k] for k in kept],
            [self.items[k] for k in kept],
        )


def pause_texts_of(
    values: Sequence[Any], skip: Container[int]
) -> tuple[PauseTexts, dict[int, str]]:
    """Read the pauses cells of a column (rows in ``skip`` left out), as :func:`pauses_of`.

    Returns the pauses, and per row whose cell is no pauses, the reason. A cell of one
    ``start/end`` text with a start and an end, the usual case, is split here as
    :func:`pauses_of` splits it; every other cell goes through :func:`pauses_of`.
    """
    found = PauseTexts([], [], [], [])
    owners, starts, ends, items = found
    refused: dict[int, str] = {}
    # Cells with something in them ("", None and [] are none; a 0 or a {} is refused below).
    given = list(compress(range(len(values)), values))  # the cells that are true
    none = values.count(None) + values.count("") + values.count([])
    if len(given) + none != len(values):  # a false cell that is something: 0, {}, False
        given = [row for row, v in enumerate(values) if v or v not in (None, "", [])]
    for row in given:
        value = values[row]
        if row in skip:
            continue
        if type(value) is str and ";" not in value and value.count("/") == 1:
            start, _, end = value.partition("/")
            if start.strip() and end.strip().lower() not in _ONGOING:
                owners.append(row)
                starts.append(start)
                ends.append(end)
                items.append(value.strip())
                continue
        pauses = pauses_of(value)
        if isinstance(pauses, str):
            refused[row] = pauses
            continue
        for pause in pauses:
            owners.append(row)
            starts.append(pause.start)
            ends.append(pause.end)
            items.append(pause.item)
    return found, refused
