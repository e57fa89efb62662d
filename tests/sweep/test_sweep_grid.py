"""The sweep's grid file and the capacity variants built from a scenario."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from optimizer.sweep import Capacity, GridError, build_variants, change_capacity, load_grid
from tests.support.paths import DATA

D1, D2 = dt.date(2024, 4, 16), dt.date(2024, 4, 17)
ROOMS = ("R1", "R2", "R3")


def _scenario(sessions: list[tuple[dt.date, str]]) -> Scenario:
    return Scenario(
        cases=(Case(case_id="C1", specialty="gen", surgeon_id="S1", duration_min=60,
                    urgency="P3", planned_date=D1, planned_room="R1", planned_start=480),),
        rooms=tuple(Room(room_id=r) for r in ROOMS),
        sessions=tuple(Session(date=d, room_id=r, start=480, end=960) for d, r in sessions),
        policy=Policy(start_date=D1, end_date=D2),
    )  # fmt: skip


def _capacity(**kw: object) -> Capacity:
    fields: dict[str, object] = dict(name="c", dates=None, rooms_open=None,
                                     rooms_open_by_date=None, closed_rooms=(),
                                     session_fraction=None)  # fmt: skip
    fields.update(kw)
    return Capacity(**fields)  # type: ignore[arg-type]


def _open(sc: Scenario) -> set[tuple[dt.date, str]]:
    return {(s.date, s.room_id) for s in sc.sessions}


HIT = _scenario([(D1, "R1"), (D1, "R2"), (D2, "R2")])
FULL = _scenario([(d, r) for d in (D1, D2) for r in ROOMS]).sessions


def test_rooms_open_reopens_from_the_pool_in_room_order_and_closes_the_last():
    """D2 has R2 open: 3 rooms asked reopens R1 and R3 from the pool; 1 room on D1 keeps R1."""
    more = change_capacity(HIT, _capacity(dates=(D2,), rooms_open=3), FULL)
    assert _open(more) == {(D1, "R1"), (D1, "R2"), (D2, "R1"), (D2, "R2"), (D2, "R3")}
    fewer = change_capacity(HIT, _capacity(dates=(D1,), rooms_open=1), FULL)
    assert _open(fewer) == {(D1, "R1"), (D2, "R2")}
    by_date = change_capacity(HIT, _capacity(rooms_open_by_date=((D2, 2),)), FULL)
    assert _open(by_date) == {(D1, "R1"), (D1, "R2"), (D2, "R1"), (D2, "R2")}


def test_closed_rooms_and_fraction():
    """Closing R1 everywhere leaves R2; half of D1's two sessions is one (R1, first by id)."""
    assert _open(change_capacity(HIT, _capacity(closed_rooms=("R1",)))) == {(D1, "R2"), (D2, "R2")}
    half = change_capacity(HIT, _capacity(session_fraction=0.5))
    assert _open(half) == {(D1, "R1"), (D2, "R2")}  # round(0.5 * 1) = 1, half up


def test_more_rooms_than_can_open_is_an_error_naming_the_date():
    with pytest.raises(ValueError, match="2024-04-17: 3 rooms asked, at most 1"):
        change_capacity(HIT, _capacity(dates=(D2,), rooms_open=3))


def test_a_variant_is_a_new_validated_scenario():
    """No lookup cached on the original leaks into the variant."""
    assert (D2, "R2") in HIT.session_by_key
    changed = change_capacity(HIT, _capacity(closed_rooms=("R2",)))
    assert (D2, "R2") not in changed.session_by_key
    assert changed.input_hash != HIT.input_hash


