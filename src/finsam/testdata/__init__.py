"""The files the tests read: the worked example and real SIE files (README.md here says where they came from).

Test data only: the package is left out of the installed distribution (pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

# A fictional association's files, each as a user would bring it, and the reports they must give.
EXAMPLES = Path(__file__).resolve().parent / "examples"
# SIE files written by real accounting programs.
SIE_CORPUS = Path(__file__).resolve().parent / "sie-corpus"
