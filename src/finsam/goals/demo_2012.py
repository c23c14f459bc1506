"""Södra Vätterbygden's goals of 2012 from seed 004 §6, at its three levels, in the demo's own words: the
overall goal, the goal for individuals, and the goals of KrAmi, Projekt Haa and Enter. Percentages the system
has no figure for stay in the goal's text; the exits to work or studies are followed up from the participants.

Loading twice changes nothing: the goals are skipped when the year has some.
"""

from __future__ import annotations

from finsam.core.audit import Actor
from finsam.goals import services
from finsam.goals.models import Commitment, Level, Measure
from finsam.organisation.models import Association

YEAR = 2012
_HAA, _ENTER, _NONE = "HAA", "ENTER", Measure.NONE

# (level, intervention code, goal, measure text, linked measure, target in per cent)
GOALS: tuple[tuple[Level, str, str, str, Measure, int | None], ...] = (
    (
        Level.OVERALL,
        "",
        "De resurser som avsätts för gemensamma insatser används så effektivt som möjligt, och huvudmännen "
        "samverkar så effektivt som möjligt när det behövs.",
        "alla huvudmän upplever att förbundet aktivt bidrar till målet",
        _NONE,
        None,
    ),
    (
        Level.INDIVIDUAL,
        "",
        "Den som fullföljer en insats som förbundet finansierar når en högre grad av egenförsörjning "
        "och/eller en bättre självupplevd hälsa.",
        "försörjningsmåttet (offentlig försörjning från Försäkringskassan, Arbetsförmedlingen och "
        "kommunerna), som styrelsen bevakar och analyserar",
        _NONE,
        None,
    ),
    (
        Level.INTERVENTION,
        "KRAMI",
        "Av deltagarna som fullföljer programmet (sex månaders anvisning) avslutas minst 40 % till arbete "
        "eller studier.",
        "andel avslutade till arbete eller studier",
        Measure.EXIT_WORK_STUDIES,
        40,
    ),
    (
        Level.INTERVENTION,
        _HAA,
        "Alla deltagare (100 %) har fått ökad kunskap om och förståelse för arbetsmarknaden och företagande.",
        "",
        _NONE,
        None,
    ),
    (
        Level.INTERVENTION,
        _HAA,
        "Alla (100 %) har ett mer utvecklat yrkesspråk; 20 % har testats till en högre nivå enligt Sfi:s "
        "kriterier och ytterligare 50 % har höjt sig inom ett av fyra deltest.",
        "",
        _NONE,
        None,
    ),
    (Level.INTERVENTION, _HAA, "50 % har fått arbete eller driver företag.", "", _NONE, None),
    (Level.INTERVENTION, _HAA, "50 % är i en arbetslivsinriktad praktik.", "", _NONE, None),
    (
        Level.INTERVENTION,
        _HAA,
        "Projektmål: bättre samverkansformer för målgruppen, en arena som efter projekttiden kan bli en del "
        "av det ordinarie utbudet, och pedagogiska redskap, framgångsfaktorer och strukturer för arbetet.",
        "",
        _NONE,
        None,
    ),
    (
        Level.INTERVENTION,
        _HAA,
        "Projektmål: möjligheten att ett socialt företag med deltagare som anställda eller delägare har "
        "startat efter tolv månader är prövad.",
        "",
        _NONE,
        None,
    ),
    (
        Level.INTERVENTION,
        _ENTER,
        "Av deltagarna som bedöms ha arbetsförmåga kommer minst 30 % i arbete eller studier och minskar så "
        "sitt behov av offentlig försörjning.",
        "andel avslutade till arbete eller studier",
        Measure.EXIT_WORK_STUDIES,
        30,
    ),
    (
        Level.INTERVENTION,
        _ENTER,
        "Övriga deltagare får stöd att komma till rätt försörjning.",
        "",
        _NONE,
        None,
    ),
    (
        Level.INTERVENTION,
        _ENTER,
        "80 % av deltagarna upplever att den egna hälsan och/eller livskvaliteten har blivit bättre.",
        "",
        _NONE,
        None,
    ),
)


def load(actor: Actor, association: Association) -> None:
    if Commitment.objects.filter(association=association, year=YEAR).exists():
        return
    interventions = {i.code: i for i in association.interventions.all()}
    for position, (level, code, text, measure_text, measure, target) in enumerate(GOALS, 1):
        services.save_commitment(
            actor,
            Commitment(
                association=association,
                year=YEAR,
                position=position,
                level=level,
                intervention=interventions[code] if code else None,
                text=text,
                measure_text=measure_text,
                measure=measure,
                target=target,
            ),
        )
