"""The reports' jobs on the queue (finsam.core.jobs)."""

from __future__ import annotations

import contextlib
from typing import Any

from finsam.core.audit import Actor
from finsam.reports import services
from finsam.reports.models import ReportVersion


def render(version_id: int, actor: dict[str, Any]) -> None:
    """Make a locked version's files; a version that has them, or is gone, is left as it is."""
    version = ReportVersion.objects.filter(pk=version_id, status=ReportVersion.Status.LOCKED).first()
    if version is None:
        return
    # A failure is in the trail: the version's page says the files could not be made and offers to try again.
    with contextlib.suppress(services.FilesMissing):
        services.render_files(Actor.from_job_argument(actor), version)
