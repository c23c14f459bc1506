"""The fuzzing harness of bench/fuzz_importers.py on a few inputs per importer, so that it cannot rot.

The full runs (100 000 inputs per importer, on demand) are in bench/README.md; this runs each importer's first
inputs under a fixed seed, on the test database, and asks for what the full runs ask: no exception but the
importer's refusal, no partial write, every input run.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pytest_django.fixtures import Settings

BENCH = Path(__file__).resolve().parents[4] / "bench"
INPUTS = 30  # per importer: about five seconds in all


def harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_importers", BENCH / "fuzz_importers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_every_importer_takes_mutated_inputs_without_failing(tmp_path: Path, settings: Settings) -> None:
    settings.DATA_DIR = tmp_path  # an accepted Word template is a file in the data dir
    fuzz = harness()
    fuzz.prepare(tmp_path)
    targets = fuzz.targets(tmp_path)
    assert set(targets) == set(fuzz.ORDER)
    for name in fuzz.ORDER:
        stats = fuzz.fuzz(targets[name], fuzz.Limits(INPUTS, seed=13), tmp_path, tmp_path / "crashes")
        assert (stats.inputs, stats.crashes, stats.kinds) == (INPUTS, 0, {}), stats.report(name)
        assert stats.refused + stats.accepted == INPUTS
        assert stats.refused > 0, name  # the mutations do reach the importer's checks
