"""The annual report's part on each individual intervention (seed 001's Bilaga 2), in the words a board reads:
who runs it and for whom, what the board granted, the referrals and where they came from, the participants by
gender and home municipality, the exits by reason and the years on public support before entry.

Every count comes from the suppressed participant report (`participants-public`, ADR 0008): a hidden count is
left out of the sentence, never guessed at or called small (a count may be hidden to protect another), and
the part says once that some counts are not shown. A share is given only of two shown counts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from finsam.core import formatting
from finsam.core.documents import Cell, Column, Kind, Section, Table
from finsam.organisation.models import Association, Intervention
from finsam.participants.models import EXIT_GROUP_LABELS
from finsam.participants.tables import GENDERS

# Where a referral came from, as a sentence says it ("35 från regionen").
SOURCE_PHRASES = {
    "försäkringskassan": gettext_lazy("Försäkringskassan"),
    "arbetsförmedlingen": gettext_lazy("Arbetsförmedlingen"),
    "region": gettext_lazy("regionen"),
    "kommun": gettext_lazy("kommunen"),
    "annan": gettext_lazy("andra remittenter"),
    "egen": gettext_lazy("egen anmälan"),
}
GENDER_WORDS = {
    "women": gettext_lazy("kvinnor"),
    "men": gettext_lazy("män"),
    "other": gettext_lazy("med annat kön"),
}


def _people(n: int) -> str:
    return ngettext("%d person", "%d personer", n) % n


def _by_gender(counts: dict[str, int | None]) -> list[str]:
    """ "51 kvinnor", "25 män": the shown counts of each gender, zeros left out."""
    return [f"{counts[g]} {GENDER_WORDS[g]}" for g in GENDERS if counts.get(g)]


def _hidden(values: object) -> bool:
    if isinstance(values, dict):
        return any(_hidden(v) for v in values.values())
    if isinstance(values, list):
        return any(_hidden(v) for v in values)
    return values is None


def _participants(entry: dict[str, Any], year: int) -> str:
    total, genders = entry["participating_total"], _by_gender(entry["participating"])
    if total is not None:
        text = _("Under %(year)s deltog %(people)s i insatsen") % {"year": year, "people": _people(total)}
        return text + (f", {formatting.join_words(genders)}." if genders else ".")
    if genders:
        return _("Under %(year)s deltog %(counts)s i insatsen.") % {
            "year": year,
            "counts": formatting.join_words(genders),
        }
    return ""


def _referrals(entry: dict[str, Any], year: int) -> str:
    total = entry["referrals_total"]
    if not total:
        return ""
    sources = [(s, n) for s, n in sorted(entry["referrals"].items(), key=lambda i: -(i[1] or 0)) if n]
    parts = [
        _("%(n)d från %(source)s (%(share)s)")
        % {"n": n, "source": SOURCE_PHRASES[s], "share": formatting.percent(Decimal(n) / total)}
        for s, n in sources
    ]
    text = _("Insatsen tog emot %(n)d remisser under %(year)s") % {"n": total, "year": year}
    return text + (f": {formatting.join_words(parts)}." if parts else ".")


def _exits(entry: dict[str, Any], year: int) -> str:
    total, genders = entry["exited_total"], _by_gender(entry["exited"])
    if not total and not genders:
        return ""
    if total is None:
        text = _("Under %(year)s avslutades %(counts)s.") % {
            "year": year,
            "counts": formatting.join_words(genders),
        }
    else:
        text = _("Under %(year)s avslutade %(people)s insatsen") % {"year": year, "people": _people(total)}
        text += f" ({formatting.join_words(genders)})." if genders else "."
    reasons = [
        f"{str(label).lower()} {entry['exit_reasons'][code]}"
        for code, label in EXIT_GROUP_LABELS.items()
        if entry["exit_reasons"].get(code)
    ]
    if reasons:
        text += " " + _("Avslutsorsaker: %s.") % formatting.join_words(reasons)
    return text


def _years(years: dict[str, str | None]) -> str:
    exited, participating = years.get("exited"), years.get("participating")
    if exited is None and participating is None:
        return ""
    parts = []
    if participating is not None:
        parts.append(_("de deltagande i genomsnitt %s år") % formatting.number(Decimal(participating), 1))
    if exited is not None:
        parts.append(_("de avslutade %s år") % formatting.number(Decimal(exited), 1))
    return _("Före inskrivningen hade %s med offentlig försörjning.") % formatting.join_words(parts)


def _outcomes(entry: dict[str, Any]) -> str:
    """What became of those who exited (the outcome report, ADR 0027): work before and after, exits to work or
    studies, the median time in the intervention; a sentence whose count is hidden is left out."""
    total = "total"
    exited = entry["exited"][total]
    if not exited:  # none, or hidden: nothing is said of what became of them
        return ""
    employment, further = entry["employment"], entry["work_or_studies"]
    sentences = []
    before, after = employment["before"][total], employment["after"][total]
    if before is not None and after is not None:
        sentences.append(
            _(
                "Av de %(exited)s som avslutades hade %(before)s arbete före inskrivningen och %(after)s "
                "efter."
            )
            % {"exited": exited, "before": before, "after": after}
        )
    went, began = further["exited_to"][total], further["began_or_increased"][total]
    if went is not None:
        sentences.append(_("%s avslutades till arbete eller studier.") % _people(went))
    if began is not None:
        sentences.append(
            _("%s började arbeta eller studera, eller gjorde det mer än före inskrivningen.") % _people(began)
        )
    median = entry["time_in_intervention"]["median_days"][total]
    if median is not None:
        sentences.append(_("Mediantiden i insatsen var %s dagar.") % formatting.number(Decimal(median)))
    return " ".join(sentences)


def _municipality_table(name: str, rows: list[dict[str, Any]], year: int) -> Table:
    columns = [Column("municipality", _("Hemkommun"))]
    for part, when in (("carried_over", _("vid årets början")), ("new", _("nya under %s") % year)):
        for gender in ("women", "men"):
            columns.append(
                Column(f"{part}_{gender}", f"{GENDER_WORDS[gender]!s} {when}".capitalize(), Kind.INTEGER)
            )
    table_rows: list[dict[str, Cell]] = [
        {
            "municipality": row["municipality"],
            **{f"{part}_{g}": row[part][g] for part in ("carried_over", "new") for g in ("women", "men")},
        }
        for row in rows
    ]
    return Table(_("%s: deltagare per hemkommun och kön") % name, columns, table_rows)


def _granted(intervention: Intervention, year: int) -> str:
    granted = sum((g.amount for g in intervention.grants.filter(year=year)), Decimal(0))
    if not granted:
        return ""
    return _("Förbundet beviljade insatsen %(amount)s kr för %(year)s.") % {
        "amount": formatting.kronor(granted),
        "year": year,
    }


def _part(
    number: int, intervention: Intervention, data: dict[str, Any], outcomes: dict[str, Any], end: dt.date
) -> Section:
    entry = next((i for i in data.get("interventions", []) if i["code"] == intervention.code), None)
    outcome = next((i for i in outcomes.get("interventions", []) if i["code"] == intervention.code), None)
    paragraphs = [
        _("Utförare: %s.") % intervention.provider if intervention.provider else "",
        _("Målgrupp: %s") % intervention.target_group if intervention.target_group else "",
        _granted(intervention, end.year),
    ]
    tables = []
    if entry is not None:
        years = data.get("years_on_public_support", {}).get(intervention.code, {})
        paragraphs += [
            _referrals(entry, end.year),
            _participants(entry, end.year),
            _exits(entry, end.year),
            _years(years),
            _outcomes(outcome) if outcome else "",
        ]
        rows = data.get("municipalities_by_intervention", {}).get(intervention.code, [])
        shown = [n for row in rows for part in ("carried_over", "new") for n in row[part].values() if n]
        if shown:  # a table of hidden counts and zeros tells the board nothing
            tables.append(_municipality_table(intervention.name, rows, end.year))
        if _hidden([entry, rows, years]):
            paragraphs.append(
                _(
                    "Antal under %d, och antal som skulle avslöja dem, redovisas inte, så att ingen enskild "
                    "deltagare kan urskiljas."
                )
                % settings.SUPPRESSION_THRESHOLD
            )
    heading = f"{number}. {intervention.name}"
    return Section(heading, [p for p in paragraphs if p], tables, level=3)


def appendix(
    association: Association, end: dt.date, data: dict[str, Any], outcomes: dict[str, Any]
) -> list[Section]:
    """Bilaga 2: a part per individual intervention of the year, from the suppressed participant report's
    `data` and outcome report's `outcomes` (empty when the participant part is not installed)."""
    interventions = [
        i
        for i in association.interventions.filter(kind=Intervention.Kind.INDIVIDUAL).order_by("pk")
        if i.is_active_in(end.year)
    ]
    intro = ngettext(
        "%(n)d individinriktad insats har fått medel från förbundet under %(year)s.",
        "%(n)d individinriktade insatser har fått medel från förbundet under %(year)s.",
        len(interventions),
    ) % {"n": len(interventions), "year": end.year}
    return [
        Section(_("Bilaga 2. Individinriktade insatser"), [intro], new_page=True),
        *(_part(n, i, data, outcomes, end) for n, i in enumerate(interventions, 1)),
    ]
