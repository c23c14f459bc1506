from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def pseudonym_key(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each test session has its own pseudonymisation key, outside the database as in production."""
    path = tmp_path_factory.getbasetemp() / "pseudonym-key"
    settings.PSEUDONYM_KEY_FILE = path
    return path
