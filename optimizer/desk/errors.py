"""The desk's own refusal: a request it cannot follow, with the HTTP status to answer."""

from __future__ import annotations


class DeskError(ValueError):
    """A request the desk cannot follow (no such run, a run not finished ...)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
