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


def yearly_result_figure(years: list[tuple[int, Decimal]]) -> Figure:
    figure, axes = plt.subplots(figsize=(6, 3))
    labels = [str(y) for y, _ in years]
    values = [float(v) for _, v in years]
    axes.bar(labels, values, color=[BLUE if v >= 0 else ORANGE for v in values])
    axes.axhline(0, color="#1a1a1a", linewidth=0.8)
    axes.yaxis.set_major_formatter(FuncFormatter(_kronor))
    axes.set_ylabel("kr")
    return figure


def municipality_figure(groups: list[tuple[str, int, int]]) -> Figure:
    """Stacked bars per municipality and gender: in the programme when the period starts, and new in it."""
    labels = [g[0] for g in groups]
    carried = [g[1] for g in groups]
    new = [g[2] for g in groups]
    figure, axes = plt.subplots(figsize=(7, 3))
    axes.bar(labels, carried, color=BLUE, label="Vid periodens start")
    axes.bar(labels, new, bottom=carried, color=ORANGE, label="Nya under perioden")
    axes.tick_params(axis="x", labelsize=8)
    plt.setp(axes.get_xticklabels(), rotation=30, ha="right")
    axes.legend(frameon=False)
    axes.set_ylabel("Deltagare")
    return figure


def count_figure(bars: list[tuple[str, int]], label: str) -> Figure:
    figure, axes = plt.subplots(figsize=(7, 0.4 * len(bars) + 1))
    names = [b[0] for b in bars][::-1]
    values = [b[1] for b in bars][::-1]
    axes.barh(names, values, color=BLUE)
    for y, value in enumerate(values):
        axes.text(value, y, f" {value}", va="center", fontsize=8)
    axes.set_xlabel(label)
    return figure


def _svg_text(figure: Figure, title: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Title": title, "Date": None})
    text = out.getvalue()
    # Screen readers announce the chart by its title; the data is always given in a table beside it.
    return text[text.index("<svg") :].replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def svg(figure: Figure, title: str) -> str:
    """The figure as inline SVG for a page (then closed)."""
    text = _svg_text(figure, title)
    plt.close(figure)
    return text


def chart_pair(figure: Figure, title: str) -> tuple[str, bytes]:
    """The same figure as SVG (HTML, PDF) and PNG (Word), then closed."""
    text = _svg_text(figure, title)
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return text, png.getvalue()
