"""Fixtures of the command-line tests: the small hospital solved once, and a copy of that
result folder per test (the refusals' tests write around it, the French ones edit its
policy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli


@pytest.fixture(scope="session")
def small_result(small_hospital: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result folder of the small hospital (policy in English), solved once."""
    out = tmp_path_factory.mktemp("small_result") / "result"
    args = ["solve", str(small_hospital), "--out", str(out), "--work-limit", "0.3",
            "--workers", "1"]  # fmt: skip
    solved = CliRunner().invoke(cli, args)
    assert solved.exit_code == 0, solved.output
    return out


@pytest.fixture
def result(small_result: Path, tmp_path: Path) -> Path:
    """A copy of :func:`small_result` (``R``) that a test may change."""
    return Path(shutil.copytree(small_result, tmp_path / "R"))
