"""How a revised schedule holds up when operations overrun: a Monte Carlo simulation.

Model
-----
Each operated case's duration is drawn from a lognormal distribution whose
**mean is the case's expected duration** (``duration_min``) and whose
coefficient of variation (CV = standard deviation / mean) is its specialty's:
``sigma**2 = ln(1 + CV**2)``, ``mu = ln(duration) - sigma**2 / 2``. The
lognormal shape of surgical times is the finding of Strum, May & Vargas,
"Modeling the uncertainty of surgical procedure times: comparison of
log-normal and normal models", *Anesthesiology* 92(4):1160-1167 (2000), and
May, Strum & Vargas, "Fitting the lognormal distribution to surgical
procedure times", *Decision Sciences* 31(1):129-148 (2000).

The default CVs (:data:`DEFAULT_CV`) are this project's round figures inside
the range those studies and Dexter et al., "Estimating surgical case
durations and making comparisons among facilities", *Anesth Analg*
116(5):1103-1115 (2013) report for procedure durations (about 0.2 to 0.5,
differing widely between facilities): lower for short standardised work
(ophthalmology), higher for long open surgery (vascular). They are not
fitted per specialty from a published table; a hospital should set its own
from its history, in ``policy.toml``::

    [robustness]
    default_cv = 0.35
    cancel_after_min = 30
    [robustness.duration_cv]
    orthopaedics = 0.25

A day in a room is then played out case by case in the schedule's order: a
case starts at its scheduled start or, if the previous one ran late, when it
ends plus the policy's turnover; never earlier than scheduled (the patient
is called for that time). Surgeons working in two rooms are not coupled.

Figures
-------
Per room and date: ``p_overrun``, the probability that the last case ends
after the session end, and ``expected_overtime_min``, the mean minutes past
it (0 when on time). Per case: ``p_cancelled``, the probability that it is
**cancelled on the day**: at the moment it could start, its expected end
(start + ``duration_min``) would be more than ``cancel_after_min`` minutes
past the session end, so the team does not start it; a cancelled case does
not run and the next case is judged the same way.

Samples are drawn in fixed chunks of :data:`CHUNK` from child seeds of one
``numpy.random.SeedSequence``, so the figures depend on ``seed`` and
``samples`` only: the same serially or on any Dask cluster.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..facts.schedule_file import unescape_cell
from ..scenario import Scenario, load_scenario
from ..scenario.cells import CellError, parse_time

CHUNK = 2_000
DEFAULT_SAMPLES = 10_000
DEFAULT_CV: dict[str, float] = {
    "ophthalmology": 0.25,
    "ent": 0.30,
    "urology": 0.30,
    "gynaecology": 0.30,
    "orthopaedics": 0.30,
    "general_surgery": 0.35,
    "vascular": 0.40,
    "neurovascular": 0.40,
}
FALLBACK_CV = 0.35
_ALIASES = {
    "general": "general_surgery",
    "orthopedics": "orthopaedics",
    "gynecology": "gynaecology",
    "obgyn": "gynaecology",
    "otolaryngology": "ent",
}
ROOMS_FILE = "robustness_rooms.csv"
CASES_FILE = "robustness_cases.csv"
SETTINGS_FILE = "robustness.json"
ROOM_COLUMNS = [
    "date",
    "room_id",
    "session_start",
    "session_end",
    "cases",
    "booked_min",
    "p_overrun",
    "expected_overtime_min",
]
CASE_COLUMNS = ["case_id", "status", "date", "room_id", "start", "duration_min", "cv"]
CASE_COLUMNS += ["p_cancelled"]


def cv_of(scenario: Scenario, specialty: str) -> float:
    """A specialty's CV: the policy's table, else the defaults, else the policy's or ours."""
    settings = scenario.policy.robustness
    if specialty in settings.duration_cv:
        return settings.duration_cv[specialty]
    plain = specialty.strip().lower().replace(" ", "_").replace("-", "_")
    plain = _ALIASES.get(plain, plain)
    if plain in DEFAULT_CV:
        return DEFAULT_CV[plain]
    return settings.default_cv if settings.default_cv is not None else FALLBACK_CV


