"""What it would take: the least-cost extra sessions that reach the target, and the curve.

::

    from optimizer.whatif import whatif, curve, write_whatif
    answer = whatif(scenario)          # WhatIf: per date, now and with the sessions added
    answer.added, answer.proven        # the sessions chosen; proven least-cost or not
    answer.result                      # the schedule with them (a Result on that scenario)
    write_whatif(answer, "out/whatif", curve=curve(scenario, baseline=answer.baseline))

The search is :mod:`.search`; the model's side is :mod:`optimizer.model.capacity`.
"""

from .answer import DateAnswer, WhatIf
from .curve import CurvePoint
from .output import write_whatif
from .search import curve, whatif

__all__ = ["CurvePoint", "DateAnswer", "WhatIf", "curve", "whatif", "write_whatif"]
