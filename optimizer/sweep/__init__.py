"""Sweeps: many variants of scenarios solved on Dask, one table of KPIs.

``load_grid`` reads the grid file, ``build_variants`` makes the variants,
``run_sweep`` solves them (on a Dask client from ``open_client``, or
serially) and writes ``sweep.csv`` and ``sweep.parquet``.
"""

from .grid import CapacityChange, Grid, GridError, load_grid
from .runner import open_client, run_sweep, solve_variant
from .table import FAILED
from .variants import Capacity, Variant, build_variants, change_capacity

__all__ = [
    "FAILED",
    "Capacity",
    "CapacityChange",
    "Grid",
    "GridError",
    "Variant",
    "build_variants",
    "change_capacity",
    "load_grid",
    "open_client",
    "run_sweep",
    "solve_variant",
]
