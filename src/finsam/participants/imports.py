"""`finsam import participants`: episodes from CSV or XLSX (the columns of docs/participants.md).

The whole file is read and checked first; any problem rejects it whole, naming line, column, value and what
was expected. A file without problems is planned against the database (new, changed, unchanged episodes,
matched by intervention, participant key and enrolment date), which the web import shows as its preview,
and then applied in one transaction. The same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.audit import Actor, record, values
from finsam.core.imports import ImportRejected, ImportResult, Problem, decimal_of, too_many_problems
from finsam.organisation.models import Association, Intervention
from finsam.participants import services
from finsam.participants.identity import (
    InvalidPersonalNumber,
    ParticipantKey,
    looks_like_personal_number,
    masked,
    participant_key,
    sealed_copy,
)
from finsam.participants.identity import reason as number_problem
from finsam.participants.models import (
    Education,
    Episode,
    ExitReason,
    Gender,
    IncomeSupport,
    LegalBasis,
    Occupation,
    Referral,
    ReferralSource,
)
from finsam.participants.reading import Sheet, header_key, read_table, value_key

# Column key (as compared) -> field; the required columns of docs/participants.md, then the optional ones.
REQUIRED = {
    "insats": "intervention",
    "deltagare": "participant",
    "kon": "gender",
    "fodelsear": "birth_year",
    "kommun": "municipality",
    "remittent": "referral_source",
    "remissdatum": "referral_date",
    "inskrivningsdatum": "enrolled_on",
    "avslutsdatum": "exited_on",
    "avslutsorsak": "exit_reason",
    "forsorjning_fore": "income_before",
    "forsorjning_efter": "income_after",
    "ar_med_offentlig_forsorjning": "years_on_support",
}
OPTIONAL = {
    "rattslig_grund": "legal_basis",
    "anonym": "anonymous",
    "utbildning": "education",
    "sysselsattning_fore": "occupation_before",
    "sysselsattning_efter": "occupation_after",
}
MUNICIPALITY_LENGTH = Episode._meta.get_field("municipality").max_length or 0
YES = {"ja", "j", "x", "1", "sant", "true", "yes"}
NO = {"", "nej", "n", "0", "falskt", "false", "no"}
# Only these are kept for an anonymous participant (besides the dates the counts need).
ANONYMOUS_CLEARED = (
    "birth_year",
    "municipality",
    "education",
    "income_before",
    "years_on_support",
    "occupation_before",
    "income_after",
    "occupation_after",
)


def _choices(options: list[str]) -> dict[str, str]:
    return {value_key(v): v for v in options if v}


GENDERS = _choices(Gender.values)
SOURCES = _choices(ReferralSource.values)
REASONS = _choices(ExitReason.values)
INCOMES = _choices(IncomeSupport.values)
LEGAL_BASES = _choices(LegalBasis.values)
EDUCATIONS = _choices(Education.values)
OCCUPATIONS = _choices(Occupation.values)


@dataclass
class Planned:
    line: int
    episode: Episode
    referral: Referral | None
    status: str  # "new", "changed", "unchanged"
    fields: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """The fields that change, as the registrar knows them, in the order of the episode's form."""
        named = set(self.fields)
        return [str(f.verbose_name) for f in Episode._meta.concrete_fields if {f.name, f.attname} & named]


@dataclass
class Plan:
    association: Association
    source: str
    rows: list[Planned]

    @property
    def counts(self) -> dict[str, int]:
        result = {"new": 0, "changed": 0, "unchanged": 0}
        for row in self.rows:
            result[row.status] += 1
        return result

    @property
    def interventions(self) -> set[int]:
        return {row.episode.intervention_id for row in self.rows}


class _Row:
    """One line's cells by field, collecting the problems found in them."""

    def __init__(self, line: int, cells: dict[str, str], headers: dict[str, str], problems: list[Problem]):
        self.line = line
        self.cells = cells
        self.headers = headers
        self.problems = problems

    def text(self, name: str) -> str:
        return self.cells.get(name, "")

    def fail(self, name: str, value: object, expected: str) -> None:
        # A personnummer may sit in any column by mistake: no message shows one, whatever the column.
        shown = masked(value) if isinstance(value, str) else value
        self.problems.append(Problem(self.line, masked(self.headers.get(name, name)), shown, expected))

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        text = self.text(name)
        if not text:
            if required:
                self.fail(name, text, _("ett datum ÅÅÅÅ-MM-DD"))
            return None
        try:
            # An XLSX date cell arrives as YYYY-MM-DD; a date-time cell at midnight too (reading.py).
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(name, text, _("ett datum ÅÅÅÅ-MM-DD"))
            return None

    def choice(self, name: str, options: dict[str, str], *, required: bool = False) -> str:
        text = self.text(name)
        if not text:
            if required:
                self.fail(name, text, _("en av %s") % ", ".join(options.values()))
            return ""
        found = options.get(value_key(text))
        if found is None:
            self.fail(name, text, _("en av %s") % ", ".join(options.values()))
            return ""
        return found

    def codes(self, name: str) -> str:
        text = self.text(name)
        found: list[str] = []
        for part in text.split("|"):
            if not part.strip():
                continue
            code = INCOMES.get(value_key(part))
            if code is None:
                self.fail(name, text, _("koder åtskilda med | bland %s") % ", ".join(INCOMES.values()))
                return ""
            found.append(code)
        return "|".join(sorted(set(found)))


