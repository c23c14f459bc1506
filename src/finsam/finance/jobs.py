"""Imports started from the web app run as jobs of the queue (finsam.core.jobs), done by `finsam worker`;
the page polls their progress. Under the setting `JOBS_INLINE` (the tests) the job runs inside the request.

The uploaded file is kept in the data dir (importer/<job id>/, under the name the user gave it, which the
import records) until the import ends: the web app's processes and the worker share the data dir. The import
itself is the same all-or-nothing function the command line uses; the job only records how far it has come
and how it ended.

A job is queued, then run once (`perform` claims it; a second delivery of the same job finds it taken and
does nothing). A job whose worker died with its process (SIGKILL, the kernel ending a process out of memory,
the machine) cannot say so itself: a running job whose process is gone (known when it ran on this machine),
or that has shown no progress for STALE_AFTER, is shown as failed (`as_seen`; a GET writes nothing) and marked
failed, its file removed, at the association's next upload (`end_stale`). Its import's transaction died with
the process, so nothing of it was stored. `sweep` does that for every job and removes any file left without a
waiting job; `finsam worker` runs it at its start and every hour, `finsam manage erase_expired` on each run.

An SIE file that would change a year already imported (or give the association its organisation number)
stores nothing at first: its job waits for confirmation (status "confirm"), showing what would change, and
keeps its file. Its user confirms it with the job's token (`confirm`), which runs the same import again on the
same file, storing it this time if the books in force are still those the change was shown against; or
cancels it (`cancel`). A confirmation not given within CONFIRM_WITHIN expires and its file goes
(`expire_confirmations`, run at each upload and by `sweep`).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import socket
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.accounts import notifications
from finsam.core import jobs as queue
from finsam.core.audit import Actor
from finsam.core.imports import ImportRejected
from finsam.finance import budget, sie_import
from finsam.finance.models import ImportJob
from finsam.organisation.models import Association

IMPORT_ENDED = "import_ended"  # the notification to the user who started an import (apps.py registers it)
PROGRESS_EVERY = 0.5  # seconds between progress writes
# No progress written for this long: the worker is taken for dead. Reading writes progress every half second;
# storing a large file's rows afterwards takes a few minutes at most.
STALE_AFTER = dt.timedelta(minutes=30)
CONFIRM_WITHIN = dt.timedelta(hours=1)  # how long a change waits for its confirmation, its file kept
# Who tells a user that her import was ended for her (its worker gone, its confirmation expired).
WATCH = Actor(user=None, label="finsam", source="bevakning av importer")


def spool_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "importer"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


# A file system takes 255 bytes a name: the job's id goes in front of the upload's name, ".progress" behind.
MAX_NAME_BYTES = 200


def _spooled_name(name: str) -> str:
    """The upload's name as the job keeps it: without folders, cut to what a spooled file's name can hold
    (its suffix kept, so that the file still says what it is)."""
    name = Path(name).name
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 10 else ""
    stem = name.removesuffix(suffix)
    room = MAX_NAME_BYTES - len(suffix.encode()) - len("…".encode())
    return stem.encode()[:room].decode(errors="ignore") + "…" + suffix


def upload_path(job: ImportJob) -> Path:
    """Where the job's upload waits, under the name the user gave it (which the import records): in a folder
    of the job's own."""
    return spool_folder() / str(job.pk) / job.filename


def progress_path(job: ImportJob) -> Path:
    """Where the worker writes how far it has come (beside the job's folder: an upload may have any name)."""
    return spool_folder() / f"{job.pk}.progress"


def _remove_upload(job: ImportJob) -> None:
    shutil.rmtree(upload_path(job).parent, ignore_errors=True)


def start(actor: Actor, association: Association, kind: str, name: str, chunks: Iterable[bytes]) -> ImportJob:
    job = ImportJob.objects.create(
        association=association,
        kind=kind,
        filename=_spooled_name(name),
        actor=actor.label,
        user=actor.user,
    )
    path = upload_path(job)
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        with path.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
    except BaseException:
        _end(job, _("filen kunde inte tas emot"))
        raise
    job.total = path.stat().st_size
    job.save(update_fields=["total"])
    return _launch(job)


def _launch(job: ImportJob) -> ImportJob:
    queue.enqueue("finsam.finance.jobs.perform", job.pk, group="import")
    job.refresh_from_db()
    return job


