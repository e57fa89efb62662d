"""How fast a large scenario folder loads and validates, against plain CSV parsing.

The contract's loader checks every cell and every cross-reference; planners
load scenarios of a whole hospital's waiting list (tens of thousands of
cases). This benchmark writes a 100,000-case scenario with every column of
``cases.csv`` filled in a realistic way, then times, on the same files and in
the same run:

- ``load_scenario`` (reading, validating, building the frozen model);
- a baseline that only parses the same CSV files (``csv.reader``, and
  ``pandas.read_csv`` with every column as text),

and prints the absolute times and the ratios. The target is under 5 s for
``load_scenario``.

Run: ``python benchmarks/bench_load.py [--cases N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from optimizer.scenario import load_scenario

SPECIALTIES = ("orthopaedics", "urology", "general", "gynaecology", "ent", "vascular")
CLASSES = ("EMERGENCY", "P1a", "P1b", "P2", "P3", "P4")
START = dt.date(2024, 4, 15)
TARGET_S = 5.0


def write_large_scenario(folder: Path, n_cases: int, *, seed: int = 0) -> None:
    """Write a valid scenario of ``n_cases`` cases with the csv module, every column used.

    40 rooms over a 120-day horizon, 300 surgeons with windows on working days,
    resources and partners; about half of the cases are planned, 1 % pinned in
    slots that are free by construction, the rest wait.
    """
    rng = random.Random(seed)
    n_rooms, n_days = 40, 120
    dates = [START + dt.timedelta(days=k) for k in range(n_days)]
    rooms = [f"OR{r:02d}" for r in range(n_rooms)]
    surgeons = [f"S{k:03d}" for k in range(300)]

    def write(name: str, header: list[str], rows: list[list[str]]) -> None:
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(rows)

    hosted = {r: rng.sample(SPECIALTIES, 2) for r in rooms}
    write(
        "rooms.csv",
        ["room_id", "specialties", "equipment"],
        [[r, ";".join(hosted[r]), "laser" if i % 5 == 0 else ""] for i, r in enumerate(rooms)],
    )
    write(
        "sessions.csv",
        ["date", "room_id", "start", "end", "specialty"],
        [[d.isoformat(), r, "08:00", "18:00", ""] for d in dates for r in rooms],
    )
    write(
        "surgeons.csv",
        ["surgeon_id", "date", "start", "end"],
        [[s, d.isoformat(), "07:30", "19:00"] for s in surgeons for d in dates[::2]],
    )
    write(
        "resources.csv",
        ["date", "resource", "capacity"],
        [
            [d.isoformat(), name, str(cap)]
            for d in dates
            for name, cap in (("anaesthetist", 30), ("icu_bed", 8), ("c_arm", 4))
        ],
    )
    write(
        "partners.csv",
        ["partner_id", "date", "specialty", "capacity"],
        [["CHU-Nord", d.isoformat(), s, "3"] for d in dates for s in SPECIALTIES[:3]],
    )
    header = [
        "case_id", "specialty", "surgeon_id", "duration_min", "urgency", "planned_date",
        "planned_room", "planned_start", "release_date", "due_date", "equipment",
        "anaesthesia", "needs_icu", "transferable", "pinned", "flags",
    ]  # fmt: skip
    rows: list[list[str]] = []
    # Pinned cases take the first slot of a room on a date, a specialty the room hosts and
    # a surgeon of their own (not in surgeons.csv), so they never collide.
    free_slots = [(d, r) for d in dates for r in rooms]
    rng.shuffle(free_slots)
    for k in range(n_cases):
        planned = rng.random() < 0.5
        pinned = planned and rng.random() < 0.02 and bool(free_slots)
        day = rng.randrange(n_days)
        room, start = rng.choice(rooms), rng.choice(("08:00", "10:30", "13:00"))
        specialty, surgeon = rng.choice(SPECIALTIES), rng.choice(surgeons)
        if pinned:
            pin_date, room = free_slots.pop()
            day, start = dates.index(pin_date), "08:00"
            specialty, surgeon = hosted[room][0], f"PIN{k:06d}"
        rows.append(
            [
                f"C{k:06d}",
                specialty,
                surgeon,
                str(rng.randint(30, 240)) if not pinned else "90",
                rng.choice(CLASSES),
                dates[day].isoformat() if planned else "",
                room if planned else "",
                start if planned else "",
                (dates[day] - dt.timedelta(days=3)).isoformat() if rng.random() < 0.1 else "",
                (dates[day] + dt.timedelta(days=60)).isoformat() if rng.random() < 0.1 else "",
                "c_arm" if rng.random() < 0.05 and not pinned else "",
                rng.choice(("general", "general", "regional", "local")),
                "true" if rng.random() < 0.05 and not pinned else "false",
                "yes" if rng.random() < 0.2 else "no",
                "true" if pinned else "false",
                "latex_allergy" if rng.random() < 0.01 and not pinned else "",
            ]
        )
    write("cases.csv", header, rows)
    (folder / "policy.toml").write_text(
        f"start_date = {dates[0]}\nend_date = {dates[-1]}\ntarget_ratio = 0.9\n", encoding="utf-8"
    )


def _csv_only(folder: Path) -> None:
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for _ in csv.reader(fh):
                pass


def _pandas_only(folder: Path) -> None:
    import pandas as pd

    for path in sorted(folder.glob("*.csv")):
        pd.read_csv(path, dtype=str, keep_default_na=False)


def best_time(fn: Callable[[Path], object], folder: Path, repeat: int) -> float:
    """Best wall time of ``repeat`` runs (the least disturbed by other work on the machine)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(folder)
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Write the scenario, time the loader and the baselines, print the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_large_scenario(folder, args.cases)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        scenario = load_scenario(folder)  # also warms imports
        assert len(scenario.cases) == args.cases
        t_load = best_time(load_scenario, folder, args.repeat)
        t_csv = best_time(_csv_only, folder, args.repeat)
        t_pd = best_time(_pandas_only, folder, args.repeat)
    print(
        f"scenario: {args.cases} cases, {len(scenario.sessions)} sessions, "
        f"{len(scenario.surgeon_windows)} surgeon windows, {size:.1f} MiB of CSV"
    )
    print(f"load_scenario       {t_load:7.3f} s")
    print(f"csv.reader only     {t_csv:7.3f} s   load / csv    = {t_load / t_csv:5.1f}x")
    print(f"pandas.read_csv     {t_pd:7.3f} s   load / pandas = {t_load / t_pd:5.1f}x")
    verdict = "OK" if t_load < TARGET_S else "TOO SLOW"
    print(f"target: under {TARGET_S:.0f} s for load_scenario: {verdict}")
    return 0 if t_load < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
