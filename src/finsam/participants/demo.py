"""Demo participants, generated deterministically so that the tables show the seeds' figures.

Södra Vätterbygden: seed 000, the interim report 2023 H1 (participating and exited men and women per
intervention). Finnveden: seed 001, the annual report 2023 (Samverkansteam: 51 women and 25 men by
municipality, carried over and new; 31 exits with their reasons and 5.4 years on public support on average;
70 referrals, the region 50 % and Försäkringskassan 36 %; 136 referrals over 2022–2023 of which 36 returned;
IT-spåret: one man).

The episodes go through the participant import (`imports.plan` / `imports.apply`) as a generated CSV file, the
other referrals and the ratings through the services, so loading twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from decimal import Decimal

from finsam.core.audit import Actor
from finsam.organisation.models import Association
from finsam.participants import imports, services
from finsam.participants.identity import participant_key
from finsam.participants.models import Episode, Referral

HEADER = [
    "insats",
    "deltagare",
    "kön",
    "födelseår",
    "kommun",
    "remittent",
    "remissdatum",
    "inskrivningsdatum",
    "avslutsdatum",
    "avslutsorsak",
    "försörjning_före",
    "försörjning_efter",
    "år_med_offentlig_försörjning",
    "sysselsättning_före",
    "sysselsättning_efter",
]
INCOME = ("sjukpenning", "ekonomiskt_bistånd", "aktivitetsersättning", "aktivitetsstöd", "sjukersättning")
AFTER = {"arbete": "lön", "studier": "studiemedel"}
# Occupation before entry, in turn; after exit, what the exit reason says, or as before.
OCCUPATION = (
    "ingen",
    "arbetsrehabilitering",
    "ingen",
    "subventionerat_arbete",
    "arbetsmarknadsinsats",
    "ingen",
)
OCCUPATION_AFTER = {"arbete": "arbete", "studier": "studier", "arbetsrehabilitering": "arbetsrehabilitering"}
SOURCES = ("region", "försäkringskassan", "kommun", "arbetsförmedlingen")


@dataclass(frozen=True)
class Person:
    code: str
    key: str
    gender: str
    municipality: str
    enrolled: dt.date
    exited: dt.date | None = None
    reason: str = ""
    source: str = "kommun"
    referred: dt.date | None = None
    years: Decimal | None = None


def _row(person: Person, index: int) -> list[str]:
    before = INCOME[index % len(INCOME)]
    after = AFTER.get(person.reason, before) if person.exited else ""
    referred = person.referred or person.enrolled - dt.timedelta(days=14)
    years = person.years if person.years is not None else Decimal(index % 9) + Decimal("0.5")
    occupation = OCCUPATION[index % len(OCCUPATION)]
    occupation_after = OCCUPATION_AFTER.get(person.reason, occupation) if person.exited else ""
    return [
        person.code,
        person.key,
        person.gender,
        str(1965 + index * 7 % 38),
        person.municipality,
        person.source,
        referred.isoformat(),
        person.enrolled.isoformat(),
        person.exited.isoformat() if person.exited else "",
        person.reason,
        before,
        after,
        str(years).replace(".", ","),
        occupation,
        occupation_after,
    ]


def as_csv(people: list[Person]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for index, person in enumerate(people):
        writer.writerow(_row(person, index))
    return out.getvalue().encode("utf-8")


def _words(text: str) -> list[str]:
    return text.split()


def _spread(reasons: dict[str, int]) -> list[str]:
    return [reason for reason, n in reasons.items() for _ in range(n)]


# --- Södra Vätterbygden 2023 H1 (seed 000) ---

SV_MUNICIPALITIES = ("Jönköping", "Jönköping", "Jönköping", "Habo", "Vaggeryd", "Mullsjö")
# intervention: (men, women, exited men, exited women, exit reasons in order: women's exits first)
SV_TABLE: dict[str, tuple[int, int, int, int, dict[str, int]]] = {
    "ENTER": (
        31,
        18,
        6,
        5,
        {
            "arbete": 4,
            "studier": 2,
            "arbetsrehabilitering": 2,
            "sjukdom": 1,
            "egen_begäran": 1,
            "åter_remittent": 1,
        },
    ),
    "FIA": (
        11,
        21,
        3,
        5,
        {"arbete": 2, "arbetsrehabilitering": 2, "sjukdom": 2, "egen_begäran": 1, "annat": 1},
    ),
    "ITSPARET": (2, 0, 0, 0, {}),
    "NOVA": (16, 27, 2, 2, {"arbetsrehabilitering": 2, "studier": 1, "sjukdom": 1}),
    "KOLL": (
        17,
        23,
        16,
        19,
        {
            "arbetsrehabilitering": 14,
            "sjukdom": 8,
            "arbete": 3,
            "studier": 1,
            "åter_remittent": 6,
            "egen_begäran": 2,
            "annat": 1,
        },
    ),
}
H1_END = dt.date(2023, 6, 30)


def _sv_people() -> list[Person]:
    people: list[Person] = []
    for code, (men, women, exited_men, exited_women, reasons) in SV_TABLE.items():
        reason_list = _spread(reasons)
        exits = 0
        for gender, count, exited in (("kvinna", women, exited_women), ("man", men, exited_men)):
            for n in range(count):
                i = len(people)
                carried = n % 5 < 3
                if carried:
                    enrolled = dt.date(2022, 3 + i % 10, 1 + i % 27)
                else:
                    enrolled = dt.date(2023, 1 + i % 5, 2 + i % 25)
                exit_day = None
                reason = ""
                if n < exited:
                    exit_day = min(
                        max(enrolled + dt.timedelta(days=45), dt.date(2023, 1, 16) + dt.timedelta(i % 150)),
                        H1_END,
                    )
                    reason = reason_list[exits]
                    exits += 1
                people.append(
                    Person(
                        code,
                        f"{code[:3]}-{n + 1:03d}{gender[0].upper()}",
                        gender,
                        SV_MUNICIPALITIES[i % len(SV_MUNICIPALITIES)],
                        enrolled,
                        exit_day,
                        reason,
                        SOURCES[i % len(SOURCES)],
                    )
                )
    # Two episodes that must count nowhere in 2023 H1: one exited in 2022, one registered by mistake.
    people.append(
        Person("ENTER", "ENT-900K", "kvinna", "Habo", dt.date(2022, 2, 1), dt.date(2022, 11, 30), "arbete")
    )
    people.append(
        Person(
            "ENTER", "ENT-901M", "man", "Habo", dt.date(2023, 3, 1), dt.date(2023, 3, 2), "felregistrering"
        )
    )
    return people


# --- Finnveden 2023 (seed 001) ---

# (municipality, gender): (carried over at the turn of the year, new in 2023): the chart "Deltagare 2023".
FV_CHART = {
    ("Gnosjö", "kvinna"): (5, 3),
    ("Gnosjö", "man"): (2, 3),
    ("Gislaved", "kvinna"): (7, 11),
    ("Gislaved", "man"): (11, 6),
    ("Värnamo", "kvinna"): (11, 14),
    ("Värnamo", "man"): (1, 2),
}
FV_EXITS = {
    "arbete": 2,
    "studier": 1,
    "arbetsrehabilitering": 6,
    "sjukdom": 7,
    "egen_begäran": 6,
    "åter_remittent": 8,
    "annat": 1,
}
# 31 exits averaging 5.4 years on public support before entry (sum 167.4).
FV_EXIT_YEARS = [
    Decimal(y)
    for y in _words(
        "2 3.5 5 6.5 8 4 7 1.5 9 5.5 3 6 10 2.5 4.5 7.5 5 6 3 8.5 4 5.5 6 2 7 5 4.5 6.5 3.5 8 7.4"
    )
]
# Referrals 2023 by source (70: the region 50 %, Försäkringskassan 36 %) and their outcomes.
FV_SOURCES_2023 = ["region"] * 35 + ["försäkringskassan"] * 25 + ["kommun"] * 6 + ["arbetsförmedlingen"] * 4
FV_OTHER_OUTCOMES_2023 = [Referral.Outcome.RETURNED] * 18 + [Referral.Outcome.REPORT_BACK] * 13
# 2022: 30 enrolled (the episodes) and these.
FV_OTHER_OUTCOMES_2022 = [Referral.Outcome.RETURNED] * 18 + [Referral.Outcome.REPORT_BACK] * 18


def _interleave(items: list[str]) -> list[str]:
    """The same items in a fixed, mixed order (every 7th, wrapping): no kind clusters at the year's start."""
    n = len(items)
    step = 7 if n % 7 else 11
    assert math.gcd(step, n) == 1
    return [items[(i * step) % n] for i in range(n)]


