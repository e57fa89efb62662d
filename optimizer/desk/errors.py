"""The desk's own refusal: a request it cannot follow, with the HTTP status to answer."""

from __future__ import annotations

from typing import Any


class DeskError(ValueError):
    """A request the desk cannot follow (no such run, a run not finished ...)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def required(body: dict[str, Any], name: str) -> str:
    """A field of a request's body, stripped; missing or blank is a :class:`DeskError`."""
    value = body.get(name)
    if value is None or str(value).strip() == "":
        raise DeskError(f"{name} is missing")
    return str(value).strip()
