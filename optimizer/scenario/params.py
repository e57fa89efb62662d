"""The search's tuning values, as one validated, frozen parameters object.

Kept apart from the search (this module imports only pydantic) so that a
scenario's policy can hold one, the way PyVRP loads its ``SolveParams``: the
``[solver]`` table of ``policy.toml`` maps field for field onto
:class:`SolverParams`. The defaults are the values measured in ``benchmarks/``.
Each field's description is the docstring under it (``use_attribute_docstrings``),
and its range is one of the five shapes below, so that a field says only what is its own.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_TIME_LIMIT = 30.0
DEFAULT_MAX_OPTIONS = 30_000

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
AtLeastOne = Annotated[int, Field(ge=1)]
AtLeastZero = Annotated[int, Field(ge=0)]


class SolverParams(BaseModel):
    """How the lexicographic search spends its time; none of it changes what is valid.

    Examples
    --------
    >>> SolverParams(window_days=2).window_days
    2
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    default_time_limit_s: Positive = DEFAULT_TIME_LIMIT
    """Wall-clock bound of a search when neither the call nor the policy gives one."""
    max_options: AtLeastOne = DEFAULT_MAX_OPTIONS
    """Above this many (case, date, room) options the model keeps, per case, its planned date,
    the dates up to its deadline and its first few other dates."""
    max_built_options: AtLeastOne = 3_000_000
    """Above this many (case, date, room) options (estimated from the sessions before any is
    built), only the planned date, the dates up to the deadline and the first few other dates of
    each case are built: a region's full set does not fit in memory (about 300 bytes an
    option)."""
    max_model_options: AtLeastOne = 400_000
    """Above this many room options after the option budget, the model keeps only the starting
    schedules' placements (and one planned-date option per case): CP-SAT's memory grows with the
    options."""
    level_reserve_s: NonNegative = 0.4
    """Seconds kept for each later level when one level runs past its share."""
    level_reserve_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.04
    """In a run searched in steps (steady_levels, the whole model) under a clock, the share of
    the time limit each later level keeps too, when more than level_reserve_s
    (search/budget.py): 2.4 s at 60 s, level_reserve_s up to 10 s (0.05, 0.5 s at 10 s, made
    hospital-12-realism's waiting time worse there: 209,888 against 205,625). 0: off."""
    disruption_share: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] = 0.1
    """In a run searched in steps under a clock, the share of the time limit kept for the
    disruption levels (patients moved, minutes shifted: each date's rooms and starts decided
    anew by search/canon.py, then their search), whatever the levels before them would take
    (search/budget.py, Plan.left). Measured on a generated hospital of 602 cases (14 rooms x
    10 days) at load 5 to 7: without it the weighted delay and the waiting time took all the
    time at 10, 30 and 60 s, the disruption levels were never searched, and 54 to 174
    patients were moved, more the longer the limit. 0: off."""
    lns_min_options: AtLeastZero = 20_000
    """Above this many room options, every level is searched window by window (but see
    whole_options_per_s)."""
    whole_options_per_s: NonNegative = 1_000.0
    """Under a wall clock, a model of up to this many room options a second of the time limit
    (at most max_options) is searched whole too, above lns_min_options. Measured at 30 s on
    models of 22,000 to 27,000 options (generated hospitals over 25 to 40 dates, the real OR
    suite over 7 weeks), the whole model kept as many planned cases or one more, and the
    real suite's weighted delay reached its optimum (940, where the windows ended at 961); at
    10 s the windows stayed ahead (a weighted delay 5 to 10 % lower on the generated ones).
    0: off. A work-limited run keeps lns_min_options (the same on any machine)."""
    window_days: AtLeastOne = 1
    """Width in dates of a window of the window search."""
    lns_level_fraction: Share = 0.5
    """Share of its time a level searched window by window may take, at most (big instances keep
    improving for long: later levels need their part)."""
    window_seconds: Positive = 3.0
    """Wall-clock bound of one window's solve."""
    window_work: Positive = 1.0
    """Deterministic work bound of one window's solve."""
    finish_s_per_case: NonNegative = 0.0006
    """Seconds kept, per case, at the end of a time-limited run for the checked result (each
    case's reason, the checker). Measured on the university (5,420 cases, 60 s, load 1 to 4):
    the result took 1.4 to 3.3 s after the search's end, 0.0006 a case at most; on a
    generated hospital of 3,325 cases, quiet, 0.7 s. 0.001 a case (kept until 2026-12-07)
    ended that hospital's 10-s runs at 0.78 of the limit (0.85 now), the university's 60-s
    at 0.91 (0.95), hospital-14's 10-s at 0.96 (0.99). On a loaded machine finish_factor
    keeps more (the options' time)."""
    finish_factor: NonNegative = 5.0
    """Seconds kept for the checked result, at least this many times what building the options
    took (measured on the university at load 12: every reason in full and the checker take about
    the options' time, and a level may run 7 s past the search's end; the reasons' budget stops
    their searches in time when it is short)."""
    write_s_per_case: NonNegative = 0.0
    """Seconds kept, per case, at the very end of a time-limited run for files written after
    the result (its ``schedule.xlsx``: the pipeline sets it when one is asked for), beside
    the finish and the checker's time."""
    write_s: NonNegative = 0.0
    """Seconds kept at the very end of a time-limited run for what its caller does after the
    result whatever its size (the command line's process exit, 0.15 to 0.25 s here: the
    pipeline sets it for the commands), beside ``write_s_per_case``."""
    finish_share: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] = 0.2
    """At most this share of the time limit is kept for the checked result. It binds only on
    a large run under a short limit: a region of 49,941 cases at 60 s kept 24 s (0.4, until
    2026-12-07) for a result that took 6.2 s and ended at 0.73 of its limit; with 0.2 it
    ends at 0.96 (0.99 with two busy processes beside it, the result 9 s) and keeps 545
    more planned cases. The reasons' searches stop in time when it is short (see
    check_s_per_case)."""
    check_s_per_case: NonNegative = 0.0006
    """Seconds kept, per case, at the very end of a time-limited run for the short reasons of
    the cases left, the checker and the summary, after the reasons' searches (measured: 2 s for
    5,400 cases at load 9 to 13; 7 to 10 s for 50,000 at load 2 to 5 since the checker reads
    each date's resources once, 25 to 47 s before); once the options are built, at least
    check_factor times what they took."""
    check_factor: NonNegative = 0.5
    """Seconds kept for the checker, at least this many times what building the options took
    (this machine's speed now)."""
    reasons_searches: AtLeastZero = 20_000
    """With a work limit, each case's reason may search a date's starts this many times in all;
    the cases past it get the short form (optimizer/explain/budget.py). Counted, not timed: the
    same input gives the same reasons on any machine. With a wall clock, the time left before
    the checker bounds them instead."""
    reasons_min_searches: AtLeastZero = 1_000
    """With a wall clock, this many searches of a date's starts are made for the reasons
    whatever the time: a hospital's reasons (a few hundred) then never depend on the machine's
    load (about a second here)."""
    model_s_per_case: NonNegative = 0.0003
    """Seconds per case kept, under a wall clock, after the starting schedules and the start's
    windows for building the model and settling the best start (measured on a region of
    49,941 cases at 60 s: 10.8 and 3 s; they used to run past the search's end and the
    limit); once the options are built, at least model_factor times what they took."""
    model_factor: NonNegative = 2.0
    """Seconds kept for the model's build and the settling, at least this many times what
    building the options took (this machine's speed now: 1.5 to 1.8 times on a region)."""
    model_share: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] = 0.5
    """At most this share of the time limit is kept for the model's build and the settling."""
    starts_factor: NonNegative = 4.0
    """The other starting schedules are built only when the time left is more than this many
    times what the first fit took (they cost about twice as much)."""
    options_share: Share = 0.3
    """Building the options past this share of the time limit, the cases left (the least urgent:
    they are built most urgent first) get their planned date alone."""
    starts_share: Share = 0.5
    """Each step of the starting schedules after first fit (keep-first, then the crowded dates
    relieved, swapped and filled: search/start.py) is given up past this share of the time
    left when it began (on a region keep-first's ejections cost many first fits). Measured on
    the region (49,941 cases, 60 s, 2 workers): with 0.25 (until 2026-12-07) keep-first was
    given up after 5 of the 10 s it needs, and the run ended at shortfall 2,299, kept 41,619;
    with 0.5, 532 and 43,102, the deadline misses the same (the start's windows, which the
    steps leave less time, gained 12 a second at most there). The university (60 s), the
    region at 300 s and the 10-s hospitals finish these steps within either share: they
    kept as many planned cases, within 3 (4,774 and 4,775; 43,358 and 43,361)."""
    model_s_per_option: NonNegative = 5e-5
    """Seconds to build the model, per option (measured): with less time left than that, the
    model holds only the starting schedules' placements."""
    steady_days: bool = True
    """Search the disruption levels date by date first, each date with one worker and a work
    limit (window_work) even under a wall clock: the same dates give the same places, run after
    run."""
    steady_levels: bool = True
    """On a model searched whole (up to lns_min_options room options), search each level in
    steps (search/steps.py) and anchor its gains (search/anchor.py); under a wall clock with one
    worker, so that the clock decides only how many steps run (measured on the demo: two workers
    under load reach a worse weighted delay and a different one each run)."""
    level_work: Positive = 1.0
    """Under a wall clock with steady_levels, each level's deterministic work at most: a level
    not proven within it ends at the same schedule on any machine."""
    anchor_work: NonNegative = 0.5
    """Deterministic work (one worker) of the solve that, once a level's search found a better
    value, finds the schedule with that value moving the fewest cases from the one the level
    started from (search/anchor.py); 0: off."""
    anchor_share: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] = 0.3
    """Under a wall clock with steady_levels, the share of a level's time kept for anchoring
    what its search finds (a level improved by moves within a date: none)."""
    canon_work: NonNegative = 0.2
    """Deterministic work (one worker) of each solve that, before the disruption levels, decides
    a date's rooms and starts from the cases on it alone (search/canon.py), so that the same
    cases on a date get the same schedule whatever happened on other dates; 0: off."""
    days_share: Share = 0.5
    """Share of its budget a level of planned cases kept (shortfall, kept) may give to its
    dates' relaxations (each date's planned cases, every rule of the date: a bound for the whole
    problem, and each date's best schedule) before the search."""
    neighbourhood_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.8
    """When the model cannot hold every option (more than max_options), the share of the search's
    time the starting schedule is improved by windows of dates each solved as a model of its own
    with every option of its dates (search/neighbourhoods.py), before the run's model is built;
    0: off."""
    neighbourhood_work: NonNegative = 20.0
    """The same improvement's deterministic work when a work limit governs the run: at most this,
    and at most neighbourhood_share of the work limit (one worker: the same schedule on any
    machine)."""
    neighbourhood_days: AtLeastOne = 1
    """Width in dates of a window of that improvement (measured on the university: one date, a
    few rooms, gains more in the same time than two dates)."""
    neighbourhood_rooms: AtLeastOne = 3
    """Rooms of a window of that improvement on its first date: the rooms most of the cases to move
    could take first, a group at a time (measured on the university: 3 rooms gain more than 2, 4,
    6 or 10 in the same time)."""
    window_rounds: bool = True
    """That improvement's windows solved a round at a time (search/parallel_windows.py: the
    windows of a round on distinct dates, each a compact model of its own; in this process
    unless --dask-workers or --scheduler ask for Dask); false: one by one on the whole
    options (search/neighbourhoods.py). Measured: 3 to 5 times as many windows in the same
    time on the university and the region, and more planned cases kept."""
    neighbourhood_seconds: Positive = 1.0
    """Wall-clock bound of one window's solve in that improvement (with window_work as its
    deterministic bound): many small windows gain more than a few long ones."""
    window_tie_break: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.2
    """A window of that improvement that gains on the shortfall or the cases kept is solved
    again for the weighted delay of its cases, the levels before it held, within this share
    of the window's bounds (search/tie_break.py; 0: not). Measured on generated
    universities of eight seeds given 60 s (benchmarks/seeds.py): the weighted delay 1.8 %
    lower on average (1,961 to 3,184 lower on three seeds, 40 to 613 higher on four), no
    worse than first fit's on seven seeds where it was on six; 1 to 3 cases fewer kept on
    five seeds, one more on two."""
    pack_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.0
    """Of that improvement's time, the share first given to packing each date that loses
    planned cases whole, every room at once (search/pack.py: its rooms chosen by the
    decomposition's master, then sequenced). Off (0) by default: on the university at load 4
    to 7, half the time given to it kept as many cases as the windows alone (4,730 to 4,742
    against 4,729 to 4,754 in 60 s), with a worse weighted delay."""
    pack_seconds: Positive = 6.0
    """Wall-clock bound of one date's packing (its master and its sequencing)."""
    pack_work: Positive = 4.0
    """Deterministic work bound of one date's packing (one worker)."""
    delay_share: Share = 0.8
    """Share of its budget the weighted delay may give to its date-by-date improvement (each
    date a small model of its own choosing which waiting cases it takes in, search/delay.py)
    before the search of the whole model."""
    delay_proof_work: NonNegative = 4.0
    """Under a wall clock with steady_levels, the weighted delay's whole-model search (one
    worker) runs on past level_work, up to this much work while the level's time lasts, for its
    proof (search/prove.py): its last schedule is taken once it has done level_work; the
    decomposition's master beside it works as much. At most level_work: off. Raised under a
    longer limit by delay_proof_work_per_s. 10 instead of 4 lowered hospital-15's delay at
    10 s (1,092 to 1,086), but on the demo at 6 s it left the waiting time 425,159 where 4
    gives 275,891, at the same delay: not taken."""
    delay_proof_work_per_s: NonNegative = 0.5
    """Under a wall clock, delay_proof_work is raised to this much work a second of the time
    limit: with a fixed 4, hospital-14's weighted delay given 60 s ended at 2,081 in 50 s
    (the level's search had completed its work), worse than the 1,989 of 10 and 30 s; raised
    to 30, it is 1,932 at 60 s (16: 1,962; 60: 1,991). 0: off."""
    delay_date_work: Positive = 0.05
    """Deterministic work (one worker) of each date's model in that improvement."""
    delay_master_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.0
    """Share of its budget the weighted delay then gives to the decomposition
    (search/benders.py: a master of dates with each date's caps, cut where CP-SAT proves
    a date's cases cannot go together): its bound holds for the whole problem, and a
    schedule of it that reaches the bound proves the level. Off (0) by default."""
    master_max_options: AtLeastZero = 0
    """Up to this many room options, the levels that look only at dates are first searched by
    decomposition (a master of room-dates, each date sequenced apart). Off (0) by default:
    measured, it does not yet beat the whole model in 10-30 s."""
    master_rounds: AtLeastOne = 4
    """Rounds of master and sequencing per level, at most."""
    master_share: Share = 0.5
    """Share of a level's budget the decomposition may take before the whole model gets the
    rest."""

    def for_time_limit(self, seconds: float | None, max_options: int) -> SolverParams:
        """These settings for a run of ``seconds`` (``None``: a work limit governs) whose model
        holds at most ``max_options`` options: ``lns_min_options`` and ``delay_proof_work``
        raised as ``whole_options_per_s`` and ``delay_proof_work_per_s`` say."""
        if seconds is None:
            return self
        update: dict[str, float] = {}
        whole = min(max_options, int(self.whole_options_per_s * seconds))
        if whole > self.lns_min_options:
            update["lns_min_options"] = whole
        proof = self.delay_proof_work_per_s * seconds
        if proof > self.delay_proof_work:
            update["delay_proof_work"] = proof
        return self.model_copy(update=update) if update else self
