"""The demo: two associations built from the seed reports, demo users, and the reports written from them.

Everything goes through the same paths a user takes (the organisation file, the services), and loading twice
changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.accounts import services as accounts
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.core import documents
from finsam.core.audit import Actor
from finsam.demo import reports as demo_reports
from finsam.finance import budget, sie_import
from finsam.goals import demo as goals_demo
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.participants import demo as participants_demo

DATA = Path(__file__).resolve().parent / "data"
LEDGERS = DATA / "sie"
BUDGETS = DATA / "budget"
# The statements the demo writes: the dates of the seed reports.
STATEMENT_DATES = {"sodra-vatterbygden": dt.date(2023, 6, 30), "finnveden": dt.date(2023, 12, 31)}
FILES = ("sodra-vatterbygden.yaml", "finnveden.yaml")
PASSWORD = "demo"
STATEMENT_KINDS = ("income-statement", "balance-sheet")
# The board's documents of the seeds: interim report 2023 H1 (000), annual report 2023 (001),
# business plan 2012 (004); and Finnveden's business plan for 2023, the year its goals and budget are for.
BOARD_REPORTS = {
    "sodra-vatterbygden": [
        ("interim-report", dt.date(2023, 6, 30)),
        ("business-plan", dt.date(2012, 12, 31)),
    ],
    "finnveden": [("annual-report", dt.date(2023, 12, 31)), ("business-plan", dt.date(2023, 12, 31))],
}

# username, full name, what the login shows; roles below.
LOGINS = (
    ("kansli", "kansliadministratör i båda demoförbunden"),
    ("ekonom", "ekonom i båda demoförbunden"),
    ("registrator", "deltagarregistrator för Samverkansteam Finnveden"),
    ("styrelse", "styrelseledamot i Finnvedens Samordningsförbund (rapporter och sammanställningar)"),
    ("styrelse2", "styrelseledamot i Finnvedens Samordningsförbund, har godkänt årsredovisningen 2023"),
    ("dataskydd", "dataskyddsombud i båda demoförbunden (åtkomstloggar)"),
)
NAMES = {
    "kansli": ("Karin", "Kansli"),
    "ekonom": ("Erik", "Ekonom"),
    "registrator": ("Rita", "Registrator"),
    "styrelse": ("Sara", "Styrelse"),
    "styrelse2": ("Sten", "Styrelse"),
    "dataskydd": ("Dan", "Dataskydd"),
}
ROLES: tuple[tuple[str, Role, str, tuple[str, ...]], ...] = (
    ("kansli", Role.OFFICE_ADMIN, "sodra-vatterbygden", ()),
    ("kansli", Role.OFFICE_ADMIN, "finnveden", ()),
    ("ekonom", Role.ECONOMIST, "sodra-vatterbygden", ()),
    ("ekonom", Role.ECONOMIST, "finnveden", ()),
    ("registrator", Role.REGISTRAR, "finnveden", ("SAMVERKANSTEAM",)),
    ("styrelse", Role.BOARD_MEMBER, "finnveden", ()),
    ("styrelse2", Role.BOARD_MEMBER, "finnveden", ()),
    ("dataskydd", Role.DATA_PROTECTION_OFFICER, "sodra-vatterbygden", ()),
    ("dataskydd", Role.DATA_PROTECTION_OFFICER, "finnveden", ()),
)


@dataclass(frozen=True)
class Loaded:
    associations: list[Association]


def _user(actor: Actor, username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        first, last = NAMES[username]
        user, _password = accounts.create_user(actor, username, first, last, "", password=PASSWORD)
    return user


@transaction.atomic
def load() -> Loaded:
    actor = Actor.command("demo")
    associations = [orgfile.setup(DATA / name, actor) for name in FILES]
    by_slug = {a.slug: a for a in associations}
    for username, role, slug, codes in ROLES:
        association = by_slug[slug]
        interventions = list(association.interventions.filter(code__in=codes)) if codes else None
        accounts.grant_role(actor, _user(actor, username), association, role, interventions)
    for path in sorted(LEDGERS.glob("*.se")):
        sie_import.import_file(path, by_slug[path.stem.rsplit("-", 1)[0]], Actor.command("import sie"))
    for path in sorted(BUDGETS.glob("*.csv")):
        budget.import_file(path, by_slug[path.stem.rsplit("-", 1)[0]], Actor.command("import budget"))
    participants_demo.load(by_slug, actor)
    goals_demo.load(by_slug, actor)
    demo_reports.load(by_slug, actor)
    return Loaded(associations)


def logins() -> list[tuple[str, str]]:
    """The demo's logins to print: a board member who has approved with her authenticator logs in with its
    code too, so its key is shown for an authenticator app (or `oathtool --totp -b KEY`)."""
    shown = []
    for username, description in LOGINS:
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is not None:
            key = accounts.totp_secret_base32(device)
            description += f" (tvåstegsinloggning, nyckel för autentiseringsappen: {key})"
        shown.append((username, description))
    return shown


def write_reports(folder: Path) -> list[Path]:
    """Every report the demo data gives, in every format, into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for association in Association.objects.filter(slug__in=[f.removesuffix(".yaml") for f in FILES]):
        reports = [
            ("contributions", documents.Period(dt.date(t.year, 1, 1), dt.date(t.year, 12, 31)))
            for t in association.contribution_totals.all()
        ]
        day = STATEMENT_DATES[association.slug]
        reports += [(kind, documents.Period(day.replace(month=1, day=1), day)) for kind in STATEMENT_KINDS]
        reports.append(("participants", documents.Period(day.replace(month=1, day=1), day)))
        if goals_demo.has_goals(association, day.year):
            reports.append(("goals", documents.Period(day.replace(month=1, day=1), day)))
        reports += [
            (kind, documents.Period(end.replace(month=1, day=1), end))
            for kind, end in BOARD_REPORTS[association.slug]
        ]
        for kind, period in reports:
            gathered = documents.gather(kind, association, period)
            for fmt in documents.FORMATS:
                path = folder / f"{gathered.document.filename}.{fmt}"
                path.write_bytes(documents.render(gathered, fmt))
                written.append(path)
    return written
