"""What sweep and robustness say when they succeed, on a French run.

Their refusals followed the policy of what they read (the grid's scenarios', the result
folder's), but their success lines, sweep's progress lines and the status words on them
stayed English. They now come from the catalogues in that language, with French plurals
(0 and 1 singular); English is word for word what it was.
"""

from __future__ import annotations

import re
import shutil
import sys
import types
from pathlib import Path

import pytest

from optimizer.cli import region
from tests.cli.test_french_errors import in_french, run


@pytest.fixture
def scenario(small_hospital: Path, tmp_path: Path) -> Path:
    """The small hospital (policy in English), its first case (C00001, planned in OR01 on
    15/04) pinned: closing OR01 makes a variant that is no valid scenario, a ``failed`` row."""
    folder = Path(shutil.copytree(small_hospital, tmp_path / "scenario"))
    cases = folder / "cases.csv"
    lines = cases.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("C00001,") and ",OR01,08:00," in lines[1]
    pinned = lines[0].split(",").index("pinned")
    cells = lines[1].split(",")
    cells[pinned] = "true"
    cases.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stderr taken for a terminal, so that sweep draws its progress lines."""

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(region, "sys", types.SimpleNamespace(stderr=Terminal(), exit=sys.exit))


def _sweep(scenario: Path, tmp_path: Path, *capacity: str) -> tuple[Path, list[str]]:
    """sweep, serially, of the capacity entries named (``shut``: OR01 closed); its lines
    with the seconds it took written ``N``."""
    entries = {"as_is": "", "shut": 'closed_rooms = ["OR01"]\n'}
    grid = tmp_path / "grid.toml"
    grid.write_text(
        f'scenarios = ["{scenario.name}"]\nwork_limit = 0.1\n'
        + "".join(f'[[capacity]]\nname = "{c}"\n{entries[c]}' for c in capacity),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, said = run("sweep", str(grid), "--out", str(out), "--workers", "0")
    assert code == 0, said
    return out, re.sub(r" \d+ s\.$", " N s.", said, flags=re.M).splitlines()


def test_sweep_says_its_progress_and_table_in_french(
    scenario: Path, tmp_path: Path, terminal: None
) -> None:
    """A grid whose scenario's policy is French: each variant's line with its status in
    words, then the table's line (1 solved, 1 failed: the singular, 0 not run too)."""
    in_french(scenario)
    out, said = _sweep(scenario, tmp_path, "as_is", "shut")
    assert said == [
        "[1/2] variante 0 (as_is) : le meilleur possible (prouvé)",
        "[2/2] variante 1 (shut) : en échec",
        f"{out / 'sweep.csv'} : 2 variantes (1 résolue, 1 en échec, 0 non lancée) en N s.",
        f"Aussi écrit : {out / 'sweep.parquet'}",
    ]


def test_one_variant_in_french_is_singular(scenario: Path, tmp_path: Path) -> None:
    """One variant solved: "1 variante (1 résolue, ...)"; no progress line off a terminal."""
    in_french(scenario)
    out, said = _sweep(scenario, tmp_path, "as_is")
    assert said == [
        f"{out / 'sweep.csv'} : 1 variante (1 résolue, 0 en échec, 0 non lancée) en N s.",
        f"Aussi écrit : {out / 'sweep.parquet'}",
    ]


def test_sweep_in_english_is_as_before(scenario: Path, tmp_path: Path, terminal: None) -> None:
    """An English policy: the status as sweep.csv writes it, the English plurals."""
    out, said = _sweep(scenario, tmp_path, "as_is", "shut")
    assert said == [
        "[1/2] variant 0 (as_is): OPTIMAL",
        "[2/2] variant 1 (shut): failed",
        f"{out / 'sweep.csv'}: 2 variants (1 solved, 1 failed, 0 not run) in N s.",
        f"Also written: {out / 'sweep.parquet'}",
    ]


# Sessions of the small hospital's result cut short (in its scenario/sessions.csv): OR02 on
# 15/04 to end inside its last case (C00005, 09:20-10:15), OR01 on 16/04 inside its last
# (C00011, 14:25-15:15): each session overruns and its last case is often cancelled.
SHORTER = {
    0: {},
    1: {("2024-04-15", "OR02"): "10:00"},
    2: {("2024-04-15", "OR02"): "10:00", ("2024-04-16", "OR01"): "15:00"},
}
FRENCH = {
    0: "1 journée simulée par vacation ; 0 vacation sur 5 déborde avec une probabilité "
    "d'au moins 50 % ; 0 cas annulé avec une probabilité d'au moins 10 %.",
    1: "200 journées simulées par vacation ; 1 vacation sur 5 déborde avec une probabilité "
    "d'au moins 50 % ; 1 cas annulé avec une probabilité d'au moins 10 %.",
    2: "200 journées simulées par vacation ; 2 vacations sur 5 débordent avec une "
    "probabilité d'au moins 50 % ; 2 cas annulés avec une probabilité d'au moins 10 %.",
}
ENGLISH = {
    0: "1 simulated day per session; 0 of 5 sessions overrun with probability 50% or more; "
    "0 cases cancelled with probability 10% or more.",
    1: "200 simulated days per session; 1 of 5 sessions overruns with probability 50% or "
    "more; 1 case cancelled with probability 10% or more.",
    2: "200 simulated days per session; 2 of 5 sessions overrun with probability 50% or "
    "more; 2 cases cancelled with probability 10% or more.",
}


def _shorten(folder: Path, ends: dict[tuple[str, str], str]) -> None:
    sessions = folder / "scenario" / "sessions.csv"
    rows = [r.split(",") for r in sessions.read_text(encoding="utf-8").splitlines()]
    for r in rows[1:]:
        r[3] = ends.get((r[0], r[1]), r[3])
    sessions.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("n", [0, 1, 2])
def test_robustness_says_its_figures_in_either_language(result: Path, n: int) -> None:
    """0, 1 and 2 sessions at risk, cases cancelled (and 1 or 200 simulated days): French
    for a French result folder, with French agreement; English as before."""
    _shorten(result, SHORTER[n])
    samples = "1" if n == 0 else "200"
    rooms = result / "robustness_rooms.csv"
    assert run("robustness", str(result), "--samples", samples) == (0, f"{rooms}: {ENGLISH[n]}\n")
    in_french(result)
    assert run("robustness", str(result), "--samples", samples) == (0, f"{rooms} : {FRENCH[n]}\n")
