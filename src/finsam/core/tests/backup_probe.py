"""What the backup tests read from, and do to, an installation, each in a process of its own like the command:
`python -m finsam.core.tests.backup_probe lock|state` with FINSAM_DATA_DIR (and DATABASE_URL) set.

- `lock`: the demo's board members approve Finnveden's annual report 2023 with their authenticators, which
  locks it, and its files are rendered; Finnveden gets a Word template of its own; the key of sealed
  personnummer is made.
- `state`: prints as JSON every report kind of the demo as `finsam report KIND --format json` writes it (the
  same two calls), the SHA-256 of every locked report file, the ledger's rows by year and the imports in
  force, and on SQLite the database's integrity check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from typing import Any


def lock() -> None:
    from django.conf import settings

    from finsam import testing
    from finsam.core import documents
    from finsam.core.audit import Actor
    from finsam.demo.build import STATEMENT_DATES
    from finsam.organisation.models import Association
    from finsam.privacy.identity import load_or_create_key
    from finsam.reports import services

    actor = Actor.command("test")
    finnveden = Association.objects.get(slug="finnveden")
    version = services.start_version(actor, finnveden, "annual-report", STATEMENT_DATES["finnveden"])
    testing.approve_by_board(version)  # each member with her authenticator; the last approval locks it
    services.render_files(actor, version)  # what the queued job does when a worker takes it
    version.refresh_from_db()
    assert version.locked and version.files.count() == len(documents.FORMATS)
    gathered = documents.gather(
        "members", finnveden, documents.Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    )
    services.set_word_template(actor, finnveden, documents.render(gathered, "docx"))
    load_or_create_key(settings.IDENTITY_KEY_FILE)


def _periods(slug: str) -> list[Any]:
    from finsam.core.documents import Period
    from finsam.demo.build import BOARD_REPORTS, STATEMENT_DATES

    ends = sorted(
        {STATEMENT_DATES[slug], dt.date(2024, 12, 31), *(end for _kind, end in BOARD_REPORTS[slug])}
    )
    return [Period(dt.date(end.year, 1, 1), end) for end in ends]


def state() -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count

    from finsam.core import documents
    from finsam.finance.models import LedgerImport, LedgerRow
    from finsam.organisation.models import Association
    from finsam.reports.models import ReportFile

    reports = {}
    for association in Association.objects.order_by("slug"):
        for period in _periods(association.slug):
            for kind in sorted(documents.KINDS):
                key = f"{kind} {association.slug} {period.start}–{period.end}"
                try:
                    gathered = documents.gather(kind, association, period)
                except documents.ReportUnavailable as error:
                    reports[key] = f"unavailable: {error}"
                    continue
                reports[key] = documents.render(gathered, "json").decode("utf-8")
    locked = {
        f"{f.version.association.slug} {f.version} {f.format}": hashlib.sha256(bytes(f.content)).hexdigest()
        for f in ReportFile.objects.select_related("version__association")
    }
    rows = (
        LedgerRow.objects.values("source__year_start").annotate(n=Count("id")).order_by("source__year_start")
    )
    integrity = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            integrity = cursor.execute("PRAGMA integrity_check").fetchall()[0][0]
    return {
        "reports": reports,
        "locked": locked,
        "ledger_rows": {str(r["source__year_start"]): r["n"] for r in rows},
        "imports_in_force": LedgerImport.objects.filter(in_force=True).count(),
        "integrity": integrity,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    import django

    django.setup()
    if sys.argv[1] == "lock":
        lock()
    else:
        json.dump(state(), sys.stdout, ensure_ascii=False, sort_keys=True)
