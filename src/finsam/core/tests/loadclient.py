"""A small HTTP client for tests that drive real servers as a browser would: a cookie jar, Django's CSRF
token, forms, uploads, and a tally of every request's outcome and duration. Standard library only."""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LINK = re.compile(r'href="(/f/[a-z0-9-]+/[^"#?]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
THINK = 0.2  # seconds between one reader's pages
# What a request may end in when its server dies under it: no connection, or an answer cut short.
FAILED = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
)


def wait_until_up(url: str, seconds: float) -> None:
    context = ssl._create_unverified_context()  # the test's own self-signed certificate
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5, context=context):
                return
        except urllib.error.HTTPError:
            return  # it answers: whatever it says (a 503 of the health URL before the worker reports in)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer within {seconds} s") from error
        time.sleep(0.3)


@dataclass
class Tally:
    """Every request's duration in ms and whether it failed (a 5xx or no answer), from many threads."""

    durations: list[float] = field(default_factory=list)
    failures: list[bool] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    reasons: Counter[str] = field(default_factory=Counter)  # what the failures were: "502 /f/…/", an error

    def add(self, milliseconds: float, failed: bool, why: str = "") -> None:
        with self.lock:
            self.durations.append(milliseconds)
            self.failures.append(failed)
            if failed:
                self.reasons[why or "failed"] += 1

    def count(self) -> int:
        return len(self.durations)

    def merge(self, other: Tally) -> None:
        with self.lock:
            self.durations += other.durations
            self.failures += other.failures

    def errors(self) -> int:
        return sum(self.failures)

    def since(self, start: int) -> Tally:
        with self.lock:
            return Tally(self.durations[start:], self.failures[start:])

    def percentile(self, p: int) -> float:
        ordered = sorted(self.durations)
        return ordered[min(len(ordered) - 1, len(ordered) * p // 100)] if ordered else 0.0


@dataclass
class Answer:
    status: int
    url: str
    body: str


class Client:
    """One user's browser: its own cookies, following redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.HTTPSHandler(context=ssl._create_unverified_context()),
        )
        self.pages: list[str] = ["/"]

    def request(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
        call = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(call, timeout=60) as answer:
                return Answer(answer.status, answer.url, answer.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.url or path, error.read().decode("utf-8", "replace"))

    def csrf(self, path: str) -> str:
        found = CSRF.search(self.request(path).body)
        assert found, f"no form on {path}"
        return found.group(1)

    def post_form(self, form_page: str, action: str, fields: dict[str, str]) -> Answer:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(form_page), **fields}).encode()
        return self.request(action, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def log_in(self, username: str, password: str) -> None:
        answer = self.post_form(
            "/konto/logga-in/", "/konto/logga-in/", {"username": username, "password": password}
        )
        assert answer.status == 200 and "/konto/logga-in/" not in answer.url, f"{username} could not log in"
        start = self.request("/")
        self.pages = ["/", *sorted(set(LINK.findall(start.body)) - {"/konto/logga-ut/"})][:12]

    def browse(self, tally: Tally, stop: threading.Event) -> None:
        """Read this user's main pages in turn until stopped, each request in the tally."""
        turn = 0
        while not stop.is_set():
            path = self.pages[turn % len(self.pages)]
            turn += 1
            started = time.monotonic()
            try:
                status = self.request(path).status
                failed, why = status >= 500, f"{status} {path}"
            except FAILED as error:
                failed, why = True, f"{type(error).__name__}: {error} {path}"
            tally.add((time.monotonic() - started) * 1000, failed, why)
            time.sleep(THINK)

    def edit_budget(self, line: int, acknowledged: list[int], stop: threading.Event) -> None:
        """Set a budget line to 1001, 1002, … until stopped; an amount whose save was acknowledged is kept."""
        page = f"/f/finnveden/ekonomi/budget/{line}/"
        while not stop.is_set():
            form = self.request(page).body
            version = re.search(r'name="version" value="(\d+)"', form)
            token = CSRF.search(form)
            if not (version and token):
                continue  # the page failed (a server died): read it again
            amount = 1001 + len(acknowledged)
            fields = {
                "csrfmiddlewaretoken": token.group(1),
                "amount": str(amount),
                "version": version.group(1),
            }
            try:
                answer = self.request(
                    page,
                    urllib.parse.urlencode(fields).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"},
                )
            except FAILED:
                continue
            if answer.status == 200 and "/ekonomi/budget/?ar=" in answer.url:
                acknowledged.append(amount)
            time.sleep(THINK)

    def upload_sie(self, page: str, path: Path) -> int:
        """Upload an SIE file on the import page; returns the import job's id."""
        boundary = uuid.uuid4().hex
        head = f"--{boundary}\r\nContent-Disposition: form-data; name="
        parts = [
            f'{head}"csrfmiddlewaretoken"\r\n\r\n{self.csrf(page)}\r\n',
            f'{head}"kind"\r\n\r\nsie\r\n',
            f'{head}"file"; filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n',
        ]
        body = "".join(parts).encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        answer = self.request(page, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        found = re.search(r"/ekonomi/import/(\d+)/", answer.url)
        assert found, f"the upload was not taken: {answer.status} {answer.url}"
        return int(found.group(1))

    @staticmethod
    def totp(key_hex: str) -> str:
        """The code an authenticator app shows now for a TOTP device's key."""
        from django_otp.oath import TOTP

        return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"
