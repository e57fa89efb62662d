"""Where the public data sets (IHTC-2024, OR utilization) are on this machine.

They are not in the repository: by default they sit beside it, in
``<repository>/../shared/external``. The environment variable
``OR_RESCHEDULER_EXTERNAL`` names another folder; ``benchmarks/run.py`` also
takes ``--external``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENVIRONMENT_VARIABLE", "external_dir", "ihtc_dir", "or_utilization_csv"]

ENVIRONMENT_VARIABLE = "OR_RESCHEDULER_EXTERNAL"
REPOSITORY = Path(__file__).resolve().parent.parent


def external_dir() -> Path:
    """The folder of the public data sets: ``$OR_RESCHEDULER_EXTERNAL``, else beside the repository.

    The folder may not exist; callers that need the data skip or say so.
    """
    given = os.environ.get(ENVIRONMENT_VARIABLE)
    if given:
        return Path(given).expanduser()
    return REPOSITORY.parent / "shared" / "external"


def ihtc_dir(external: Path | None = None) -> Path:
    """The IHTC-2024 instances (``*.json``)."""
    return (external if external is not None else external_dir()) / "ihtc2024"


def or_utilization_csv(external: Path | None = None) -> Path:
    """The OR-utilization quarter (one row per booked case)."""
    base = external if external is not None else external_dir()
    return base / "or_utilization" / "2022_Q1_OR_Utilization.csv"