def perform(job_id: int) -> None:
    """The queued job: run the import if the job still waits for it (a job is run once, however often the
    queue delivers it)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, host=socket.gethostname(), pid=os.getpid(), alive_at=timezone.now()
    )
    if claimed:
        job = ImportJob.objects.select_related("association", "user").get(pk=job_id)
        actor = Actor(user=job.user, label=job.actor, source="finsam worker")
        run(job, actor)


def _read_progress(job: ImportJob) -> None:
    """A running job's progress as its worker last wrote it: bytes read of the file, and when."""
    try:
        done, total = progress_path(job).read_text(encoding="ascii").split()
        moved = progress_path(job).stat().st_mtime
    except (OSError, ValueError):
        return
    job.done, job.total = int(done), int(total)
    job.alive_at = max(job.alive_at, dt.datetime.fromtimestamp(moved, tz=dt.UTC))


def run(job: ImportJob, actor: Actor) -> ImportJob:
    """Run the import of the job's upload and record how it ended. Its progress goes to a file beside the
    upload, not to the database: the import's own transaction holds what it writes until it ends (and on
    SQLite, the only writer's lock), so a page reads how far it has come from that file (as_seen)."""
    last = 0.0
    path, progress_file = upload_path(job), progress_path(job)

    def progress(done: int, total: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY or done >= total:
            last = time.monotonic()
            fresh = progress_file.with_suffix(".tmp")
            fresh.write_text(f"{done} {total}", encoding="ascii")
            fresh.replace(progress_file)

    try:
        if job.kind == "sie":
            result = sie_import.import_file(
                path, job.association, actor, on_progress=progress, ask=True, seen=job.seen
            )
        else:
            result = budget.import_file(path, job.association, actor)
    except sie_import.NeedsConfirmation as change:
        _hold(job, change)
    except ImportRejected as error:
        job.status, job.summary = ImportJob.Status.REFUSED, f"{len(error.problems)} fel"
        job.details = [str(problem) for problem in error.problems]
    except Exception as error:  # whatever fails must end the job, not leave it running for ever
        job.status, job.summary, job.details = ImportJob.Status.FAILED, type(error).__name__, [str(error)]
    else:
        job.status, job.summary, job.details = ImportJob.Status.DONE, result.summary(), result.details
    finally:
        progress_file.unlink(missing_ok=True)
        if job.status != ImportJob.Status.CONFIRM:
            _remove_upload(job)
    job.done = job.total
    job.save()
    _tell(job, actor)
    return job


def _tell(job: ImportJob, actor: Actor) -> None:
    """Tell the user who started the import how it ended, or that it waits for her confirmation."""
    if job.user is None:
        return
    notifications.notify(
        actor,
        IMPORT_ENDED,
        [job.user],
        job.association,
        link=f"/f/{job.association.slug}/ekonomi/import/{job.pk}/",
        values={
            "what": _("bokföringen (SIE)") if job.kind == "sie" else _("budgeten"),
            "status": job.get_status_display(),
            "summary": job.summary,
        },
    )


def _process_gone(host: str, pid: int | None) -> bool:
    """Whether the process is known to be gone: only a process of this machine can be asked."""
    if pid is None or pid == os.getpid() or host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, as another user's
    return False


def _stale(job: ImportJob) -> str | None:
    """Why a running job's worker is taken for gone, or None."""
    if job.status != ImportJob.Status.RUNNING:
        return None
    if _process_gone(job.host, job.pid):
        return _("processen som körde den finns inte längre")
    if job.alive_at < timezone.now() - STALE_AFTER:
        return _("den har inte kommit framåt på %s minuter") % (STALE_AFTER.seconds // 60)
    return None


def _ended(reason: str) -> dict[str, object]:
    return {
        "status": ImportJob.Status.FAILED,
        "summary": _("avbruten"),
        "details": [_("Importen avbröts: %s. Ingenting har ändrats; ladda upp filen igen.") % reason],
    }


def as_seen(job: ImportJob) -> ImportJob:
    """The job as a page shows it: one whose worker is gone as failed, an expired confirmation as refused,
    without writing (end_stale and expire_confirmations record it, at the next upload or sweep)."""
    if job.status == ImportJob.Status.RUNNING:
        _read_progress(job)
    reason = _stale(job)
    ended = _ended(reason) if reason is not None else None
    if job.status == ImportJob.Status.CONFIRM and _expired(job):
        ended = _unconfirmed()
    for name, value in (ended or {}).items():
        setattr(job, name, value)
    return job


def end_stale(association: Association | None = None) -> int:
    """Mark failed the running jobs (of one association, or all) whose worker is gone and remove their files;
    returns how many."""
    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
    if association is not None:
        running = running.filter(association=association)
    ended = 0
    for job in running.select_related("association", "user"):
        _read_progress(job)
        reason = _stale(job)
        if reason is not None and _end(job, reason):
            ended += 1
            job.refresh_from_db()
            _tell(job, WATCH)
    return ended


def _end(job: ImportJob, reason: str) -> int:
    """Mark the job failed, if it is still queued or running, and remove its files; 1 if it was marked."""
    _remove_upload(job)
    progress_path(job).unlink(missing_ok=True)
    waiting = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    return ImportJob.objects.filter(pk=job.pk, status__in=waiting).update(**_ended(reason))


def sweep() -> tuple[int, int]:
    """End stale jobs and expired confirmations, then remove every spooled file without a running job or a
    confirmation waiting for it: (jobs ended, other files removed)."""
    ended = end_stale()
    expire_confirmations()
    waiting = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING, ImportJob.Status.CONFIRM)
    running = {str(pk) for pk in ImportJob.objects.filter(status__in=waiting).values_list("pk", flat=True)}
    removed = 0
    for path in spool_folder().iterdir():
        # a job's folder "12", its progress "12.progress" (or "12.tmp"), a file "12-name" of an older finsam
        if path.name.split(".", 1)[0].split("-", 1)[0] not in running:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return ended, removed


def _hold(job: ImportJob, change: sie_import.NeedsConfirmation) -> None:
    """Keep the file and wait for the user's confirmation of the change."""
    job.status, job.summary, job.details = (
        ImportJob.Status.CONFIRM,
        _("väntar på bekräftelse"),
        change.details,
    )
    job.seen, job.token, job.alive_at = change.seen, secrets.token_urlsafe(32), timezone.now()


def _expired(job: ImportJob) -> bool:
    return job.alive_at < timezone.now() - CONFIRM_WITHIN


def confirmable(job: ImportJob, token: str, actor: Actor) -> bool:
    """Whether the job waits for this user's confirmation, with this token, and has not expired."""
    return (
        job.status == ImportJob.Status.CONFIRM
        and actor.user is not None
        and job.user_id == actor.user.pk
        and bool(job.token)
        and secrets.compare_digest(job.token, token)
        and not _expired(job)
    )


def confirm(job: ImportJob) -> ImportJob:
    """Run a confirmable job's import again on its file, storing it this time (see confirmable)."""
    job.status, job.token, job.summary, job.details = ImportJob.Status.QUEUED, "", "", []
    job.pid, job.alive_at = None, timezone.now()
    job.save()
    return _launch(job)


def cancel(job: ImportJob) -> None:
    """The user declined the change: nothing is stored and the file goes."""
    _remove_upload(job)
    job.status, job.token, job.summary = ImportJob.Status.REFUSED, "", _("avbruten")
    job.details = [_("Du avbröt importen; ingenting har ändrats.")]
    job.save()


def expire_confirmations(association: Association | None = None) -> int:
    """End the confirmations (of one association, or all) not given within CONFIRM_WITHIN and remove their
    files; returns how many."""
    waiting = ImportJob.objects.filter(
        status=ImportJob.Status.CONFIRM, alive_at__lt=timezone.now() - CONFIRM_WITHIN
    )
    if association is not None:
        waiting = waiting.filter(association=association)
    expired = 0
    for job in waiting.select_related("association", "user"):
        _remove_upload(job)
        if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CONFIRM).update(**_unconfirmed()):
            expired += 1
            job.refresh_from_db()
            _tell(job, WATCH)
    return expired


def _unconfirmed() -> dict[str, object]:
    return {
        "status": ImportJob.Status.REFUSED,
        "token": "",
        "summary": _("ej bekräftad"),
        "details": [
            _("Ändringen bekräftades inte inom en timme; ingenting har ändrats. Ladda upp filen igen.")
        ],
    }
