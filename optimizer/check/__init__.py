"""The independent checker of the data contract's rules.

It reads the contract, not the solver: every rule of "Rules a revised schedule
must satisfy", the horizon and status semantics of ``schedule.csv`` and the
content of ``summary.json`` are recomputed here from the scenario's raw fields.
Nothing is imported from the solver, and none of the scenario's derived helpers
(deadlines, merged windows, capacities, urgency ranks) is used, so a mistake in
the solver cannot hide by being shared with its judge.

Each rule is one small function returning :class:`Violation` objects; each
violation names the case ids involved and no other patient data. The package is
split by rule family:

- :mod:`.contract`: the contract's columns, statuses and reserved names, and
  :class:`Violation`;
- :mod:`.table`: reading ``schedule.csv`` and its cells;
- :mod:`.plan`: the checker's own lookups over the scenario, and the schedule
  as the rules see it;
- :mod:`.statuses` (rule 1 and status semantics), :mod:`.rooms` (rule 2),
  :mod:`.surgeons` (rule 3), :mod:`.resources` (rule 4), :mod:`.dates`
  (rule 5, the day begun and the horizon), :mod:`.sequencing` (rule 6), :mod:`.transfers`
  (rule 7), :mod:`.deadlines` (rule 8), :mod:`.levers` (overtime and the
  emergency reserve of the policy);
- :mod:`.announced`: announced appointments (the notice period, their figures);
- :mod:`.causes`: the facts behind each row's ``cause`` and ``blocking``;
- :mod:`.summary`: ``summary.json`` against a recomputation;
- :mod:`.judge`: the entry points that run every rule;
- :mod:`.kpi`: the objective levels and KPIs recomputed.

It imports nothing from ``optimizer.model``, ``optimizer.search``,
``optimizer.solve``, ``optimizer.search.construct`` or ``optimizer.rules``
(``tests/check/test_check.py`` holds it to that).
"""

from __future__ import annotations

from .causes import check_causes
from .contract import COLUMNS, Violation
from .deadlines import deadline_misses
from .judge import check_result_folder, check_schedule
from .kpi import evaluate
from .table import read_schedule_csv

__all__ = [
    "COLUMNS",
    "check_causes",
    "Violation",
    "check_result_folder",
    "check_schedule",
    "deadline_misses",
    "evaluate",
    "read_schedule_csv",
]