def _fv_people() -> tuple[list[Person], list[tuple[str, dt.date]]]:
    """Samverkansteam's episodes, and the sources and dates of the 2023 referrals that did not lead to one."""
    sources = _interleave(FV_SOURCES_2023)
    referral_days = [dt.date(2023, 1, 3) + dt.timedelta(days=5 * i) for i in range(70)]
    enrolled_slots = set(range(0, 70, 2))
    enrolled_slots |= {1, 3, 5, 7}  # 35 + 4 = 39 referrals became enrolments
    people: list[Person] = []
    carried: list[tuple[str, str]] = []
    new: list[tuple[str, str]] = []
    for (municipality, gender), (before, during) in FV_CHART.items():
        carried += [(municipality, gender)] * before
        new += [(municipality, gender)] * during
    reasons = _spread(FV_EXITS)
    exit_no = 0
    for n, (municipality, gender) in enumerate(_interleave_pairs(carried)):
        # 30 came from 2022 referrals, 7 from 2021.
        enrolled = dt.date(2022, 1 + n % 12, 3 + n % 25) if n < 30 else dt.date(2021, 3 + n % 9, 10)
        exited = reason = None
        years = Decimal(3 + n % 6)
        if n < 22:  # 22 of those carried over exit during 2023
            exited = dt.date(2023, 1 + n % 12, 5 + n % 20)
            reason = reasons[exit_no]
            years = FV_EXIT_YEARS[exit_no]
            exit_no += 1
        source = SOURCES[n % 2]
        people.append(
            Person(
                "SAMVERKANSTEAM",
                f"ST-{n + 1:03d}",
                gender,
                municipality,
                enrolled,
                exited,
                reason or "",
                source,
                max(enrolled - dt.timedelta(days=10), dt.date(enrolled.year, 1, 1)),
                years,
            )
        )
    slots = sorted(enrolled_slots)
    for n, (municipality, gender) in enumerate(_interleave_pairs(new)):
        slot = slots[n]
        referred = referral_days[slot]
        enrolled = referred + dt.timedelta(days=12)
        exited = None
        reason = ""
        years = Decimal(2 + n % 7)
        if n < 9:  # 9 of the new exit during 2023
            exited = min(enrolled + dt.timedelta(days=75), dt.date(2023, 12, 20))
            reason = reasons[exit_no]
            years = FV_EXIT_YEARS[exit_no]
            exit_no += 1
        people.append(
            Person(
                "SAMVERKANSTEAM",
                f"ST-{n + 101:03d}",
                gender,
                municipality,
                enrolled,
                exited,
                reason,
                sources[slot],
                referred,
                years,
            )
        )
    others = [(sources[i], referral_days[i]) for i in range(70) if i not in enrolled_slots]
    people.append(Person("ITSPARET", "IT-001", "man", "Gislaved", dt.date(2022, 8, 15), source="region"))
    return people, others


