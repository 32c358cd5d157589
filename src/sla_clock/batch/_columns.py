"""Which column of a tickets file holds each ticket field: the names, and ``--columns``.

A tickets file names its fields ``id``, ``priority``, ``opened``, ``resolved`` and
``pauses``, or by their ``Ticket`` names (``opened_at``, ``resolved_at``), or in Portuguese
(``chamado``, ``prioridade``, ``aberto_em`` or ``abertura``, ``resolvido_em``, ``pausas``).
Names are compared after :func:`normal_name`: case, accents, surrounding spaces and the
difference between a space, a hyphen and an underscore do not count, so ``Aberto em`` is
``aberto_em``. A mapping such as ``--columns id=Chamado,opened="Data de abertura"`` names a
field's column explicitly; a mapped field is then found only under its mapped name.

>>> columns = Columns(parse_columns('id=Chamado,opened="Data de abertura"'))
>>> columns.field("CHAMADO"), columns.field("data de abertura"), columns.field("Prioridade")
('id', 'opened', 'priority')
>>> columns.field("opened") is None  # opened is mapped: its usual name is another column
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ..errors import TicketError

__all__ = ["FIELDS", "REQUIRED", "Columns", "normal_name", "parse_columns"]

#: The ticket fields a tickets file may have, with the names their column may have.
_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "chamado"),
    "priority": ("priority", "prioridade"),
    "opened": ("opened", "opened_at", "aberto_em", "abertura"),
    "resolved": ("resolved", "resolved_at", "resolvido_em"),
    "pauses": ("pauses", "pausas"),
}
FIELDS: tuple[str, ...] = tuple(_NAMES)
#: The fields every ticket needs.
REQUIRED = ("priority", "opened")
_SEPARATORS = re.compile(r"[\s\-_]+")
_EXAMPLE = '--columns id=Chamado,priority=Prioridade,opened="Data de abertura"'


def normal_name(name: str) -> str:
    r"""Return ``name`` as names are compared: lower case, no accents, ``_`` between words.

    >>> normal_name("  Resolvido em "), normal_name("\ufeffPAUSAS"), normal_name("Ação")
    ('resolvido_em', 'pausas', 'acao')
    """
    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "")).lower()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SEPARATORS.sub("_", text.strip())


def _items(text: str) -> list[str]:
    """Split ``text`` at the commas that are not inside double quotes."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    if quoted:
        msg = f"--columns {text!r} has a quote that is not closed; write e.g. {_EXAMPLE}"
        raise TicketError(msg)
    items.append("".join(current))
    return items


def parse_columns(text: str) -> dict[str, str]:
    """Read a ``--columns`` value: ``field=column`` pairs separated by commas.

    A column name may be quoted (``opened="Data de abertura"``), and must be when it has a
    comma.

    Raises:
        TicketError: an empty value, a pair without ``=`` or without a column name, a
            field given twice (an unknown field is refused by :class:`Columns`).

    >>> parse_columns('id=Chamado, opened = "Data, abertura"')
    {'id': 'Chamado', 'opened': 'Data, abertura'}
    """
    if not text.strip():
        msg = f"--columns is empty; give field=column pairs, e.g. {_EXAMPLE}"
        raise TicketError(msg)
    mapping: dict[str, str] = {}
    for item in _items(text):
        field, equals, name = item.partition("=")
        field, name = field.strip().lower(), name.strip()
        if len(name) >= 2 and name[0] == name[-1] == '"':
            name = name[1:-1]
        if not equals or not field or not name.strip():
            msg = f"--columns: {item.strip()!r} is not field=column; write e.g. {_EXAMPLE}"
            raise TicketError(msg)
        if field in mapping:
            msg = (
                f"--columns gives the {field} column twice ({mapping[field]!r}, {name!r}); keep one"
            )
            raise TicketError(msg)
        mapping[field] = name
    return mapping


class Columns:
    """The fields of a tickets file: the column names that hold each one.

    Args:
        mapping: field -> column name, for columns not named as usual (``--columns``).

    Raises:
        TicketError: an unknown field, an empty column name, or one column for two fields.
    """

    __slots__ = ("_fields", "mapped")

    def __init__(self, mapping: Mapping[str, str] | None = None) -> None:
        mapped = dict(mapping or {})
        fields: dict[str, str] = {}
        for field, name in mapped.items():
            if field not in _NAMES:
                msg = (
                    f"--columns: unknown field {field!r}; the fields are "
                    f"{', '.join(FIELDS)} (e.g. {_EXAMPLE})"
                )
                raise TicketError(msg)
            key = normal_name(name)
            if not key:
                msg = f"--columns: the {field} column has an empty name; give its header name"
                raise TicketError(msg)
            if key in fields:
                msg = (
                    f"--columns names the column {name!r} for both {fields[key]} and {field}; "
                    "a column holds one field"
                )
                raise TicketError(msg)
            fields[key] = field
        for field, names in _NAMES.items():
            if field in mapped:
                continue
            for alias in names:
                fields.setdefault(alias, field)
        #: field -> the column name given in the mapping, as given.
        self.mapped = mapped
        self._fields = fields

    def field(self, name: str) -> str | None:
        """Return the field a column (a CSV header name or a JSON key) holds, or ``None``."""
        return self._fields.get(normal_name(name))

    def names(self, field: str) -> str:
        """Return how the column of ``field`` may be named, for messages."""
        if field in self.mapped:
            return repr(self.mapped[field])
        return " or ".join(repr(name) for name in _NAMES[field])
