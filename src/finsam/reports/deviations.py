"""The drafted commentary on the income statement's deviations from the budget: finsam drafts, the office
edits.

For a whole fiscal year the outcome is compared with the budget; for a part of the year, the forecast for the
whole year (the outcome so far says little against a year's budget). A row is commented when its deviation is
at least `DEVIATION_THRESHOLD_KRONOR` and at least `DEVIATION_THRESHOLD_PERCENT` of its budget (a row without
a budget: the kronor alone), largest first (ADR 0026). Each sentence names the row, the figures and the
deviation, signed as the driftredovisning signs it (outcome − budget, with U+2212), and then what the data
knows of why: each `Explainer` in `EXPLAINERS` is asked in turn.

The explainers here read the board's grant decisions (a row whose code is an intervention's) and the
cost-sharing agreements (a row whose object a partner is invoiced a share of) and the office's register of
significant events (an event that names the row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.finance import annual, statements
from finsam.finance.models import StatementRow
from finsam.organisation.models import Association, Grant
from finsam.reports import register


@dataclass(frozen=True)
class Deviation:
    """A row of the income statement against its budget; `compared` is the outcome or the forecast."""

    code: str
    name: str
    income: bool  # an income row (else a cost row): more is better
    budget: Decimal
    compared: Decimal
    forecast: bool  # compared is the year's forecast, not its outcome

    @property
    def difference(self) -> Decimal:
        return self.compared - self.budget

    @property
    def share(self) -> Decimal | None:
        """The difference as a share of the budget; None without a budget."""
        return self.difference / abs(self.budget) if self.budget else None


@dataclass(frozen=True)
class Period:
    """What an explainer is asked about: the association and the statement's period."""

    association: Association
    start: dt.date
    end: dt.date


# An explanation source: the sentences it can add about one deviation (none when it knows nothing).
Explainer = Callable[[Period, Deviation], list[str]]


def beyond_threshold(deviation: Deviation) -> bool:
    kronor = Decimal(settings.DEVIATION_THRESHOLD_KRONOR)
    share = Decimal(settings.DEVIATION_THRESHOLD_PERCENT) / 100
    if abs(deviation.difference) < kronor or not deviation.difference:
        return False
    return deviation.share is None or abs(deviation.share) >= share


def deviations(association: Association, end: dt.date) -> list[Deviation]:
    """The income statement's rows beyond the thresholds, the largest deviation first."""
    statement = statements.income_statement(association, end)
    _start, year_end = statements.fiscal_year(association, end)
    forecast = end < year_end
    column = "forecast" if forecast else "outcome_to_date"
    # Retained equity put to use is no income of the year: it has its own line, never a deviation (ADR 0024).
    rows = StatementRow.objects.filter(association=association, use_of_equity=True)
    equity = set(rows.values_list("code", flat=True))
    found = [
        Deviation(
            line.code,
            line.name,
            line.section in statements.INCOME_SIDE,
            line.values["budget"],
            line.values[column],
            forecast,
        )
        for line in statement.lines
        if line.code not in equity
    ]
    return sorted((d for d in found if beyond_threshold(d)), key=lambda d: (-abs(d.difference), d.name))


def _kr(value: Decimal) -> str:
    return f"{formatting.kronor(value)}{formatting.NBSP}kr"


def sentence(deviation: Deviation) -> str:
    """ "Kompetensutveckling: utfallet 244 936 kr mot budgeten 200 000 kr, en avvikelse (utfall − budget) på
    44 936 kr (22 %), en högre kostnad än budgeterat." """
    values = {
        "row": deviation.name,
        "compared": _kr(deviation.compared),
        "budget": _kr(deviation.budget),
        "difference": _kr(deviation.difference),
    }
    if deviation.share is None:
        values["difference"] += " " + _("(ej budgeterat)")
    else:
        values["difference"] += f" ({formatting.percent(deviation.share)})"
    higher = deviation.difference > 0
    if deviation.income:
        values["effect"] = (
            _("en högre intäkt än budgeterat") if higher else _("en lägre intäkt än budgeterat")
        )
    else:
        values["effect"] = (
            _("en högre kostnad än budgeterat") if higher else _("en lägre kostnad än budgeterat")
        )
    if deviation.forecast:
        text = _(
            "%(row)s: prognosen för helåret %(compared)s mot budgeten %(budget)s, en avvikelse "
            "(prognos − budget) på %(difference)s, %(effect)s."
        )
    else:
        text = _(
            "%(row)s: utfallet %(compared)s mot budgeten %(budget)s, en avvikelse (utfall − budget) på "
            "%(difference)s, %(effect)s."
        )
    return text % values


