"""The repair step between levels: keep what the levels so far secured, refit the rest."""

from __future__ import annotations

from ..facts.candidates import Candidates
from ..facts.solution import Solution
from ..model.objective import Level
from .construct import first_fit


def repaired(cand: Candidates, levels: list[Level], found: Solution, k: int) -> Solution:
    """``found``, or better on the later levels: what matters up to level ``k`` is kept
    (cases with a deadline placed in time, kept cases, announced appointments held on
    their date), the rest rebuilt by first fit.

    A level's search stops at that level's optimum and may leave the later levels
    poor; a cheap repair gives the next search a much better start on big instances.
    """
    keep: Solution = []
    for i, p in enumerate(found):
        dl, pd = cand.deadline_day[i], cand.planned_day[i]
        in_time = p is not None and dl is not None and p.day <= dl
        kept = p is not None and p.here and p.day == pd
        slot = cand.announced[i]
        as_announced = slot is not None and p is not None and p.here and p.day == slot.day
        as_announced = as_announced or (slot is not None and slot.transfer_kept(cand, p))
        keep.append(p if in_time or kept or as_announced else None)
    candidate = first_fit(cand, keep_in_place=False, fixed=keep)
    ours = [lv.value(candidate) for lv in levels]
    theirs = [lv.value(found) for lv in levels]
    # Levels 0..k-1 are fixed in the model: the repair must leave them as they are,
    # and be lexicographically better from level k on (so never worse on level k,
    # which is fixed next). A better value on a fixed level would be as wrong: the
    # model's constraints were written for the values reported.
    if ours[:k] == theirs[:k] and ours[k:] < theirs[k:]:
        return candidate
    return found
