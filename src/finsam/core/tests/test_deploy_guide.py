"""docs/deploy.md, run: every command of its `sh` blocks, in order, against a fresh installation.

The paths of a real host (/etc/finsam, /var/lib/finsam, /var/backups/finsam, /opt/finsam) become folders of
the test; `finsam-admin` is the repository's own script (deploy/finsam-admin) running the test's `finsam`
as the test's user; `runuser -u postgres -- createdb|dropdb|createuser` act on the run's PostgreSQL cluster;
`systemd-analyze verify` checks the repository's units and `nginx -t` its configuration (with a
certificate of the test's own). What only a real
host can do — install packages, add users, start services — is named in HOST_ONLY and not run; a command
that is neither run nor named there fails the test, so the guide cannot grow an untested command.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from finsam.conftest import free_port
from finsam.core.tests.loadclient import wait_until_up
from finsam.core.tests.test_two_servers import nginx_config
from finsam.testdata import EXAMPLES

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[4]
GUIDE = REPO / "docs" / "deploy.md"
FINSAM = str(Path(sys.executable).with_name("finsam"))  # this environment's console script
HOST_ONLY = (
    "apt-get install",
    "useradd",
    "python3 -m venv /opt/finsam/venv",
    "/opt/finsam/venv/bin/pip install",
    "install -m 0755 finsam/deploy/finsam-admin",
    "cp finsam/deploy/",
    "ln -s /etc/nginx/",
    "systemctl",
    "journalctl",
    "chgrp finsam",
)


def commands() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_the_guide_has_commands_and_each_is_run_or_named_as_the_hosts() -> None:
    lines = commands()
    assert len(lines) > 30
    host = [line for line in lines if line.startswith(HOST_ONLY)]
    assert {prefix for prefix in HOST_ONLY if any(line.startswith(prefix) for line in host)} == set(HOST_ONLY)


class Host:
    """The test's stand-in for a host: folders for its paths, the run's database cluster."""

    def __init__(self, root: Path, database_url: str) -> None:
        self.root = root
        self.server, _slash, self.database = database_url.rpartition("/")
        self.paths = {
            "/etc/finsam": root / "etc",
            "/var/lib/finsam-ovning": root / "ovning",
            "/var/lib/finsam": root / "data",
            "/var/backups/finsam": root / "backups",
            "/etc/systemd/system": REPO / "deploy" / "systemd",
            "finsam/deploy/": f"{REPO}/deploy/",
        }
        self.log: list[str] = []

    def local(self, line: str) -> str:
        for path, here in self.paths.items():
            line = line.replace(path, str(here))
        return line

    def env_file(self, name: str = "finsam.env") -> Path:
        return self.root / "etc" / name

    def url(self, name: str) -> str:
        return f"{self.server}/{name}"

    def sql(self, statement: str) -> None:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            admin.execute(statement)

    def run(self, line: str) -> None:
        """Run one line of the guide as the host would, or as close to it as a test can."""
        self.log.append(line)
        if line.startswith(HOST_ONLY):
            return None
        words = shlex.split(line)
        # A host's shell, not the test run's: the installation's settings come from its environment file.
        env = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG")}
        while "=" in words[0] and not words[0].startswith("-"):
            name, _eq, value = words.pop(0).partition("=")
            env[name] = self.local(value)
        if words[:4] == ["runuser", "-u", "postgres", "--"]:
            return self.postgres(words[4:])
        if words[0] == "finsam-admin":
            env.update(FINSAM_BIN=FINSAM, FINSAM_USER=subprocess.getoutput("id -un"))
            env.setdefault("FINSAM_ENV_FILE", str(self.env_file()))
            words = [str(REPO / "deploy" / "finsam-admin"), *map(self.local, words[1:])]
        elif words[0] == "install":
            words = _without_owner(words)
            words = [self.local(word) for word in words]
        elif words[0] == "systemd-analyze":
            return self.verify_units()
        elif words[0] == "nginx":
            words = [
                "nginx",
                "-t",
                "-c",
                str(nginx_config(self.root, free_port(), (free_port(), free_port()))),
            ]
        elif words[0] == "curl":
            return self.curl(words)
        else:  # a shell's line: its redirections too, on the test's paths
            words = ["bash", "-c", self.local(line)]
        done = subprocess.run(words, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        return None

    def postgres(self, words: list[str]) -> None:
        tool, *rest = words
        name = rest[-1].replace("finsam", self.database, 1) if tool != "createuser" else ""
        if tool == "createdb" and name != self.database:  # the installation's own is made by its fixture
            self.sql(f'CREATE DATABASE "{name}"')
        elif tool == "dropdb":
            self.sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        # createuser: the run's cluster already has its user

    def verify_units(self) -> None:
        units = self.root / "units"
        units.mkdir(exist_ok=True)
        finsam = FINSAM
        for unit in (REPO / "deploy" / "systemd").iterdir():
            text = unit.read_text(encoding="utf-8").replace("/opt/finsam/venv/bin/finsam", finsam)
            (units / unit.name).write_text(text, encoding="utf-8")
        done = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", *map(str, sorted(units.iterdir()))],
            capture_output=True,
            text=True,
        )
        problems = [line for line in done.stderr.splitlines() if "finsam" in line and "User=" not in line]
        assert not problems, done.stderr

    def curl(self, words: list[str]) -> None:
        port = free_port()
        env = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG")}
        env.update(FINSAM_BIN=FINSAM, FINSAM_USER=subprocess.getoutput("id -un"))
        env["FINSAM_ENV_FILE"] = str(self.env_file())
        server = subprocess.Popen(
            [str(REPO / "deploy" / "finsam-admin"), "serve", "--port", str(port)],
            env=env,
            start_new_session=True,
        )
        try:
            url = words[-1].replace("https://finsam.example.se", f"http://127.0.0.1:{port}")
            wait_until_up(url, 60)
            done = subprocess.run(
                ["curl", "-sS", "-H", "X-Forwarded-Proto: https", "-H", "Host: finsam.example.se", url],
                capture_output=True,
                text=True,
            )
            assert '"database"' in done.stdout, done.stdout + done.stderr
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)


def _without_owner(words: list[str]) -> list[str]:
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in ("-o", "-g"):
            skip = True
        else:
            kept.append(word)
    return kept


def test_every_command_of_the_guide_runs_on_a_fresh_installation(
    installation: dict[str, str], tmp_path: Path
) -> None:
    if "DATABASE_URL" not in installation:
        pytest.fail("run with DATABASE_URL: the guide is for PostgreSQL (scripts/test selects it there)")
    host = Host(tmp_path, installation["DATABASE_URL"])
    (tmp_path / "etc").mkdir()
    shutil.copy(EXAMPLES / "organisation.yaml", tmp_path / "etc" / "organisation.yaml")
    shutil.copy(EXAMPLES / "exempel-2025.se", tmp_path / "etc" / "bokforing-2025.se")
    example = host.local((REPO / "deploy" / "finsam.env.example").read_text(encoding="utf-8"))
    settings = {
        "DATABASE_URL": installation["DATABASE_URL"],
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    for name, value in settings.items():
        example = re.sub(rf"^{name}=.*$", f"{name}={value}", example, flags=re.MULTILINE)
    for line in commands():
        if "finsam.env.example" in line:  # the environment file, as the guide then edits it
            host.log.append(line)
            host.env_file().write_text(example, encoding="utf-8")
            continue
        host.run(line)
    reports = tmp_path / "data" / "arsredovisning.json"
    assert not reports.exists() and not (tmp_path / "ovning").exists()  # the drill cleaned up after itself
    assert len(host.log) == len(commands())
