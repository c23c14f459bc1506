"""Two servers, one database, a worker and a reverse proxy, under load, with a server and the worker killed.

PostgreSQL (the run's cluster, a database of this test's own), two `finsam serve` on loopback ports, one
`finsam worker`, and Debian's nginx in front with the repository's own configuration
(deploy/nginx/finsam.conf, its ports, host name and certificate changed for loopback). The five demo
roles read the main pages while the board approves a report (its files made by the worker), the economist
edits the budget and uploads a large SIE file; the worker is killed mid-import and started again, then
one server is killed mid-load. Prints requests, errors, p50 and p95.
"""

from __future__ import annotations

import re
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path

import pytest

from finsam.conftest import Spawn, free_port
from finsam.core.tests.loadclient import Client, Tally, wait_until_up
from finsam.finance.tests.test_worker import FINSAM, query, wait_for
from finsam.testdata.ledger import write_sie

pytestmark = [pytest.mark.slow, pytest.mark.postgresql]
REPO = Path(__file__).resolve().parents[4]
ROLES = ("kansli", "ekonom", "registrator", "styrelse", "dataskydd")
PREPARE = """
from django_otp.plugins.otp_totp.models import TOTPDevice
from finsam import testing
from finsam.accounts.models import User
from finsam.core.audit import Actor
from finsam.organisation.models import Association
from finsam.reports import services
from finsam.reports.models import ReportVersion
import datetime as dt
device = TOTPDevice.objects.create(user=User.objects.get(username="styrelse"), name="app", confirmed=True)
version = services.start_version(Actor.command("test"), Association.objects.get(slug="finnveden"),
                                 ReportVersion.Kind.INTERIM, dt.date(2023, 6, 30))
testing.approve_by_board(version, but=("styrelse",))  # she approves on the web, which locks it
print(version.pk, device.key)
"""


