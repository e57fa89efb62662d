"""How fast a scenario workbook loads, against the same scenario as a CSV folder.

The issue's target: loading a 5,000-case workbook takes no more than twice
loading the same CSV folder. This writes the large scenario of
:mod:`benchmarks.bench_load` (every column of ``cases.csv`` used), writes it
again as a workbook (``template --from``: dates and times as Excel dates and
times, ids as text), checks that both load to the same scenario, and prints
the best of ``--repeat`` timings of each and their ratio.

Run: ``python benchmarks/bench_workbook.py [--cases N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_load import best_time, write_large_scenario
from optimizer.scenario import load_scenario
from optimizer.scenario.template import write_workbook

TARGET_RATIO = 2.0


def main(argv: list[str] | None = None) -> int:
    """Write the folder and the workbook, time both loads, print the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scenario"
        folder.mkdir()
        write_large_scenario(folder, args.cases)
        scenario = load_scenario(folder)  # also warms imports
        book = write_workbook(Path(tmp) / "scenario.xlsx", scenario)
        again = load_scenario(book)
        skip = {"name", "input_hash", "warnings"}
        assert again.model_dump(exclude=skip) == scenario.model_dump(exclude=skip)
        t_csv = best_time(load_scenario, folder, args.repeat)
        t_book = best_time(load_scenario, book, args.repeat)
        size_csv = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        size_book = book.stat().st_size / 2**20
    ratio = t_book / t_csv
    print(
        f"scenario: {len(scenario.cases)} cases, {len(scenario.sessions)} sessions, "
        f"{len(scenario.surgeon_windows)} surgeon windows"
    )
    print(f"CSV folder ({size_csv:.1f} MiB)   {t_csv:7.3f} s")
    print(f"workbook   ({size_book:.1f} MiB)   {t_book:7.3f} s   workbook / CSV = {ratio:4.2f}x")
    verdict = "OK" if ratio <= TARGET_RATIO else "TOO SLOW"
    print(f"target: at most {TARGET_RATIO:.0f}x: {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
