"""The report's figures, drawn with Matplotlib from the numbers of a :class:`Tally`.

- :func:`share_figure`, the main one (``--plot``): the on-time share by month, a line per
  priority;
- :func:`ratio_figure`: how much of its target each ticket used, per priority (bins of 10 %,
  the last one 300 % or more);
- :func:`heat_figure`: when the breaching tickets (missed, or open and late) were opened,
  weekday by hour, in the calendar's zone.

:func:`svg_text` writes a figure as SVG text that is the same bytes for the same numbers
(no date, a fixed hash salt, no metadata block), to be inlined in the HTML report.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import numpy as np

from ..views._words import Language
from ._aggregate import RATIO_BINS, WEEKDAYS, Tally

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["heat_figure", "ratio_figure", "share_figure", "svg_text"]

_WORDS = {
    "en": {
        "share": "On-time share by month",
        "month": "month of opening",
        "ratio": "Business time used against the target",
        "used": "used / target",
        "count": "tickets",
        "heat": "When the breaching tickets were opened",
        "hour": "hour of opening",
        "days": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    },
    "pt": {
        "share": "Chamados no prazo por mês",
        "month": "mês de abertura",
        "ratio": "Tempo útil usado em relação ao prazo",
        "used": "usado / prazo",
        "count": "chamados",
        "heat": "Quando os chamados atrasados foram abertos",
        "hour": "hora de abertura",
        "days": ("seg", "ter", "qua", "qui", "sex", "sáb", "dom"),
    },
}


def _pyplot() -> Any:
    import matplotlib as mpl

    mpl.use("Agg", force=False)
    mpl.rcParams["svg.hashsalt"] = "sla-clock report"
    import matplotlib.pyplot as plt

    return plt


def _words(lang: Language) -> dict[str, Any]:
    return _WORDS["pt" if lang == "pt" else "en"]


def share_figure(tally: Tally, lang: Language) -> Figure:
    """The on-time share by month, a line per priority."""
    plt, words = _pyplot(), _words(lang)
    fig, ax = plt.subplots(figsize=(7.5, 3.2), layout="constrained")
    months = sorted({month for _, month in tally.by_month})
    for priority in sorted({p for p, _ in tally.by_month}):
        shares = [
            100 * cell[1] / cell[0] if (cell := tally.by_month.get((priority, m))) else np.nan
            for m in months
        ]
        ax.plot(months, shares, marker="o", label=priority)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.set_xlabel(words["month"])
    ax.set_title(words["share"])
    ax.grid(alpha=0.3)
    if tally.by_month:
        ax.legend(loc="lower left", fontsize="small")
    ax.tick_params(axis="x", labelrotation=45, labelsize="small")
    return fig  # type: ignore[no-any-return]  # (pyplot is untyped here)


def ratio_figure(tally: Tally, lang: Language) -> Figure:
    """Used/target per priority, as bars of 10 %."""
    plt, words = _pyplot(), _words(lang)
    fig, ax = plt.subplots(figsize=(7.5, 3.0), layout="constrained")
    edges = np.arange(RATIO_BINS) / 10
    for priority in sorted(tally.ratios):
        ax.step(edges, tally.ratios[priority], where="post", label=priority)
    ax.axvline(1.0, color="black", linewidth=0.8, linestyle="--")
    ax.set_xlabel(words["used"])
    ax.set_ylabel(words["count"])
    ax.set_title(words["ratio"])
    if tally.ratios:
        ax.legend(fontsize="small")
    return fig  # type: ignore[no-any-return]  # (pyplot is untyped here)


def heat_figure(tally: Tally, lang: Language) -> Figure:
    """Breaching tickets by weekday and hour of opening."""
    plt, words = _pyplot(), _words(lang)
    fig, ax = plt.subplots(figsize=(7.5, 2.8), layout="constrained")
    image = ax.imshow(tally.heat, aspect="auto", cmap="Reds", interpolation="nearest")
    ax.set_yticks(range(7), words["days"])
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlabel(words["hour"])
    ax.set_title(words["heat"])
    fig.colorbar(image, ax=ax, label=words["count"])
    assert len(WEEKDAYS) == 7  # rows are Monday first, as Tally counts them
    return fig  # type: ignore[no-any-return]  # (pyplot is untyped here)


_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def svg_text(fig: Figure) -> str:
    """The figure as inline SVG: no XML prologue, no metadata, the same bytes each time."""
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    return _METADATA.sub("", text)
