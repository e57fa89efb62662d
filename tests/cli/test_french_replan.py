"""A re-plan's files refused in the planner's language (a previous pass found `replan
--events` refusals in English over a French policy).

The problems of ``--events``, ``--sessions`` and ``--cases`` were raised without the
language of the previous scenario's policy, so a French planner read "The scenario has 7
problems: ... is not in the previous result"; and a few sentences had no French at all
(an empty case id, a room both closed and opened, a folder that is no result). They are
now said from the ``validation`` catalogue in the policy's language, dates the French
way, with exit status 2 and nothing written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.test_french_errors import FAST, assert_french, in_french, run


def _file(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _replan(result: Path, tmp_path: Path, *given: str) -> tuple[int, str]:
    out = tmp_path / "out"
    code, said = run("replan", str(result), "--today", "2024-04-16", "--out", str(out),
                     *given, *FAST)  # fmt: skip
    assert not out.exists()
    return code, said


def _a_case(result: Path) -> str:
    return (result / "schedule.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]


def test_events_problems_are_said_in_the_policy_language(result: Path, tmp_path: Path) -> None:
    """Every problem of a wrong events file, in French over a French policy, with no
    --lang: an unknown case, an unknown event word, a case reported twice, a bad until,
    an empty case id; the dates as French planners write them."""
    in_french(result)
    case = _a_case(result)
    events = _file(tmp_path, "events.csv", "case_id,event,until", "C99999,done,",
                   f"{case},finished,", f"{case},declined,2024-13-01", f"{case},done,",
                   f"{case},withdrawn,", ",done,")  # fmt: skip
    code, said = _replan(result, tmp_path, "--events", str(events))
    assert code == 2
    assert_french(said)
    assert "Le scénario a 5 problèmes :" in said
    assert "ligne 2, colonne case_id : l'intervention C99999 n'est pas dans le résultat" in said
    assert "'finished' ne fait pas partie des valeurs possibles" in said
    assert "à partir du 16/04/2024, premier jour de la replanification" in said
    assert f"ligne 6, colonne case_id : l'intervention {case} a déjà un événement" in said
    assert "ligne 7, colonne case_id : cette case est vide" in said
    assert "2024-04-16" not in said and "Rien n'a été écrit." in said


def test_an_events_file_without_its_column_in_french(result: Path, tmp_path: Path) -> None:
    """An events file without its event column: said in French, by file, row and column."""
    in_french(result)
    events = _file(tmp_path, "events.csv", "case_id,until", f"{_a_case(result)},")
    code, said = _replan(result, tmp_path, "--events", str(events))
    assert code == 2
    assert_french(said)
    assert "events.csv, ligne 1, colonne event : cette colonne obligatoire manque" in said


def test_sessions_rows_refused_in_french(result: Path, tmp_path: Path) -> None:
    """A --sessions file closing and opening the same room and date, and a closing row
    without a room: both in French (the second as the empty cell it is)."""
    in_french(result)
    sessions = _file(tmp_path, "sessions.csv", "date,room_id,start,end,specialty",
                     "2024-04-16,OR01,,,", "2024-04-16,OR01,08:00,12:00,",
                     "2024-04-16,,,,")  # fmt: skip
    code, said = _replan(result, tmp_path, "--sessions", str(sessions))
    assert code == 2
    assert_french(said)
    assert (
        "ligne 2, colonne start : la salle OR01 est fermée le 16/04/2024 par cette ligne "
        "(début et fin vides) et ouverte par une autre : gardez une seule des deux lignes"
    ) in said
    assert "ligne 4, colonne room_id : cette case est vide" in said


@pytest.mark.parametrize("given", ["scenario", "older"])
def test_a_folder_that_is_no_result_is_refused_in_french(
    result: Path, tmp_path: Path, given: str
) -> None:
    """replan on the scenario folder instead of its result (its policy asks for French), or
    on a result without its scenario/ with --lang fr: said in French."""
    in_french(result)
    if given == "scenario":
        code, said = _replan(result / "scenario", tmp_path)
        assert "ce n'est pas un dossier de résultat (il n'a pas de schedule.csv)" in said
    else:  # written by an older version: no scenario/, so no policy: --lang fr
        shutil.rmtree(result / "scenario")
        code, said = _replan(result, tmp_path, "--lang", "fr")
        assert "ce dossier de résultat n'a pas de sous-dossier scenario/" in said
    assert code == 2
    assert_french(said)


def test_insert_cases_refused_in_the_policy_language(result: Path, tmp_path: Path) -> None:
    """insert with a cases file naming a case the result already has, over a French policy:
    in French, without --lang."""
    in_french(result)
    header = (result / "scenario" / "cases.csv").read_text(encoding="utf-8").splitlines()[0]
    row = f"{_a_case(result)},general_surgery,GEN03,60,P2" + "," * (header.count(",") - 4)
    cases = _file(tmp_path, "urgent.csv", header, row)
    out = tmp_path / "out"
    code, said = run("insert", str(result), "--cases", str(cases), "--today", "2024-04-16",
                     "--out", str(out), *FAST)  # fmt: skip
    assert code == 2 and not out.exists()
    assert_french(said)
    assert "est déjà une intervention du résultat précédent" in said


def test_events_problems_stay_english_over_an_english_policy(result: Path, tmp_path: Path) -> None:
    """The same refusals over an English policy: the English sentences, as before."""
    events = _file(tmp_path, "events.csv", "case_id,event", "C99999,done", ",done")
    code, said = _replan(result, tmp_path, "--events", str(events))
    assert code == 2
    assert "row 2, column case_id: case C99999 is not in the previous result" in said
    assert "row 3, column case_id: this cell is empty" in said
