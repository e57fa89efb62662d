"""The search's options in one object, checked once for the API and the CLI alike.

:class:`SolveOptions` is what travels from the command line or the API to the
search (:func:`optimizer.search.driver.search`), as PyVRP passes its params:
:func:`optimizer.solve` builds it from its keyword arguments, the CLI from its
options (each converted through :class:`~optimizer.cli.common.SolveOption`,
which runs the same field checks), ``whatif`` and the curve take it as it is.
The ranges and the defaults cannot differ between the paths. The stop object
is :class:`~optimizer.search.stop.StopFlag`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from annotated_types import Ge, Gt, Le
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..scenario.limits import MAX_SEED, MAX_TIME_LIMIT_S
from ..scenario.params import SolverParams
from ..scenario.schema import Scenario

MAX_WORKERS = 64
MAX_BLOCK_DAYS = 366


class SolveArgumentError(ValueError):
    """An argument of :func:`optimizer.solve` is outside its allowed range."""


class SolveOptions(BaseModel):
    """The keyword arguments of :func:`optimizer.solve`; ``None`` means "the default".

    Numbers are typed ``int | float`` so that a whole number stays one: the
    summary's ``run`` section says ``300`` for ``time_limit=300``, as it always has.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit: (
        Annotated[int | float, Field(ge=0.1, le=MAX_TIME_LIMIT_S, allow_inf_nan=False)] | None
    ) = Field(default=None, description="Wall-clock bound of the whole search, in seconds.")
    work_limit: (
        Annotated[int | float, Field(ge=0.01, le=MAX_TIME_LIMIT_S, allow_inf_nan=False)] | None
    ) = Field(default=None, description="Deterministic work budget (CP-SAT deterministic seconds).")
    seed: Annotated[int, Field(ge=0, le=MAX_SEED)] | None = Field(
        default=None, description="Random seed of the search (CP-SAT takes a 32-bit integer)."
    )
    workers: Annotated[int, Field(ge=1, le=MAX_WORKERS)] | None = Field(
        default=None, description="Search workers."
    )
    target: Annotated[int | float, Field(ge=0, le=1, allow_inf_nan=False)] | None = Field(
        default=None, description="Kept-ratio target overriding the policy's target_ratio."
    )
    max_options: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Overrides SolverParams.max_options."
    )
    params: SolverParams | None = Field(
        default=None, description="The search's tuning values; None: the policy's [solver]."
    )
    cpsat_params: Mapping[str, Any] = Field(default_factory=dict)
    log_search: bool = Field(default=False, description="Show CP-SAT's search log.")
    block_days: Annotated[int, Field(ge=1, le=MAX_BLOCK_DAYS)] | None = Field(
        default=None,
        description="Search the horizon in blocks of this many dates, solved apart on Dask "
        "(search/blocks.py) before the whole model; None: no blocks.",
    )
    scheduler: Annotated[str, Field(min_length=1)] | None = Field(
        default=None,
        description="Address of a running Dask scheduler for the blocks, else for the start's "
        "windows in rounds (search/parallel_windows.py).",
    )
    dask_workers: Annotated[int, Field(ge=0, le=MAX_WORKERS)] | None = Field(
        default=None,
        description="Worker processes of the local Dask cluster of the blocks, else of the "
        "start's windows in rounds (default 2); 0: one after the other in this process. "
        "None with no scheduler: the rounds in this process ([solver] window_rounds; false: "
        "the windows one by one, search/neighbourhoods.py).",
    )

    def time_limit_of(self, scenario: Scenario) -> float:
        """The wall-clock limit asked for ``scenario``: ``time_limit``, else the policy's
        ``time_limit_s``, else ``[solver] default_time_limit_s`` (a work limit, when given,
        governs instead: the caller says so)."""
        if self.time_limit is not None:
            return self.time_limit
        params = scenario.policy.solver if self.params is None else self.params
        return scenario.policy.time_limit_s or params.default_time_limit_s

    @field_validator("cpsat_params")
    @classmethod
    def _known_to_cp_sat(cls, given: Mapping[str, Any]) -> Mapping[str, Any]:
        """Each a CP-SAT parameter with a value of its type, so that a typo is named here,
        not by OR-Tools deep in the search."""
        from ortools.sat import sat_parameters_pb2

        probe = sat_parameters_pb2.SatParameters()
        for name, value in given.items():
            try:
                setattr(probe, name, value)
            except AttributeError:
                raise ValueError(f"{name!r} is not a CP-SAT parameter") from None
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"{name}={value!r} is not a value of that parameter ({exc})"
                ) from None
        return given

    @classmethod
    def checked(cls, **arguments: Any) -> SolveOptions:
        """Validate ``arguments``, or raise :class:`SolveArgumentError` naming each bad one
        and its allowed range."""
        try:
            return cls(**arguments)
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else "?"
                allowed = allowed_range(name)
                where = ".".join(str(part) for part in err["loc"])
                problems.append(
                    f"{where}={err.get('input')!r}: {allowed}"
                    if allowed
                    else f"{where}: {err['msg']}"
                )
            raise SolveArgumentError("invalid argument: " + "; ".join(problems)) from None

    @classmethod
    def given(cls, values: Mapping[str, Any]) -> SolveOptions:
        """The options among ``values`` (a command's parsed options: others are ignored)."""
        return cls.checked(**{k: v for k, v in values.items() if k in cls.model_fields})

    @classmethod
    def check_one(cls, name: str, value: Any) -> Any:
        """``value`` for field ``name`` as validated, or :class:`SolveArgumentError`."""
        return getattr(cls.checked(**{name: value}), name)


def a_scenario(given: object) -> None:
    """A :class:`Scenario`, or :class:`SolveArgumentError` naming what was given instead (a
    path, say): named here, not deep in the search."""
    if not isinstance(given, Scenario):
        raise SolveArgumentError(
            f"invalid argument: scenario: a Scenario is expected (optimizer.load_scenario(path) "
            f"reads one), not {type(given).__name__}"
        )


def with_target(scenario: Scenario, target: float | None) -> Scenario:
    """``scenario`` with ``target`` as its policy's ``target_ratio`` (as it is for ``None``)."""
    if target is None:
        return scenario
    policy = scenario.policy.model_copy(update={"target_ratio": target})
    return scenario.model_copy(update={"policy": policy})


def allowed_range(name: str) -> str | None:
    """The allowed values of a numeric option, in words ("a number from 0 to 1")."""
    field = SolveOptions.model_fields.get(name)
    if field is None:
        return None
    lo: Any = None
    hi: Any = None
    strict_lo = False
    kind = "a number"
    annotation = field.annotation
    args = getattr(annotation, "__args__", ())
    for arg in args:
        for meta in getattr(arg, "__metadata__", ()):
            for m in getattr(meta, "metadata", [meta]):
                if isinstance(m, Ge):
                    lo = m.ge
                elif isinstance(m, Gt):
                    lo, strict_lo = m.gt, True
                elif isinstance(m, Le):
                    hi = m.le
        if getattr(arg, "__origin__", None) is int:
            kind = "a whole number"
    if lo is None and hi is None:
        return None

    def number(x: Any) -> str:
        return str(int(x)) if float(x).is_integer() else repr(x)

    finite = "" if kind == "a whole number" else " (finite)"
    if hi is None:
        return f"must be {kind} {'above' if strict_lo else 'at least'} {number(lo)}{finite}"
    return f"must be {kind} from {number(lo)} to {number(hi)}{finite}"
