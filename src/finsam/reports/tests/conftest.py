"""The demo's board documents, gathered and rendered once per test run.

The demo is the same at the start of every test that uses it (finsam/conftest.py), so a document gathered and
rendered for one test is the document of the next: rendering the annual report to PDF takes seconds, and a
dozen tests read the same three documents. Only for tests that read the demo as built; a test that changes the
data first gathers and renders its own document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from finsam.core import documents
from finsam.organisation.models import Association

Key = tuple[str, str, dt.date]
DemoDocument = Callable[[str, str, dt.date], documents.Gathered]
Render = Callable[[documents.Gathered, str], bytes]
Cache = tuple[dict[Key, documents.Gathered], dict[int, tuple[documents.Gathered, dict[str, bytes]]]]


@pytest.fixture(scope="session")
def _demo_documents() -> Cache:
    return {}, {}


@pytest.fixture
def demo_document(
    demo: dict[str, Association],
    _demo_documents: Cache,
) -> DemoDocument:
    """`(kind, slug, end)` → the demo's document of that kind for the year up to end, gathered once a run."""
    gathered = _demo_documents[0]

    def get(kind: str, slug: str, end: dt.date) -> documents.Gathered:
        key = (kind, slug, end)
        if key not in gathered:
            period = documents.Period(end.replace(month=1, day=1), end)
            gathered[key] = documents.gather(kind, demo[slug], period)
        return gathered[key]

    return get


@pytest.fixture
def render_once(
    _demo_documents: Cache,
) -> Render:
    """`(gathered, format)` → the file, rendered once a run for each gathered document and format (the cache
    keeps the document, so its identity stays its own)."""
    rendered = _demo_documents[1]

    def get(gathered: documents.Gathered, format: str) -> bytes:
        _kept, files = rendered.setdefault(id(gathered), (gathered, {}))
        if format not in files:
            files[format] = documents.render(gathered, format)
        return files[format]

    return get