def _interleave_pairs(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    n = len(items)
    step = 7 if n % 7 else 11
    assert math.gcd(step, n) == 1
    return [items[(i * step) % n] for i in range(n)]


def _referral(
    actor: Actor, association: Association, code: str, key: str, source: str, day: dt.date, outcome: str
) -> None:
    """A referral that led to no enrolment, recognised again by its own key."""
    intervention = association.interventions.get(code=code)
    pseudonym = participant_key(key, association).pseudonym
    referral = Referral.objects.filter(intervention=intervention, participant_key=pseudonym).first()
    referral = referral or Referral(
        association=association, intervention=intervention, participant_key=pseudonym
    )
    referral.source, referral.received_on, referral.outcome = source, day, outcome
    services.save_referral(actor, referral)


def _ratings(actor: Actor, association: Association) -> None:
    """SKAPA ratings begun mid-2023: two occasions for a dozen participants, showing progression."""
    areas = services.shipped_areas()
    episodes = Episode.objects.filter(association=association, intervention__code="SAMVERKANSTEAM").order_by(
        "own_key"
    )[:12]
    for n, episode in enumerate(episodes):
        for rater, offset in (("deltagare", 0), ("personal", 1)):
            first = {area: 2 + (n + i + offset) % 5 for i, area in enumerate(areas)}
            later = {area: min(10, value + 1 + (n + i) % 3) for i, (area, value) in enumerate(first.items())}
            services.rate(actor, episode, rated_on=dt.date(2023, 6, 15), rater=rater, scores=first)
            services.rate(actor, episode, rated_on=dt.date(2023, 11, 15), rater=rater, scores=later)


def _volumes(actor: Actor, association: Association, code: str, counts: dict[str, int]) -> None:
    intervention = association.interventions.filter(code=code).first()
    if intervention is None:
        return
    services.save_volume(actor, intervention, dt.date(2023, 1, 1), dt.date(2023, 6, 30), counts)


def load(associations: dict[str, Association], actor: Actor) -> None:
    sv = associations.get("sodra-vatterbygden")
    if sv is not None:
        imports.apply(imports.plan(as_csv(_sv_people()), "demo-sodra-vatterbygden.csv", sv), actor)
        _volumes(actor, sv, "KOMP", {"kvinna": 112, "man": 38})
    fv = associations.get("finnveden")
    if fv is not None:
        people, others = _fv_people()
        imports.apply(imports.plan(as_csv(people), "demo-finnveden.csv", fv), actor)
        outcomes = _interleave(list(FV_OTHER_OUTCOMES_2023))
        for n, (source, day) in enumerate(others):
            _referral(actor, fv, "SAMVERKANSTEAM", f"REM-2023-{n + 1:02d}", source, day, outcomes[n])
        # 2022: 66 referrals, 18 of them returned (36 of 136 over two years); the 30 enrolments are above.
        old_outcomes = _interleave(list(FV_OTHER_OUTCOMES_2022))
        for n in range(36):
            day = dt.date(2022, 1 + n % 12, 2 + n % 26)
            _referral(
                actor, fv, "SAMVERKANSTEAM", f"REM-2022-{n + 1:02d}", SOURCES[n % 4], day, old_outcomes[n]
            )
        _ratings(actor, fv)
