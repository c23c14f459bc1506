"""What finsam drafts for the administration report (förvaltningsberättelse, LKBR 11 kap.) from the data: each
is a placeholder that the default texts of `reports/board/annual-report/` use, a whole sentence or list where
the wording depends on the figures (better or worse than the budget, a deficit or not), so that the office
starts from a text that states the year's facts and edits it in the narrative editor.

The financial goals are those every business plan states by default (`business-plan/financial_goals.md`): the
activity within the means allotted, liquidity for what the board has granted, and the budgeted result; each is
evaluated against the year's outcome here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.finance import annual
from finsam.finance.models import BudgetLine, CostSharing, StatementRow
from finsam.finance.statements import COST_SIDE, BalanceSheet, IncomeStatement
from finsam.goals.sentence import number_word
from finsam.organisation.board import board_during
from finsam.organisation.models import Association, Intervention, Member
from finsam.reports import register
from finsam.reports.models import ReportVersion

# A row's deviation from its budget is named among the largest when it is at least this many kronor.
DEVIATION_AT_LEAST = Decimal(50_000)
LARGEST_DEVIATIONS = 3


@dataclass(frozen=True)
class FinancialGoal:
    goal: str
    outcome: str
    met: bool


def financial_goals(statement: IncomeStatement, sheet: BalanceSheet) -> list[FinancialGoal]:
    """The business plan's financial goals with the year's outcome and whether each was met."""
    totals = statement.totals
    costs, income = totals["costs"]["outcome_to_date"], totals["income"]["outcome_to_date"]
    result, budget = totals["result"]["outcome_to_date"], totals["result"]["budget"]
    cash = sum((ln.amount for ln in sheet.lines if ln.code == "KASSA"), Decimal(0))
    debts = sheet.total("liabilities")
    kr = formatting.kronor
    return [
        FinancialGoal(
            _(
                "Verksamheten bedrivs inom tilldelade medel: intäkterna och det egna kapitalet täcker "
                "kostnaderna"
            ),
            _(
                "Kostnader %(costs)s kr; intäkter %(income)s kr och eget kapital vid årets början "
                "%(equity)s kr"
            )
            % {"costs": kr(costs), "income": kr(income), "equity": kr(sheet.equity_previous_year_end)},
            sheet.equity.retained >= 0,
        ),
        FinancialGoal(
            _("Likviditeten räcker till det som styrelsen beslutat att finansiera"),
            _("Likvida medel %(cash)s kr; kortfristiga skulder %(debts)s kr")
            % {"cash": kr(cash), "debts": kr(debts)},
            cash >= debts,
        ),
        FinancialGoal(
            _("Årets resultat blir minst det budgeterade"),
            _("Resultat %(result)s kr; budget %(budget)s kr") % {"result": kr(result), "budget": kr(budget)},
            result >= budget,
        ),
    ]


def _than_budget(difference: Decimal, budget: Decimal) -> str:
    if difference == 0:
        return _("som budgeterat")
    words = {
        "difference": formatting.kronor(abs(difference)),
        "budget": formatting.kronor(budget),
    }
    if difference > 0:
        return _("%(difference)s kr bättre än budgeten, som räknade med %(budget)s kr") % words
    return _("%(difference)s kr sämre än budgeten, som räknade med %(budget)s kr") % words


def _largest_deviations(statement: IncomeStatement) -> str:
    """The rows that deviate most from their budget, in one sentence ("" when none deviates much)."""
    deviations = [
        (line.values["outcome_to_date"] - line.values["budget"], line)
        for line in statement.lines
        if abs(line.values["outcome_to_date"] - line.values["budget"]) >= DEVIATION_AT_LEAST
    ]
    deviations.sort(key=lambda item: -abs(item[0]))
    parts = []
    for deviation, line in deviations[:LARGEST_DEVIATIONS]:
        cost = line.section in COST_SIDE
        if deviation > 0:
            how = _("%s kr högre kostnad") if cost else _("%s kr högre intäkt")
        else:
            how = _("%s kr lägre kostnad") if cost else _("%s kr lägre intäkt")
        parts.append(f"{line.name}, {how % formatting.kronor(abs(deviation))}")
    if not parts:
        return ""
    return _("De största avvikelserna mot budgeten: %s.") % "; ".join(parts)


def _contributions(association: Association, statement: IncomeStatement, column: str) -> Decimal:
    codes = set(
        StatementRow.objects.filter(
            association=association, statement=StatementRow.Statement.INCOME, member__isnull=False
        ).values_list("code", flat=True)
    )
    return sum((ln.values[column] for ln in statement.lines if ln.code in codes), Decimal(0))


def _conditions(association: Association, statement: IncomeStatement, sheet: BalanceSheet) -> dict[str, str]:
    result = statement.totals["result"]
    change = sheet.equity.retained - sheet.equity_previous_year_end
    if change < 0:
        equity = _("minskade med %s kr") % formatting.kronor(-change)
    elif change > 0:
        equity = _("ökade med %s kr") % formatting.kronor(change)
    else:
        equity = _("var oförändrat")
    return {
        "bidrag": formatting.kronor(_contributions(association, statement, "outcome_to_date")),
        "bidrag_budget": formatting.kronor(_contributions(association, statement, "budget")),
        "resultat_mot_budget": _than_budget(result["outcome_to_date"] - result["budget"], result["budget"]),
        "storsta_avvikelser": _largest_deviations(statement),
        "eget_kapital_ingaende": formatting.kronor(sheet.equity_previous_year_end),
        "eget_kapital_forandring": equity,
    }


def _events(association: Association, start: dt.date, end: dt.date) -> str:
    """The register's events of the period as a Markdown list, in date order."""
    items = []
    for event in register.events(association, start, end):
        item = f"- **{event.title}** ({formatting.long_date(event.occurred_on)})."
        if event.text.strip():
            item += " " + " ".join(event.text.split())
        items.append(item)
    if not items:
        return _("Inga händelser av väsentlig betydelse har förts in i förbundets register för perioden.")
    return "\n".join(items)


