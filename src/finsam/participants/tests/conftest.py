from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def pseudonym_key() -> Path:
    """The key file of the pseudonyms: one for the whole run, outside the database (finsam/conftest.py)."""
    return Path(settings.PSEUDONYM_KEY_FILE)
