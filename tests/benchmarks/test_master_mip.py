"""The master read as a MIP (``benchmarks/master_mip.py``) has the same optimum as CP-SAT
finds on the same model: rows of every kind the master uses, enforced ones included."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from benchmarks.master_mip import by_cp_sat, by_highs

pytest.importorskip("highspy")


def _model(seed: int) -> cp_model.CpModel:
    """Bins and items: each item in one bin (``exactly_one``), a bin's load at most its
    size when open (an enforced row), an item in bin 0 forces a flag (``bool_and``), and
    a cost per bin opened, per flag and per item's bin."""
    import random

    draw = random.Random(seed)
    m = cp_model.CpModel()
    items, bins = 7, 3
    x = {(i, b): m.new_bool_var(f"x{i}_{b}") for i in range(items) for b in range(bins)}
    opened = [m.new_bool_var(f"open{b}") for b in range(bins)]
    flag = m.new_bool_var("flag")
    load = [m.new_int_var(0, 100, f"load{b}") for b in range(bins)]
    sizes = [draw.randint(3, 9) for _ in range(items)]
    for i in range(items):
        m.add_exactly_one(x[i, b] for b in range(bins))
        m.add_bool_and([flag]).only_enforce_if(x[i, 0])
    for b in range(bins):
        m.add(load[b] == sum(sizes[i] * x[i, b] for i in range(items)))
        m.add(load[b] <= draw.randint(12, 20)).only_enforce_if(opened[b])
        m.add(load[b] == 0).only_enforce_if(~opened[b])
    m.minimize(
        sum(draw.randint(5, 15) * o for o in opened)
        + 4 * flag
        + sum(draw.randint(0, 3) * v for v in x.values())
    )
    return m


@pytest.mark.parametrize("seed", range(5))
def test_highs_and_cp_sat_agree_on_the_optimum(seed: int) -> None:
    m = _model(seed)
    status, value, bound, _ = by_cp_sat(m, 20.0, 1)
    assert status == "OPTIMAL"
    h_status, h_value, h_bound, _ = by_highs(m, 20.0)
    assert h_status == "Optimal"
    assert h_value == pytest.approx(value) and h_bound == pytest.approx(bound)
