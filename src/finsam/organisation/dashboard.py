"""What each role sees first on an association's start page: money against budget, what needs attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.accounts.roles import Perm
from finsam.core.models import AuditEntry
from finsam.finance import statements
from finsam.finance.models import BudgetLine, LedgerImport, LedgerRow
from finsam.organisation.models import Association, ContributionTotal, Member
from finsam.reports import charts

STALE_LEDGER = dt.timedelta(days=45)


@dataclass(frozen=True)
class Attention:
    text: str
    link: str


@dataclass(frozen=True)
class Money:
    day: dt.date
    totals: dict[str, dict[str, Decimal]]
    chart: str
    rows: list[tuple[str, Decimal, Decimal]]  # cost rows: name, budget, outcome to date


def money(association: Association) -> Money | None:
    """Outcome to the last booked day against the budget and forecast, with a chart of the cost rows."""
    day = (
        LedgerRow.objects.filter(association=association, source__in_force=True)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if day is None:
        return None
    statement = statements.income_statement(association, day)
    rows = statement.cost_rows()
    title = _("Kostnader per rad: budget %(year)s och utfall till och med %(day)s") % {
        "year": day.year,
        "day": day.isoformat(),
    }
    chart = charts.svg(charts.budget_vs_outcome_figure(rows, _("Utfall")), title)
    return Money(day, statement.totals, chart, rows)


def attention(association: Association, perms: frozenset[Perm]) -> list[Attention]:
    """Things the office or the economist should see to before the next report."""
    base = f"/f/{association.slug}"
    today = timezone.localdate()
    found: list[Attention] = []
    if Perm.EDIT_ORGANISATION in perms:
        next_year = today.year + 1
        if not ContributionTotal.objects.filter(association=association, year=next_year).exists():
            found.append(
                Attention(
                    _("Inget totalt medlemsbidrag är beslutat för %s.") % next_year, f"{base}/medlemsbidrag/"
                )
            )
        for member in Member.objects.filter(association=association, kind=Member.Kind.MUNICIPALITY):
            population = member.population_on(today)
            if population is None or population.reference_date < dt.date(today.year - 1, 11, 1):
                found.append(
                    Attention(
                        _("%(name)s saknar folkmängd per 1 november %(year)s.")
                        % {"name": member.name, "year": today.year - 1},
                        f"{base}/medlemmar/{member.pk}/",
                    )
                )
    if Perm.VIEW_FINANCE in perms:
        latest = (
            LedgerImport.objects.filter(association=association, in_force=True)
            .order_by("-imported_at")
            .first()
        )
        if latest is None:
            found.append(Attention(_("Ingen bokföring är importerad."), f"{base}/ekonomi/import/"))
        elif today - timezone.localdate(latest.imported_at) > STALE_LEDGER:
            found.append(
                Attention(
                    _("Senaste bokföringen importerades %s.")
                    % timezone.localdate(latest.imported_at).isoformat(),
                    f"{base}/ekonomi/import/",
                )
            )
        if latest is not None:
            statement = statements.income_statement(association, today)
            for line in statement.lines:
                if line.accounts:
                    found.append(
                        Attention(
                            _("Konton utan rad i resultaträkningen: %s.")
                            % ", ".join(map(str, line.accounts)),
                            f"{base}/ekonomi/rader/",
                        )
                    )
            if not BudgetLine.objects.filter(association=association, year=today.year).exists():
                found.append(
                    Attention(_("Ingen budget är inläst för %s.") % today.year, f"{base}/ekonomi/budget/")
                )
    return found


def recent_changes(association: Association, limit: int = 5) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(association=association)[:limit])
