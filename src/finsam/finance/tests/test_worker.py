"""`finsam worker` as a host runs it: a real worker process on the run's kind of database, killed with SIGKILL
in the middle of an import, then started again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from finsam.conftest import Spawn
from finsam.testdata import EXAMPLES
from finsam.testdata.ledger import write_sie

FINSAM = [sys.executable, "-m", "finsam"]
START_JOB = """
import os
from pathlib import Path
from finsam.core.audit import Actor
from finsam.finance import jobs
from finsam.organisation.models import Association
path = Path(os.environ["IMPORT_FILE"])
job = jobs.start(Actor.command("test"), Association.objects.get(slug="exempel"), "sie", path.name,
                 [path.read_bytes()])
print(job.pk)
"""


def query(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    """Rows read straight from the installation's database, as an operator's tool would."""
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as connection:
            return connection.execute(sql).fetchall()
    import sqlite3

    with sqlite3.connect(Path(env["FINSAM_DATA_DIR"]) / "finsam.sqlite3") as connection:
        return connection.execute(sql).fetchall()


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.2)


def start_job(env: dict[str, str], path: Path) -> int:
    shell = subprocess.run(
        [*FINSAM, "manage", "shell", "-v", "0", "-c", START_JOB],
        env={**env, "IMPORT_FILE": str(path)},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(shell.stdout.split()[-1])


@pytest.fixture
def worker(
    installation: dict[str, str], spawn: Spawn, tmp_path: Path
) -> Callable[[], subprocess.Popen[bytes]]:
    """Starts `finsam worker` as a service manager does."""
    return lambda: spawn([*FINSAM, "worker"], installation, tmp_path / "worker.log")


def job_status(env: dict[str, str], job: int) -> str:
    return str(query(env, f"SELECT status FROM finance_importjob WHERE id = {job}")[0][0])


def ledger_rows(env: dict[str, str]) -> int:
    return int(query(env, "SELECT COUNT(*) FROM finance_ledgerrow")[0][0])


def test_a_worker_killed_mid_import_leaves_the_ledger_untouched_and_the_job_ended(
    installation: dict[str, str], worker: Callable[[], subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    env = installation
    subprocess.run([*FINSAM, "setup", str(EXAMPLES / "organisation.yaml")], env=env, check=True)
    big = tmp_path / "stor.se"
    write_sie(big, 400_000)  # several seconds of storing on any machine (ADR 0029: 100 000 rows a second)
    job = start_job(env, big)
    assert job_status(env, job) == "queued"
    spooled = Path(env["FINSAM_DATA_DIR"]) / "importer" / str(job) / "stor.se"
    assert spooled.exists()

    first = worker()
    progress = spooled.parent.with_name(f"{job}.progress")
    try:
        wait_for(lambda: job_status(env, job) == "running", 60, "the worker to take the import")
        # Inside the import's transaction: how far it has come is read from the file beside the upload.
        wait_for(lambda: progress.exists(), 30, "the worker to write its progress")
        done, total = map(int, progress.read_text(encoding="ascii").split())
        assert 0 < done <= total == big.stat().st_size
        time.sleep(1)
        assert job_status(env, job) == "running"
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the worker and every process it started, mid-import
        first.wait()
    assert job_status(env, job) == "running" and ledger_rows(env) == 0

    second = worker()
    wait_for(lambda: job_status(env, job) == "failed", 60, "the restarted worker to end the job")
    details = query(env, f"SELECT details FROM finance_importjob WHERE id = {job}")[0][0]
    assert (json.loads(details) if isinstance(details, str) else details) == [
        "Importen avbröts: processen som körde den finns inte längre. Ingenting har ändrats; "
        "ladda upp filen igen."
    ]
    assert ledger_rows(env) == 0 and not spooled.exists() and not progress.exists()
    # The queue delivered the killed job again; finding it ended, the worker acknowledged it and did nothing.
    wait_for(lambda: query(env, "SELECT COUNT(*) FROM django_q_ormq")[0][0] == 0, 60, "the queue to empty")
    assert job_status(env, job) == "failed" and ledger_rows(env) == 0

    again = start_job(env, EXAMPLES / "exempel-2025.se")
    wait_for(lambda: job_status(env, again) not in ("queued", "running"), 60, "the next import")
    assert job_status(env, again) == "done" and ledger_rows(env) > 0
    beats = query(env, "SELECT COUNT(*) FROM core_workerbeat")[0][0]
    assert beats == 2  # the killed worker's and this one's

    second.send_signal(signal.SIGTERM)  # as systemd stops it (KillMode=mixed: the main process first)
    assert second.wait(timeout=60) == 0

    # SIGTERM to the whole process group (`timeout`, `kill -- -PGID`) stops it too, every process of it.
    third = worker()
    wait_for(lambda: query(env, "SELECT COUNT(*) FROM core_workerbeat")[0][0] == 3, 60, "the third worker")
    time.sleep(3)  # its cluster started
    os.killpg(third.pid, signal.SIGTERM)
    third.wait(timeout=60)
    wait_for(lambda: _group_gone(third.pid), 30, "every process of the worker to end")


def _group_gone(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False
