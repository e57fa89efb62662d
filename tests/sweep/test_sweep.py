"""Sweeps on a real Dask LocalCluster (two worker processes): same rows as serial solves,
a variant whose worker dies ends ``failed`` while the others complete."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from optimizer.generate import generate, write_generated
from optimizer.sweep import (
    FAILED,
    Variant,
    build_variants,
    load_grid,
    open_client,
    run_sweep,
    solve_variant,
)
from optimizer.sweep.table import CSV_NAME, PARQUET_NAME, TIMING_COLUMNS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client() -> Any:
    """One local cluster for the module: two processes, a dead worker retried once."""
    with open_client(workers=2, allowed_failures=1) as c:
        yield c


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> list[Variant]:
    """Four variants of a generated 3-room, 2-day scenario with a tiny work budget."""
    base = tmp_path_factory.mktemp("sweep")
    gen = generate(rooms=3, days=2, cases_per_day=9, seed=3, resources=False, partners=False)
    write_generated(gen, base / "hit")
    grid = base / "grid.toml"
    grid.write_text(
        'scenarios = ["hit"]\ncapacity_from = "hit_undisrupted"\nwork_limit = 0.2\n'
        "seeds = [0]\n"
        '[[capacity]]\nname = "as_is"\n'
        f'[[capacity]]\nname = "rooms"\ndates = ["{gen.attack_dates[0]}"]\nrooms_open = [1, 3]\n'
        '[[capacity]]\nname = "half"\nsession_fraction = 0.5\n',
        encoding="utf-8",
    )
    return build_variants(load_grid(grid), grid)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.drop(columns=list(TIMING_COLUMNS)),
                                  b.drop(columns=list(TIMING_COLUMNS)))  # fmt: skip


def test_cluster_rows_equal_serial_solves(client: Any, variants: list[Variant], tmp_path: Path):
    """Each variant solved on the cluster gives the same KPIs as the same solve in this process,
    and the table on disk (CSV, Parquet) is that table, in variant order."""
    done: list[int] = []
    on_dask = run_sweep(variants, tmp_path / "dask", client=client,
                        progress=lambda n, total, row: done.append(n))  # fmt: skip
    serial = run_sweep(variants, tmp_path / "serial")
    assert done == [1, 2, 3, 4]
    assert list(on_dask["variant_id"]) == [0, 1, 2, 3]
    assert (on_dask["status"] != FAILED).all(), on_dask["error"].tolist()
    _same(on_dask, serial)
    direct = [solve_variant(v) for v in variants]
    assert [r["kept"] for r in direct] == on_dask["kept"].tolist()
    _same(pd.read_parquet(tmp_path / "dask" / PARQUET_NAME), on_dask)
    csv = pd.read_csv(tmp_path / "dask" / CSV_NAME)
    assert csv["variant_id"].tolist() == [0, 1, 2, 3]
    # fewer rooms cannot keep more cases; the capacity columns say what each variant had
    assert on_dask.loc[1, "sessions"] < on_dask.loc[0, "sessions"] <= on_dask.loc[2, "sessions"]
    assert on_dask.loc[1, "kept"] <= on_dask.loc[0, "kept"] <= on_dask.loc[2, "kept"]


def dies_on_variant_1(variant: Variant) -> dict[str, Any]:
    """A task that kills its worker process for variant 1 (a test's own task, same runner)."""
    if variant.variant_id == 1:
        os._exit(3)
    return solve_variant(variant)


def raises_on_variant_2(variant: Variant) -> dict[str, Any]:
    if variant.variant_id == 2:
        raise RuntimeError("boom")
    return solve_variant(variant)


def test_a_variant_that_kills_its_worker_is_failed_the_others_complete(
    client: Any, variants: list[Variant], tmp_path: Path
):
    """The worker dies each try: after the retries the variant is ``failed`` with the cause;
    the other variants still give their rows, and the row count is the variant count."""
    table = run_sweep(variants, tmp_path, client=client, task=dies_on_variant_1)
    assert table["status"].tolist().count(FAILED) == 1
    assert table.loc[1, "status"] == FAILED
    assert "died" in table.loc[1, "error"]
    assert pd.isna(table.loc[1, "kept"])
    assert table.drop(index=1)["kept"].notna().all()


def test_a_variant_that_raises_is_retried_then_failed(
    client: Any, variants: list[Variant], tmp_path: Path
):
    """An exception in a task is retried, then its message is the variant's error."""
    table = run_sweep(variants[:3], tmp_path, client=client, task=raises_on_variant_2)
    assert table["status"].tolist()[2] == FAILED
    assert table.loc[2, "error"] == "RuntimeError: boom"
    assert (table["status"][:2] != FAILED).all()


def test_robustness_chunks_on_the_cluster_equal_serial(client: Any, variants: list[Variant]):
    """The robustness simulation's chunks of samples run as tasks: same figures as here."""
    from optimizer import solve
    from optimizer.sweep.robustness import CHUNK, simulate

    result = solve(variants[0].scenario, work_limit=0.2, workers=1, time_limit=60)
    samples = 2 * CHUNK + 17  # three chunks, the last one short
    here = simulate(result.scenario, result.schedule, samples=samples, seed=5)
    there = simulate(result.scenario, result.schedule, samples=samples, seed=5, client=client)
    pd.testing.assert_frame_equal(here.rooms, there.rooms)
    pd.testing.assert_frame_equal(here.cases, there.cases)
    assert here.settings["samples"] == samples