def nginx_config(folder: Path, port: int, servers: tuple[int, int]) -> Path:
    """The repository's configuration on loopback: its TLS port, a self-signed certificate, two servers."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (REPO / "deploy" / "nginx" / "finsam.conf").read_text(encoding="utf-8")
    site = re.sub(r"server 127\.0\.0\.1:8001", f"server 127.0.0.1:{servers[0]}", site)
    site = re.sub(r"server 127\.0\.0\.1:8002", f"server 127.0.0.1:{servers[1]}", site)
    site = re.sub(r" *listen \[::\]:80;\n", "", site)
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{free_port()};", site)
    site = re.sub(r"listen \[::\]:443 ssl http2;\n", "", site)
    site = re.sub(r"listen 443 ssl", f"listen 127.0.0.1:{port} ssl", site)
    site = re.sub(r"/etc/letsencrypt/live/finsam\.example\.se/fullchain\.pem", str(folder / "cert.pem"), site)
    site = re.sub(r"/etc/letsencrypt/live/finsam\.example\.se/privkey\.pem", str(folder / "key.pem"), site)
    (folder / "finsam.conf").write_text(site, encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(
        # nginx run by root (as the tests are) keeps root for its workers: they write its temp folders here
        f"user root;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{ access_log {folder}/access.log; client_body_temp_path {folder}/body;\n"
        f"proxy_temp_path {folder}/proxy; include {folder}/finsam.conf; }}\n",
        encoding="utf-8",
    )
    return main


def test_two_servers_behind_a_proxy_lose_no_write_when_a_server_and_the_worker_die(
    installation: dict[str, str], spawn: Spawn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    if "DATABASE_URL" not in installation:
        pytest.fail("run with DATABASE_URL: this test is for PostgreSQL (scripts/test selects it there)")
    env = {**installation, "FINSAM_ENV": "demo"}
    subprocess.run([*FINSAM, "manage", "migrate", "-v", "0"], env=env, check=True)
    load = "from finsam.demo import build; build.load()"
    subprocess.run([*FINSAM, "manage", "shell", "-c", load], env=env, check=True, capture_output=True)
    servers = (free_port(), free_port())
    web = [spawn([*FINSAM, "serve", "--port", str(p), "--workers", "2"], env, tmp_path / f"web-{p}.log")
           for p in servers]  # fmt: skip
    worker = spawn([*FINSAM, "worker"], env, tmp_path / "worker.log")
    proxy_port = free_port()
    proxy = spawn(["nginx", "-c", str(nginx_config(tmp_path, proxy_port, servers)), "-g", "daemon off;"],
                      env, tmp_path / "nginx.log")  # fmt: skip
    base = f"https://127.0.0.1:{proxy_port}"
    for port in servers:
        wait_until_up(f"http://127.0.0.1:{port}/halsa/", 90)
    wait_until_up(f"{base}/halsa/", 30)

    clients = {role: Client(base) for role in ROLES}
    for role, client in clients.items():
        client.log_in(role, "demo")
    version, key = subprocess.run(
        [*FINSAM, "manage", "shell", "-v", "0", "-c", PREPARE],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    tally = Tally()
    stop = threading.Event()
    readers = [
        threading.Thread(target=clients[role].browse, args=(tally, stop), daemon=True)
        for role in ROLES
        for _ in range(2)  # two tabs each: ten concurrent readers
    ]
    for reader in readers:
        reader.start()

    # The board approves: the version locks and the worker makes its files.
    page = f"/f/finnveden/rapporter/versioner/{version}/"
    approval = clients["styrelse"].post_form(page, f"{page}godkann/", {"code": Client.totp(key)})
    assert approval.status in (200, 302)
    files = f"SELECT COUNT(*) FROM reports_reportfile WHERE version_id = {version}"
    wait_for(lambda: query(env, files)[0][0] == 5, 120, "the worker to make the locked version's files")

    # The economist edits one budget line again and again: every edit acknowledged must be kept.
    line, first_version = query(
        env,
        "SELECT l.id, l.version FROM finance_budgetline l JOIN organisation_association a "
        "ON a.id = l.association_id WHERE a.slug = 'finnveden' ORDER BY l.id LIMIT 1",
    )[0]
    acknowledged: list[int] = []
    editor = threading.Thread(
        target=clients["ekonom"].edit_budget, args=(line, acknowledged, stop), daemon=True
    )
    editor.start()

    # A large SIE file; the worker is killed in the middle of it and started again.
    big = tmp_path / "finnveden-2024.se"
    write_sie(big, 150_000, orgnr="222000-1867")
    rows_before = query(env, "SELECT COUNT(*) FROM finance_ledgerrow")[0][0]
    job = clients["ekonom"].upload_sie("/f/finnveden/ekonomi/import/", big)
    status = f"SELECT status FROM finance_importjob WHERE id = {job}"
    wait_for(lambda: query(env, status)[0][0] == "running", 120, "the worker to take the import")
    time.sleep(2)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    spawn([*FINSAM, "worker"], env, tmp_path / "worker.log")
    wait_for(lambda: query(env, status)[0][0] == "failed", 120, "the restarted worker to end the import")
    assert query(env, "SELECT COUNT(*) FROM finance_ledgerrow")[0][0] == rows_before

    # One server dies mid-load; the proxy sends everything to the other.
    before_kill = tally.count()
    os.killpg(web[0].pid, signal.SIGKILL)
    web[0].wait()
    killed_at = time.monotonic()
    time.sleep(15)
    stop.set()
    for thread in [*readers, editor]:
        thread.join(timeout=60)
    after_kill = tally.since(before_kill)
    proxy.send_signal(signal.SIGQUIT)

    amount, changes = query(env, f"SELECT amount, version FROM finance_budgetline WHERE id = {line}")[0]
    with capsys.disabled():  # the figures go into the run's output
        print(
            f"\ntwo servers: {tally.count()} requests, {tally.errors()} errors "
            f"({after_kill.errors()} of {after_kill.count()} after a server was killed "
            f"{time.monotonic() - killed_at:.0f} s before the end), p50 {tally.percentile(50):.0f} ms, "
            f"p95 {tally.percentile(95):.0f} ms; budget edits acknowledged {len(acknowledged)}; failures: "
            f"{tally.reasons.most_common(8)}"
        )
    assert tally.count() > 200 and after_kill.count() > 20
    # At most the requests in flight when the server died; the message says what failed, and when.
    assert tally.errors() <= 4, (tally.errors(), after_kill.errors(), tally.reasons.most_common(20))
    assert acknowledged and int(amount) == acknowledged[-1] and changes == first_version + len(acknowledged)
    assert statistics.median(tally.durations) < 2000