@dataclass(frozen=True)
class DayPlan:
    """The operated cases as arrays: position ``k`` in session ``s`` (padded, ``valid``).

    Built once from the schedule; what a simulation chunk needs, and no more
    (it is what a Dask worker receives).
    """

    start: np.ndarray  # (K, S) scheduled start, minutes
    duration: np.ndarray  # (K, S) expected duration
    sigma: np.ndarray  # (K, S) lognormal sigma
    valid: np.ndarray  # (K, S) bool
    session_end: np.ndarray  # (S,)
    turnover: int
    cancel_after: int


@dataclass(frozen=True)
class Tally:
    """Sums over samples, added chunk by chunk."""

    samples: int
    overruns: np.ndarray  # (S,)
    overtime: np.ndarray  # (S,)
    cancelled: np.ndarray  # (K, S)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.samples + other.samples,
            self.overruns + other.overruns,
            self.overtime + other.overtime,
            self.cancelled + other.cancelled,
        )


def simulate_chunk(plan: DayPlan, seed: np.random.SeedSequence, samples: int) -> Tally:
    """Play ``samples`` days of every session at once (vectorised over samples and sessions)."""
    rng = np.random.default_rng(seed)
    k_max, s_max = plan.duration.shape
    z = rng.standard_normal((samples, k_max, s_max))
    drawn = plan.duration * np.exp(plan.sigma * z - plan.sigma**2 / 2)
    end = np.full((samples, s_max), -np.inf)
    cancelled = np.zeros((k_max, s_max))
    for k in range(k_max):
        start = np.maximum(plan.start[k], end + plan.turnover)
        cancel = plan.valid[k] & (start + plan.duration[k] > plan.session_end + plan.cancel_after)
        runs = plan.valid[k] & ~cancel
        end = np.where(runs, start + drawn[:, k, :], end)
        cancelled[k] = cancel.sum(axis=0)
    over = np.maximum(0.0, end - plan.session_end)  # -inf (nothing ran) gives 0
    return Tally(samples, (over > 0).sum(axis=0).astype(float), over.sum(axis=0), cancelled)


@dataclass(frozen=True)
class Robustness:
    """The simulation's figures: ``rooms`` (per room and date) and ``cases`` (every case)."""

    rooms: pd.DataFrame
    cases: pd.DataFrame
    settings: dict[str, Any]


def _cell(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value)
    return text or None


def day_plan(scenario: Scenario, schedule: pd.DataFrame) -> tuple[DayPlan, list[Any], list[Any]]:
    """The arrays of :class:`DayPlan`, with the sessions and the cases' positions they index."""
    by_id = {c.case_id: c for c in scenario.cases}
    groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for rec in schedule.to_dict("records"):
        room, date, start = _cell(rec.get("room_id")), _cell(rec.get("date")), _cell(rec["start"])
        if room is None or date is None or start is None:
            continue
        groups.setdefault((date, room), []).append((parse_time(start), str(rec["case_id"])))
    sessions = sorted(set(groups) | {(s.date.isoformat(), s.room_id) for s in scenario.sessions})
    k_max = max((len(v) for v in groups.values()), default=0)
    shape = (k_max, len(sessions))
    start_a, dur, sigma = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    valid = np.zeros(shape, dtype=bool)
    session_end = np.zeros(len(sessions))
    where: list[Any] = []
    for s, (date, room) in enumerate(sessions):
        session = scenario.session_by_key.get((pd.Timestamp(date).date(), room))
        if session is None:
            raise ValueError(f"room {room} has cases on {date} but no session that date")
        session_end[s] = session.end
        for k, (minute, case_id) in enumerate(sorted(groups.get((date, room), []))):
            case = by_id[case_id]
            cv = cv_of(scenario, case.specialty)
            start_a[k, s], dur[k, s], valid[k, s] = minute, case.duration_min, True
            sigma[k, s] = math.sqrt(math.log1p(cv * cv))
            where.append((case_id, k, s, cv))
    plan = DayPlan(start_a, dur, sigma, valid, session_end, scenario.policy.turnover_min,
                   scenario.policy.robustness.cancel_after_min)  # fmt: skip
    return plan, sessions, where