def grant_decisions(period: Period, deviation: Deviation) -> list[str]:
    """The board's grants of the year to the intervention the row is, when they differ from its budget."""
    grants = list(
        Grant.objects.filter(
            intervention__association=period.association,
            intervention__code=deviation.code,
            year=period.end.year,
        ).order_by("decided_on", "pk")
    )
    granted = sum((g.amount for g in grants), Decimal(0))
    if not grants or granted == deviation.budget:
        return []
    decisions = [
        _("%(amount)s den %(day)s") % {"amount": _kr(g.amount), "day": formatting.long_date(g.decided_on)}
        + (f" ({g.note})" if g.note else "")
        for g in grants
    ]
    return [
        _("Styrelsen har beviljat insatsen %(granted)s för %(year)s: %(decisions)s.")
        % {
            "granted": _kr(granted),
            "year": period.end.year,
            "decisions": formatting.join_words(decisions),
        }
    ]


def shared_cost_invoices(period: Period, deviation: Deviation) -> list[str]:
    """What of the row's cost is invoiced to a partner by a cost-sharing agreement (the cost is gross)."""
    row = StatementRow.objects.filter(association=period.association, code=deviation.code).first()
    if row is None or not row.object:
        return []
    basis = [
        b
        for b in annual.shared_costs(period.association, period.start, period.end)
        if b.rule.object == row.object and b.invoiced
    ]
    sentences = []
    for partner in dict.fromkeys(b.rule.partner for b in basis):
        parts = [b for b in basis if b.rule.partner == partner]
        agreements = [f"{b.rule.description.lower()} {formatting.percent(b.rule.share)}" for b in parts]
        sentences.append(
            _(
                "Kostnaden är brutto: av den till och med %(end)s faktureras %(invoiced)s till %(partner)s "
                "enligt avtal om kostnadsdelning (%(agreements)s)."
            )
            % {
                "end": formatting.long_date(period.end),
                "invoiced": _kr(sum((b.invoiced for b in parts), Decimal(0))),
                "partner": partner,
                "agreements": formatting.join_words(agreements),
            }
        )
    return sentences


def registered_events(period: Period, deviation: Deviation) -> list[str]:
    """The events of the office's register in the period that bear on the row (a vacancy, a decision)."""
    return [
        _("Händelse den %(day)s: %(title)s.")
        % {"day": formatting.long_date(e.occurred_on), "title": e.title.rstrip(".")}
        for e in register.events_of_row(period.association, deviation.code, period.start, period.end)
    ]


# The explanation sources asked about each deviation, in order.
EXPLAINERS: list[Explainer] = [grant_decisions, shared_cost_invoices, registered_events]


def draft(association: Association, end: dt.date) -> str:
    """The drafted commentary in Markdown: a lead sentence and one point per deviation beyond the thresholds;
    empty when no row deviates so much."""
    found = deviations(association, end)
    if not found:
        return ""
    start, _year_end = statements.fiscal_year(association, end)
    period = Period(association, start, end)
    lead = _(
        "Rader som avviker från budgeten med minst %(kronor)s och %(percent)s, störst avvikelse först:"
    ) % {
        "kronor": _kr(Decimal(settings.DEVIATION_THRESHOLD_KRONOR)),
        "percent": formatting.percent(Decimal(settings.DEVIATION_THRESHOLD_PERCENT) / 100),
    }
    points = [
        " ".join([sentence(d), *(s for explain in EXPLAINERS for s in explain(period, d))]) for d in found
    ]
    return "\n".join([lead, "", *(f"* {point}" for point in points)])
