"""Participant keys: a personnummer becomes a keyed pseudonym under a key file outside the database."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from finsam import testing
from finsam.participants.identity import InvalidPersonalNumber, masked, participant_key, reason
from finsam.participants.models import KeyKind

pytestmark = pytest.mark.django_db


def test_a_personnummer_in_any_form_is_one_pseudonym_and_never_kept(pseudonym_key: Path) -> None:
    assoc = testing.association("hemma")
    forms = ["19121212-1212", "191212121212", "121212+1212", " 19121212 – 1212 "]
    keys = {participant_key(text, assoc) for text in forms}
    assert len(keys) == 1
    (key,) = keys
    assert key.kind == KeyKind.PERSONAL_NUMBER and key.own_key == ""
    assert len(key.pseudonym) == 64 and "1212" not in repr(key)
    assert stat.S_IMODE(pseudonym_key.stat().st_mode) == 0o600


def test_two_associations_get_unrelated_pseudonyms() -> None:
    one, two = testing.association("ett"), testing.association("tva", "Två")
    assert participant_key("19121212-1212", one).pseudonym != participant_key("19121212-1212", two).pseudonym
    assert participant_key("S-1", one).pseudonym != participant_key("S-1", two).pseudonym


def test_own_keys_are_compared_as_people_read_them() -> None:
    assoc = testing.association("hemma")
    assert participant_key(" ab  12 ", assoc).pseudonym == participant_key("AB 12", assoc).pseudonym
    assert participant_key("AB 12", assoc).own_key == "AB 12"


def test_a_mistyped_personnummer_is_refused_in_swedish_and_masked() -> None:
    assoc = testing.association("hemma")
    with pytest.raises(InvalidPersonalNumber) as caught:
        participant_key("19121212-1213", assoc)
    assert reason(caught.value) == "kontrollsiffran ska vara 2"
    with pytest.raises(InvalidPersonalNumber) as caught:
        participant_key("19121312-1212", assoc)
    assert reason(caught.value) == "datumet 1912-13-12 finns inte"
    assert masked("19121212-1213") == "********-****"
