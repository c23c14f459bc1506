"""Upload limits (issue 13): set by kind in the environment, held while an upload streams and on the command
line before a file is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch

from finsam.core import uploads
from finsam.core.tests.test_cli import finsam


def test_the_command_line_refuses_a_file_over_its_kinds_limit_before_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSAM_MAX_UPLOAD_BUDGET_MB", "1")
    big = tmp_path / "budget.csv"
    big.write_bytes(b"rad;\xc3\xa5r;typ;belopp\n" + b"ASKE;2025;budget;1\n" * 120_000)  # 2.3 MB
    run = finsam(tmp_path / "data", "import", "budget", str(big), "--association", "exempel")
    assert run.returncode == 1
    assert (
        run.stderr == f"finsam: {big}: filen är större än 1 MB, det största som tas emot för en budgetfil\n"
    )
    assert not (tmp_path / "data" / "finsam.sqlite3").exists()  # refused before anything else


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abc", "FINSAM_MAX_UPLOAD_SIE_MB='abc' is not valid; expected a whole number"),
        ("0", "FINSAM_MAX_UPLOAD_SIE_MB=0 is not valid; expected a whole number of MB from 1 to 1024"),
    ],
)
def test_a_bad_limit_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.setenv("FINSAM_MAX_UPLOAD_SIE_MB", value)
    run = finsam(tmp_path, "manage", "check")
    assert run.returncode != 0 and expected in run.stderr


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


@uploads.accepts("budget")
def _budget_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def _handler(view: object) -> uploads.LimitedUploadHandler:
    request = RequestFactory().post("/")
    request.resolver_match = ResolverMatch(view, (), {})  # type: ignore[arg-type]
    handler = uploads.LimitedUploadHandler(request)
    handler.new_file("file", "fil.csv", "text/csv", None)
    return handler


def test_past_the_limit_no_byte_reaches_the_handlers_that_keep_the_file() -> None:
    handler = _handler(_budget_view)
    assert handler.limit == uploads.limit("budget")
    chunk = b"x" * (64 * 1024)
    passed = [
        handler.receive_data_chunk(chunk, n * len(chunk)) for n in range(handler.limit // len(chunk) + 3)
    ]
    assert passed.count(None) == 3 and all(p == chunk for p in passed[:-3])
    refused = handler.file_complete(handler.received)
    assert isinstance(refused, uploads.RefusedUpload) and refused.message == (
        "Filen är större än 2 MB, det största som tas emot här."
    )


def test_a_view_that_declares_no_kind_takes_no_file() -> None:
    handler = _handler(_view)
    assert handler.limit == 0 and handler.receive_data_chunk(b"x", 0) is None
    assert isinstance(handler.file_complete(1), uploads.RefusedUpload)
