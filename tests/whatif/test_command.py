"""The whatif command: the folder it writes checks on its own, bad input writes nothing,
the curve is a table and a picture; generated scenarios (whose closed sessions are their
extra sessions) get answers that pass the checker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.check import check_result_folder
from optimizer.check.whatif import check_whatif_folder
from optimizer.generate import generate
from optimizer.scenario import load_scenario, write_scenario
from optimizer.search import SolveOptions
from optimizer.whatif.search import curve, whatif
from tests.support.whatif_fixtures import D1, D2, FAST, checked, extra, one_room_day

RUN = [sys.executable, "-m", "optimizer", "whatif"]
FAST_CLI = ["--workers", "1", "--work-limit", "2", "--seed", "0"]


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    sc = one_room_day(
        extras=(
            extra("R1", D1, "08:00", "15:00", 2),
            extra("R2", D1, "08:00", "12:00", 3),
            extra("R2", D2, "08:00", "13:00", 1),
        )
    )
    return write_scenario(sc, tmp_path / "tiny")


def test_the_whatif_folder_checks_on_its_own(tiny: Path, tmp_path: Path) -> None:
    """whatif.csv, sessions_added.csv, whatif.json and result/ (whose scenario/ holds the
    added session), the curve as CSV and PNG; the checker finds nothing wrong."""
    out = tmp_path / "out"
    r = subprocess.run([*RUN, str(tiny), "--out", str(out), "--curve", *FAST_CLI],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "proven" in r.stdout and "16/04  3/5 now, 5/5 with R1 08:00-15:00" in r.stdout
    assert check_whatif_folder(load_scenario(tiny), out) == []
    copy = load_scenario(out / "result" / "scenario")
    assert check_result_folder(copy, out / "result") == []
    assert (out / "sessions_added.csv").read_text().splitlines() == [
        "date,room_id,start,end,specialty",
        "2024-04-16,R1,08:00,15:00,",
    ]
    summary = json.loads((out / "whatif.json").read_text())
    assert summary["proven_least_cost"] is True and summary["added_cost"] == 2.0
    curve_rows = (out / "curve.csv").read_text().splitlines()
    assert len(curve_rows) == 1 + 4  # header, 0 to 3 sessions allowed, one date
    assert (out / "curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # run again: a previous whatif folder is replaced
    again = subprocess.run([*RUN, str(tiny), "--out", str(out), *FAST_CLI],
                           capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert not (out / "curve.png").exists()


def test_whatif_speaks_the_planners_language(tiny: Path, tmp_path: Path) -> None:
    """--lang fr: the lines printed are French, as the report and the desk are."""
    out = tmp_path / "out"
    r = subprocess.run([*RUN, str(tiny), "--out", str(out), "--lang", "fr", *FAST_CLI],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Ce qu'il faudrait pour maintenir" in r.stdout
    assert "Coût minimal prouvé" in r.stdout and "proven" not in r.stdout


def test_bad_extra_sessions_write_nothing(tiny: Path, tmp_path: Path) -> None:
    (tiny / "extra_sessions.csv").write_text("date,room_id,start,end\n2024-04-16,R9,08:00,12:00\n")
    out = tmp_path / "out"
    r = subprocess.run([*RUN, str(tiny), "--out", str(out), *FAST_CLI],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 2
    assert "extra_sessions.csv, row 2, column room_id" in r.stderr
    assert not out.exists()


def test_a_scenario_folder_is_refused_as_out(tiny: Path) -> None:
    r = subprocess.run([*RUN, str(tiny), "--out", str(tiny), *FAST_CLI],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 2 and "is the input" in r.stderr  # itself: refused before loading it


def test_the_curve_never_keeps_fewer_with_more_sessions_allowed() -> None:
    """Seven cases, target 100 %: R1 to 15:00 (cost 2) keeps five, R2 08:00-10:00 (cost 1)
    one more, R2 on D2 nothing on D1: 3, 5, 6, 6 kept with 0, 1, 2, 3 sessions."""
    sc = one_room_day(
        7,
        extras=(
            extra("R1", D1, "08:00", "15:00", 2),
            extra("R2", D1, "08:00", "10:00", 1),
            extra("R2", D2, "08:00", "13:00", 1),
        ),
        target=1.0,
    )
    points = curve(sc, options=SolveOptions(**FAST))
    kept = [next(d["kept"] for d in p.dates if d["date"] == D1.isoformat()) for p in points]
    assert kept == [3, 5, 6, 6]
    assert [len(p.used) for p in points] == [0, 1, 2, 2]
    assert all(p.status == "OPTIMAL" for p in points)


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_scenarios_get_checked_answers(seed: int) -> None:
    """A generated week with an attack: its closed sessions are its extra sessions."""
    gen = generate(rooms=4, days=3, cases_per_day=10, seed=seed, attack_day=1)
    sc = gen.disrupted
    assert sc.extra_sessions
    ans = whatif(sc, options=SolveOptions(**FAST))
    checked(ans)
    for e in ans.added:
        assert e in sc.extra_sessions


def test_the_checker_catches_a_forged_whatif_folder(tiny: Path, tmp_path: Path) -> None:
    """An extra session used but not listed as added breaks rule 2 (the case runs past the
    regular hours); one listed that was never offered, or a row misreporting what is kept,
    is a whatif violation."""
    out = tmp_path / "out"
    r = subprocess.run([*RUN, str(tiny), "--out", str(out), *FAST_CLI],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    scenario = load_scenario(tiny)
    added = out / "sessions_added.csv"
    good = added.read_text()
    added.write_text("date,room_id,start,end,specialty\n")
    assert {v.rule for v in check_whatif_folder(scenario, out)} >= {"2"}
    added.write_text(good + "2024-04-16,R2,07:00,12:00,\n")
    assert any("not an extra session of the scenario" in v.message
               for v in check_whatif_folder(scenario, out))  # fmt: skip
    added.write_text(good)
    rows = out / "whatif.csv"
    rows.write_text(rows.read_text().replace(",5,3,5,", ",5,3,4,"))
    assert any("kept_with is 4" in v.message for v in check_whatif_folder(scenario, out))


def test_nothing_on_offer_is_said_plainly(tmp_path: Path) -> None:
    """A date below target and no extra session: the answer says nothing can be added."""
    folder = write_scenario(one_room_day(), tmp_path / "bare")
    out = tmp_path / "out"
    r = subprocess.run([*RUN, str(folder), "--out", str(out), *FAST_CLI],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "No extra session is on offer" in r.stdout
    assert "still 2 short of the 5 needed" in r.stdout
    assert check_whatif_folder(load_scenario(folder), out) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_least_cost_proven_only_for_unproven_earlier_levels_says_so(lang: str) -> None:
    """The cost level proven, an earlier one not: the answer is not proven least-cost, and the
    lines say why, not that the cost's search "stopped (best possible (proven))"."""
    import dataclasses

    from optimizer.whatif.text import whatif_lines

    sc = one_room_day(extras=(extra("R1", D1, "08:00", "15:00", 2),))
    answer = whatif(sc, options=SolveOptions(**FAST))
    assert answer.cost_level is not None and answer.cost_level.proven
    lines = "\n".join(whatif_lines(dataclasses.replace(answer, proven=False), [], None, lang))
    said = {"en": "which the search did not prove the fewest possible",
            "fr": "dont la recherche n'a pas prouvé"}  # fmt: skip
    assert said[lang] in lines
    assert "stopped" not in lines and "arrêtée" not in lines


def test_a_date_with_nothing_to_add_is_said_in_good_french() -> None:
    """A date below target with no extra session on offer: French said "28/33 avec aucune
    vacation ajoutée" ("with no session added" word for word, which French does not say);
    now "sans vacation ajoutée". English unchanged, and a date with sessions keeps "avec"."""
    from optimizer.whatif.text import whatif_lines

    answer = whatif(one_room_day(), options=SolveOptions(**FAST))
    fr = "\n".join(whatif_lines(answer, [], None, "fr"))
    assert "avec aucun" not in fr and "sans vacation ajoutée : il en manque" in fr
    assert "with no session added: still" in "\n".join(whatif_lines(answer, [], None, "en"))
    offered = whatif(one_room_day(extras=(extra("R1", D1, "08:00", "15:00", 2),)),
                     options=SolveOptions(**FAST))  # fmt: skip
    assert " avec R1 " in "\n".join(whatif_lines(offered, [], None, "fr"))
