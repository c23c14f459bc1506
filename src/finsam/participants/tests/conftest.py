from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from finsam import testing
from finsam.organisation.models import Association, Intervention


@pytest.fixture
def pseudonym_key() -> Path:
    """The key file of the pseudonyms: one for the whole run, outside the database (finsam/conftest.py)."""
    return Path(settings.PSEUDONYM_KEY_FILE)


# The columns of a participant file, as docs/participants.md lists them.
HEADER = (
    "insats;deltagare;kön;födelseår;kommun;remittent;remissdatum;inskrivningsdatum;avslutsdatum;avslutsorsak;"
    "försörjning_före;försörjning_efter;år_med_offentlig_försörjning"
)


@pytest.fixture
def assoc() -> Association:
    """An association with one intervention, STEG (a test module may define its own)."""
    made = testing.association("hemma", "Samordningsförbundet Hemma")
    testing.intervention(made, "STEG")
    return made


@pytest.fixture
def steg(assoc: Association) -> Intervention:
    return assoc.interventions.get(code="STEG")
