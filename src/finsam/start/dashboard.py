"""What each role sees first on an association's start page: money against budget, what needs attention,
the registrar's caseload, the board's reports and approvals, the data protection officer's logs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finsam.accounts.models import User
from finsam.accounts.roles import Perm
from finsam.core import clock, formatting
from finsam.core.models import AuditEntry
from finsam.finance import budget, statements
from finsam.finance.models import BudgetLine, LedgerImport
from finsam.organisation.models import Association, ContributionTotal, Member
from finsam.participants import caseload
from finsam.participants.models import AccessLogEntry, Episode
from finsam.participants.services import ERASE_EXPIRED
from finsam.reports import charts
from finsam.reports.models import ReportVersion
from finsam.reports.services import board_users

STALE_LEDGER = dt.timedelta(days=45)
SHOWN = 5  # items of each list on the start page; the full lists are a link away


@dataclass(frozen=True)
class Attention:
    text: str
    link: str


@dataclass(frozen=True)
class Money:
    day: dt.date
    totals: dict[str, dict[str, Decimal]]
    chart: str | None  # None if it could not be drawn: the page shows chart_note and the table instead
    chart_note: str
    rows: list[tuple[str, Decimal, Decimal]]  # cost rows: name, budget, outcome to date


class Books:
    """The ledger as the start page reads it: the last booked day and the income statement to that day, each
    computed once, when first needed, however many sections of the page use them."""

    def __init__(self, association: Association) -> None:
        self.association = association

    @cached_property
    def day(self) -> dt.date | None:
        return statements.last_booked_day(self.association)

    @cached_property
    def income(self) -> statements.IncomeStatement | None:
        return statements.income_statement(self.association, self.day) if self.day is not None else None


def money(books: Books) -> Money | None:
    """Outcome to the last booked day against the budget and forecast, with a chart of the cost rows."""
    day, statement = books.day, books.income
    if day is None or statement is None:
        return None
    rows = statement.cost_rows()
    title = _("Kostnader per rad: budget %(year)s och utfall till och med %(day)s") % {
        "year": day.year,
        "day": day.isoformat(),
    }
    chart = charts.svg(title, lambda: charts.budget_vs_outcome_figure(rows, _("Utfall")))
    return Money(day, statement.totals, chart, "" if chart else charts.not_drawn(title), rows)


def attention(association: Association, perms: frozenset[Perm], books: Books) -> list[Attention]:
    """Things the office or the economist should see to before the next report."""
    base = f"/f/{association.slug}"
    today = clock.today()
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
        day = books.day
        if day is not None:
            found += [
                Attention(_unmapped_text(line, day), f"{base}/ekonomi/rader/")
                for line in statements.unmapped(association, day, books.income)
            ]
        if (
            latest is not None
            and not BudgetLine.objects.filter(association=association, year=today.year).exists()
        ):
            found.append(
                Attention(_("Ingen budget är inläst för %s.") % today.year, f"{base}/ekonomi/budget/")
            )
    return found


def _unmapped_text(line: statements.Unmapped, day: dt.date) -> str:
    rows = ngettext("%(n)s bokförd rad", "%(n)s bokförda rader", line.rows) % {"n": line.rows}
    return _("%(name)s: %(rows)s, %(amount)s kr per %(day)s (konton %(accounts)s).") % {
        "name": line.name,
        "rows": rows,
        "amount": formatting.kronor(line.amount),
        "day": day.isoformat(),
        "accounts": ", ".join(map(str, line.accounts)),
    }


def recent_changes(association: Association, limit: int = SHOWN) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(association=association)[:limit])


def forecasts(books: Books) -> list[budget.ForecastStatus]:
    """The forecast of each budgeted year from that of the latest voucher (or this year) on."""
    return budget.forecast_status(books.association, (books.day or clock.today()).year)


@dataclass(frozen=True)
class Registrar:
    interventions: list[caseload.Caseload]
    ratings_due: list[Episode]  # the first SHOWN, longest waiting first
    exits_due: list[Episode]
    # The rules, in days, for the page to state.
    rating_interval: ClassVar[int] = caseload.RATING_INTERVAL.days
    first_rating: ClassVar[int] = caseload.FIRST_RATING_AFTER.days
    inactive_after: ClassVar[int] = caseload.INACTIVE_AFTER.days

    @property
    def shown(self) -> list[int]:
        """The episodes whose keys the page shows: a read of personal data to log."""
        return [e.pk for e in self.ratings_due + self.exits_due]

    @property
    def total_ratings_due(self) -> int:
        return sum(c.ratings_due for c in self.interventions)

    @property
    def total_exits_due(self) -> int:
        return sum(c.exits_due for c in self.interventions)


def registrar(association: Association, user: User, today: dt.date) -> Registrar:
    episodes = caseload.episodes_of(association, user)
    return Registrar(
        caseload.caseload(association, user, today),
        list(caseload.ratings_due(episodes, today)[:SHOWN]),
        list(caseload.exits_due(episodes, today)[:SHOWN]),
    )


@dataclass(frozen=True)
class Reports:
    latest: list[ReportVersion]
    waiting: list[ReportVersion]  # drafts this board member has not approved yet
    board: int  # board members who approve


def reports(association: Association, user: User) -> Reports:
    board = board_users(association)
    versions = ReportVersion.objects.filter(association=association).prefetch_related("approvals")
    waiting: list[ReportVersion] = []
    if any(member.pk == user.pk for member in board):
        waiting = list(
            versions.filter(status=ReportVersion.Status.DRAFT)
            .exclude(approvals__user=user)
            .order_by("period_end", "kind", "number")
        )
    return Reports(list(versions.order_by("-created_at", "-pk")[:SHOWN]), waiting, len(board))


@dataclass(frozen=True)
class Erasure:
    at: dt.datetime
    cutoff: str  # episodes that exited before this day were erased
    episodes: int
    referrals: int


@dataclass(frozen=True)
class Privacy:
    reads: list[AccessLogEntry]
    erasures: list[Erasure]


def privacy(association: Association) -> Privacy:
    """The latest reads of personal data and the latest erasure runs that removed anything."""
    runs = AuditEntry.objects.filter(association=association, action=ERASE_EXPIRED)[:SHOWN]
    return Privacy(
        list(AccessLogEntry.objects.filter(association=association)[:SHOWN]),
        [
            Erasure(e.at, e.after["gallrat före"], e.after["episoder"], e.after["remisser"])
            for e in runs
            if e.after is not None
        ],
    )
