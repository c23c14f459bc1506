"""Charts for pages and reports (matplotlib): SVG for HTML and PDF, PNG for DOCX, Swedish numbers.

Labels are user text (statement rows, municipalities) and are drawn as written: matplotlib's mathematics
(`$…$`) and TeX are off for every text, so `Komp $\\foo{$` is a label, never a formula to parse. A chart
that cannot be drawn all the same never fails its page or document: the error is logged and the page shows
its table with a short note instead (`svg` gives None, `add` writes the note into the section).

Figures are made without pyplot, so that no figure is left open on an error and requests drawing at the same
time share nothing but the settings of `_figure_class`. matplotlib is imported when the first chart is drawn,
not with this module: every `finsam` command loads the report kinds, and most draw nothing.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import logging
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.core.documents import Chart, Section

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

# Colours told apart with the common colour-vision deficiencies, and 3:1 or more against white.
BLUE = "#1f5a8a"
ORANGE = "#b35c00"
GREY = "#6b6b6b"

Draw = Callable[[], "Figure"]
CACHED_FOR = 24 * 3600  # seconds a page's chart is kept unused


@functools.cache
def _figure_class() -> type[Figure]:
    """matplotlib's Figure, with finsam's settings applied once, as the first chart is drawn."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "finsam",  # the same chart gives the same file
            "text.parse_math": False,  # a "$" in a label is a dollar sign
            "text.usetex": False,
        }
    )
    return Figure


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    figure = _figure_class()(figsize=(width, height))
    return figure, figure.subplots()


def _kronor_axis(axis: Any) -> None:
    """An axis of amounts ticks them as kronor, in Swedish."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(_kronor))


def _kronor(value: float, _: object) -> str:
    return formatting.kronor(Decimal(round(value)))


def budget_vs_outcome_figure(rows: list[tuple[str, Decimal, Decimal]], outcome_label: str) -> Figure:
    """Horizontal bars: budget and outcome per row (name, budget, outcome)."""
    names = [r[0] for r in rows][::-1]
    budget = [float(r[1]) for r in rows][::-1]
    outcome = [float(r[2]) for r in rows][::-1]
    figure, axes = _figure(7, 0.35 * len(rows) + 1)
    positions = range(len(rows))
    axes.barh([p + 0.2 for p in positions], budget, height=0.4, color=GREY, label="Budget")
    axes.barh([p - 0.2 for p in positions], outcome, height=0.4, color=BLUE, label=outcome_label)
    axes.set_yticks(list(positions), names)
    _kronor_axis(axes.xaxis)
    axes.legend(loc="lower right", frameon=False)
    axes.set_xlabel("kr")
    return figure


def yearly_result_figure(years: list[tuple[int, Decimal]]) -> Figure:
    figure, axes = _figure(6, 3)
    labels = [str(y) for y, _ in years]
    values = [float(v) for _, v in years]
    axes.bar(labels, values, color=[BLUE if v >= 0 else ORANGE for v in values])
    axes.axhline(0, color="#1a1a1a", linewidth=0.8)
    _kronor_axis(axes.yaxis)
    axes.set_ylabel("kr")
    return figure


def _whole_people(axis: Any) -> None:
    """An axis that counts people ticks whole numbers only."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def municipality_figure(
    groups: Sequence[tuple[str, int | None, int | None]], series: tuple[str, str]
) -> Figure:
    """Bars side by side per municipality and gender (label, in the programme when the period starts, new in
    it), as seed 001 draws them; a count hidden by suppression (None) has no bar. The legend sits below."""
    positions = range(len(groups))
    figure, axes = _figure(7, 3)
    carried, new = [g[1] for g in groups], [g[2] for g in groups]
    for offset, counts, colour, label in ((-0.2, carried, BLUE, series[0]), (0.2, new, ORANGE, series[1])):
        shown = [(p + offset, n) for p, n in zip(positions, counts, strict=True) if n is not None]
        bars = axes.bar([x for x, _n in shown], [n for _x, n in shown], width=0.4, color=colour, label=label)
        axes.bar_label(bars, fontsize=8)  # as seed 001 prints the counts
    axes.set_xticks(list(positions), [g[0] for g in groups])
    axes.tick_params(axis="x", labelsize=8)
    _whole_people(axes.yaxis)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False)
    axes.set_ylabel("Deltagare")
    return figure


def count_figure(bars: list[tuple[str, int]], label: str) -> Figure:
    figure, axes = _figure(7, 0.4 * len(bars) + 1)
    names = [b[0] for b in bars][::-1]
    values = [b[1] for b in bars][::-1]
    axes.barh(names, values, color=BLUE)
    for y, value in enumerate(values):
        axes.text(value, y, f" {value}", va="center", fontsize=8)
    _whole_people(axes.xaxis)
    axes.set_xlabel(label)
    return figure


def _svg_text(figure: Figure, title: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Title": title, "Date": None})
    text = out.getvalue()
    # Screen readers announce the chart by its title; the data is always given in a table beside it.
    label = html.escape(title)
    return text[text.index("<svg") :].replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=150, bbox_inches="tight")
    return out.getvalue()


def not_drawn(title: str) -> str:
    """The note a page or document shows where a chart could not be drawn."""
    return _("Diagrammet ”%s” kunde inte ritas. Siffrorna finns i tabellen.") % title


def svg(title: str, figure: Callable[..., Figure], *data: Any) -> str | None:
    """The chart ``figure(*data)`` as inline SVG for a page; None if it could not be drawn (logged), and the
    page says so. Drawn once per change of its data: the SVG is cached under its title, kind and data (the
    repr of plain values: rows of names, amounts and counts), so a page asked for again and again by many
    people draws nothing until the figures behind it change."""
    key = hashlib.sha256(repr((title, figure.__qualname__, data)).encode()).hexdigest()
    cached: str | None = cache.get(f"chart:{key}")
    if cached is not None:
        return cached
    try:
        text = _svg_text(figure(*data), title)
    except Exception:
        logger.exception("The chart %r could not be drawn", title)
        return None
    cache.set(f"chart:{key}", text, CACHED_FOR)
    return text


def add(section: Section, title: str, draw: Draw) -> None:
    """The chart into a document's section in both forms (SVG for HTML and PDF, PNG for Word); if it could
    not be drawn (logged), the section says so in a paragraph and keeps its tables."""
    try:
        figure = draw()
        section.charts.append(Chart(title, _svg_text(figure, title), _png(figure)))
    except Exception:
        logger.exception("The chart %r could not be drawn", title)
        section.paragraphs.append(not_drawn(title))