def _parse_row(
    row: _Row, association: Association, interventions: dict[str, Intervention], keep_numbers: bool
) -> Planned | None:
    """The episode (and referral) of one line, or None when the line has problems (added to the row's)."""
    count_before = len(row.problems)
    intervention = _intervention(row, interventions)
    legal_basis = _legal_basis(row)
    key = _participant_key(row, association)
    person = _person(row)
    course = _course(row)
    support = _support(row)
    if len(row.problems) > count_before or intervention is None or key is None or course.enrolled_on is None:
        return None
    anonymous = legal_basis == LegalBasis.ANONYMOUS
    episode = Episode(
        association=association,
        intervention=intervention,
        participant_key=key.pseudonym,
        key_kind=key.kind,
        own_key="" if anonymous else key.own_key,
        sealed_number="" if anonymous else sealed_copy(key, association, keep_numbers),
        legal_basis=legal_basis,
        enrolled_on=course.enrolled_on,
        exited_on=course.exited_on,
        exit_reason=course.reason,
        **person,
        **support,
    )
    if anonymous:
        for name in ANONYMOUS_CLEARED:
            setattr(episode, name, None if name in ("birth_year", "years_on_support") else "")
    referral = None
    if course.source and course.referral_date:
        referral = Referral(
            association=association,
            intervention=intervention,
            source=course.source,
            received_on=course.referral_date,
            outcome=Referral.Outcome.ENROLLED,
            participant_key=key.pseudonym,
        )
    return Planned(row.line, episode, referral, "new")


def _intervention(row: _Row, interventions: dict[str, Intervention]) -> Intervention | None:
    code = row.text("intervention")
    intervention = interventions.get(code.casefold())
    if intervention is None:
        known = ", ".join(i.code for i in interventions.values()) or _("inga")
        row.fail("intervention", code, _("en individinriktad insats i förbundet (%s)") % known)
    return intervention


def _legal_basis(row: _Row) -> str:
    """The legal basis the line gives; an anonymous participant's is always LegalBasis.ANONYMOUS."""
    anonymous_text = value_key(row.text("anonymous"))
    if anonymous_text not in YES | NO:
        row.fail("anonymous", row.text("anonymous"), _("ja eller nej"))
    legal_basis = row.choice("legal_basis", LEGAL_BASES) or LegalBasis.CONSENT
    if anonymous_text in YES:
        legal_basis = LegalBasis.ANONYMOUS
    return legal_basis


def _participant_key(row: _Row, association: Association) -> ParticipantKey | None:
    """The participant's key from the association's own key or a personnummer; None when there is none."""
    key_text = row.text("participant")
    key = None
    if not key_text:
        row.fail("participant", key_text, _("förbundets deltagarnyckel eller ett personnummer"))
    else:
        try:
            key = participant_key(key_text, association)
        except InvalidPersonalNumber as error:
            row.fail(
                "participant", masked(key_text), _("ett giltigt personnummer (%s)") % number_problem(error)
            )
        if key is not None and len(key.own_key) > 60:
            row.fail("participant", key_text[:20] + "…", _("en nyckel på högst 60 tecken"))
    return key


def _person(row: _Row) -> dict[str, object]:
    """Gender and birth year, as episode fields."""
    gender = row.choice("gender", GENDERS, required=True)
    birth_year = None
    if row.text("birth_year"):
        try:
            birth_year = int(row.text("birth_year"))
        except ValueError:
            birth_year = -1
        if not 1900 <= birth_year <= timezone.localdate().year:
            row.fail("birth_year", row.text("birth_year"), _("ett årtal, till exempel 1994"))
            birth_year = None
    return {"gender": gender, "birth_year": birth_year}


@dataclass
class _Course:
    """The referral and the enrolment of a line, their dates checked against each other."""

    source: str
    referral_date: dt.date | None
    enrolled_on: dt.date | None
    exited_on: dt.date | None
    reason: str


