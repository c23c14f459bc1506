"""The `finsam` command as a user runs it: in a subprocess, on an empty data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from docx import Document as WordDocument
from openpyxl import load_workbook

from finsam.conftest import free_port
from finsam.core.tests.test_serve import get
from finsam.organisation.tests.test_orgfile import INTERFACES_EXAMPLE


def finsam(data_dir: Path, *args: str, umask: int = -1) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "FINSAM_ENV", "DJANGO_SETTINGS_MODULE")
    }
    env["FINSAM_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "finsam", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        umask=umask,
    )


def test_demo_twice_in_an_empty_data_dir_then_served_by_gunicorn(tmp_path: Path) -> None:
    first = finsam(tmp_path, "demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    for login in ("kansli", "ekonom", "registrator", "styrelse"):
        assert f"  {login} " in first.stdout
    assert "http" not in first.stdout  # no address that nothing answers
    assert first.stdout.endswith("Webbappen startas med: finsam serve (eller finsam demo utan --no-serve)\n")

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FINSAM_ENV")}
    env["FINSAM_DATA_DIR"] = str(tmp_path)
    command = [sys.executable, "-m", "finsam", "demo", "--port", str(port)]
    second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert second.stdout is not None
        ready = f"finsam körs på http://127.0.0.1:{port}/  (avsluta med Ctrl+C)\n"
        shown = []
        for line in second.stdout:  # until the server listens, or the process ends
            if line == ready:
                break
            shown.append(line)
        assert line == ready, "".join(shown)
        assert "".join(shown) == first.stdout.rsplit("Webbappen", 1)[0]  # loaded again, nothing changed
        status, headers, _ = get(port, "/konto/logga-in/")
        assert status == 200 and headers["Server"] == "gunicorn"
        # The demo's own job worker runs beside it and has reported in: the health URL says all is well.
        deadline = time.monotonic() + 30
        while (health := get(port, "/halsa/"))[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert health[0] == 200 and json.loads(health[2])["worker"]["ok"] is True
    finally:
        second.terminate()
        second.wait(timeout=40)
    assert second.returncode == 0
    workers = subprocess.run(["pgrep", "-f", f"finsam --data-dir {tmp_path} worker"], capture_output=True)
    assert workers.stdout == b""  # stopped with the server

    reports = tmp_path / "rapporter"
    workbook = load_workbook(reports / "medlemsbidrag-sodra-vatterbygden-2023.xlsx")
    values = {row[0]: row[4] for row in workbook.active.iter_rows(min_row=5, values_only=True) if row[0]}
    assert values["Habo kommun"] == 161300
    assert values["Jönköpings kommun"] == 1786000
    word = WordDocument(str(reports / "medlemsbidrag-finnveden-2023.docx"))
    assert any("Värnamo kommun" in cell.text for cell in word.tables[0].columns[0].cells)
    assert (reports / "medlemsbidrag-finnveden-2023.pdf").read_bytes().startswith(b"%PDF")

    report = finsam(tmp_path, "report", "contributions", "--association", "finnveden", "--date", "2023-12-31")
    assert report.returncode == 0, report.stderr
    amounts = {m["code"]: m["amount"] for m in json.loads(report.stdout)["members"]}
    assert amounts["GNOSJO"] == "162400.00"


def test_setup_of_the_interfaces_file_and_a_planet(tmp_path: Path) -> None:
    good = tmp_path / "org.yaml"
    good.write_text(INTERFACES_EXAMPLE, encoding="utf-8")
    result = finsam(tmp_path, "setup", str(good))
    assert result.returncode == 0, result.stderr
    assert "Samordningsförbundet Södra Vätterbygden (sodra-vatterbygden)" in result.stdout

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        INTERFACES_EXAMPLE.replace("places: 40", "places: 41").replace("kind: state", "kind: planet")
    )
    refused = finsam(tmp_path, "setup", str(bad))
    assert refused.returncode == 1
    assert "members[0].kind" in refused.stderr and "'planet'" in refused.stderr
    assert "inget har ändrats" in refused.stderr
    check = finsam(
        tmp_path,
        "manage",
        "shell",
        "-c",
        "from finsam.organisation.models import Intervention as I; print(I.objects.get(code='ENTER').places)",
    )
    assert check.stdout.strip().splitlines()[-1] == "40"


def test_an_unknown_report_kind_is_refused_naming_the_kinds(tmp_path: Path) -> None:
    result = finsam(tmp_path, "report", "vinst", "--association", "x", "--date", "2023-12-31")
    assert result.returncode == 1
    assert "okänd rapport 'vinst'" in result.stderr
    assert "annual-report" in result.stderr and "income-statement" in result.stderr


def test_imports_name_the_bad_file(tmp_path: Path) -> None:
    result = finsam(tmp_path, "import", "sie", str(tmp_path / "saknas.se"), "--association", "x")
    assert result.returncode == 1
    assert "saknas.se finns inte" in result.stderr


def test_bad_arguments_are_explained(tmp_path: Path) -> None:
    result = finsam(tmp_path, "report", "contributions", "--association", "saknas", "--date", "2023-12-31")
    assert result.returncode == 1
    assert "inget förbund med kortnamnet 'saknas'" in result.stderr
    result = finsam(tmp_path, "report", "contributions", "--association", "x", "--date", "2023-13-01")
    assert result.returncode == 2
    assert "'2023-13-01' är inget datum" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env |= {"FINSAM_ENV": "production", "FINSAM_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "finsam", "manage", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when FINSAM_ENV=production" in result.stderr
    env["FINSAM_ENV"] = "staging"
    result = subprocess.run(
        [sys.executable, "-m", "finsam", "manage", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "FINSAM_ENV='staging' is not valid; expected one of production, demo, dev" in result.stderr
