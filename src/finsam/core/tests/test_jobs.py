"""The queue's schedule, the worker's beat and the recovery of jobs taken by a worker that died."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import zoneinfo

import pytest
from django.utils import timezone
from django_q.models import OrmQ, Schedule

from finsam.core import jobs
from finsam.core.models import WorkerBeat

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("job", "now", "due"),
    [
        (jobs.Recurring("n", "f", at=dt.time(2, 30)), "2026-12-07 01:00", "2026-12-07 02:30"),
        (jobs.Recurring("n", "f", at=dt.time(2, 30)), "2026-12-07 02:30", "2026-12-08 02:30"),
        # Monday 7 December 2026; weekly on Monday (0) and on Sunday (6)
        (jobs.Recurring("n", "f", at=dt.time(7, 0), weekday=0), "2026-12-07 06:59", "2026-12-07 07:00"),
        (jobs.Recurring("n", "f", at=dt.time(7, 0), weekday=0), "2026-12-07 07:01", "2026-12-14 07:00"),
        (jobs.Recurring("n", "f", at=dt.time(7, 0), weekday=6), "2026-12-07 12:00", "2026-12-13 07:00"),
        # the night summer time ends (25 October 2026): still at 02:30 local time
        (jobs.Recurring("n", "f", at=dt.time(2, 30)), "2026-10-24 23:00", "2026-10-25 02:30"),
    ],
)
def test_a_recurring_job_is_first_due_at_its_next_local_time(job: jobs.Recurring, now: str, due: str) -> None:
    assert timezone.localtime(job.first_run(at(now))).replace(tzinfo=STOCKHOLM) == at(due)


@pytest.mark.django_db
def test_the_schedule_is_kept_in_line_with_the_registered_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(jobs.keep_schedules()) >= {"worker_beat", "import_sweep", "erase_expired"}
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {"finsam: worker_beat", "finsam: import_sweep", "finsam: erase_expired"} <= names
    erase = Schedule.objects.get(name="finsam: erase_expired")
    assert erase.func == "finsam.participants.jobs.erase_expired" and erase.schedule_type == Schedule.DAILY
    assert timezone.localtime(erase.next_run).time() == dt.time(2, 30)
    beat = Schedule.objects.get(name="finsam: worker_beat")
    assert (beat.schedule_type, beat.minutes) == (Schedule.MINUTES, 1)

    # A restart keeps each next run; an operator's own schedule stays; a job no longer registered goes.
    Schedule.objects.filter(pk=erase.pk).update(next_run=erase.next_run + dt.timedelta(days=1))
    Schedule.objects.create(name="egen rapport", func="finsam.core.jobs.beat", schedule_type=Schedule.HOURLY)
    monkeypatch.delitem(jobs.RECURRING, "import_sweep")
    jobs.keep_schedules()
    names = set(Schedule.objects.values_list("name", flat=True))
    assert "finsam: import_sweep" not in names and "egen rapport" in names
    assert Schedule.objects.get(name="finsam: erase_expired").next_run == erase.next_run + dt.timedelta(
        days=1
    )

    # A changed time is due at the new time.
    monkeypatch.setitem(
        jobs.RECURRING,
        "erase_expired",
        jobs.Recurring("erase_expired", "finsam.participants.jobs.erase_expired", at=dt.time(4, 0)),
    )
    jobs.keep_schedules()
    moved = Schedule.objects.get(name="finsam: erase_expired")
    assert timezone.localtime(moved.next_run).time() == dt.time(4, 0)


def ended_process() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.django_db
def test_jobs_taken_by_a_dead_worker_are_released_only_when_no_other_worker_lives() -> None:
    here = socket.gethostname()
    me = f"{here}:1"
    later = timezone.now() + dt.timedelta(minutes=30)
    taken = OrmQ.objects.create(key="finsam", payload="x", lock=later)
    WorkerBeat.objects.create(worker=f"{here}:{ended_process()}", seen_at=timezone.now())  # died a moment ago
    WorkerBeat.objects.create(worker="annan-server:4242", seen_at=timezone.now() - dt.timedelta(minutes=5))
    assert not jobs.other_workers_alive(me)
    assert jobs.release_orphans(me) == 1
    taken.refresh_from_db()
    assert taken.lock <= timezone.now()

    OrmQ.objects.filter(pk=taken.pk).update(lock=later)
    WorkerBeat.objects.create(worker="annan-server:4243", seen_at=timezone.now())  # alive elsewhere
    assert jobs.other_workers_alive(me) and jobs.release_orphans(me) == 0
    WorkerBeat.objects.filter(worker="annan-server:4243").delete()
    WorkerBeat.objects.create(worker=f"{here}:{os.getpid()}", seen_at=timezone.now())  # this one
    assert jobs.other_workers_alive(me) and jobs.release_orphans(me) == 0


@pytest.mark.django_db
def test_the_worker_seen_is_its_last_beat() -> None:
    assert jobs.worker_seen() is None
    WorkerBeat.objects.create(worker="gammal:1", seen_at=timezone.now() - dt.timedelta(days=8))
    jobs.beat()
    seen = jobs.worker_seen()
    assert seen is not None and timezone.now() - seen < dt.timedelta(seconds=5)
    assert list(WorkerBeat.objects.values_list("worker", flat=True)) == [jobs.worker_id()]  # a week old goes
