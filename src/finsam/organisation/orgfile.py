"""The organisation file (`finsam setup FILE.yaml`): check everything, then apply it in one transaction.

A file with any error changes nothing; every error names the key path, the value and what was expected.
The format is described in docs/organisation-file.md.
"""

from __future__ import annotations

import datetime as dt
import reprlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.core import services as core
from finsam.core import uploads
from finsam.core.audit import Actor
from finsam.core.imports import decimal_of
from finsam.core.money import MAX_AMOUNT
from finsam.core.safeyaml import BoundedSafeLoader
from finsam.organisation import classification, services
from finsam.organisation.models import (
    Association,
    BoardSeat,
    ContributionTotal,
    Grant,
    Intervention,
    Member,
    MemberName,
    Office,
    Population,
    code_validator,
    slug_validator,
)


class _Loader(BoundedSafeLoader):
    """Safe YAML of bounded cost that leaves dates as text, so a bad date is reported with its key, not as a
    parser crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# How much of a value a problem shows. Aliases let a small file repeat one long value thousands of times
# inside another (billion laughs within MAX_NODES): shown whole, one such value took gigabytes.
_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 200
_SHOWN.maxlist = _SHOWN.maxdict = _SHOWN.maxtuple = _SHOWN.maxset = 10
_SHOWN.maxlevel = 2
_SHOWN.maxlong = 100


def _shown(value: Any) -> str:
    """The value as Python writes it, shortened (with "...") where it is long or deep."""
    short = _SHOWN.repr(value)
    return short if "..." in short else repr(value)  # nothing cut: the whole is as short, and in file order


@dataclass
class Problem:
    path: str
    value: Any
    expected: str

    def __str__(self) -> str:
        if self.value is None:
            return _("%(path)s: värdet saknas; förväntade %(expected)s") % vars(self)
        return _("%(path)s: värdet %(value)s går inte att använda; förväntade %(expected)s") % {
            "path": self.path,
            "value": _shown(self.value),
            "expected": self.expected,
        }


class OrgFileError(Exception):
    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} fel, inget har ändrats:\n{lines}")


@dataclass
class Checker:
    """Reads typed values out of the parsed YAML, noting every problem instead of stopping at the first."""

    problems: list[Problem] = field(default_factory=list)

    def fail(self, path: str, value: Any, expected: str) -> None:
        self.problems.append(Problem(path, value, expected))

    def mapping(self, value: Any, path: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, value, _("en mappning med nycklarna %s") % ", ".join(sorted(allowed)))
            return {}
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}", value[key], _("en av nycklarna %s") % ", ".join(sorted(allowed)))
        for key in sorted(required - set(value)):
            self.fail(f"{path}.{key}", None, _("ett värde (nyckeln saknas)"))
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, value, _("en lista"))
            return []
        return value

    def text(
        self, data: dict[str, Any], key: str, path: str, *, max_length: int = 200, required: bool = False
    ) -> str:
        """The value as text, stripped; a required one (a name) must hold more than spaces."""
        value = data.get(key)
        if value is None:
            if required and key in data:
                self.fail(f"{path}.{key}", value, _("en text som inte är tom"))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.fail(f"{path}.{key}", value, _("en text"))
            return ""
        text = " ".join(str(value).split())
        if len(text) > max_length:
            self.fail(f"{path}.{key}", value, _("högst %d tecken") % max_length)
        if required and not text:
            self.fail(f"{path}.{key}", value, _("en text som inte är tom"))
        return text

    def choice(
        self, data: dict[str, Any], key: str, path: str, choices: list[str], *, blank: bool = False
    ) -> str:
        value = data.get(key)
        if value in (None, "") and blank:
            return ""
        if value not in choices:
            self.fail(f"{path}.{key}", value, _("en av %s") % ", ".join(c for c in choices if c))
            return ""
        return str(value)

    def integer(self, data: dict[str, Any], key: str, path: str, *, minimum: int = 0) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"{path}.{key}", value, _("ett heltal, minst %d") % minimum)
            return None
        return value

    def amount(self, data: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            if isinstance(value, bool | float):
                raise InvalidOperation
            amount = Decimal(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            self.fail(
                f"{path}.{key}", value, _("ett belopp i kronor, till exempel 2223000 eller '2 223 000,50'")
            )
            return None
        if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
            self.fail(f"{path}.{key}", value, _("ett belopp under 1 000 000 000 000 kr"))
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.fail(f"{path}.{key}", value, _("ett belopp med högst två decimaler"))
            return None
        return amount

    def fraction(self, data: dict[str, Any], key: str, path: str) -> Decimal | None:
        """A share such as 0.35, taken from its text (never from the binary value of a float)."""
        value = data.get(key)
        share = None if isinstance(value, bool) else decimal_of(str(value))
        if share is None or not Decimal(0) < share <= 1:
            self.fail(f"{path}.{key}", value, _("en andel större än 0 och högst 1, till exempel 0.35"))
            return None
        return share

    def date(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> dt.date | None:
        """A date, or None where the key is absent or empty (a problem when it is required)."""
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", value, _("ett datum ÅÅÅÅ-MM-DD"))
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{path}.{key}", value, _("ett datum ÅÅÅÅ-MM-DD"))
            return None

    def code(self, data: dict[str, Any], key: str, path: str) -> str:
        """A code as the models take it: at most 30 letters, digits, - and _."""
        text = self.text(data, key, path, max_length=30)
        if text and len(text) <= 30:
            try:
                code_validator(text)
            except ValidationError:
                self.fail(f"{path}.{key}", text, _("bokstäver, siffror, - och _"))
        return text

    def boolean(self, data: dict[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", value, _("true eller false"))
            return False
        return value


ASSOCIATION_KEYS = {"slug", "name", "org_number", "seat", "website", "office"}
MEMBER_KEYS = {"code", "name", "kind", "population", "population_date", "populations", "former_names"}
INTERVENTION_KEYS = {
    "code",
    "name",
    "kind",
    "purpose",
    "target_groups",
    "follow_up",
    "esf",
    "provider",
    "places",
    "start",
    "end",
    "target_group",
    "description",
    "referral",
    "contact",
}
BOARD_KEYS = {"person", "member", "role", "office", "from", "to"}
GRANT_KEYS = {"intervention", "year", "amount", "decided_on", "note"}
CONTRIBUTION_KEYS = {"year", "total", "decided_on"}
TOP_KEYS = {
    "association",
    "members",
    "board",
    "interventions",
    "grants",
    "contributions",
}


@dataclass(frozen=True)
class Part:
    """A part of the file another app reads and writes (finance: the statement rows and the cost sharing),
    registered from its app config so that this module never imports the apps above it. `check` notes every
    problem in the checker and returns what `apply` writes, in the same transaction as the rest."""

    keys: frozenset[str]  # the top-level keys the part reads
    check: Callable[[Checker, dict[str, Any], set[str]], Any]  # (checker, the file, member codes) → data
    apply: Callable[[Actor, Association, Any, dict[str, Member]], None]  # members by code


PARTS: list[Part] = []


def register(part: Part) -> None:
    PARTS.append(part)


@dataclass
class Plan:
    """Everything the file says, checked; applied by apply()."""

    association: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)
    populations: list[tuple[str, dt.date, int]] = field(default_factory=list)
    former_names: list[tuple[str, dt.date, str]] = field(default_factory=list)  # (code, until, name)
    interventions: list[dict[str, Any]] = field(default_factory=list)
    board: list[dict[str, Any]] = field(default_factory=list)
    grants: list[dict[str, Any]] = field(default_factory=list)
    contributions: list[dict[str, Any]] = field(default_factory=list)
    parts: list[tuple[Part, Any]] = field(default_factory=list)  # each registered part with what it checked


def unique(check: Checker, items: list[dict[str, Any]], key: str, path: str) -> None:
    seen: set[Any] = set()
    for index, item in enumerate(items):
        value = item.get(key)
        if value in seen:
            check.fail(f"{path}[{index}].{key}", value, _("ett värde som inte redan finns i listan"))
        seen.add(value)


def _check_members(check: Checker, raw: Any, plan: Plan) -> None:
    kinds = [k.value for k in Member.Kind]
    for i, item in enumerate(check.items(raw, "members")):
        path = f"members[{i}]"
        data = check.mapping(item, path, MEMBER_KEYS, {"code", "name", "kind"})
        member = {
            "code": check.code(data, "code", path),
            "name": check.text(data, "name", path, required=True),
            "kind": check.choice(data, "kind", path, kinds),
        }
        plan.members.append(member)
        # A single figure (population, population_date) or a history (populations: [{count, date}, …]).
        figures: list[tuple[dict[str, Any], str, str, str]] = []
        if "population" in data or "population_date" in data:
            figures.append((data, path, "population", "population_date"))
        for j, entry in enumerate(check.items(data.get("populations"), f"{path}.populations")):
            where = f"{path}.populations[{j}]"
            figures.append((check.mapping(entry, where, {"count", "date"}, set()), where, "count", "date"))
        for figure, where, count_key, date_key in figures:
            count = check.integer(figure, count_key, where, minimum=1)
            day = check.date(figure, date_key, where)
            for key in (count_key, date_key):
                if figure.get(key) is None:
                    check.fail(f"{where}.{key}", None, _("ett värde (folkmängd och referensdatum hör ihop)"))
            if member["kind"] != Member.Kind.MUNICIPALITY:
                check.fail(
                    f"{where}.{count_key}", count, _("folkmängd endast för kommuner (kind: municipality)")
                )
            elif count is not None and day is not None:
                plan.populations.append((member["code"], day, count))
        _check_former_names(check, data.get("former_names"), path, member["code"], plan)
    unique(check, plan.members, "code", "members")


def _check_former_names(check: Checker, raw: Any, path: str, code: str, plan: Plan) -> None:
    """former_names: [{name, until}, …]: the names a member bore, each until the last day it was used."""
    days: set[dt.date] = set()
    for j, entry in enumerate(check.items(raw, f"{path}.former_names")):
        where = f"{path}.former_names[{j}]"
        data = check.mapping(entry, where, {"name", "until"}, {"name", "until"})
        name = check.text(data, "name", where, required=True)
        until = check.date(data, "until", where, required=True)
        if until in days:
            check.fail(f"{where}.until", data.get("until"), _("ett datum som inte redan finns i listan"))
        elif name and until is not None:
            days.add(until)
            plan.former_names.append((code, until, name))


def _target_groups(check: Checker, data: dict[str, Any], path: str) -> str:
    codes = []
    for j, code in enumerate(check.items(data.get("target_groups"), f"{path}.target_groups")):
        if code in classification.TARGET_GROUPS:
            codes.append(str(code))
        else:
            expected = _("en av %s") % ", ".join(classification.TARGET_GROUPS)
            check.fail(f"{path}.target_groups[{j}]", code, expected)
    return classification.join_target_groups(codes)


def _check_interventions(check: Checker, raw: Any, plan: Plan) -> None:
    kinds = [k.value for k in Intervention.Kind]
    follow_ups = [f.value for f in Intervention.FollowUp]
    for i, item in enumerate(check.items(raw, "interventions")):
        path = f"interventions[{i}]"
        data = check.mapping(item, path, INTERVENTION_KEYS, {"code", "name", "kind"})
        kind = check.choice(data, "kind", path, kinds)
        # The precise orientations of the intervention's orientation (the earlier three fit either).
        purposes = list(dict.fromkeys([*classification.PRECISE.get(kind, ()), *classification.EARLIER]))
        plan.interventions.append(
            {
                "code": check.code(data, "code", path),
                "name": check.text(data, "name", path, required=True),
                "kind": kind,
                "purpose": check.choice(data, "purpose", path, purposes, blank=True),
                "target_groups": _target_groups(check, data, path),
                "follow_up": check.choice(data, "follow_up", path, follow_ups)
                if "follow_up" in data
                else classification.default_follow_up(kind),
                "esf": check.boolean(data, "esf", path),
                "provider": check.text(data, "provider", path),
                "places": check.integer(data, "places", path),
                "start": check.date(data, "start", path),
                "end": check.date(data, "end", path),
                "target_group": check.text(data, "target_group", path, max_length=5000),
                "public_description": check.text(data, "description", path, max_length=20000),
                "referral_info": check.text(data, "referral", path, max_length=5000),
                "contact": check.text(data, "contact", path, max_length=300),
            }
        )
    unique(check, plan.interventions, "code", "interventions")


def _check_board(check: Checker, raw: Any, plan: Plan, member_codes: set[str]) -> None:
    roles = [r.value for r in BoardSeat.Role]
    offices = [o.value for o in BoardSeat.Office]
    for i, item in enumerate(check.items(raw, "board")):
        path = f"board[{i}]"
        data = check.mapping(item, path, BOARD_KEYS, {"person", "member", "role", "from"})
        seat = {
            "person": check.text(data, "person", path, required=True),
            "member": check.choice(data, "member", path, sorted(member_codes)),
            "role": check.choice(data, "role", path, roles),
            "office": check.choice(data, "office", path, offices, blank=True),
            "start": check.date(data, "from", path, required=True),
            "end": check.date(data, "to", path),
        }
        start, end = seat["start"], seat["end"]
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            check.fail(f"{path}.to", data.get("to"), _("ett datum som inte är före from"))
        plan.board.append(seat)


def _check_money(check: Checker, raw_grants: Any, raw_totals: Any, plan: Plan, codes: set[str]) -> None:
    for i, item in enumerate(check.items(raw_grants, "grants")):
        path = f"grants[{i}]"
        data = check.mapping(item, path, GRANT_KEYS, {"intervention", "year", "amount", "decided_on"})
        plan.grants.append(
            {
                "intervention": check.choice(data, "intervention", path, sorted(codes)),
                "year": check.integer(data, "year", path, minimum=2004),
                "amount": check.amount(data, "amount", path),
                "decided_on": check.date(data, "decided_on", path, required=True),
                "note": check.text(data, "note", path, max_length=300),
            }
        )
    for i, item in enumerate(check.items(raw_totals, "contributions")):
        path = f"contributions[{i}]"
        data = check.mapping(item, path, CONTRIBUTION_KEYS, {"year", "total"})
        plan.contributions.append(
            {
                "year": check.integer(data, "year", path, minimum=2004),
                "amount": check.amount(data, "total", path),
                "decided_on": check.date(data, "decided_on", path),
            }
        )
    unique(check, plan.contributions, "year", "contributions")


def read(path: Path) -> Plan:
    """Parse and check the whole file; raise OrgFileError listing every problem."""
    source = str(path)
    try:
        uploads.check_size(path, "organisation")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, uploads.FileTooLarge) as error:
        raise OrgFileError(
            source, [Problem("(filen)", source, _("en läsbar YAML-fil i UTF-8: %s") % error)]
        ) from None
    try:
        raw = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except (yaml.YAMLError, ValueError) as error:  # ValueError: an integer of more than 4 300 digits
        mark = getattr(error, "problem_mark", None)
        where = f"rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else "(filen)"
        problem = getattr(error, "problem", "") if isinstance(error, yaml.YAMLError) else str(error)
        raise OrgFileError(source, [Problem(where, problem, _("giltig YAML"))]) from None
    check = Checker()
    top = check.mapping(
        raw, "(filen)", TOP_KEYS | {key for part in PARTS for key in part.keys}, {"association"}
    )
    head = check.mapping(top.get("association"), "association", ASSOCIATION_KEYS, {"slug", "name"})
    slug = check.text(head, "slug", "association", max_length=50)
    try:
        slug_validator(slug)
    except ValidationError:
        check.fail("association.slug", slug, _("små bokstäver a–z, siffror och bindestreck"))
    plan = Plan(
        association={
            "slug": slug,
            "name": check.text(head, "name", "association", required=True),
            "org_number": check.text(head, "org_number", "association", max_length=11),
            "seat": check.text(head, "seat", "association", max_length=100),
            "website": _website(check, head),
            "office": check.text(head, "office", "association"),
        }
    )
    _check_members(check, top.get("members"), plan)
    member_codes = {m["code"] for m in plan.members}
    _check_interventions(check, top.get("interventions"), plan)
    _check_board(check, top.get("board"), plan, member_codes)
    intervention_codes = {i["code"] for i in plan.interventions}
    _check_money(check, top.get("grants"), top.get("contributions"), plan, intervention_codes)
    plan.parts = [(part, part.check(check, top, member_codes)) for part in PARTS]
    if check.problems:
        raise OrgFileError(source, check.problems)
    return plan


def _website(check: Checker, head: dict[str, Any]) -> str:
    website = check.text(head, "website", "association")
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            check.fail("association.website", website, _("en webbadress som https://exempel.se"))
    return website


def upsert(actor: Actor, association: Association, instance: Any, values: dict[str, Any]) -> Any:
    for key, value in values.items():
        setattr(instance, key, value)
    return core.save(actor, instance, association=association)


@transaction.atomic
def apply(actor: Actor, plan: Plan) -> Association:
    head = plan.association
    association = Association.objects.filter(slug=head["slug"]).first() or Association(slug=head["slug"])
    office = None
    if head["office"]:
        office = Office.objects.filter(name=head["office"]).first()
        office = office or core.save(actor, Office(name=head["office"]), association=None)
    # A file without org_number keeps the number the association has: the first SIE file may have given it,
    # and it is what keeps another organisation's books out of the ledger.
    values = {k: v for k, v in head.items() if k != "office" and (v or k != "org_number")} | {
        "office": office
    }
    association = upsert(actor, association, association, values)

    members = {m.code: m for m in association.members.all()}
    for data in plan.members:
        member = members.get(data["code"]) or Member(association=association)
        members[data["code"]] = upsert(actor, association, member, data)
    for code, day, count in plan.populations:
        population = Population.objects.filter(member=members[code], reference_date=day).first()
        population = population or Population(member=members[code], reference_date=day)
        population.count = count
        services.save_population(actor, population)
    for code, until, name in plan.former_names:
        former = MemberName.objects.filter(member=members[code], until=until).first()
        former = former or MemberName(member=members[code], until=until)
        former.name = name
        services.save_member_name(actor, former)

    interventions = {i.code: i for i in association.interventions.all()}
    for data in plan.interventions:
        intervention = interventions.get(data["code"]) or Intervention(association=association)
        interventions[data["code"]] = upsert(actor, association, intervention, data)

    for seat in plan.board:
        member = members[seat["member"]]
        person = services.person_named(actor, association, seat["person"])
        board_seat = BoardSeat.objects.filter(
            association=association, member=member, person=person, role=seat["role"], start=seat["start"]
        ).first() or BoardSeat(association=association, member=member, person=person, role=seat["role"])
        upsert(
            actor,
            association,
            board_seat,
            {"office": seat["office"], "start": seat["start"], "end": seat["end"]},
        )

    for grant in plan.grants:
        intervention = interventions[grant["intervention"]]
        decision = Grant.objects.filter(
            intervention=intervention, year=grant["year"], decided_on=grant["decided_on"]
        ).first() or Grant(intervention=intervention)
        values = {k: v for k, v in grant.items() if k != "intervention"}
        upsert(actor, association, decision, values)

    for total in plan.contributions:
        stored = ContributionTotal.objects.filter(association=association, year=total["year"]).first()
        upsert(actor, association, stored or ContributionTotal(association=association), total)

    for part, data in plan.parts:
        part.apply(actor, association, data, members)
    return association


def setup(path: Path, actor: Actor) -> Association:
    return apply(actor, read(path))