def _board_changes(association: Association, start: dt.date, end: dt.date) -> str:
    changed = [
        row.member.name
        for row in board_during(association, start, end)
        if any(h.since or h.until for h in [*row.members, *row.deputies])
    ]
    if not changed:
        return _("Styrelsen hade samma ledamöter och ersättare hela perioden.")
    return _("Under perioden byttes ledamot eller ersättare för %s.") % formatting.join_words(changed)


def _reported(association: Association, kind: str, start: dt.date, end: dt.date) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(association=association, kind=kind, period_end__range=(start, end))
        .order_by("-period_end", "-number")
        .first()
    )


def _governance(association: Association, start: dt.date, end: dt.date) -> dict[str, str]:
    interim = _reported(association, ReportVersion.Kind.INTERIM, start, end)
    interim_text = ""
    if interim is not None:
        interim_text = _("Styrelsen redovisade ekonomin för medlemmarna i delårsrapporten per %s") % (
            formatting.long_date(interim.period_end)
        )
        if interim.adopted_on:
            interim_text += _(", fastställd %s") % formatting.long_date(interim.adopted_on)
        interim_text += "."
    following = end.year + 1
    plan = _reported(
        association, ReportVersion.Kind.BUSINESS_PLAN, dt.date(following, 1, 1), dt.date(following, 12, 31)
    )
    plan_text = ""
    if plan is not None and plan.adopted_on:
        plan_text = _("Styrelsen fastställde verksamhetsplanen och budgeten för %(year)s den %(day)s.") % {
            "year": following,
            "day": formatting.long_date(plan.adopted_on),
        }
    return {
        "styrelsebyten": _board_changes(association, start, end),
        "delarsrapport": interim_text,
        "verksamhetsplan": plan_text,
    }


def _management(
    association: Association, end: dt.date, statement: IncomeStatement, sheet: BalanceSheet
) -> dict[str, str]:
    shares = annual.cost_shares(association, end)
    goals = financial_goals(statement, sheet)
    met = sum(goal.met for goal in goals)
    if met == len(goals):
        reached = _("Förbundet nådde alla %s finansiella mål i verksamhetsplanen.") % number_word(len(goals))
    else:
        reached = _("Förbundet nådde %(met)s av %(all)s finansiella mål i verksamhetsplanen.") % {
            "met": number_word(met),
            "all": number_word(len(goals)),
        }

    def share(category: str) -> str:
        value = shares.share(category)
        return formatting.percent(value) if value is not None else "–"

    return {
        "finansiella_mal": reached,
        "andel_individ": share("individual"),
        "andel_struktur": share("structural"),
        "andel_administration": share("administration"),
    }