def test_grid_errors_name_the_file_line_and_key(tmp_path: Path):
    grid = tmp_path / "grid.toml"
    grid.write_text(
        'scenarios = ["x"]\nwork_limit = 1\n\n[[capacity]]\nname = "a"\n\n'
        '[[capacity]]\nname = "b"\nrooms_open = [-1]\nsurprise = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(GridError) as err:
        load_grid(grid)
    text = [str(p) for p in err.value.problems]
    assert any("row 9, column capacity.1.rooms_open: give room counts" in t for t in text), text
    assert any("row 10, column capacity.1.surprise: unknown key" in t for t in text), text
    grid.write_text("scenarios = [\n", encoding="utf-8")
    with pytest.raises(GridError, match="not valid TOML"):
        load_grid(grid)


def test_the_demo_grid_has_twenty_variants():
    """data/sweeps/cannes_capacity.toml: the README's example, 20 capacity variants."""
    path = DATA / "sweeps" / "cannes_capacity.toml"
    variants = build_variants(load_grid(path), path)
    assert len(variants) == 20
    assert len({v.scenario.input_hash for v in variants}) == 20


def test_sweep_command_serial_with_an_invalid_variant(tmp_path: Path):
    """``sweep --workers 0``: a variant closing the room of a pinned case breaks a loader rule:
    its row is ``failed`` with the loader's words, the other variant is solved; a bad grid
    exits 2 naming its line."""
    from click.testing import CliRunner

    from optimizer import write_scenario
    from optimizer.cli import cli

    pinned = HIT.cases[0].model_copy(update={"pinned": True})
    write_scenario(HIT.model_copy(update={"cases": (pinned,)}), tmp_path / "sc")
    grid = tmp_path / "grid.toml"
    grid.write_text(
        'scenarios = ["sc"]\nwork_limit = 0.1\n[[capacity]]\nname = "as_is"\n'
        '[[capacity]]\nname = "shut"\nclosed_rooms = ["R1"]\n',
        encoding="utf-8",
    )
    out = CliRunner().invoke(cli, ["sweep", str(grid), "--out", str(tmp_path / "o"),
                                   "--workers", "0"])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "2 variants (1 solved, 1 failed, 0 not run)" in out.output
    import pandas as pd

    table = pd.read_parquet(tmp_path / "o" / "sweep.parquet")
    assert table["status"].tolist()[1] == "failed"
    assert "C1 is pinned in room R1" in table.loc[1, "error"]
    assert table.loc[0, "kept"] == 1
    grid.write_text('scenarios = ["sc"]\nwork_limit = -1\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["sweep", str(grid), "--out", str(tmp_path / "o")])
    assert out.exit_code == 2
    assert "row 2, column work_limit" in out.output


def test_a_scheduler_nobody_answers_at_leaves_no_out_folder(tmp_path: Path):
    """``sweep --scheduler`` where no Dask scheduler listens: exit 2, "nothing was written",
    and indeed no --out folder (it was left holding the grid's copy)."""
    import socket

    import dask
    from click.testing import CliRunner

    from optimizer import write_scenario
    from optimizer.cli import cli

    write_scenario(HIT, tmp_path / "sc")
    grid = tmp_path / "grid.toml"
    grid.write_text('scenarios = ["sc"]\nwork_limit = 0.1\n', encoding="utf-8")
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        out = CliRunner().invoke(cli, ["sweep", str(grid), "--out", str(tmp_path / "o"),
                                       "--scheduler", f"tcp://127.0.0.1:{port}"])  # fmt: skip
    assert out.exit_code == 2 and "nothing was written" in out.output, out.output
    assert not (tmp_path / "o").exists()


def test_the_scenario_column_is_the_grid_s_own_name_wherever_the_sweep_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Regression: ``sweep.csv``'s ``scenario`` column was the folder joined to the grid
    file's path as typed (``grids/../sc``, ``/tmp/.../grids/../sc``), so the same grid gave
    other bytes from another current folder. It is the name the grid gives, ``../sc``."""
    from optimizer import write_scenario

    write_scenario(HIT, tmp_path / "sc")
    (tmp_path / "grids").mkdir()
    grid = tmp_path / "grids" / "g.toml"
    grid.write_text('scenarios = ["../sc"]\nseeds = [0]\n', encoding="utf-8")
    labels = []
    for cwd, spelled in ((tmp_path, grid), (tmp_path, Path("grids/g.toml")),
                         (tmp_path / "grids", Path("g.toml"))):  # fmt: skip
        monkeypatch.chdir(cwd)
        labels += [v.params()["scenario"] for v in build_variants(load_grid(spelled), spelled)]
    assert labels == ["../sc"] * 3
