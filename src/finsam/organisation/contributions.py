"""Member contributions by the Finsam rule.

The state pays half, the region a quarter and the municipalities together a quarter, split between them by
population on the latest reference date before the year. Every part is rounded to whole hundreds of kronor;
the municipal parts are apportioned by the largest-remainder method so they add up exactly to the municipal
quarter. Arbetsförmedlingen is a member without a contribution of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from finsam.core.money import round_to
from finsam.organisation.models import Association, ContributionTotal, Member

HUNDRED = Decimal(100)


class ContributionError(ValueError):
    pass


@dataclass(frozen=True)
class Line:
    member: Member
    population: int | None
    population_date: dt.date | None
    share: Decimal  # of the total, exact
    exact: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Split:
    association: Association
    year: int
    total: Decimal
    lines: list[Line]

    @property
    def allocated(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def rounding_difference(self) -> Decimal:
        """What whole-hundred rounding leaves of the total (zero when the total is a multiple of 400)."""
        return self.total - self.allocated

    @property
    def municipal_total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines if ln.member.kind == Member.Kind.MUNICIPALITY), Decimal(0))

    @property
    def state_name(self) -> str:
        return Member.objects.filter(association=self.association).state_name()

    @property
    def municipal_population(self) -> int:
        return sum(ln.population or 0 for ln in self.lines)


def apportion(amount: Decimal, weights: list[int], step: Decimal = HUNDRED) -> list[Decimal]:
    """Split amount (a multiple of step) into multiples of step in proportion to weights, adding up exactly.

    Largest remainder (Hamilton): each part gets the floor of its exact quota in steps, and the steps
    left over go to the largest remainders; ties go to the larger weight, then to the earlier position.
    """
    if amount % step:
        raise ContributionError(
            _("%(amount)s är inte en multipel av %(step)s") % {"amount": amount, "step": step}
        )
    if not weights:
        if amount:
            raise ContributionError(_("det finns ingen att fördela beloppet mellan"))
        return []
    total_weight = sum(weights)
    if total_weight <= 0 or any(w < 0 for w in weights):
        raise ContributionError(_("fördelningen kräver folkmängder som inte är negativa och inte alla noll"))
    units = int(amount / step)
    quotas = [Decimal(units * w) / Decimal(total_weight) for w in weights]
    floors = [int(q.to_integral_value(rounding=ROUND_FLOOR)) for q in quotas]
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - floors[i]), -weights[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) * step for f in floors]


def compute(association: Association, year: int, total: Decimal | None = None) -> Split:
    """The split of a year's total (the stored total for the year unless one is given)."""
    if total is None:
        stored = ContributionTotal.objects.filter(association=association, year=year).first()
        if stored is None:
            raise ContributionError(
                _("inget totalt medlemsbidrag är registrerat för %(association)s %(year)s")
                % {"association": association.slug, "year": year}
            )
        total = stored.amount
    if total < 0:
        raise ContributionError(_("det totala medlemsbidraget får inte vara negativt"))
    members = list(Member.objects.filter(association=association).in_report_order())
    before_year = dt.date(year - 1, 12, 31)
    quarter = round_to(total / 4, HUNDRED)
    half = round_to(total / 2, HUNDRED)

    municipalities = [m for m in members if m.kind == Member.Kind.MUNICIPALITY]
    populations = {}
    for m in municipalities:
        population = m.population_on(before_year)
        if population is None:
            raise ContributionError(
                _("%(member)s har ingen folkmängd daterad %(date)s eller tidigare")
                % {"member": m.name, "date": before_year.isoformat()}
            )
        populations[m.pk] = population
    municipal_parts = dict(
        zip(
            [m.pk for m in municipalities],
            apportion(quarter, [populations[m.pk].count for m in municipalities]) if municipalities else [],
            strict=True,
        )
    )
    municipal_population = sum(p.count for p in populations.values())

    lines = []
    for m in members:
        population = populations.get(m.pk)
        if m.kind == Member.Kind.STATE:
            share, amount = Decimal("0.5"), half
        elif m.kind == Member.Kind.REGION:
            share, amount = Decimal("0.25"), quarter
        elif m.kind == Member.Kind.MUNICIPALITY:
            assert population is not None
            share = Decimal(population.count) / Decimal(municipal_population) / 4
            amount = municipal_parts[m.pk]
        else:
            share, amount = Decimal(0), Decimal(0)
        lines.append(
            Line(
                member=m,
                population=population.count if population else None,
                population_date=population.reference_date if population else None,
                share=share,
                exact=total * share,
                amount=amount,
            )
        )
    return Split(association=association, year=year, total=total, lines=lines)
