"""The export tests share one solved result folder (see tests.support.export_fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.export_fixtures import write_export_result


@pytest.fixture(scope="session")
def export_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small result with every kind of appointment. Tests read it; none may edit it."""
    return write_export_result(tmp_path_factory.mktemp("export") / "result")