def _balance_requirement(statement: IncomeStatement, sheet: BalanceSheet, year: int) -> str:
    """The board's decision on the balance requirement result, as a draft it adopts with the report."""
    result = statement.totals["result"]["outcome_to_date"]
    if result >= 0:
        return _("Balanskravsresultatet är inte negativt, och det finns inget underskott att återställa.")
    words = {
        "deficit": formatting.kronor(-result),
        "opening": formatting.kronor(sheet.equity_previous_year_end),
        "closing": formatting.kronor(sheet.equity.retained),
        "years": f"{year + 1}–{year + 3}",
    }
    if sheet.equity.retained < 0:
        return (
            _(
                "Balanskravsresultatet är negativt och det egna kapitalet räcker inte till underskottet. "
                "Enligt kommunallagen ska underskottet, %(deficit)s kr, återställas under åren %(years)s; "
                "styrelsen beslutar hur i budgeten."
            )
            % words
        )
    budgeted = statement.totals["result"]["budget"] < 0
    return _(
        "Balanskravsresultatet är negativt, med ett underskott på %(deficit)s kr. Styrelsen bedömer att det "
        "finns synnerliga skäl att inte återställa det (kommunallagen 11 kap. 13 §): förbundet har under "
        "tidigare år byggt upp ett eget kapital, %(opening)s kr vid årets början, och använder det i "
        "verksamheten för förbundets målgrupp. Det egna kapitalet är %(closing)s kr vid årets slut."
    ) % words + (" " + _("Underskottet var planerat i budgeten.") if budgeted else "")


def _staff(association: Association, year: int) -> str:
    """Own employees, purchased staff and the services bought from members or another association."""
    staff = register.staff(association, [year]).get(year)
    sentences = []
    if staff is not None:
        sentences.append(
            _("Förbundet har inga egna anställda.")
            if staff.employees == 0
            else _("Förbundet har %s anställda.") % formatting.number(staff.employees)
        )
        if staff.purchased:
            sentences.append(
                _("Den personal som köps som tjänst motsvarar %s årsarbetare.")
                % formatting.number(staff.purchased, 2)
            )
    # An agreement another association keeps to invoice this one a share of its office (seed 000 and 001: the
    # director's time): only what concerns this association is read.
    shared = CostSharing.objects.filter(partner=association.name).select_related("association")
    for seller in sorted({s.association.name for s in shared}):
        bought = [
            f"{s.description.lower()} ({formatting.percent(s.share)})"
            for s in shared
            if s.association.name == seller
        ]
        sentences.append(
            _("Av %(seller)s köper förbundet %(what)s.")
            % {"seller": seller, "what": formatting.join_words(bought)}
        )
    members = set(Member.objects.filter(association=association).values_list("name", flat=True))
    for intervention in Intervention.objects.filter(
        association=association, kind=Intervention.Kind.STRUCTURAL, provider__in=members
    ).order_by("name"):
        if intervention.is_active_in(year):
            sentences.append(
                _("%(name)s köps av %(provider)s.")
                % {"name": intervention.name, "provider": intervention.provider}
            )
    return " ".join(sentences)


def _next_budget(association: Association, year: int, sheet: BalanceSheet) -> str:
    """What the next year's budget, if adopted, plans for the result and the equity."""
    lines = BudgetLine.objects.filter(association=association, kind=BudgetLine.Kind.BUDGET, year=year + 1)
    if not lines.exists():
        return ""
    result = Decimal(0)
    for line in lines.select_related("row"):
        result += -line.amount if line.row.section in COST_SIDE else line.amount
    return _(
        "Budgeten för %(year)s räknar med ett resultat på %(result)s kr, vilket ger ett eget kapital på "
        "omkring %(equity)s kr vid årets slut."
    ) % {
        "year": year + 1,
        "result": formatting.kronor(result),
        "equity": formatting.kronor(sheet.equity.retained + result),
    }


def values(
    association: Association, start: dt.date, end: dt.date, statement: IncomeStatement, sheet: BalanceSheet
) -> dict[str, str]:
    """The drafted placeholders of the administration report for the period."""
    return {
        **_conditions(association, statement, sheet),
        "handelser": _events(association, start, end),
        **_governance(association, start, end),
        **_management(association, end, statement, sheet),
        "balanskrav": _balance_requirement(statement, sheet, end.year),
        "personal": _staff(association, end.year),
        "budget_nasta_ar": _next_budget(association, end.year, sheet),
    }
