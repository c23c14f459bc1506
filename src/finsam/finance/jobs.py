"""Imports started from the web app run in a thread beside the request; the page polls their progress.

With the setting `IMPORT_JOBS_INLINE` (the tests set it) the import runs inside the request instead, so that
a test reads the finished job without a thread to wait for.

The uploaded file is kept in the data dir while the import runs and removed afterwards. The import itself is
the same all-or-nothing function the command line uses; the job only records how far it has come and how it
ended.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection

from finsam.core.audit import Actor
from finsam.core.imports import ImportRejected
from finsam.finance import budget, sie_import
from finsam.finance.models import ImportJob
from finsam.organisation.models import Association

PROGRESS_EVERY = 0.5  # seconds between progress writes


def start(actor: Actor, association: Association, kind: str, name: str, chunks: Iterable[bytes]) -> ImportJob:
    folder = Path(settings.DATA_DIR) / "importer"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}-{Path(name).name}"
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    job = ImportJob.objects.create(
        association=association,
        kind=kind,
        filename=Path(name).name,
        actor=actor.label,
        total=path.stat().st_size,
    )
    if settings.IMPORT_JOBS_INLINE:
        return run(job.pk, path, actor)
    worker = threading.Thread(target=_run_in_thread, args=(job.pk, path, actor), daemon=True)
    worker.start()
    return job


def _run_in_thread(job_id: int, path: Path, actor: Actor) -> None:
    close_old_connections()
    try:
        run(job_id, path, actor)
    finally:
        connection.close()


def run(job_id: int, path: Path, actor: Actor) -> ImportJob:
    job = ImportJob.objects.select_related("association").get(pk=job_id)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY or done >= total:
            last = time.monotonic()
            ImportJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        if job.kind == "sie":
            result = sie_import.import_file(path, job.association, actor, on_progress=progress)
        else:
            result = budget.import_file(path, job.association, actor)
    except ImportRejected as error:
        job.status, job.summary = ImportJob.Status.REFUSED, f"{len(error.problems)} fel"
        job.details = [str(problem) for problem in error.problems]
    except Exception as error:  # whatever fails must end the job, not leave it running for ever
        job.status, job.summary, job.details = ImportJob.Status.FAILED, type(error).__name__, [str(error)]
    else:
        job.status, job.summary, job.details = ImportJob.Status.DONE, result.summary(), result.details
    finally:
        path.unlink(missing_ok=True)
    job.done = job.total
    job.save()
    return job
