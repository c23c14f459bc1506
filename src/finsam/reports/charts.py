"""Charts for pages and reports (matplotlib): SVG for HTML and PDF, PNG for DOCX, Swedish numbers."""

from __future__ import annotations

import io
from decimal import Decimal

import matplotlib
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from finsam.core import formatting

matplotlib.use("Agg")  # no display: draw to files only
# Colours told apart with the common colour-vision deficiencies, and 3:1 or more against white.
BLUE = "#1f5a8a"
ORANGE = "#b35c00"
GREY = "#6b6b6b"

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "finsam",  # the same chart gives the same file
    }
)


def _kronor(value: float, _: object) -> str:
    return formatting.kronor(Decimal(round(value)))


def _svg(figure: Figure, title: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Title": title, "Date": None})
    plt.close(figure)
    svg = out.getvalue()
    # Screen readers announce the chart by its title; the data is always given in a table beside it.
    return svg[svg.index("<svg") :].replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return out.getvalue()


def budget_vs_outcome_figure(rows: list[tuple[str, Decimal, Decimal]], outcome_label: str) -> Figure:
    """Horizontal bars: budget and outcome per row (name, budget, outcome)."""
    names = [r[0] for r in rows][::-1]
    budget = [float(r[1]) for r in rows][::-1]
    outcome = [float(r[2]) for r in rows][::-1]
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(rows) + 1))
    positions = range(len(rows))
    axes.barh([p + 0.2 for p in positions], budget, height=0.4, color=GREY, label="Budget")
    axes.barh([p - 0.2 for p in positions], outcome, height=0.4, color=BLUE, label=outcome_label)
    axes.set_yticks(list(positions), names)
    axes.xaxis.set_major_formatter(FuncFormatter(_kronor))
    axes.legend(loc="lower right", frameon=False)
    axes.set_xlabel("kr")
    return figure


def budget_vs_outcome_svg(rows: list[tuple[str, Decimal, Decimal]], title: str, outcome_label: str) -> str:
    return _svg(budget_vs_outcome_figure(rows, outcome_label), title)


def budget_vs_outcome_png(rows: list[tuple[str, Decimal, Decimal]], outcome_label: str) -> bytes:
    return _png(budget_vs_outcome_figure(rows, outcome_label))


def yearly_result_figure(years: list[tuple[int, Decimal]]) -> Figure:
    figure, axes = plt.subplots(figsize=(6, 3))
    labels = [str(y) for y, _ in years]
    values = [float(v) for _, v in years]
    axes.bar(labels, values, color=[BLUE if v >= 0 else ORANGE for v in values])
    axes.axhline(0, color="#1a1a1a", linewidth=0.8)
    axes.yaxis.set_major_formatter(FuncFormatter(_kronor))
    axes.set_ylabel("kr")
    return figure


def yearly_result_svg(years: list[tuple[int, Decimal]], title: str) -> str:
    return _svg(yearly_result_figure(years), title)


def yearly_result_png(years: list[tuple[int, Decimal]]) -> bytes:
    return _png(yearly_result_figure(years))