def check_playable(scenario: Scenario, schedule: pd.DataFrame) -> None:
    """Raise a ``ValueError`` naming each row of ``schedule`` that cannot be simulated: a
    case the scenario does not hold, a case listed twice (it would be played twice), a
    start that is not a clock time. A schedule of some cases only (one date's) is fine.
    """
    if not isinstance(schedule, pd.DataFrame):
        raise TypeError(
            f"schedule must be a DataFrame (result.schedule), not {type(schedule).__name__}"
        )
    missing = [c for c in ("case_id", "date", "room_id", "start") if c not in schedule.columns]
    if missing:
        raise ValueError(f"schedule: no column {', '.join(missing)}")
    known = {c.case_id for c in scenario.cases}
    first: dict[str, int] = {}
    problems = []
    for i, (case_id, start) in enumerate(zip(schedule["case_id"], schedule["start"], strict=True)):
        cid = str(case_id)
        if cid not in known:
            problems.append(f"schedule, row {i}, column case_id: case {cid} is not in the scenario")
        elif first.setdefault(cid, i) != i:
            where = f"schedule, row {i}, column case_id"
            problems.append(f"{where}: case {cid} is already listed on row {first[cid]}")
        text = _cell(start)
        try:
            if text is not None:
                parse_time(text)
        except CellError as exc:
            problems.append(f"schedule, row {i}, column start: {exc}")
    if problems:
        raise ValueError("\n".join(problems))


