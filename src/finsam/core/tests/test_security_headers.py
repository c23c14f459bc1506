"""Headers and deployment checks (issue 13, hole 11): a Content-Security-Policy without inline script, and
`manage.py check --deploy` clean under production settings."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role

TEMPLATES = sorted(Path(__file__).resolve().parents[2].glob("*/templates/**/*.html"))
SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=|javascript:""", re.IGNORECASE)


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_inline_script(client: Client) -> None:
    assoc = testing.association()
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    for path in ("/konto/logga-in/", "/katalog/", f"/f/{assoc.slug}/", "/static/finsam/finsam.css"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-eval" not in policy


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    assert len(TEMPLATES) > 50
    found = []
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        found += [f"{template}: {m.group(0)}" for m in SCRIPT.finditer(text) if "src=" not in m["attributes"]]
        found += [f"{template}: {m.group(0)}" for m in HANDLER.finditer(text)]
    assert found == []


def test_the_deployment_check_is_clean_in_production(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env |= {
        "FINSAM_ENV": "production",
        "FINSAM_DATA_DIR": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FINSAM_ALLOWED_HOSTS": "finsam.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-m", "finsam", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
