"""A griffe extension: render sla-clock's docstrings as mkdocstrings expects them.

The docstrings are written for ``pytest --doctest-modules`` and for readers of the source
(Google style, with bare ``>>>`` examples and Sphinx roles such as :class:`X`). mkdocstrings
renders docstrings as Markdown and only recognises examples under an ``Examples:`` header,
so this extension, for the site only (the source is not changed):

- wraps each bare ``>>>`` example (up to the next blank line) in a ```` ```pycon ```` fence;
- turns a Sphinx role ``:meth:`BusinessCalendar.add``` into an optional cross-reference
  (a link when the target is on a reference page, plain code otherwise);
- turns a reST literal-block marker ``text::`` into ``text:`` (the indented block that
  follows is already a Markdown code block);
- gives an attribute without a docstring the Sphinx ``#:`` comment above it, if any (the
  source documents constants and type aliases that way: ``NAT``, ``PriorityChangeMode``...);
- drops special methods (``__post_init__``, ``__reduce__``...) from classes: with
  ``filters: public`` griffe counts them as public, but they are not what a reader calls
  (``__init__`` stays, merged into the class by ``merge_init_into_class``);
- shows a method bound from a module function (``add = _ops.add`` in ``BusinessCalendar``,
  where the hot path lives in its own module) as the method it is: the function, with its
  docstring and signature, documented in the class.

Loaded by the ``extensions`` option of the Python handler in ``mkdocs.yml``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|mod|data|attr|exc|obj):`(~?)\.?([^`<>]+)`")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _fence_doctests(text: str) -> str:
    out: list[str] = []
    in_fence = in_example = False
    for line in text.split("\n"):
        stripped = line.lstrip()
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and not in_example and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            in_example = True
        elif in_example and not stripped:
            out.append(f"{indent}```")
            in_example = False
        out.append(line)
    if in_example:
        out.append(f"{indent}```")
    return "\n".join(out)


def _literal_blocks(text: str) -> str:
    return re.sub(r"(\S)::\n(\s*\n)", r"\1:\n\2", text)


class DocstringMarkup(griffe.Extension):
    """Rewrite each docstring's markup once the object tree is complete."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring (examples, roles, literal blocks)."""
        if obj.is_class:
            for name in [n for n in obj.members if n.startswith("__") and n != "__init__"]:
                obj.del_member(name)
            self._bind_methods(obj)
        if obj.docstring is None and (obj.is_attribute or obj.is_type_alias):
            comment = self._comment_above(obj)
            if comment:
                obj.docstring = griffe.Docstring(comment, lineno=obj.lineno, parent=obj)
        if obj.docstring is None:
            return
        value = _literal_blocks(_fence_doctests(obj.docstring.value))
        obj.docstring.value = _ROLE.sub(lambda m: self._reference(obj, m), value)

    @staticmethod
    def _bind_methods(cls: griffe.Object) -> None:
        """Replace ``name = module.function`` attributes of a class by that function."""
        for name, member in list(cls.members.items()):
            value = getattr(member, "value", None)
            if not member.is_attribute or not isinstance(value, griffe.ExprAttribute):
                continue
            module_name, _, function_name = str(value).rpartition(".")
            try:
                target = cls.module.get_member(module_name).get_member(function_name)
            except Exception:  # not a function of an imported module
                continue
            if not getattr(target, "is_function", False):
                continue
            method = griffe.Function(
                name,
                lineno=target.lineno,
                endlineno=target.endlineno,
                parameters=target.parameters,
                returns=target.returns,
                docstring=target.docstring,
                parent=cls,
            )
            cls.set_member(name, method)

    @staticmethod
    def _comment_above(obj: griffe.Object) -> str:
        try:
            lines = obj.module.lines
        except Exception:  # no source: nothing to read
            return ""
        found: list[str] = []
        index = (obj.lineno or 0) - 2
        while 0 <= index < len(lines) and lines[index].strip().startswith("#:"):
            found.insert(0, lines[index].strip()[2:].strip())
            index -= 1
        return "\n".join(found)

    @staticmethod
    def _reference(obj: griffe.Object, match: re.Match[str]) -> str:
        short, target = bool(match[1]), match[2].strip()
        title = f"<code>{target.rsplit('.', 1)[-1] if short else target}</code>"
        scopes = [obj.path if obj.is_class else "", obj.parent.path if obj.parent else ""]
        scopes += [obj.module.path, obj.module.path.split(".", 1)[0]]
        for scope in scopes:
            path = f"{scope}.{target}" if scope else target
            try:
                obj.modules_collection.get_member(path)
            except Exception:  # any failure means "not a known object"
                continue
            return f'<autoref identifier="{path}" optional>{title}</autoref>'
        return title
