"""A personnummer in disguise never becomes an own key, and no personnummer typed into a form comes back in
the page: not after a refused enrolment or referral, not in the search box, not in an import's messages.

The attack these replay: `8501O11236` (letter O for zero) was kept as an own key and exported in clear, a
refused duplicate enrolment showed the typed number again, and the search box was refilled with it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.imports import ImportRejected
from finsam.organisation.models import Association, Intervention
from finsam.participants import imports
from finsam.participants.identity import InvalidPersonalNumber, participant_key
from finsam.participants.models import Episode, KeyKind, Referral
from finsam.participants.tests.conftest import HEADER
from finsam.participants.tests.factories import episode

pytestmark = pytest.mark.django_db

NUMBER = "19850101-1236"  # valid
# Each holds the digits 850101 and 1236 in disguise: letters for digits, odd dashes and blanks. None is a
# valid number as typed, so each is refused.
LOOKALIKES = (
    "8501O11236",
    "85O1O1-1236",
    "19850l01-1236",
    "I9850101-I236",
    "8501\u041e11236",  # Cyrillic O
    "pnr 85O1O1\u00a0-\u00a0l236",
)
# The same valid number as a spreadsheet or a phone may send it: one participant, never an own key.
SAME_NUMBER = (
    "19850101\u20151236",
    "19850101\u2212\u00a01236",
    "850101\u20101236",
    "１９８５０１０１－１２３６",
)


@pytest.fixture
def client(assoc: Association, steg: Intervention) -> Client:
    made = Client()
    made.force_login(testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg]))
    return made


def _enrol(client: Client, steg: Intervention, key: str, **extra: str) -> str:
    data = {
        "intervention": str(steg.pk),
        "participant": key,
        "legal_basis": "samtycke",
        "gender": "kvinna",
        "birth_year": "1985",
        "municipality": "Gnosjö",
        "enrolled_on": "2025-01-10",
        **extra,
    }
    response = client.post("/f/hemma/deltagare/ny/", data)
    assert response.status_code in (200, 302)
    return response.content.decode()


def _no_number(page: str, typed: str = NUMBER) -> None:
    """Neither the typed text nor its birth date or serial number is in the page."""
    assert typed not in page
    for part in ("850101", "85O1O1", "8501O1", "1236", "l236", "I236"):
        assert part not in page, part


# 1. Lookalikes are refused as own keys, on the web, in an import, and so never exported.


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_a_number_in_disguise_is_refused_and_never_echoed(
    typed: str, assoc: Association, steg: Intervention, client: Client
) -> None:
    with pytest.raises(InvalidPersonalNumber):
        participant_key(typed, assoc)
    page = _enrol(client, steg, typed)
    assert "Inget giltigt personnummer" in page
    _no_number(page, typed)
    assert not Episode.objects.exists()
    with pytest.raises(ImportRejected) as caught:
        imports.plan(
            f"{HEADER}\nSTEG;{typed};kvinna;1985;Gnosjö;;;2025-01-10;;;;;\n".encode(), "f.csv", assoc
        )
    [problem] = caught.value.problems
    assert problem.column == "deltagare" and set(problem.value) & set("0123456789Ol") == set()
    _no_number(str(caught.value), typed)
    assert not Episode.objects.exists()
    export = load_workbook(io.BytesIO(client.get("/f/hemma/deltagare/lista.xlsx").content)).active
    assert export.max_row == 1  # the header only


@pytest.mark.parametrize("typed", SAME_NUMBER)
def test_a_valid_number_in_any_dash_blank_or_digit_is_the_same_participant(
    typed: str, assoc: Association
) -> None:
    key = participant_key(typed, assoc)
    assert key.kind == KeyKind.PERSONAL_NUMBER and key.own_key == ""
    assert key.pseudonym == participant_key(NUMBER, assoc).pseudonym


# 2. A form shown again after an error never holds the number typed into it.


def test_a_refused_duplicate_enrolment_does_not_show_the_number(steg: Intervention, client: Client) -> None:
    _enrol(client, steg, NUMBER)
    assert Episode.objects.count() == 1
    page = _enrol(client, steg, NUMBER)
    assert "finns redan" in page
    _no_number(page)
    assert Episode.objects.count() == 1


def test_an_enrolment_refused_for_another_field_does_not_show_the_number(
    steg: Intervention, client: Client
) -> None:
    page = _enrol(client, steg, NUMBER, birth_year="fel")
    assert "errorlist" in page or "fel" in page
    _no_number(page)
    assert not Episode.objects.exists()


def test_a_refused_referral_does_not_show_the_number(steg: Intervention, client: Client) -> None:
    data = {"intervention": str(steg.pk), "source": "", "received_on": "2025-01-10", "participant": NUMBER}
    page = client.post("/f/hemma/deltagare/remisser/ny/", data).content.decode()
    assert "remittent" in page.lower()
    _no_number(page)
    assert not Referral.objects.exists()


def test_an_own_key_is_shown_again_after_an_error(steg: Intervention, client: Client) -> None:
    page = _enrol(client, steg, "ST-001", birth_year="fel")
    assert 'value="ST-001"' in page


# 3. The search box is not refilled with a number, and paging through its result posts a pseudonym.


@pytest.mark.parametrize("typed", [NUMBER, "19850101-1237", *LOOKALIKES, *SAME_NUMBER])
def test_the_search_box_is_not_refilled_with_a_number(typed: str, steg: Intervention, client: Client) -> None:
    episode(steg, NUMBER)
    page = client.post("/f/hemma/deltagare/lista/", {"q": typed, "status": "alla"}).content.decode()
    assert "sökresultat" in page
    _no_number(page, typed)
    assert ('name="q" value=""' in page) or ('name="q" value' not in page)


def test_a_number_search_finds_its_participant_and_pages_by_pseudonym(
    assoc: Association, steg: Intervention, client: Client
) -> None:
    for day in range(55):
        episode(steg, NUMBER, enrolled=dt.date(2020, 1, 1) + dt.timedelta(days=day))
    episode(steg, "XY-001")
    pseudonym = participant_key(NUMBER, assoc).pseudonym
    first = client.post("/f/hemma/deltagare/lista/", {"q": NUMBER, "status": "alla"}).content.decode()
    assert "55 episoder" in first and "Sida 1 av 2" in first and "XY-001" not in first
    _no_number(first)
    assert f'name="nyckel" value="{pseudonym}"' in first
    second = client.post(
        "/f/hemma/deltagare/lista/",
        {"nyckel": pseudonym, "status": "alla", "sida": "2"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "55 episoder" in second and "Sida 2 av 2" in second and "XY-001" not in second
    _no_number(second)
    # Anything but a pseudonym there is no search at all: the field is no way around the search box.
    other = client.post("/f/hemma/deltagare/lista/", {"nyckel": NUMBER, "status": "alla"}).content.decode()
    assert "XY-001" in other and "55 episoder" not in other
