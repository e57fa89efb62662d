"""Where the tests find the repository's own files, wherever the test file sits in ``tests/``."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
"""The repository root (holds ``optimizer/``, ``data/``, ``notebooks/``, ``tests/``)."""

DATA = REPO / "data"
"""The bundled scenarios."""

DEMO = DATA / "cannes_demo"
"""The bundled demo scenario, whose recorded optima the demo test keeps."""

CORPUS = REPO / "tests" / "corpus"
"""The input corpus: one scenario folder per kind of bad (or odd but valid) input."""
