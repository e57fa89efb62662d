"""Every valid scenario of the input corpus (BOM, CRLF, empty case list, ...) solves cleanly."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from optimizer.check import check_result_folder
from optimizer.cli import cli
from optimizer.scenario import load_scenario
from tests.support.paths import CORPUS

VALID = sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name.startswith("valid_"))


@pytest.mark.parametrize("folder", VALID, ids=[p.name for p in VALID])
def test_valid_corpus_scenario_solves(folder, tmp_path):
    """`solve` exits 0 and writes a result that passes the independent checker."""
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(folder), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert check_result_folder(load_scenario(folder), out) == []


def test_corpus_has_valid_scenarios():
    """The parametrised test above runs on something."""
    assert len(VALID) >= 5
