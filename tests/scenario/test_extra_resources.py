"""extra_resources.csv: read, each problem named by file, row and column, written back, carried."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.scenario import load_scenario, write_scenario
from optimizer.scenario.errors import InvalidScenario
from optimizer.scenario.schema import ExtraResource
from tests.scenario.test_validation import BASE, where, write

EXTRA = "extra_resources.csv"
HEADER = "resource,date,extra,cost\n"
# resources.csv gives anaesthetists on both dates; the beds get rows on 16/04 here
RESOURCES = BASE["resources.csv"] + "2024-04-16,icu_bed,1\n2024-04-16,ward_bed,4\n"
GOOD = HEADER + "icu_bed,2024-04-16,1,800\nanaesthetist,2024-04-17,2,\n"


def test_extra_resources_load_and_round_trip(tmp_path: Path) -> None:
    """An ICU bed at 800 and two anaesthetists at the default cost 1; written back the same;
    the capacities solve uses are untouched."""
    sc = load_scenario(write(tmp_path / "s", {"resources.csv": RESOURCES, EXTRA: GOOD}))
    assert sc.extra_resources == (
        ExtraResource(resource="icu_bed", date=dt.date(2024, 4, 16), extra=1, cost=800.0),
        ExtraResource(resource="anaesthetist", date=dt.date(2024, 4, 17), extra=2, cost=1.0),
    )
    assert sc.capacity["icu_bed", dt.date(2024, 4, 16)] == 1
    back = load_scenario(write_scenario(sc, tmp_path / "copy"))
    assert back.extra_resources == sc.extra_resources
    assert back.resources == sc.resources


def test_a_scenario_without_the_file_writes_none(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path / "s", {"resources.csv": RESOURCES}))
    assert sc.extra_resources == ()
    assert not (write_scenario(sc, tmp_path / "copy") / EXTRA).exists()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("icu_beds,2024-04-16,1,\n", [(EXTRA, 2, "resource")]),
        ("c_arm,2024-04-16,1,\n", [(EXTRA, 2, "resource")]),
        ("icu_bed,16 April,1,\n", [(EXTRA, 2, "date")]),
        ("icu_bed,2024-04-16,0,\n", [(EXTRA, 2, "extra")]),
        ("icu_bed,2024-04-16,two,\n", [(EXTRA, 2, "extra")]),
        ("icu_bed,2024-04-16,1,-5\n", [(EXTRA, 2, "cost")]),
        ("icu_bed,2024-04-16,1,\nicu_bed,2024-04-16,2,\n", [(EXTRA, 3, "date")]),
        # no ICU row on 17/04 in resources.csv: unlimited there, nothing to add
        ("icu_bed,2024-04-17,1,\n", [(EXTRA, 2, "date")]),
        (",2024-04-16,1,\n", [(EXTRA, 2, "resource")]),
    ],
    ids=[
        "a typo of a resource",
        "a pool cannot be added",
        "not a date",
        "zero units",
        "units not a number",
        "negative cost",
        "two rows for one resource and date",
        "a date without a capacity row",
        "empty resource",
    ],
)
def test_bad_extra_resources_are_named(
    tmp_path: Path, rows: str, expected: list[tuple[str, int, str]]
) -> None:
    folder = write(tmp_path / "s", {"resources.csv": RESOURCES, EXTRA: HEADER + rows})
    assert where(folder) == expected


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    folder = write(tmp_path / "s", {"resources.csv": RESOURCES, EXTRA: "resource,date\n"})
    assert where(folder) == [(EXTRA, 1, "extra")]


def test_the_command_line_refuses_it_with_exit_2(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "s", {"resources.csv": RESOURCES, EXTRA: HEADER + "icu,2024-04-16,1,\n"}
    )
    r = subprocess.run(
        [sys.executable, "-m", "optimizer", "validate", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 2
    assert "extra_resources.csv, row 2, column resource" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_the_data_model_keeps_the_invariants_however_built(tmp_path: Path) -> None:
    """Built in code: an offer where resources.csv has no row is refused by the data model
    itself; taking more than offered is refused by with_extra_resources."""
    sc = load_scenario(write(tmp_path / "s", {"resources.csv": RESOURCES, EXTRA: GOOD}))
    fields = {name: getattr(sc, name) for name in type(sc).model_fields}
    fields["extra_resources"] = (
        ExtraResource(resource="ward_bed", date=dt.date(2024, 4, 17), extra=1),
    )
    with pytest.raises(InvalidScenario, match="ward_bed has no capacity on 2024-04-17"):
        type(sc)(**fields)
    with pytest.raises(ValueError, match="not on offer"):
        sc.with_extra_resources([sc.extra_resources[0].model_copy(update={"extra": 2})])
    more = sc.with_extra_resources([sc.extra_resources[1].model_copy(update={"extra": 1})])
    assert more.capacity["anaesthetist", dt.date(2024, 4, 17)] == 3
    assert [e.extra for e in more.extra_resources] == [1, 1]  # one anaesthetist left on offer
