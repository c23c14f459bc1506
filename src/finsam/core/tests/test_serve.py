"""`finsam serve` as a host runs it: gunicorn in a subprocess on a loopback port, on an empty data dir,
with JSON logs on its standard error; started once for the module and stopped by SIGTERM at the end."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from finsam.conftest import free_port

WORKERS = 2


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_for(port: int, process: subprocess.Popen[bytes], output: Path) -> None:
    deadline = time.monotonic() + 120  # migrating an empty database takes a while
    while time.monotonic() < deadline:
        assert process.poll() is None, output.read_text()
        try:
            get(port, "/katalog/")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("finsam serve did not answer")


@dataclass
class Served:
    port: int
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def log(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stderr.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("serve")
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FINSAM_ENV", "FINSAM_LOG_FORMAT")
    }
    env |= {"FINSAM_DATA_DIR": str(folder / "data"), "FINSAM_LOG_FORMAT": "json"}
    port = free_port()
    out, err = folder / "stdout", folder / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "finsam", "serve", "--port", str(port), "--workers", str(WORKERS)],
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
    try:
        wait_for(port, process, err)
        yield Served(port, process, out, err)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_it_is_gunicorn_with_the_workers_asked_for(served: Served) -> None:
    status, headers, _ = get(served.port, "/katalog/")
    assert status == 200 and headers["Server"] == "gunicorn"
    children = Path(f"/proc/{served.process.pid}/task/{served.process.pid}/children").read_text().split()
    assert len(children) == WORKERS
    assert (
        served.stdout.read_text() == f"finsam körs på http://127.0.0.1:{served.port}/  (avsluta med Ctrl+C)\n"
    )
    messages = [line["message"] for line in served.log() if line["logger"] == "gunicorn.error"]
    assert "Using worker: gthread" in messages
    assert not any("runserver" in m or "development server" in m for m in messages)


def test_health_answers_json_naming_the_missing_worker(served: Served) -> None:
    status, headers, body = get(served.port, "/halsa/")
    assert status == 503  # no `finsam worker` runs beside this server
    assert "no-store" in headers["Cache-Control"]
    health = json.loads(body)
    assert health["status"] == "fel"
    assert health["database"] == {"ok": True, "vendor": "sqlite"}
    assert health["migrations"] == {"ok": True, "unapplied": []}
    assert health["worker"]["ok"] is False and health["worker"]["last_seen"] is None
    assert health["disk"]["ok"] is True and health["disk"]["data_dir"] == "data"
    assert health["disk"]["free_bytes"] >= health["disk"]["min_free_bytes"] == 1024**3


def test_each_request_is_one_json_line_with_its_id_and_no_query(served: Served) -> None:
    _, given, _ = get(served.port, "/katalog/?sok=Anna+Svensson", {"X-Request-ID": "proxy-7f3e"})
    _, generated, _ = get(served.port, "/static/finsam/finsam.css")
    assert given["X-Request-ID"] == "proxy-7f3e" and len(generated["X-Request-ID"]) == 32
    requests = {line["request_id"]: line for line in served.log() if line["logger"] == "finsam.requests"}
    assert requests["proxy-7f3e"]["path"] == "/katalog/" and requests["proxy-7f3e"]["status"] == 200
    assert requests[generated["X-Request-ID"]]["path"] == "/static/finsam/finsam.css"
    text = served.stderr.read_text(encoding="utf-8")
    assert "sok" not in text and "Anna" not in text


def test_a_body_larger_than_any_upload_is_refused_unread(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as raw:
        raw.sendall(
            b"POST /konto/logga-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 1000000000\r\nConnection: close\r\n\r\n"
        )
        answer = b"".join(iter(lambda: raw.recv(65536), b"")).decode("utf-8")  # until the server closes
    assert answer.startswith("HTTP/1.1 413 ")
    assert "Förfrågan är större än 51 MB, det största som tas emot." in answer


def test_the_proxys_scheme_header_is_left_to_django(served: Served) -> None:
    """Outside production X-Forwarded-Proto is not trusted: a form posted through a proxy without a Referer
    is not held to HTTPS's Referer check (gunicorn, left to itself, would take the header from 127.0.0.1)."""
    _, headers, page = get(served.port, "/konto/logga-in/")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    form = f"csrfmiddlewaretoken={token[1].decode()}&username=ingen&password=fel".encode()
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/konto/logga-in/",
            body=form,
            headers={
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-Proto": "https",
            },
        )
        answer = connection.getresponse()
        assert answer.status == 200 and "Referer" not in answer.read().decode()  # the form again, refused
    finally:
        connection.close()


def test_sigterm_stops_it_cleanly(served: Served) -> None:
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=40) == 0
    messages = [line["message"] for line in served.log()]
    assert "Handling signal: term" in messages and messages[-1] == "Shutting down: Master"
