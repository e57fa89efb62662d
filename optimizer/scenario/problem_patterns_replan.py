"""The English sentences of a re-plan's ``--sessions`` row taking away the slot of a held
case (pinned there, or under way there at ``--now``: :mod:`optimizer.replan.command`), one
pattern each, by the key of the ``validation`` catalogue that says them again: a part of
:data:`.problem_patterns.PATTERNS`. Each is what the row does, then who is held there."""

from __future__ import annotations

_WHAT = {
    "closes": r"this row closes room (?P<room>.+?) on (?P<d>\S+)",
    "without": r"the file lists (?P<d>\S+) without room (?P<room>.+?), which closes it",
    "gives": r"this row gives room (?P<room>.+?) on (?P<d>\S+) (?P<hours>\S+)",
    "reserved": r"this row gives room (?P<room>.+?) on (?P<d>\S+) (?P<hours>\S+), reserved to "
    r"(?P<spec>.+?)",
}
_KEEP = r"keep room (?P=room) open from (?P=s) to (?P=e) at least"
_WHO = {
    "pinned": r"case (?P<id>.+?) is pinned there from (?P<s>\S+) to (?P<e>\S+); a pinned case "
    rf"keeps its slot: {_KEEP}, or unpin the case in the previous result's scenario/cases\.csv",
    "under_way": r"case (?P<id>.+?) is under way there from (?P<s>\S+) to (?P<e>\S+) \(--now "
    rf"(?P<now>\S+)\); a case under way keeps its room: {_KEEP}, or report the case done in "
    r"--events if it is over",
}
SESSIONS_HELD: tuple[tuple[str, str], ...] = tuple(
    (f"sessions_{w}_{h}", f"{what}, but {who}")
    for w, what in _WHAT.items()
    for h, who in _WHO.items()
)
