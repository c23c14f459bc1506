"""The job queue: work that outlasts a request, or runs on a schedule, done by `finsam worker`.

The queue is django-q2 with its ORM broker: a table in the installation's own database, SQLite or PostgreSQL,
so that an association running the embedded default needs no other server (ADR 0015). A job is named by the
dotted path of a module-level function and takes plain arguments (numbers, strings, lists, dicts): the
function reads what it needs from the database when it runs, so a job never works on stale objects.

Guarantees and their limits:
* A job's function runs at least once: a worker killed mid-job (SIGKILL, a crash, the machine) never
  acknowledged it, so the queue delivers it again — at the worker's next start when no other worker is alive
  (`release_orphans`), else once `Q_CLUSTER["retry"]` seconds have passed. Every job function must therefore
  be safe to run twice; each of finsam's claims its work in the database first (e.g. an import job runs only
  while it is queued) and returns at once when the work is done or was ended meanwhile.
* A job that raises is not retried: its function is expected to record the failure where its users see it
  (the import's page, the report's trail). The queue keeps the failed task for the operator (`django_q`'s
  tables, and the worker's log).
* Recurring jobs (`RECURRING`, filled by each app in its AppConfig.ready()) are kept in the queue's schedule
  by the worker at its start: added, changed, and removed when no app registers them any more.
* The worker reports in every minute (`beat`): `worker_seen` answers the health URL.

Under the setting JOBS_INLINE (the tests) a job runs at once inside the call that enqueues it, through the
queue's own code path for it (django-q2's synchronous mode).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import time
from dataclasses import dataclass
from types import FrameType

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.cluster import Cluster
from django_q.models import OrmQ, Schedule
from django_q.tasks import async_task

from finsam.core.models import WorkerBeat

logger = logging.getLogger(__name__)

# A worker that has not reported in for this long is taken for gone (its beat is due every minute).
WORKER_SILENT_AFTER = dt.timedelta(minutes=3)
SCHEDULE_PREFIX = "finsam: "  # the names of the schedules the worker keeps; others are the operator's
BEAT = "finsam.core.jobs.beat"
# Set by `finsam worker` for itself and the processes it starts: which worker a beat comes from.
WORKER_ID_VARIABLE = "FINSAM_WORKER_ID"


@dataclass(frozen=True)
class Recurring:
    """A job run on a schedule: every `minutes` minutes, or daily at `at` (local time), or weekly on
    `weekday` (0 is Monday) at `at`."""

    name: str
    function: str
    minutes: int | None = None
    at: dt.time | None = None
    weekday: int | None = None
    at_start: bool = False  # run by the worker at its start too, before it takes jobs

    def schedule_type(self) -> str:
        if self.minutes is not None:
            return str(Schedule.MINUTES)
        return str(Schedule.DAILY if self.weekday is None else Schedule.WEEKLY)

    def first_run(self, now: dt.datetime) -> dt.datetime:
        """The first time due from `now` on."""
        if self.minutes is not None:
            return now
        local = timezone.localtime(now)
        due = local.replace(hour=self.at.hour if self.at else 0, minute=self.at.minute if self.at else 0)
        due = due.replace(second=0, microsecond=0)
        if self.weekday is not None:
            due += dt.timedelta(days=(self.weekday - due.weekday()) % 7)
        step = dt.timedelta(days=1 if self.weekday is None else 7)
        return due if due > local else due + step


RECURRING: dict[str, Recurring] = {}


def register_recurring(job: Recurring) -> None:
    RECURRING[job.name] = job


register_recurring(Recurring("worker_beat", BEAT, minutes=1))


def enqueue(function: str, *args: object, group: str) -> None:
    """Put a job on the queue, or run it at once under the setting JOBS_INLINE (the tests).

    Called inside a transaction, the job is queued when that commits: never for a change rolled back, and
    never before the rows it reads are visible to the worker.
    """
    if settings.JOBS_INLINE:
        async_task(function, *args, group=group, sync=True)
    else:
        transaction.on_commit(lambda: async_task(function, *args, group=group))


def enqueue_later(function: str, *args: object, after: dt.timedelta, name: str) -> None:
    """Run a job once, `after` from now (a retry that waits): a schedule of one run, which the worker's
    scheduler queues when it is due and then removes. Its arguments are plain values (written as Python
    literals)."""
    Schedule.objects.create(
        name=name[:100],
        func=function,
        args=repr(args),
        schedule_type=Schedule.ONCE,
        repeats=-1,
        next_run=timezone.now() + after,
    )


def worker_id() -> str:
    return os.environ.get(WORKER_ID_VARIABLE) or f"{socket.gethostname()}:{os.getpid()}"


def beat() -> None:
    """The worker reports in: it runs, and its schedule and its task processes work."""
    WorkerBeat.objects.update_or_create(worker=worker_id(), defaults={"seen_at": timezone.now()})
    WorkerBeat.objects.filter(seen_at__lt=timezone.now() - dt.timedelta(days=7)).delete()


def worker_seen() -> dt.datetime | None:
    """When a worker last reported in, or None if none ever has."""
    return WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def _process_alive(worker: str) -> bool | None:
    """Whether a worker of this machine still runs (None for another machine's: it cannot be asked)."""
    host, _colon, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's
    return True


def other_workers_alive(me: str) -> bool:
    """Whether another worker runs: one of this machine whose process exists, or another machine's that
    reported in within WORKER_SILENT_AFTER."""
    since = timezone.now() - WORKER_SILENT_AFTER
    for worker in (
        WorkerBeat.objects.filter(seen_at__gte=since).exclude(worker=me).values_list("worker", flat=True)
    ):
        if _process_alive(worker) is not False:
            return True
    return False


def release_orphans(me: str) -> int:
    """At a worker's start: when no other worker is alive, every task taken from the queue was taken by a
    worker that is gone; make them deliverable again at once. Returns how many."""
    if other_workers_alive(me):
        return 0
    return OrmQ.objects.filter(lock__gt=timezone.now()).update(lock=timezone.now())


@transaction.atomic
def keep_schedules() -> list[str]:
    """Bring the queue's schedule in line with RECURRING; returns the names kept. A schedule whose job is
    unchanged keeps its next run; a new or changed one is due at its first time from now."""
    now = timezone.now()
    for job in RECURRING.values():
        wanted = {"func": job.function, "schedule_type": job.schedule_type(), "minutes": job.minutes}
        kept = Schedule.objects.filter(name=SCHEDULE_PREFIX + job.name, **wanted).first()
        if kept is None or (job.at is not None and timezone.localtime(kept.next_run).time() != job.at):
            Schedule.objects.update_or_create(
                name=SCHEDULE_PREFIX + job.name,
                defaults={**wanted, "repeats": -1, "next_run": job.first_run(now)},
            )
    names = [SCHEDULE_PREFIX + name for name in RECURRING]
    Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX).exclude(name__in=names).delete()
    return sorted(RECURRING)


def run_worker() -> None:
    """`finsam worker`: keep the schedules, recover what a worker that died left, run the jobs due at start,
    then serve the queue until SIGTERM or SIGINT (django-q2's cluster: it finishes the jobs it runs first)."""
    me = f"{socket.gethostname()}:{os.getpid()}"
    os.environ[WORKER_ID_VARIABLE] = me  # the cluster's processes inherit it: their beats are this worker's
    names = keep_schedules()
    released = release_orphans(me)
    logger.info("worker %s: schedules %s; %d orphaned jobs released", me, ", ".join(names), released)
    for job in RECURRING.values():
        if job.at_start:
            import_string(job.function)()
    beat()
    cluster = Cluster()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        # A SIGTERM sent to the whole process group (`timeout`, `kill -- -PGID`, a service manager that
        # signals every process) ends the cluster's sentinel at once, perhaps holding the lock of the event
        # that django-q2's own handler would set: that handler then waits for ever. Let the sentinel end.
        time.sleep(0.2)
        if cluster.sentinel.is_alive():
            # A signal to this process alone: the sentinel stops its processes after their jobs.
            cluster.stop()

    cluster.start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while cluster.sentinel.is_alive():
        cluster.sentinel.join(timeout=1)
