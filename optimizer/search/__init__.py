"""The search: a lexicographic driver over the objective levels of one CP-SAT model.

- :mod:`.driver`: :func:`solve`, the level loop;
- :mod:`.level`: one level's search (whole model, or window by window);
- :mod:`.windows`: the date-window neighbourhood search, editing proto domains;
- :mod:`.repair`: the first-fit repair between levels;
- :mod:`.runner`: CP-SAT settings and one solve, its status mapped;
- :mod:`.watchdog`, :mod:`.stop`: ending a search early;
- :mod:`.options`: the argument check shared by the API and the CLI;
- :mod:`.outcome`: what a search step hands back.

The tuning values live in :class:`optimizer.scenario.params.SolverParams`.
"""

from ..scenario.params import SolverParams
from .driver import solve
from .options import SolveArgumentError, SolveOptions
from .runner import InternalError
from .stop import StopFlag

__all__ = [
    "InternalError",
    "SolveArgumentError",
    "SolveOptions",
    "SolverParams",
    "StopFlag",
    "solve",
]
