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

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

from annotated_types import Ge, Gt, Le
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import i18n
from ..i18n import Lang, Refusal
from ..scenario.limits import MAX_SEED, MAX_TIME_LIMIT_S
from ..scenario.params import SolverParams
from ..scenario.schema import Scenario

MAX_WORKERS = 64
MAX_BLOCK_DAYS = 366


class SolveArgumentError(Refusal, ValueError):
    """An argument of :func:`optimizer.solve` is outside its allowed range: a message of the
    ``search`` catalogue, ``str()`` in English, :meth:`text` in any language (the command
    line says it in the planner's)."""

    def named(self, names: Mapping[str, str]) -> SolveArgumentError:
        """The same refusal, each argument called by its name in ``names`` (a command's
        option, ``--blocks`` for ``block_days``) where it has one."""
        problems = self.fields.get("problems")
        if not isinstance(problems, ArgumentProblems):
            return self
        renamed = ArgumentProblems(
            tuple(replace(p, name=names.get(p.name, p.name)) for p in problems.problems)
        )
        return SolveArgumentError(self.key, lang=self.lang, **{**self.fields, "problems": renamed})


@dataclass(frozen=True)
class Range:
    """The values a number may take: a whole number or not, from ``lo`` to ``hi`` (None: no
    bound that side; ``lo_open``/``hi_open``: the bound itself excluded). ``finite``: no
    infinity nor NaN either (said in English, as it always was)."""

    whole: bool
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    finite: bool = False

    def text(self, lang: Lang) -> str:
        """The range in ``lang``: "must be a whole number from 1 to 64", "doit être un
        nombre de 0,1 à 604 800"."""
        kind = i18n.text(lang, "search.range.whole" if self.whole else "search.range.number")
        finite = "" if self.whole or not self.finite else i18n.text(lang, "search.range.finite")
        lo = None if self.lo is None else number(self.lo, lang)
        hi = None if self.hi is None else number(self.hi, lang)
        if lo is not None and hi is not None and not (self.lo_open or self.hi_open):
            return i18n.text(lang, "search.range.between", kind=kind, lo=lo, hi=hi, finite=finite)
        bounds = []
        if lo is not None:
            bounds.append(
                i18n.text(lang, f"search.range.{'above' if self.lo_open else 'at_least'}", x=lo)
            )
        if hi is not None:
            bounds.append(
                i18n.text(lang, f"search.range.{'below' if self.hi_open else 'at_most'}", x=hi)
            )
        if len(bounds) == 2:
            return i18n.text(lang, "search.range.two_bounds", kind=kind, lower=bounds[0],
                             upper=bounds[1], finite=finite)  # fmt: skip
        return i18n.text(lang, "search.range.one_bound", kind=kind, bound=bounds[0], finite=finite)


def number(x: float, lang: Lang) -> str:
    """A bound as written: ``604800``, ``0.1`` in English; ``604 800``, ``0,1`` in French."""
    said = str(int(x)) if float(x).is_integer() else repr(x)
    if lang == "en":
        return said
    whole, dot, decimals = said.partition(".")
    grouped = i18n.thousands(int(whole), lang) if whole.lstrip("-").isdigit() else whole
    return grouped + ("," + decimals if dot else "")


@dataclass(frozen=True)
class ArgumentProblem:
    """One argument refused: its ``name`` (dotted for a nested one), the ``value`` given,
    and why: the ``allowed`` range, else pydantic's ``kind`` of error, its ``detail``
    (English) and its ``context`` (the minimum length...)."""

    name: str
    value: Any
    allowed: Range | None = None
    kind: str = ""
    detail: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        if self.allowed is not None:
            return i18n.text(lang, "search.out_of_range", name=self.name, value=self.value,
                             allowed=self.allowed.text(lang))  # fmt: skip
        detail = self.detail
        if self.kind == "string_too_short":  # the one a command line can give: --scheduler ""
            detail = i18n.text(lang, "search.too_short", n=self.context.get("min_length", 1))
        return i18n.text(lang, "search.refused", name=self.name, detail=detail)


@dataclass(frozen=True)
class ArgumentProblems:
    """The arguments refused, said in the language of the refusal around them."""

    problems: tuple[ArgumentProblem, ...]

    def text(self, lang: Lang) -> str:
        return i18n.text(lang, "search.separator").join(p.text(lang) for p in self.problems)


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
                problems.append(
                    ArgumentProblem(
                        ".".join(str(part) for part in err["loc"]),
                        err.get("input"),
                        field_range(name),
                        err["type"],
                        err["msg"],
                        dict(err.get("ctx", {})),
                    )
                )
            problem_list = ArgumentProblems(tuple(problems))
            raise SolveArgumentError("search.invalid", problems=problem_list) from None

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
        raise SolveArgumentError("search.not_scenario", kind=type(given).__name__)


def default_workers() -> int:
    """The search's workers when none are given: the machine's cores, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


def with_target(scenario: Scenario, target: float | None) -> Scenario:
    """``scenario`` with ``target`` as its policy's ``target_ratio`` (as it is for ``None``).

    Raises
    ------
    SolveArgumentError
        ``scenario`` is no :class:`Scenario`, or ``target`` is outside 0 to 1, named as
        :func:`optimizer.solve` names them (whatif and the curve come here directly).
    """
    a_scenario(scenario)
    if target is None:
        return scenario
    target = SolveOptions.check_one("target", target)
    policy = scenario.policy.model_copy(update={"target_ratio": target})
    return scenario.model_copy(update={"policy": policy})


def allowed_range(name: str) -> str | None:
    """The allowed values of a numeric option, in words ("a number from 0 to 1")."""
    allowed = field_range(name)
    return None if allowed is None else allowed.text("en")


def field_range(name: str) -> Range | None:
    """The allowed values of the numeric option ``name`` (None for another option)."""
    field_info = SolveOptions.model_fields.get(name)
    if field_info is None:
        return None
    lo: Any = None
    hi: Any = None
    strict_lo = False
    whole = False
    for arg in getattr(field_info.annotation, "__args__", ()):
        for meta in getattr(arg, "__metadata__", ()):
            for m in getattr(meta, "metadata", [meta]):
                if isinstance(m, Ge):
                    lo = m.ge
                elif isinstance(m, Gt):
                    lo, strict_lo = m.gt, True
                elif isinstance(m, Le):
                    hi = m.le
        if getattr(arg, "__origin__", None) is int:
            whole = True
    if lo is None and hi is None:
        return None
    # as said before: "from lo to hi" whatever the lower bound's strictness
    return Range(whole, lo, hi, lo_open=strict_lo and hi is None, finite=True)
