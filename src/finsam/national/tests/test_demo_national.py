"""The demo's two associations export, are taken into a fresh installation by the command and roll up into
national tables that sum exactly what the exports published, their outcome reports included; no count below
the threshold can be recovered from the exports (their outcome tables too), their periods' differences or the
national tables."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Hashable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pytest_django.fixtures import Settings

from finsam.core.audit import Actor
from finsam.national import files, outcome_sums, rollup, services
from finsam.national.grids import BOARD_GRIDS, export_grids, extra_grids
from finsam.organisation.models import Association
from finsam.participants import outcomes
from finsam.participants.figures import published_grids
from finsam.privacy import periods
from finsam.privacy.suppression import Position, SuppressedTable, exposed_cells

END = dt.date(2023, 12, 31)


def _finsam(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "finsam", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def _expected(values: list[int | None]) -> dict[str, int]:
    return {"known": sum(v for v in values if v is not None), "hidden": sum(v is None for v in values)}


def test_the_demo_rolls_up_into_sums_of_what_each_export_published(
    demo: dict[str, Association], installation: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    settings.NATIONAL_KEY_DIR = tmp_path / "nycklar"
    exports: dict[str, dict[str, Any]] = {}
    paths = []
    for slug, association in sorted(demo.items()):
        signed = services.export(association, dt.date(2023, 1, 1), END, Actor.command("test"))
        files.validate(signed)
        exports[slug] = signed
        paths.append(tmp_path / f"{slug}.json")
        paths[-1].write_text(json.dumps(signed, ensure_ascii=False, indent=1), encoding="utf-8")
    money = exports["finnveden"]["money"]  # seed 001 prints whole kronor
    assert (round(Decimal(money["equity"])), round(Decimal(money["result"]))) == (2608640, -504695)

    received = _finsam(installation, "national", "import", *map(str, paths))
    assert received.returncode == 0, received.stderr
    for signed in exports.values():
        assert signed["signer"]["fingerprint"] in received.stdout
    again = _finsam(installation, "national", "import", *map(str, paths))
    assert again.stdout.count("redan mottagen") == 2
    report = _finsam(installation, "national", "report", "--date", END.isoformat(), "--format", "json")
    assert report.returncode == 0, report.stderr
    national = json.loads(report.stdout)

    def total_counts(signed: dict[str, Any]) -> list[int | None]:
        return rollup._counts(
            {"participants": signed["total"]["participants"], "volume": signed["total"]["volume"]}
        )

    keys = [f"{measure}.{column}" for _label, measure, column in rollup.COUNTS]
    per_export = {signed["association"]["name"]: total_counts(signed) for signed in exports.values()}
    for row in national["associations"]:
        assert row["counts"] == {
            k: _expected([v]) for k, v in zip(keys, per_export[row["name"]], strict=True)
        }
    every = list(per_export.values())
    summed = {k: _expected([values[i] for values in every]) for i, k in enumerate(keys)}
    assert national["national"]["counts"] == summed
    (county,) = national["counties"]  # both demo associations are in Jönköpings län
    assert county["name"] == "Jönköpings län" and county["counts"] == summed
    interventions = [i for s in exports.values() for i in s["interventions"]]
    for orientation, kind in zip(national["orientations"], rollup.ORIENTATIONS, strict=True):
        cells = [rollup._counts(i) for i in interventions if i["classification"]["orientation"] == kind]
        assert orientation["counts"] == {k: _expected([c[i] for c in cells]) for i, k in enumerate(keys)}
    precise = {
        (i["classification"]["orientation"], i["classification"]["precise_orientation"])
        for i in interventions
    }
    assert len(national["precise_orientations"]) == len(precise) == 4  # the demo's are classified

    # The outcome reports: each export carries its association's as published; the roll-up sums their cells.
    finnveden = exports["finnveden"]["total"]["outcomes"]  # seed 001: 31 exits, 5,4 years on support
    assert finnveden["exited"]["total"] == 31 and finnveden["years_on_support"]["mean"]["total"] == "5.4"
    for slug, signed in exports.items():
        outcome_report = outcomes.outcome_report(demo[slug], dt.date(2023, 1, 1), END)
        assert signed["total"]["outcomes"] == outcome_report["total"]
        by_code = {i["code"]: i for i in signed["interventions"]}
        for published in outcome_report["interventions"]:
            tables = {k: v for k, v in published.items() if k not in ("code", "name")}
            assert by_code[published["code"]]["outcomes"] == tables
    outcome_keys = outcome_sums.KEYS
    per_outcomes = {
        s["association"]["name"]: outcome_sums.values(s["total"]["outcomes"]) for s in exports.values()
    }
    for row in national["associations"]:
        assert row["outcomes"] == {
            k: _expected([v]) for k, v in zip(outcome_keys, per_outcomes[row["name"]], strict=True)
        }
    every_outcome = list(per_outcomes.values())
    summed_outcomes = {k: _expected([v[i] for v in every_outcome]) for i, k in enumerate(outcome_keys)}
    assert national["national"]["outcomes"] == summed_outcomes == county["outcomes"]
    assert summed_outcomes["exited.total"] == {"known": 89, "hidden": 0}  # 31 + 58
    assert national["without_outcomes"] == []
    for orientation, kind in zip(national["orientations"], rollup.ORIENTATIONS, strict=True):
        parts = [
            outcome_sums.values(i["outcomes"])
            for i in interventions
            if i["classification"]["orientation"] == kind and i["outcomes"] is not None
        ]
        assert orientation["outcomes"] == {
            k: _expected([p[i] for p in parts]) for i, k in enumerate(outcome_keys)
        }
    support = {row["before"]: row for row in national["income_support"]}
    for before, row in support.items():
        published = [
            next((r for r in s["total"]["outcomes"]["income_support"]["rows"] if r["before"] == before), None)
            for s in exports.values()
        ]
        shown = [r for r in published if r is not None]  # a row left out is no one: a known 0
        assert row["total"] == _expected([r["total"] for r in shown])
        assert row["after"] == {a: _expected([r["after"][a] for r in shown]) for a in outcomes.SUPPORT}
    assert "sjukpenning" in support and support["sjukpenning"]["total"]["hidden"] == 2
    equity = sum(Decimal(s["money"]["equity"]) for s in exports.values())
    assert Decimal(national["national"]["money"]["equity"]) == equity

    xlsx = tmp_path / "nationell.xlsx"
    written = _finsam(
        installation,
        "national",
        "report",
        "--date",
        END.isoformat(),
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
    )
    assert written.returncode == 0, written.stderr
    assert xlsx.read_bytes()[:2] == b"PK"


def _values(counts: list[list[int]]) -> dict[Position, int]:
    """Every position of a grid with its true value: cells, row and column totals, the grand total."""
    columns = len(counts[0])
    return {
        **{(i, j): counts[i][j] for i in range(len(counts)) for j in range(columns)},
        **{(i, None): sum(counts[i]) for i in range(len(counts))},
        **{(None, j): sum(r[j] for r in counts) for j in range(columns)},
        (None, None): sum(map(sum, counts)),
    }


def _shown(table: SuppressedTable, position: Position) -> bool:
    return position not in table.hidden


def _shown_in(
    table: SuppressedTable, rows: dict[int | None, int | None], i: int | None, j: int | None
) -> bool:
    """Whether the board's grid shows the position of an outcome grid's row i (rows: its row there)."""
    return i in rows and _shown(table, (rows[i], j))


def test_no_count_below_the_threshold_can_be_recovered(
    demo: dict[str, Association], settings: Settings
) -> None:
    """For every grid an export publishes, its outcome tables' among them, in every allowed period of the
    year: each hidden count's range, given everything published, is not within 1 … threshold-1 nor a single
    value; and a position published in two periods differs by 0 or by at least the threshold, so no
    difference of two exports tells a small group. The outcome tables publish again counts the other grids
    publish: those exited (the same grid), and those exited to work or studies (an exit reason's column);
    each grid is checked again knowing the other's figures too. The roll-up adds nothing: its figures are
    sums of these (the test above)."""
    threshold = settings.SUPPRESSION_THRESHOLD
    checked = hidden_small = linked = 0
    for association in demo.values():
        last: dict[tuple[str, Hashable, int | None], int] = {}
        for start, end in periods.allowed_periods(2023):
            tables, grids = export_grids(association, start, end, threshold)
            truth = {name: grid for name, grid in published_grids(tables).items() if name in BOARD_GRIDS}
            truth |= extra_grids(tables)
            outcome_tables, outcome_grids = outcomes.suppressed(association, start, end, threshold)
            outcome_truth = outcomes.published_grids(outcome_tables)
            every = [(name, grids[name][0], truth[name]) for name in grids] + [
                (f"outcomes.{name}", outcome_grids[name], outcome_truth[name]) for name in outcome_grids
            ]
            for name, suppressed, (rows, counts, _columns) in every:
                if not counts:
                    continue
                assert exposed_cells(counts, suppressed.hidden, threshold=threshold) == set(), (name, end)
                for (i, j), value in _values(counts).items():
                    key = (name, None if i is None else rows[i], j)
                    if (i, j) in suppressed.hidden:
                        hidden_small += 0 < value < threshold
                        continue
                    if key in last:
                        assert value - last[key] == 0 or abs(value - last[key]) >= threshold, (key, end)
                    last[key] = value
                    checked += 1

            # The same counts in two grids: a figure one hides and the other shows is known.
            rows, exits, _columns = outcome_truth["exited"]
            if not exits:
                continue
            board_rows = {pk: index for index, pk in enumerate(truth["exited"][0])}
            to_board: dict[int | None, int | None] = {None: None}
            to_board |= {i: board_rows[pk] for i, pk in enumerate(rows) if pk in board_rows}
            reasons, exited = grids["exit_reasons"][0], grids["exited"][0]
            work = list(truth["exit_reasons"][2]).index("work_or_studies")
            known = {(i, j) for i, j in outcome_grids["exited"].hidden if _shown_in(exited, to_board, i, j)}
            assert exposed_cells(exits, outcome_grids["exited"].hidden - known, threshold=threshold) == set()
            to_work = outcome_grids["to_work_or_studies"]
            known = {(i, None) for i in to_board if _shown_in(reasons, to_board, i, work)}
            counts = outcome_truth["to_work_or_studies"][1]
            assert exposed_cells(counts, to_work.hidden - known, threshold=threshold) == set(), end
            known = {(to_board[i], work) for i in to_board if _shown(to_work, (i, None))}
            counts = truth["exit_reasons"][1]
            assert exposed_cells(counts, reasons.hidden - known, threshold=threshold) == set(), end
            linked += 1
    assert checked > 100 and hidden_small > 0 and linked > 0  # the demo has each, so the test can fail
