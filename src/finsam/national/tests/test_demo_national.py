"""The demo's two associations export, are taken into a fresh installation by the command and roll up into
national tables that sum exactly what the exports published; no count below the threshold can be recovered
from the exports, their periods' differences or the national tables."""

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
from finsam.national import files, rollup, services
from finsam.national.grids import BOARD_GRIDS, export_grids, extra_grids
from finsam.organisation.models import Association
from finsam.participants.figures import published_grids
from finsam.privacy import periods
from finsam.privacy.suppression import Position, exposed_cells

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
    for orientation, kind in zip(national["orientations"], rollup.ORIENTATIONS, strict=True):
        cells = [rollup._counts(i) for s in exports.values() for i in s["interventions"] if i["kind"] == kind]
        assert orientation["counts"] == {k: _expected([c[i] for c in cells]) for i, k in enumerate(keys)}
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


def test_no_count_below_the_threshold_can_be_recovered(
    demo: dict[str, Association], settings: Settings
) -> None:
    """For every grid an export publishes, in every allowed period of the year: each hidden count's range,
    given everything published, is not within 1 … threshold-1 nor a single value; and a position published
    in two periods differs by 0 or by at least the threshold, so no difference of two exports tells a small
    group. The roll-up adds nothing: its figures are sums of these (the test above)."""
    threshold = settings.SUPPRESSION_THRESHOLD
    checked = hidden_small = 0
    for association in demo.values():
        last: dict[tuple[str, Hashable, int | None], int] = {}
        for start, end in periods.allowed_periods(2023):
            tables, grids = export_grids(association, start, end, threshold)
            truth = {name: grid for name, grid in published_grids(tables).items() if name in BOARD_GRIDS}
            truth |= extra_grids(tables)
            for name, (suppressed, _keys) in grids.items():
                rows, counts, _columns = truth[name]
                if not counts:
                    continue
                assert exposed_cells(counts, suppressed.hidden, threshold=threshold) == set(), (name, end)
                values: dict[Position, int] = {
                    **{(i, j): counts[i][j] for i in range(len(rows)) for j in range(len(counts[0]))},
                    **{(i, None): sum(counts[i]) for i in range(len(rows))},
                    **{(None, j): sum(r[j] for r in counts) for j in range(len(counts[0]))},
                    (None, None): sum(map(sum, counts)),
                }
                for (i, j), value in values.items():
                    key = (name, None if i is None else rows[i], j)
                    if (i, j) in suppressed.hidden:
                        hidden_small += 0 < value < threshold
                        continue
                    if key in last:
                        assert value - last[key] == 0 or abs(value - last[key]) >= threshold, (key, end)
                    last[key] = value
                    checked += 1
    assert checked > 100 and hidden_small > 0  # the demo has both, so the test can fail
