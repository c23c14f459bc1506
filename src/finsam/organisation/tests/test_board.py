from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finsam import testing
from finsam.organisation import orgfile
from finsam.organisation.board import Holder, board_during
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo" / "data" / "finnveden.yaml"


def test_the_board_of_2023_reads_like_the_annual_report() -> None:
    orgfile.setup(DEMO, testing.SYSTEM)
    finnveden = Association.objects.get(slug="finnveden")
    rows = board_during(finnveden, dt.date(2023, 1, 1), dt.date(2023, 12, 31))

    def names(holders: list[Holder]) -> list[str]:
        return [
            h.seat.person.name
            + (f" t.o.m. {h.until}" if h.until else "")
            + (f" fr.o.m. {h.since}" if h.since else "")
            for h in holders
        ]

    table = {row.member.code: (names(row.members), names(row.deputies)) for row in rows}
    assert list(table) == ["FK", "RJL", "GISLAVED", "GNOSJO", "VARNAMO", "AF"]
    assert table["GNOSJO"] == (["Stefan Lundell"], ["Senada Sacic"])
    assert table["RJL"] == (["Senada Sacic"], ["Fredrik Sveningson"])
    assert table["AF"] == (
        ["Anna Svensson t.o.m. 2023-07-31", "Andreas Appelberg fr.o.m. 2023-08-01"],
        ["Andreas Appelberg t.o.m. 2023-07-31", "Anna Svensson fr.o.m. 2023-08-01"],
    )
    chair = rows[3].members[0].seat
    assert chair.get_office_display() == "Ordförande"
    assert board_during(finnveden, dt.date(2022, 1, 1), dt.date(2022, 12, 31)) == []
