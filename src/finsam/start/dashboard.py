"""What each role sees first on an association's start page: money against budget, what needs attention,
the registrar's caseload, the board's reports and approvals, the data protection officer's logs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finsam.accounts import approvals
from finsam.accounts.models import RoleRequest, User
from finsam.accounts.roles import Perm
from finsam.core import caching, clock, formatting
from finsam.core.models import AuditEntry
from finsam.finance import budget, statements
from finsam.finance.models import BudgetLine, LedgerImport
from finsam.organisation.models import Association, ContributionTotal, Intervention, Member
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


@dataclass(frozen=True)
class Figures:
    """What the start page shows of the association's data to every role allowed to see it: the ledger's
    outcome against the budget, the forecasts and what needs attention. Computed together once, and kept
    under the association's data version (raised by every audited change) and the day, so that many people
    reading the page draw no chart and sum no ledger until a change or a new day makes the figures stale."""

    key: str  # what the figures are kept under, for the page's fragments drawn from them
    members: int
    board: int  # seats held today
    intervention_list: list[Intervention]
    board_users: frozenset[int]  # the users who approve the board's documents
    versions: list[ReportVersion]  # every report version, with its approvals
    changes: list[AuditEntry]  # the latest changes
    role_requests: list[RoleRequest]  # pending, for the four eyes to decide
    day: dt.date | None  # the last booked day
    money: Money | None
    forecasts: list[budget.ForecastStatus]
    organisation_attention: list[Attention]
    finance_attention: list[Attention]

    @property
    def interventions(self) -> int:
        return len(self.intervention_list)


CACHED_FOR = caching.CACHED_FOR  # seconds an association's figures are kept unread


def figures(association: Association) -> Figures:
    """The association's figures for the start page, from the cache when nothing has changed since."""
    key = caching.data_key("start", association.pk)
    return caching.kept(key, lambda: _figures(association, clock.today(), key))


def _figures(association: Association, today: dt.date, key: str) -> Figures:
    day = statements.last_booked_day(association)
    income = statements.income_statement(association, day) if day is not None else None
    interventions = list(association.interventions.all())
    return Figures(
        key,
        association.members.count(),
        association.board_seats.filter(end__isnull=True).count(),
        interventions,
        frozenset(u.pk for u in board_users(association)),
        list(
            ReportVersion.objects.filter(association=association)
            .defer("snapshot")
            .prefetch_related("approvals")
        ),
        list(AuditEntry.objects.filter(association=association)[:SHOWN]),
        list(approvals.pending(association)),
        day,
        _money(day, income),
        budget.forecast_status(association, (day or today).year),
        _organisation_attention(association, today),
        _finance_attention(association, today, day, income),
    )


def _money(day: dt.date | None, statement: statements.IncomeStatement | None) -> Money | None:
    """Outcome to the last booked day against the budget and forecast, with a chart of the cost rows."""
    if day is None or statement is None:
        return None
    rows = statement.cost_rows()
    title = _("Kostnader per rad: budget %(year)s och utfall till och med %(day)s") % {
        "year": day.year,
        "day": day.isoformat(),
    }
    chart = charts.svg(title, charts.budget_vs_outcome_figure, rows, _("Utfall"))
    return Money(day, statement.totals, chart, "" if chart else charts.not_drawn(title), rows)


def attention(perms: frozenset[Perm], found: Figures) -> list[Attention]:
    """Things the office or the economist should see to before the next report."""
    shown = list(found.organisation_attention) if Perm.EDIT_ORGANISATION in perms else []
    return shown + (list(found.finance_attention) if Perm.VIEW_FINANCE in perms else [])


def _organisation_attention(association: Association, today: dt.date) -> list[Attention]:
    base = f"/f/{association.slug}"
    found: list[Attention] = []
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
    return found


def _finance_attention(
    association: Association, today: dt.date, day: dt.date | None, income: statements.IncomeStatement | None
) -> list[Attention]:
    base = f"/f/{association.slug}"
    found: list[Attention] = []
    latest = (
        LedgerImport.objects.filter(association=association, in_force=True).order_by("-imported_at").first()
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
    if day is not None:
        found += [
            Attention(_unmapped_text(line, day), f"{base}/ekonomi/rader/")
            for line in statements.unmapped(association, day, income)
        ]
    if (
        latest is not None
        and not BudgetLine.objects.filter(association=association, year=today.year).exists()
    ):
        found.append(Attention(_("Ingen budget är inläst för %s.") % today.year, f"{base}/ekonomi/budget/"))
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


def reports(found: Figures, user: User) -> Reports:
    """The latest versions, and the drafts this user has still to approve if she is on the board."""
    waiting = [
        v
        for v in sorted(found.versions, key=lambda v: (v.period_end, v.kind, v.number))
        if v.status == ReportVersion.Status.DRAFT and user.pk in found.board_users
        if all(a.user_id != user.pk for a in v.approvals.all())
    ]
    latest = sorted(found.versions, key=lambda v: (v.created_at, v.pk), reverse=True)[:SHOWN]
    return Reports(latest, waiting, len(found.board_users))


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