def simulate(
    scenario: Scenario,
    schedule: pd.DataFrame,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    client: Any = None,
) -> Robustness:
    """Simulate ``samples`` days of ``schedule`` (from a Result or a ``schedule.csv``).

    Parameters
    ----------
    client
        A Dask client (:func:`optimizer.sweep.open_client`): the chunks of
        samples run as its tasks. ``None``: in this process. Same figures.

    Raises
    ------
    TypeError, ValueError
        ``samples`` or ``seed`` is not a whole number (from 1, from 0), or a row of
        ``schedule`` cannot be simulated (see :func:`check_playable`).
    """
    for name, value, least in (("samples", samples, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name} must be a whole number, not {type(value).__name__}")
        if value < least:
            raise ValueError(f"{name} must be at least {least}, not {value}")
    check_playable(scenario, schedule)
    plan, sessions, where = day_plan(scenario, schedule)
    sizes = [min(CHUNK, samples - i) for i in range(0, samples, CHUNK)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    if client is None:
        parts = [simulate_chunk(plan, sq, n) for sq, n in zip(seeds, sizes, strict=True)]
    else:
        [shared] = client.scatter([plan], broadcast=True)
        futures = [client.submit(simulate_chunk, shared, sq, n, pure=False)
                   for sq, n in zip(seeds, sizes, strict=True)]  # fmt: skip
        parts = client.gather(futures)  # in chunk order: the sums do not depend on the cluster
    tally = parts[0]
    for part in parts[1:]:
        tally = tally + part
    return _figures(scenario, schedule, plan, sessions, where, tally, seed)


def _figures(
    scenario: Scenario,
    schedule: pd.DataFrame,
    plan: DayPlan,
    sessions: list[Any],
    where: list[Any],
    tally: Tally,
    seed: int,
) -> Robustness:
    n = tally.samples
    rooms = []
    for s, (date, room) in enumerate(sessions):
        session = scenario.session_by_key[(pd.Timestamp(date).date(), room)]
        rooms.append({
            "date": date, "room_id": room,
            "session_start": _hm(session.start), "session_end": _hm(session.end),
            "cases": int(plan.valid[:, s].sum()), "booked_min": int(plan.duration[:, s].sum()),
            "p_overrun": round(float(tally.overruns[s]) / n, 4),
            "expected_overtime_min": round(float(tally.overtime[s]) / n, 1),
        })  # fmt: skip
    placed = {case_id: (k, s, cv) for case_id, k, s, cv in where}
    by_id = {c.case_id: c for c in scenario.cases}
    cases = []
    for rec in schedule.to_dict("records"):
        case_id = str(rec["case_id"])
        pos = placed.get(case_id)
        cases.append({
            "case_id": case_id, "status": _cell(rec.get("status")),
            "date": _cell(rec.get("date")), "room_id": _cell(rec.get("room_id")),
            "start": _cell(rec.get("start")), "duration_min": by_id[case_id].duration_min,
            "cv": None if pos is None else pos[2],
            "p_cancelled": None if pos is None else round(float(tally.cancelled[pos[0], pos[1]])
                                                          / n, 4),
        })  # fmt: skip
    settings = {
        "samples": n,
        "seed": seed,
        "cancel_after_min": plan.cancel_after,
        "turnover_min": plan.turnover,
        "cv": {sp: cv_of(scenario, sp) for sp in sorted({c.specialty for c in scenario.cases})},
    }
    return Robustness(
        pd.DataFrame(rooms, columns=ROOM_COLUMNS), pd.DataFrame(cases, columns=CASE_COLUMNS),
        settings,
    )  # fmt: skip


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def simulate_folder(
    result_dir: str | Path, *, samples: int = DEFAULT_SAMPLES, seed: int = 0, client: Any = None
) -> Robustness:
    """Simulate a result folder's ``schedule.csv`` against its ``scenario/`` (as solved)."""
    from ..check import read_schedule_csv

    folder = Path(result_dir)
    scenario = load_scenario(folder / "scenario")
    schedule = read_schedule_csv(folder / "schedule.csv")
    return simulate(scenario, schedule, samples=samples, seed=seed, client=client)


def write_robustness(robustness: Robustness, result_dir: str | Path) -> None:
    """Write ``robustness_rooms.csv``, ``robustness_cases.csv`` and ``robustness.json``."""
    from ..result.output import write_safe_csv

    folder = Path(result_dir)
    for name, frame in ((ROOMS_FILE, robustness.rooms), (CASES_FILE, robustness.cases)):
        rows = [[None if _cell(v) is None else v for v in r] for r in frame.itertuples(False)]
        write_safe_csv(folder / name, list(frame.columns), rows)
    text = json.dumps(robustness.settings, indent=2, ensure_ascii=False) + "\n"
    (folder / SETTINGS_FILE).write_text(text, encoding="utf-8")


def load_robustness(result_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The rooms and cases tables of a result folder, or ``None`` if never simulated.

    For the report: ``p_overrun``, ``expected_overtime_min`` and ``p_cancelled``
    come back as floats (empty: the case was not operated in a room).
    """
    folder = Path(result_dir)
    if not (folder / ROOMS_FILE).is_file() or not (folder / CASES_FILE).is_file():
        return None
    return _read(folder / ROOMS_FILE), _read(folder / CASES_FILE)


TEXT_COLUMNS = frozenset({"case_id", "status", "date", "room_id", "start", "session_start",
                          "session_end"})  # fmt: skip


def _read(path: Path) -> pd.DataFrame:
    """A table :func:`write_robustness` wrote, read back as written: ids as text (a room
    ``NA`` stays ``NA``, a formula-like id loses the quote the writer added), figures as
    numbers, an empty cell as missing."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in frame.columns:
        cells = frame[column]
        if column in TEXT_COLUMNS:
            frame[column] = cells.map(unescape_cell).where(cells != "", None)
        else:
            frame[column] = pd.to_numeric(cells.where(cells != "", None))
    return frame
