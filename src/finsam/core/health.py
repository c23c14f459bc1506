"""`/halsa/`: whether this server can do its work, as JSON for load balancers and monitoring.

200 when the database answers, every migration is applied, the job worker has reported in within the last
three minutes and the data dir's disk has room (settings HEALTH_MIN_FREE_BYTES); 503 naming what fails
otherwise. No login, never cached; what a failure was in detail goes to the log, not to the caller.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from finsam.core import jobs

logger = logging.getLogger(__name__)

Check = dict[str, Any]


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("the health check cannot reach the database")
        return {"ok": False, "vendor": connection.vendor, "message": _("Databasen svarar inte.")}
    return {"ok": True, "vendor": connection.vendor}


def migrations() -> Check:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unapplied = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    if unapplied:
        return {
            "ok": False,
            "unapplied": unapplied,
            "message": _("%(n)s migreringar återstår: kör finsam manage migrate.") % {"n": len(unapplied)},
        }
    return {"ok": True, "unapplied": []}


def worker(seen: dt.datetime | None, now: dt.datetime) -> Check:
    """The job worker's part: ok when it reported in within `jobs.WORKER_SILENT_AFTER` of now."""
    if seen is None:
        return {
            "ok": False,
            "last_seen": None,
            "message": _("Jobbkön har aldrig fått svar från någon arbetare: starta finsam worker."),
        }
    silent = now - seen
    check: Check = {
        "ok": silent <= jobs.WORKER_SILENT_AFTER,
        "last_seen": seen.isoformat(),
        "seconds_since": max(int(silent.total_seconds()), 0),
    }
    if not check["ok"]:
        check["message"] = _("Jobbköns arbetare hördes senast av för %(minutes)s minuter sedan.") % {
            "minutes": int(silent.total_seconds() // 60)
        }
    return check


def disk() -> Check:
    free = shutil.disk_usage(settings.DATA_DIR).free
    check: Check = {
        "ok": free >= settings.HEALTH_MIN_FREE_BYTES,
        "free_bytes": free,
        "min_free_bytes": settings.HEALTH_MIN_FREE_BYTES,
        "data_dir": settings.DATA_DIR.name,
    }
    if not check["ok"]:
        check["message"] = _("Det finns för lite ledigt utrymme för datakatalogen.")
    return check


def _unknown() -> Check:
    return {"ok": False, "message": _("Kan inte avgöras när databasen inte svarar.")}


@never_cache
@require_safe
def view(request: HttpRequest) -> JsonResponse:
    reached = database()
    checks = {
        "database": reached,
        "migrations": migrations() if reached["ok"] else _unknown(),
        "worker": _worker_check() if reached["ok"] else _unknown(),
        "disk": disk(),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fel", **checks},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )


def _worker_check() -> Check:
    try:
        seen = jobs.worker_seen()
    except DatabaseError:
        logger.exception("the health check cannot read when the job worker last reported in")
        return {"ok": False, "last_seen": None, "message": _("Kan inte läsa när arbetaren hördes av.")}
    return worker(seen, timezone.now())
