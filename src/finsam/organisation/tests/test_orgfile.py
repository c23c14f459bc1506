from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finsam import testing
from finsam.core.models import AuditEntry
from finsam.finance.models import StatementRow
from finsam.organisation import orgfile
from finsam.organisation.models import Association, Intervention, Member
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db

# The smallest organisation file of the public format: only its stable keys (docs/organisation-file.md).
# ruff: noqa: E501
INTERFACES_EXAMPLE = """\
association: {slug: sodra-vatterbygden, name: Samordningsförbundet Södra Vätterbygden}
members:
  - {code: FK,    name: Staten gm Försäkringskassan, kind: state}
  - {code: RJL,   name: Region Jönköpings län,       kind: region}
  - {code: AF,    name: Arbetsförmedlingen,          kind: employment_service}
  - {code: HABO,  name: Habo kommun,  kind: municipality, population: 12731, population_date: 2023-11-01}
interventions:
  - {code: ENTER, name: Enter, kind: individual, provider: Jönköpings kommun, places: 40}
income_statement:
  - {code: HABO,  name: Habo kommun, section: income, accounts: "3510", member: HABO}
  - {code: ENTER, name: Enter, section: operations, category: individual, accounts: "4000-7999", object: "6:ENTER"}
  - {code: KANSLI, name: Kansli, section: administration, accounts: "4000-7999", object: "6:KANSLI"}
  - {code: BALANSERAT, name: Balanserat resultat föreg år, section: income, budget_only: true}
balance_sheet:
  - {code: FORDRINGAR, name: Övriga fordringar, section: assets, accounts: "1500-1799"}
  - {code: KASSA, name: Kassa och bank, section: assets, accounts: "1900-1999"}
  - {code: SKULDER, name: Kortfristiga skulder, section: liabilities, accounts: "2400-2999"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "organisation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_creates_the_association_of_the_interfaces_example(tmp_path: Path) -> None:
    association = orgfile.setup(write(tmp_path, INTERFACES_EXAMPLE), testing.SYSTEM)
    assert association.name == "Samordningsförbundet Södra Vätterbygden"
    kinds = dict(association.members.values_list("code", "kind"))
    assert kinds == {"FK": "state", "RJL": "region", "AF": "employment_service", "HABO": "municipality"}
    habo = association.members.get(code="HABO")
    assert [(p.reference_date.isoformat(), p.count) for p in habo.populations.all()] == [
        ("2023-11-01", 12731)
    ]
    enter = association.interventions.get(code="ENTER")
    assert (enter.kind, enter.provider, enter.places) == ("individual", "Jönköpings kommun", 40)
    rows = list(association.statement_rows.filter(statement=StatementRow.Statement.INCOME))
    assert [(r.code, r.accounts, r.object, r.budget_only) for r in rows] == [
        ("HABO", "3510", "", False),
        ("ENTER", "4000-7999", "6:ENTER", False),
        ("KANSLI", "4000-7999", "6:KANSLI", False),
        ("BALANSERAT", "", "", True),
    ]
    assert rows[0].member == habo
    balance = association.statement_rows.filter(statement=StatementRow.Statement.BALANCE)
    assert [r.code for r in balance] == ["FORDRINGAR", "KASSA", "SKULDER"]


def test_the_shared_example_file_sets_up_exempeldalen() -> None:
    path = EXAMPLES / "organisation.yaml"
    association = orgfile.setup(path, testing.SYSTEM)
    assert association.slug == "exempel"
    assert association.members.count() == 5
    assert association.statement_rows.count() == 11 + 3


def test_setting_up_twice_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, INTERFACES_EXAMPLE)
    orgfile.setup(path, testing.SYSTEM)
    entries = AuditEntry.objects.count()
    orgfile.setup(path, testing.SYSTEM)
    assert AuditEntry.objects.count() == entries
    assert Member.objects.count() == 4


def test_a_changed_file_updates_and_is_audited(tmp_path: Path) -> None:
    orgfile.setup(write(tmp_path, INTERFACES_EXAMPLE), testing.SYSTEM)
    changed = INTERFACES_EXAMPLE.replace("places: 40", "places: 45")
    orgfile.setup(write(tmp_path, changed), testing.SYSTEM)
    assert Intervention.objects.get(code="ENTER").places == 45
    entry = AuditEntry.objects.filter(action="intervention.update").get()
    assert entry.changed_fields() == [("places", 40, 45)]
    assert entry.changes() == [("platser", 40, 45)]
    assert entry.actor == "test"


def test_a_planet_is_refused_naming_the_key_and_value_and_nothing_changes(tmp_path: Path) -> None:
    bad = INTERFACES_EXAMPLE.replace("kind: employment_service", "kind: planet")
    with pytest.raises(orgfile.OrgFileError) as raised:
        orgfile.setup(write(tmp_path, bad), testing.SYSTEM)
    message = str(raised.value)
    assert "members[2].kind" in message
    assert "'planet'" in message
    assert "state, region, municipality, employment_service" in message
    assert Association.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_every_problem_of_a_file_is_named_at_once(tmp_path: Path) -> None:
    bad = (
        INTERFACES_EXAMPLE.replace("kind: employment_service", "kind: planet")
        .replace("places: 40", "places: många")
        .replace('accounts: "1900-1999"', 'accounts: "1999-1900"')
        .replace('object: "6:ENTER"', 'object: "ENTER"')
        .replace("population_date: 2023-11-01", "population_date: 2023-11-31")
    )
    with pytest.raises(orgfile.OrgFileError) as raised:
        orgfile.setup(write(tmp_path, bad), testing.SYSTEM)
    paths = [p.path for p in raised.value.problems]
    assert paths == [
        "members[2].kind",
        "members[3].population_date",
        "interventions[0].places",
        "income_statement[1].object",
        "balance_sheet[1].accounts",
    ]


def test_an_unknown_key_and_a_missing_key_are_named(tmp_path: Path) -> None:
    bad = INTERFACES_EXAMPLE.replace("{code: FK,    name", "{kod: FK,    name")
    with pytest.raises(orgfile.OrgFileError) as raised:
        orgfile.setup(write(tmp_path, bad), testing.SYSTEM)
    assert [p.path for p in raised.value.problems] == ["members[0].kod", "members[0].code"]


def test_broken_yaml_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(orgfile.OrgFileError) as raised:
        orgfile.setup(write(tmp_path, "association: {slug: x\nmembers: ["), testing.SYSTEM)
    assert raised.value.problems[0].path.startswith("rad ")


def test_grants_and_contribution_totals_are_read(tmp_path: Path) -> None:
    text = INTERFACES_EXAMPLE.replace(
        "income_statement:",
        "grants:\n  - {intervention: ENTER, year: 2023, amount: '2 819 000', decided_on: 2022-11-24}\n"
        "contributions:\n  - {year: 2024, total: 8892000}\nincome_statement:",
    )
    association = orgfile.setup(write(tmp_path, text), testing.SYSTEM)
    grant = association.interventions.get(code="ENTER").grants.get()
    assert (grant.year, grant.amount) == (2023, Decimal("2819000.00"))
    assert association.contribution_totals.get().amount == Decimal(8892000)


def test_every_organisation_list_downloads_as_xlsx_for_anyone_who_sees_it(tmp_path: Path) -> None:
    import io

    from django.test import Client
    from openpyxl import load_workbook

    from finsam.accounts.roles import Role

    association = orgfile.setup(write(tmp_path, INTERFACES_EXAMPLE), testing.SYSTEM)
    client = Client()
    client.force_login(testing.user("rita", (association, Role.REGISTRAR)))
    response = client.get(f"/f/{association.slug}/rapporter/members.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [row[0] for row in rows] == [
        "Staten gm Försäkringskassan",
        "Region Jönköpings län",
        "Habo kommun",
        "Arbetsförmedlingen",
    ]
    habo = rows[2]
    assert habo[:4] == ("Habo kommun", "HABO", "Kommun", 12731)
    assert habo[4].date() == dt.date(2023, 11, 1)  # an Excel date
    for kind in ("board", "interventions", "grants"):
        assert client.get(f"/f/{association.slug}/rapporter/{kind}.xlsx").status_code == 200
    assert (
        client.get(f"/f/{association.slug}/rapporter/balance-sheet.xlsx?datum=2025-06-30").status_code == 403
    )
