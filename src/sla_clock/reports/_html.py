"""The HTML report: one self-contained file (inline CSS and SVG, no link, no script).

It opens in any browser without network access, prints on A4 (``@page``), and reads in
English or Portuguese. The same numbers give the same bytes (:func:`~._figures.svg_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from ..views._words import Language
from ._aggregate import GroupResult, Tally
from ._figures import heat_figure, ratio_figure, share_figure, svg_text
from ._render import table_text

__all__ = ["html_report"]

_STYLE = """
@page { size: A4; margin: 14mm; }
body { font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.4em; }
pre { font-size: 0.8em; overflow-x: auto; }
figure { margin: 1em 0; page-break-inside: avoid; }
svg { max-width: 100%; height: auto; }
@media print { body { margin: 0; max-width: none; } }
"""
_TITLE = {"en": "SLA compliance report", "pt": "Relatório de cumprimento do SLA"}


def html_report(
    now: datetime, by: Sequence[str], groups: Sequence[GroupResult], tally: Tally, lang: Language
) -> str:
    """The whole report as one HTML document."""
    key = "pt" if lang == "pt" else "en"
    figures = [share_figure(tally, lang), ratio_figure(tally, lang), heat_figure(tally, lang)]
    body = "\n".join(f"<figure>{svg_text(fig)}</figure>" for fig in figures)
    table = escape(table_text(now, by, groups, lang))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"pt-BR" if key == "pt" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_TITLE[key]}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{_TITLE[key]}</h1>\n<pre>{table}</pre>\n{body}\n</body>\n</html>\n"
    )
