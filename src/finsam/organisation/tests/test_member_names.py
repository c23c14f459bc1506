"""A member's name has a history, as its population does: former names each used until a day, kept from the
organisation file and the web, and read for a day by the board's documents (organisation/names.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry
from finsam.organisation import names, orgfile
from finsam.organisation.models import Association, Member, MemberName
from finsam.reports.board import common

pytestmark = pytest.mark.django_db

FILE = """\
association: {slug: vatterdalen, name: Samordningsförbundet Vätterdalen}
members:
  - code: RJL
    name: Region Jönköpings län
    kind: region
    former_names:
      - {name: Landstinget i Jönköpings län, until: 2014-12-31}
      - {name: Jönköpings läns landsting, until: 2009-06-30}
  - code: FK
    name: Staten gm Försäkringskassan
    kind: state
    former_names: [{name: Försäkringskassan, until: 2014-12-31}]
  - {code: HABO, name: Habo kommun, kind: municipality, population: 12731, population_date: 2023-11-01}
  - {code: JKPG, name: Jönköpings kommun, kind: municipality}
"""


def setup(tmp_path: Path, text: str) -> Association:
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    return orgfile.setup(path, testing.SYSTEM)


def test_a_member_bears_the_name_of_the_day(tmp_path: Path) -> None:
    association = setup(tmp_path, FILE)
    region = Member.objects.get(association=association, code="RJL")
    by_day = {
        day: names.names_on(association, day).of(region)
        for day in (
            dt.date(2008, 1, 1),
            dt.date(2009, 6, 30),
            dt.date(2009, 7, 1),
            dt.date(2014, 12, 31),
            dt.date(2015, 1, 1),
        )
    }
    assert list(by_day.values()) == [
        "Jönköpings läns landsting",
        "Jönköpings läns landsting",  # the last day a name was used is its own
        "Landstinget i Jönköpings län",
        "Landstinget i Jönköpings län",
        "Region Jönköpings län",
    ]
    habo = Member.objects.get(association=association, code="HABO")
    assert names.names_on(association, dt.date(2008, 1, 1)).of(habo) == "Habo kommun"  # never renamed


def test_a_text_takes_the_names_of_the_day_as_whole_names(tmp_path: Path) -> None:
    association = setup(tmp_path, FILE)
    in_2012 = names.names_on(association, dt.date(2012, 12, 31))
    assert in_2012.text("Driftbidrag från Region Jönköpings län") == (
        "Driftbidrag från Landstinget i Jönköpings län"
    )
    # "Staten gm Försäkringskassan" is replaced whole; a word that only contains a name is left alone.
    assert in_2012.text("Staten gm Försäkringskassan och Region Jönköpings länsdel") == (
        "Försäkringskassan och Region Jönköpings länsdel"
    )
    assert names.names_on(association, dt.date(2023, 1, 1)).text("Region Jönköpings län") == (
        "Region Jönköpings län"
    )
    # The board's documents list the members as they were named in their year.
    assert common.member_list(association, dt.date(2012, 12, 31)) == (
        "Försäkringskassan, Landstinget i Jönköpings län och kommunerna Habo och Jönköping"
    )
    assert common.member_list(association, dt.date(2023, 12, 31)) == (
        "Staten gm Försäkringskassan, Region Jönköpings län och kommunerna Habo och Jönköping"
    )


def test_the_file_keeps_former_names_and_loading_it_again_changes_nothing(tmp_path: Path) -> None:
    association = setup(tmp_path, FILE)
    stored = MemberName.objects.filter(member__association=association).order_by("until", "name")
    assert [(n.member.code, n.name, n.until) for n in stored] == [
        ("RJL", "Jönköpings läns landsting", dt.date(2009, 6, 30)),
        ("FK", "Försäkringskassan", dt.date(2014, 12, 31)),
        ("RJL", "Landstinget i Jönköpings län", dt.date(2014, 12, 31)),
    ]
    assert AuditEntry.objects.filter(object_type="organisation.membername").count() == 3
    entries = AuditEntry.objects.count()
    setup(tmp_path, FILE)
    assert AuditEntry.objects.count() == entries
    # A file without former names (every file written before them) is as valid, and keeps those stored.
    setup(
        tmp_path,
        "\n".join(line for line in FILE.splitlines() if "former_names" not in line and "until" not in line),
    )
    assert MemberName.objects.filter(member__association=association).count() == 3


def test_a_bad_former_name_is_named_and_changes_nothing(tmp_path: Path) -> None:
    bad = FILE.replace("until: 2009-06-30", "until: 2014-12-31").replace(
        "{name: Försäkringskassan, until: 2014-12-31}", "{name: '  ', until: 2014-13-01}"
    )
    with pytest.raises(orgfile.OrgFileError) as raised:
        setup(tmp_path, bad)
    problems = [(p.path, p.value) for p in raised.value.problems]
    assert problems == [
        ("members[0].former_names[1].until", "2014-12-31"),
        ("members[1].former_names[0].name", "  "),
        ("members[1].former_names[0].until", "2014-13-01"),
    ]
    assert not MemberName.objects.exists()


def test_the_office_adds_a_former_name_on_the_members_page(client: Client) -> None:
    association = testing.association()
    [state, *_others] = testing.members(association, {"HABO": 12000})
    client.force_login(testing.user("karin", (association, Role.OFFICE_ADMIN)))
    url = f"/f/{association.slug}/medlemmar/{state.pk}/tidigare-namn/"
    answer = client.post(
        url, {"name": "Försäkringskassan", "until": "2014-12-31"}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200
    assert "Försäkringskassan" in answer.content.decode() and "2014-12-31" in answer.content.decode()
    [former] = MemberName.objects.filter(member=state)
    assert (former.name, former.until) == ("Försäkringskassan", dt.date(2014, 12, 31))
    assert AuditEntry.objects.filter(object_type="organisation.membername", object_id=str(former.pk)).exists()
    # The same day twice is a form error, not a crash; the page shows the history.
    again = client.post(url, {"name": "Annat namn", "until": "2014-12-31"}, headers={"HX-Request": "true"})
    assert again.status_code == 200 and MemberName.objects.filter(member=state).count() == 1
    page = client.get(f"/f/{association.slug}/medlemmar/{state.pk}/").content.decode()
    assert "Tidigare namn" in page and "Försäkringskassan" in page

    reader = Client()
    reader.force_login(testing.user("rita", (association, Role.BOARD_MEMBER)))
    assert reader.post(url, {"name": "X", "until": "2010-01-01"}).status_code == 403
