"""The ``[robustness]`` table of ``policy.toml``: how durations vary on the day.

::

    [robustness]
    default_cv = 0.35          # a specialty in neither table below nor the defaults
    cancel_after_min = 30      # see optimizer.sweep.robustness

    [robustness.duration_cv]   # coefficient of variation per specialty
    orthopaedics = 0.25

Read here with every problem named by key and line; written back only when
it differs from the defaults, so existing folders stay byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .schema import RobustnessSettings
from .toml_text import toml_key, toml_table

KEYS = ("default_cv", "cancel_after_min", "duration_cv")
MAX_CV = 3.0


def _cv(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= MAX_CV


def read_robustness(
    raw: Any, bad: Callable[..., None], warn: Callable[[str], None]
) -> RobustnessSettings | None:
    """The settings of the ``[robustness]`` table, or ``None`` after reporting its problems."""
    if not isinstance(raw, dict):
        bad("robustness", "write it as a table [robustness] (see the README)")
        return None
    ok = True
    for key in raw:
        if key not in KEYS:
            warn(f"policy.toml: unknown key robustness.{key} ignored")
    fields: dict[str, Any] = {}
    if "default_cv" in raw:
        if _cv(raw["default_cv"]):
            fields["default_cv"] = float(raw["default_cv"])
        else:
            bad("robustness.default_cv", f"{raw['default_cv']!r} is not a CV between 0 and "
                f"{MAX_CV:g}", "robustness", "default_cv")  # fmt: skip
            ok = False
    if "cancel_after_min" in raw:
        v = raw["cancel_after_min"]
        if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1440:
            fields["cancel_after_min"] = v
        else:
            bad("robustness.cancel_after_min", f"{v!r} is not a whole number of minutes "
                "between 0 and 1440", "robustness", "cancel_after_min")  # fmt: skip
            ok = False
    table = raw.get("duration_cv", {})
    if not isinstance(table, dict):
        bad("robustness.duration_cv", "write it as a table [robustness.duration_cv] of "
            "specialty = CV", "robustness", "duration_cv")  # fmt: skip
        return None
    cvs: dict[str, float] = {}
    for specialty, v in table.items():
        if _cv(v):
            cvs[specialty] = float(v)
        else:
            bad(f"robustness.duration_cv.{specialty}", f"{v!r} is not a CV between 0 and "
                f"{MAX_CV:g}", "robustness", "duration_cv", specialty)  # fmt: skip
            ok = False
    fields["duration_cv"] = cvs
    return RobustnessSettings(**fields) if ok else None


def robustness_toml(settings: RobustnessSettings) -> list[str]:
    """The lines of the table (none when every setting is the default)."""
    if settings == RobustnessSettings():
        return []
    lines = ["[robustness]"]
    if settings.default_cv is not None:
        lines.append(f"default_cv = {settings.default_cv!r}")
    lines.append(f"cancel_after_min = {settings.cancel_after_min}")
    lines.append("")
    cvs = sorted(settings.duration_cv.items())
    return lines + toml_table("robustness.duration_cv", (f"{toml_key(k)} = {v!r}" for k, v in cvs))