def _course(row: _Row) -> _Course:
    source = row.choice("referral_source", SOURCES)
    referral_date = row.date("referral_date")
    enrolled_on = row.date("enrolled_on", required=True)
    exited_on = row.date("exited_on")
    reason = row.choice("exit_reason", REASONS)
    if row.text("exited_on") and not row.text("exit_reason"):
        row.fail("exit_reason", "", _("en avslutsorsak när avslutsdatum är ifyllt"))
    if row.text("exit_reason") and not row.text("exited_on"):
        row.fail("exited_on", "", _("ett avslutsdatum när avslutsorsak är ifylld"))
    if enrolled_on and exited_on and exited_on < enrolled_on:
        row.fail("exited_on", row.text("exited_on"), _("ett datum på eller efter inskrivningsdatum"))
    if enrolled_on and referral_date and referral_date > enrolled_on:
        row.fail("referral_date", row.text("referral_date"), _("ett datum på eller före inskrivningsdatum"))
    if row.text("referral_source") and not row.text("referral_date"):
        row.fail("referral_date", "", _("ett remissdatum när remittent är ifylld"))
    if row.text("referral_date") and not row.text("referral_source"):
        row.fail("referral_source", "", _("en remittent när remissdatum är ifyllt"))
    return _Course(source, referral_date, enrolled_on, exited_on, reason)


def _support(row: _Row) -> dict[str, object]:
    """Years on public support, municipality, income support, education and occupation, as episode fields."""
    years = None
    if row.text("years_on_support"):
        years = decimal_of(row.text("years_on_support"))
        if years is None or not Decimal(0) <= years <= Decimal(60) or years != years.quantize(Decimal("0.1")):
            row.fail("years_on_support", row.text("years_on_support"), _("antal år 0–60, till exempel 3,5"))
            years = None
    municipality = " ".join(row.text("municipality").split())
    if looks_like_personal_number(row.text("municipality")):
        row.fail("municipality", row.text("municipality"), _("ett kommunnamn, inte ett personnummer"))
    elif len(municipality) > MUNICIPALITY_LENGTH:
        row.fail("municipality", municipality, _("ett kommunnamn på högst %d tecken") % MUNICIPALITY_LENGTH)
    return {
        "years_on_support": years,
        "municipality": municipality,
        "income_before": row.codes("income_before"),
        "income_after": row.codes("income_after"),
        "education": row.choice("education", EDUCATIONS),
        "occupation_before": row.choice("occupation_before", OCCUPATIONS),
        "occupation_after": row.choice("occupation_after", OCCUPATIONS),
    }


EPISODE_FIELDS = (
    "key_kind",
    "own_key",
    "legal_basis",
    "gender",
    "birth_year",
    "municipality",
    "education",
    "income_before",
    "years_on_support",
    "occupation_before",
    "enrolled_on",
    "exited_on",
    "exit_reason",
    "income_after",
    "occupation_after",
)
REFERRAL_FIELDS = ("source", "received_on", "outcome", "participant_key")


def _merge(planned: Planned, existing: Episode) -> None:
    """Carry the file's values onto the stored episode and note which fields change."""
    before = values(existing)
    for name in EPISODE_FIELDS:
        setattr(existing, name, getattr(planned.episode, name))
    # Copies are encrypted with a fresh nonce each time, so only whether there is one can be compared.
    if bool(existing.sealed_number) != bool(planned.episode.sealed_number):
        existing.sealed_number = planned.episode.sealed_number
    changed = [k for k, v in values(existing).items() if before.get(k) != v]
    if planned.referral is not None:
        stored = existing.referral
        if stored is None:
            changed.append("referral")
        else:
            referral_before = values(stored)
            for name in REFERRAL_FIELDS:
                setattr(stored, name, getattr(planned.referral, name))
            if values(stored) != referral_before:
                changed.append("referral")
            planned.referral = stored
    planned.episode = existing
    planned.fields = sorted(changed)
    planned.status = "changed" if changed else "unchanged"


def plan(content: bytes, source: str, association: Association) -> Plan:
    """Read and check the whole file: raise ImportRejected naming every problem, or say what would change.

    The file's name is kept (in the plan, its messages and the audit entry) with anything like a personnummer
    masked: people name files after whom they are about."""
    source = masked(source)
    sheet = read_table(content, source)
    headers, positions = _columns(sheet, source)
    if not sheet.rows:
        raise ImportRejected(source, [Problem(None, None, source, _("minst en rad med en deltagarepisod"))])
    planned = _planned_rows(sheet, headers, positions, source, association)
    _compare_with_stored(planned, association)
    return Plan(association, source, planned)


