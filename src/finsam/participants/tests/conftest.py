from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def pseudonym_key(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each test session has its own keys for pseudonyms and sealed copies, outside the database."""
    path = tmp_path_factory.getbasetemp() / "pseudonym-key"
    settings.PSEUDONYM_KEY_FILE = path
    settings.IDENTITY_KEY_FILE = path.with_name("identity-key")
    return path
