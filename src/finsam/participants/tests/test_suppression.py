"""Outputs that leave the association never reveal a count under the threshold (property tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam import testing
from finsam.core.documents import Kind, Period, gather
from finsam.organisation.models import Association, Intervention
from finsam.participants import figures
from finsam.participants.models import COUNTED_REASONS
from finsam.participants.tables import GENDERS, InterventionCounts, MunicipalityRow, ParticipantTables
from finsam.participants.tests.factories import episode
from finsam.privacy.suppression import exposed_cells

small = st.integers(min_value=0, max_value=12)


@st.composite
def participant_tables(draw: st.DrawFn) -> ParticipantTables:
    association = Association(slug="slump", name="Slump")
    rows = []
    for index in range(draw(st.integers(min_value=1, max_value=4))):
        counts = InterventionCounts()
        for gender in GENDERS:
            counts.participating[gender] = draw(small)
            counts.exited[gender] = draw(st.integers(min_value=0, max_value=counts.participating[gender]))
        exited = sum(counts.exited.values())
        # Spread the exits over the reasons.
        for _ in range(exited):
            counts.reasons[draw(st.sampled_from(COUNTED_REASONS))] += 1
        rows.append((Intervention(pk=index + 1, code=f"I{index}", name=f"Insats {index}"), counts))
    municipalities = []
    for name in draw(st.lists(st.sampled_from(["Gnosjö", "Gislaved", "Värnamo", "Okänd"]), unique=True)):
        row = MunicipalityRow(name)
        for gender in GENDERS:
            row.carried_over[gender] = draw(small)
            row.new[gender] = draw(small)
        municipalities.append(row)
    total = InterventionCounts()
    for _i, counts in rows:
        total.add(counts)
    sources = {i.pk: {source: draw(small) for source in figures.SOURCES} for i, _c in rows}
    return ParticipantTables(
        association,
        dt.date(2023, 1, 1),
        dt.date(2023, 12, 31),
        rows,
        total,
        municipalities,
        {"I0": municipalities[:2]} if municipalities else {},  # one intervention's own grid as well
        [],
        {},
        {},
        [],
        sources,
    )


def _published_counts(value: object) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, dict):
        return [n for k, v in value.items() if k != "suppression" for n in _published_counts(v)]
    if isinstance(value, list):
        return [n for v in value for n in _published_counts(v)]
    return []


@settings(max_examples=60, deadline=None)
@given(tables=participant_tables(), threshold=st.integers(min_value=2, max_value=6))
def test_no_published_count_is_under_the_threshold(tables: ParticipantTables, threshold: int) -> None:
    published = figures.public_json(tables, threshold)
    assert all(n == 0 or n >= threshold for n in _published_counts(published))
    # Nor in the document (HTML, XLSX, PDF) made from the same tables.
    document = figures.as_document(tables, threshold=threshold)
    for table in document.tables:
        for row in table.rows:
            for column in table.columns:
                value = row.get(column.key)
                if column.kind == Kind.INTEGER and isinstance(value, int):
                    assert value == 0 or value >= threshold, (table.title, column.label, value)


@settings(max_examples=60, deadline=None)
@given(tables=participant_tables(), threshold=st.integers(min_value=2, max_value=6))
def test_no_hidden_count_can_be_recovered_from_the_totals(tables: ParticipantTables, threshold: int) -> None:
    for name, (suppressed, _keys) in figures.suppressed_grids(tables, threshold).items():
        hidden = suppressed.primary | suppressed.complementary
        counts = [c for _i, c in tables.interventions]
        grid = {
            "participating": [[c.participating[g] for g in GENDERS] for c in counts],
            "exited": [[c.exited[g] for g in GENDERS] for c in counts],
            "exit_reasons": [list(c.groups.values()) for c in counts],
            "referral_sources": [
                [tables.referral_sources[i.pk][source] for source in figures.SOURCES]
                for i, _c in tables.interventions
            ],
            "municipalities": [
                [m.carried_over[g] for g in GENDERS] + [m.new[g] for g in GENDERS]
                for m in tables.municipalities
            ],
            f"{figures.MUNICIPALITIES_OF}I0": [
                [m.carried_over[g] for g in GENDERS] + [m.new[g] for g in GENDERS]
                for m in tables.municipalities_by_intervention.get("I0", [])
            ],
        }[name]
        if grid:
            assert exposed_cells(grid, hidden, threshold=threshold) == set(), name


@pytest.mark.django_db
def test_the_public_report_hides_a_small_intervention_but_the_own_report_does_not() -> None:
    assoc = testing.association("hemma")
    steg, team = testing.intervention(assoc, "STEG"), testing.intervention(assoc, "TEAM")
    for n in range(8):
        episode(steg, f"S-{n}", gender="kvinna" if n % 2 else "man")
    episode(team, "T-1")
    episode(team, "T-2", gender="man")
    period = Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    own = gather("participants", assoc, period).data
    assert own["interventions"][1]["participating"] == {"women": 1, "men": 1, "other": 0}
    public = gather("participants-public", assoc, period).data
    assert public["interventions"][1]["participating"] == {"women": None, "men": None, "other": 0}
    assert public["interventions"][1]["participating_total"] is None
    assert public["suppression"] == {"threshold": 5}
    assert all(n == 0 or n >= 5 for n in _published_counts(public))
