"""Fixtures shared by the apps' tests: settings for the whole run, the demo built once, and a real Chromium
(Debian's) driven by Playwright. docs/testing.md says how they fit together."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction
from django.test.utils import override_settings
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

if TYPE_CHECKING:
    from finsam.organisation.models import Association

CHROMIUM = os.environ.get("FINSAM_CHROMIUM", "/usr/bin/chromium")
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
# Without these Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Settings for every test of the run.

    - A fast password hasher: Argon2 takes 0.6–0.8 s a hash on a small machine and the demo hashes five
      (accounts/tests/test_settings.py proves that production hashes with Argon2).
    - Imports started on the web run inside the request, so a test reads the finished job.
    - One pair of keys for pseudonyms and sealed personnummer for the run, outside the database and the data
      dir, so that the demo built once and the tests that read it use the same keys.
    """
    keys = tmp_path_factory.mktemp("keys")
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        JOBS_INLINE=True,
        PSEUDONYM_KEY_FILE=keys / "pseudonym-key",
        IDENTITY_KEY_FILE=keys / "identity-key",
    ):
        yield


@contextmanager
def new_database(url: str, name: str) -> Iterator[str]:
    """A new empty database of that name on the cluster of the PostgreSQL `url`, dropped afterwards."""
    import psycopg

    server = url.rpartition("/")[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh, empty installation for `finsam` run as a subprocess: the environment it runs with.

    Its own data dir, and the database of the run's kind: an SQLite file in that data dir, or, in the
    PostgreSQL run, a new empty database on the run's cluster, dropped afterwards.
    """
    env = {**os.environ, "FINSAM_DATA_DIR": str(tmp_path / "data"), "FINSAM_ENV": "dev", "FINSAM_DEBUG": "0"}
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        env.pop("DATABASE_URL", None)
        yield env
        return
    with new_database(url, f"finsam_{tmp_path.name.lower().replace('-', '_')[-40:]}") as own:
        env["DATABASE_URL"] = own
        yield env


Spawn = Callable[[list[str], dict[str, str], Path], subprocess.Popen[bytes]]


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    """Starts a process in a session of its own, as a service manager does (its output appended to a log);
    kills each one left, with every process it started, at the end of the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            process = subprocess.Popen(args, env=env, stdout=out, stderr=out, start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


_demo_open = {"open": False}  # whether the demo's transaction is open


@pytest.fixture(scope="session")
def _demo_built(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[list[str]]:
    """Builds the demo once for the test run and yields the slugs of its associations.

    The demo is built inside a transaction that stays open until the run ends and is then rolled back; each
    test runs inside it in a savepoint of its own (its `db` fixture), so what one test changes is gone for the
    next. The tests that use the demo run after all others (`pytest_collection_modifyitems`), so that no
    other test sees it and the browser tests, which commit, never run inside it.
    """
    from finsam.demo import build

    outer = ExitStack()
    with django_db_blocker.unblock():
        outer.enter_context(transaction.atomic())
        try:
            slugs = [a.slug for a in build.load().associations]
        except BaseException:
            transaction.set_rollback(True)
            outer.close()
            raise
    _demo_open["open"] = True
    yield slugs
    _demo_open["open"] = False
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.close()


@pytest.fixture
def demo(_demo_built: list[str], db: None) -> dict[str, Association]:
    """The demo associations by slug, fresh from the database for each test."""
    from finsam.organisation.models import Association

    return {a.slug: a for a in Association.objects.filter(slug__in=_demo_built)}


@pytest.fixture(autouse=True)
def _nothing_kept_between_tests() -> Iterator[None]:
    """What a test's pages kept under a data version (the start page's figures, its charts) leaves with it:
    a test may change rows without the audit entry that renews the version, and its rollback brings the
    version back."""
    yield
    from finsam.core import caching

    caching.forget()


@pytest.fixture(autouse=True)
def _no_demo_left_open(request: pytest.FixtureRequest) -> None:
    """A test that did not ask for the demo must not see it (the ordering below keeps it so)."""
    if _demo_open["open"] and "_demo_built" not in request.fixturenames:
        pytest.fail("the demo is still in the database: the tests that use it must run last")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that use the demo built once run last, each group in its collected order."""
    items.sort(key=lambda item: "_demo_built" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def _demo_snapshot() -> Iterator[list[sqlite3.Connection]]:
    snapshots: list[sqlite3.Connection] = []
    yield snapshots
    for snapshot in snapshots:
        snapshot.close()


@pytest.fixture
def demo_site(
    live_server: LiveServer,
    settings: Settings,
    transactional_db: None,
    _demo_snapshot: list[sqlite3.Connection],
) -> str:
    """The demo served by a live server for browser tests; returns its base URL.

    The browser tests run on SQLite (scripts/test runs them there only): the demo is built once, copied
    into a second in-memory database with SQLite's backup API, and copied back before every later test, which
    takes milliseconds instead of a build. On another database the demo is built for each test.
    """
    from finsam.demo import build

    settings.DEMO = True
    if connection.vendor != "sqlite":
        build.load()
    elif not _demo_snapshot:
        build.load()
        connection.ensure_connection()
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _demo_snapshot.append(snapshot)
    else:
        connection.ensure_connection()
        _demo_snapshot[0].backup(connection.connection)
    return live_server.url


@dataclass
class Mailbox:
    """What a real SMTP server on loopback (aiosmtpd) received: each message as the recipient's mail program
    reads it, and the raw bytes, to search for what must never be in a mail."""

    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        self.raw.append(content)
        received = message_from_bytes(content, policy=policy.default)
        assert isinstance(received, EmailMessage)
        received["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(received)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(("plain",))
        assert part is not None
        return str(part.get_content()).replace("\r\n", "\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[Mailbox]:
    """A real SMTP server on a free loopback port, without STARTTLS and without login, and the settings that
    send finsam's mail to it (docs/mail.md); yields what it receives."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.FINSAM_MAIL = True
    settings.SITE_URL = "https://finsam.example.org"
    settings.DEFAULT_FROM_EMAIL = "finsam@example.org"
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} (./scripts/test installs Debian's package)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15000)
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> Path:
    """Keep a full-page screenshot under test-artifacts/screens/ for people to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state("networkidle")


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Page) -> None:
    """axe-core (WCAG 2.0/2.1 A and AA rules) finds no violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    violations = results.response["violations"]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(details)
