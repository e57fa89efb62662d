"""The planner's desk: the whole morning from a browser on the laptop, no terminal.

``python -m optimizer desk data/cannes_demo`` serves a page on the loopback
address, behind a random token, from which a planner loads a scenario, closes
rooms, solves with live progress, reads the answer, records the calls, starts
tomorrow and prints. It calls the same API as the commands
(:mod:`.actions`); the journal (:mod:`.journal`) keeps who changed what; each
run is a result folder of the contract under ``DATA/runs/``.
"""

from .actions import Desk
from .app import make_app
from .errors import DeskError
from .security import DeskRefused, Gate
from .serve import serve

__all__ = ["Desk", "DeskError", "DeskRefused", "Gate", "make_app", "serve"]
