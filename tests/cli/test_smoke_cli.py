"""The CLI entry points exist and refuse a missing folder cleanly."""

import subprocess
import sys


def test_validate_missing_folder_exits_2(tmp_path):
    """A folder that does not exist is bad input: exit 2, no traceback."""
    r = subprocess.run(
        [sys.executable, "-m", "optimizer", "validate", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
