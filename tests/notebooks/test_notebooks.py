"""The analysts' notebooks run top to bottom on the bundled data, and sit in git without outputs.

Each notebook in ``notebooks/`` is executed with ``nbclient`` in a ``python3`` kernel, with
``notebooks/`` as working directory (as Jupyter opens it). The kernel spec is written by
the tests, pointing at this interpreter, so that a fresh CI machine where only
``pip install -e '.[dev]'`` ran (no spec installed, or a user-level ``python3`` spec for
another Python) runs the notebooks with the package under test.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode

from tests.support.paths import REPO

NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
WALKTHROUGH = NOTEBOOK_DIR / "rescheduling_walkthrough.ipynb"
QUICK_START = NOTEBOOK_DIR / "01_quick_start.ipynb"
CRISIS = NOTEBOOK_DIR / "02_crisis_analysis.ipynb"
KERNEL_NAME = "python3"
# Generous: a cell solves under a work budget, whose wall time grows on a busy machine.
CELL_TIMEOUT_S = 600
# Where a notebook exports its result; the walkthrough reads this variable.
OUT_VARIABLE = "RESCHEDULING_OUT"

Run = Callable[[Path], tuple[NotebookNode, Path]]


def read_notebook(path: Path) -> NotebookNode:
    """The notebook at ``path``, in nbformat 4."""
    nb: NotebookNode = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    return nb


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A ``python3`` kernel spec running this interpreter, first on ``JUPYTER_PATH``.

    Jupyter looks up kernel specs in ``JUPYTER_PATH`` before the user's and the
    environment's folders, so this spec wins over any other ``python3``.
    """
    jupyter_dir = tmp_path_factory.mktemp("jupyter")
    spec_dir = jupyter_dir / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    paths = [str(jupyter_dir), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", os.pathsep.join(paths))
        yield KERNEL_NAME


@pytest.fixture(scope="module")
def run_notebook(kernel_name: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Execute a notebook once per test module; return it with the folder it exported to.

    ``NotebookClient.execute`` raises ``CellExecutionError`` (naming the cell and the
    traceback) at the first cell that fails, which fails the test calling this.
    """
    executed: dict[Path, tuple[NotebookNode, Path]] = {}

    def run(path: Path) -> tuple[NotebookNode, Path]:
        if path not in executed:
            out = tmp_path_factory.mktemp(path.stem) / "result"
            nb = read_notebook(path)
            client = NotebookClient(
                nb,
                kernel_name=kernel_name,
                timeout=CELL_TIMEOUT_S,
                resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
            )
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv(OUT_VARIABLE, str(out))
                mp.setenv("MPLBACKEND", "Agg")  # no display on a CI machine
                client.execute()
            executed[path] = (nb, out)
        return executed[path]

    return run


def test_walkthrough_is_in_notebooks() -> None:
    """The analysts' notebooks exist, so the notebook tests below are not vacuous."""
    assert {WALKTHROUGH, QUICK_START, CRISIS} <= set(NOTEBOOKS)


def outputs(nb: NotebookNode, kind: str) -> list[NotebookNode]:
    """The code cells' outputs holding data of MIME type ``kind`` (``image/png``...)."""
    return [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if kind in out.get("data", {})
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    """The notebook file (as committed) holds no outputs or execution counts, and is valid.

    Outputs in git make every rerun a diff, and could carry real schedules out of the
    hospital; strip them before committing.
    """
    nb = read_notebook(path)
    nbformat.validate(nb)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path: Path, run_notebook: Run) -> None:
    """Every code cell runs without error, from a fresh kernel, with notebooks/ as cwd."""
    nb, _ = run_notebook(path)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, f"{path.name} has no code cell"
    assert all(cell.execution_count is not None for cell in code)
    errors = [out for cell in code for out in cell.outputs if out.get("output_type") == "error"]
    assert not errors, errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_prints_no_warning(path: Path, run_notebook: Run) -> None:
    """Regression: the walkthrough printed a ``Pandas4Warning`` (``join``'s ``lsuffix`` and
    ``rsuffix``, deprecated in pandas 3) under its capacity table. A notebook an analyst
    copies from writes nothing on stderr: no deprecated call, no warning of ours."""
    nb, _ = run_notebook(path)
    stderr = [
        (i, out.text)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    assert not stderr, stderr


def test_walkthrough_shows_and_exports_the_revised_plan(run_notebook: Run) -> None:
    """The walkthrough displays its tables and exports one schedule row per case of the demo."""
    nb, out = run_notebook(WALKTHROUGH)
    tables = [
        out_
        for cell in nb.cells
        if cell.cell_type == "code"
        for out_ in cell.outputs
        if out_.get("output_type") == "execute_result" and "text/html" in out_.get("data", {})
    ]
    # capacity, levels, kpis, statuses, postponed, transferred, unscheduled (2),
    # misses, targets, normal vs attack, per date
    assert len(tables) >= 12
    with (out / "schedule.csv").open(encoding="utf-8", newline="") as fh:
        schedule = list(csv.DictReader(fh))
    with (REPO / "data" / "cannes_demo" / "cases.csv").open(encoding="utf-8", newline="") as fh:
        case_ids = [row["case_id"] for row in csv.DictReader(fh)]
    assert sorted(row["case_id"] for row in schedule) == sorted(case_ids)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["planned"] == sum(d["planned"] for d in summary["dates"])


def test_quick_start_draws_the_day_sheet_and_the_kpis(run_notebook: Run) -> None:
    """Two figures (the day sheet per room, the kept ratio per date) rendered as images,
    with matplotlib on Agg, and the KPI table against the target."""
    nb, _ = run_notebook(QUICK_START)
    assert len(outputs(nb, "image/png")) == 2
    assert any("needed" in out["data"]["text/html"] for out in outputs(nb, "text/html"))


def test_crisis_analysis_plots_and_answers(run_notebook: Run) -> None:
    """Three figures (kept ratio against rooms open, cuts, backlog days); the rooms-open
    table has one row per variant and the analyst's question its two figures."""
    nb, _ = run_notebook(CRISIS)
    assert len(outputs(nb, "image/png")) == 3
    html = [out["data"]["text/html"] for out in outputs(nb, "text/html")]
    assert any("rooms open a day" in h and "3 more closed" in h for h in html)
    plain = [out["data"]["text/plain"] for out in outputs(nb, "text/plain")]
    assert any("postponed" in t and "mean_delay_days" in t and "orthopaedics" in t for t in plain)