def _columns(sheet: Sheet, source: str) -> tuple[dict[str, str], dict[str, int]]:
    """The file's columns by field: (field → header as written, field → position); raise ImportRejected for a
    column unknown, repeated or missing."""
    problems: list[Problem] = []
    columns = {**REQUIRED, **OPTIONAL}
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        name = columns.get(header_key(header))
        shown = masked(header)
        if name is None:
            problems.append(
                Problem(1, shown, shown, _("en av kolumnerna %s") % ", ".join([*REQUIRED, *OPTIONAL]))
            )
        elif name in positions:
            problems.append(Problem(1, shown, shown, _("varje kolumn en gång")))
        else:
            headers[name] = header
            positions[name] = index
    for key, name in REQUIRED.items():
        if name not in positions:
            problems.append(Problem(1, key, None, _("kolumnen %s") % key))
    if problems:
        raise ImportRejected(source, problems)
    return headers, positions


def _planned_rows(
    sheet: Sheet, headers: dict[str, str], positions: dict[str, int], source: str, association: Association
) -> list[Planned]:
    """Every line's episode, one per intervention, participant and enrolment date; raise ImportRejected
    naming every problem of every line (the first MAX_PROBLEMS)."""
    interventions = {
        i.code.casefold(): i
        for i in association.interventions.filter(kind=Intervention.Kind.INDIVIDUAL).order_by("code")
    }
    keep_numbers = services.settings_of(association).keep_personal_numbers
    problems: list[Problem] = []
    planned: list[Planned] = []
    seen: dict[tuple[int, str, dt.date], int] = {}
    for line, cells in sheet.rows:
        if too_many_problems(problems):
            break
        by_name = {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}
        row = _Row(line, by_name, headers, problems)
        result = _parse_row(row, association, interventions, keep_numbers)
        if result is None:
            continue
        identity = (
            result.episode.intervention_id,
            result.episode.participant_key,
            result.episode.enrolled_on,
        )
        if identity in seen:
            row.fail(
                "participant",
                masked(row.text("participant"))
                if result.episode.key_kind == "personnummer"
                else row.text("participant"),
                _("en episod per insats, deltagare och inskrivningsdatum (samma som rad %s)")
                % seen[identity],
            )
            continue
        seen[identity] = line
        planned.append(result)
    if problems:
        raise ImportRejected(source, problems)
    return planned


def _compare_with_stored(planned: list[Planned], association: Association) -> None:
    """Mark each planned episode new, changed (with the fields that change) or unchanged against the stored
    episode of the same intervention, participant and enrolment date."""
    keys = {p.episode.participant_key for p in planned}
    existing = {
        (e.intervention_id, e.participant_key, e.enrolled_on): e
        for e in Episode.objects.filter(association=association, participant_key__in=keys).select_related(
            "referral"
        )
    }
    for item in planned:
        found = existing.get(
            (item.episode.intervention_id, item.episode.participant_key, item.episode.enrolled_on)
        )
        if found is not None:
            _merge(item, found)
        else:
            item.fields = [n for n in EPISODE_FIELDS if getattr(item.episode, n) not in ("", None)]


@transaction.atomic
def apply(import_plan: Plan, actor: Actor) -> ImportResult:
    result = ImportResult()
    for item in import_plan.rows:
        if item.status == "unchanged":
            result.unchanged += 1
            continue
        if item.referral is not None:
            services.save_referral(actor, item.referral)
            item.episode.referral = item.referral
        services.save_episode(actor, item.episode)
        if item.status == "new":
            result.created += 1
        else:
            result.updated += 1
            result.details.append(
                _("rad %(line)s: ändrade %(fields)s") % {"line": item.line, "fields": ", ".join(item.labels)}
            )
    if result.changed:
        record(
            actor,
            "participants.import",
            import_plan.association,
            association=import_plan.association,
            after={
                "fil": import_plan.source,
                "nya": result.created,
                "ändrade": result.updated,
                "oförändrade": result.unchanged,
            },
        )
    return result


UPLOAD_LIFETIME = 3600  # seconds an uploaded file waits in the data dir for its confirmation


def upload_folder() -> Path:
    """Where the web import keeps an uploaded file between its preview and its confirmation (0700)."""
    folder = Path(settings.DATA_DIR) / "deltagarimport"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def erase_stale_uploads(now: float | None = None) -> int:
    """Delete uploaded files that were never confirmed within UPLOAD_LIFETIME; they may hold personnummer.

    Run by the web import and by `finsam manage erase_expired`, so nothing lingers when no one imports again.
    Returns how many files were deleted."""
    folder = Path(settings.DATA_DIR) / "deltagarimport"
    if not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - UPLOAD_LIFETIME
    erased = 0
    for old in folder.iterdir():
        try:
            if old.is_file() and old.stat().st_mtime < cutoff:
                old.unlink()
                erased += 1
        except FileNotFoundError:
            continue  # confirmed or erased meanwhile
    return erased


def import_participants(path: Path, association: Association, actor: Actor) -> ImportResult:
    """The command-line import: plan the whole file, then apply it."""
    return apply(plan(path.read_bytes(), path.name, association), actor)
