"""Input errors in French when ``policy.toml`` says ``language = "fr"`` (issue 22): the frame
(ligne, colonne) and the readers' common sentences, from the ``validation`` catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer import i18n
from optimizer.cli import cli
from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.problem_words import PATTERNS, WORDS, message, problem_text

CORPUS = Path(__file__).parents[1] / "corpus"
# corpus folders whose every problem has a French sentence
SAID_IN_FRENCH = (
    "bad_dates_and_times",
    "bad_booleans_flags_anaesthesia",
    "required_cells_empty",
    "missing_columns",
    "duplicate_ids",
    "dangling_references",
    "negative_and_huge_numbers",
    "start_after_end",
    "missing_files",
    "absurd_values",
    "equipment_fixed_pool_reserved",
    "inconsistent_case_dates",
    "pinned_capacity_exceeded",
    "pinned_cases_collide",
    "pinned_outside_surgeon_window",
    "pinned_room_without_session",
    "pinned_slot_does_not_fit",
    "two_sessions_same_room_and_date",
    "unknown_urgency_and_equipment",
    "wrong_toml_types",
)


def _in_french(folder: Path, tmp_path: Path) -> Path:
    """A copy of ``folder`` whose policy.toml says ``language = "fr"`` first."""
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    policy = copy / "policy.toml"
    text = policy.read_text(encoding="utf-8") if policy.exists() else ""
    policy.write_text('language = "fr"\n' + text, encoding="utf-8")
    return copy


def test_every_pattern_reads_its_own_english_sentence() -> None:
    """The English template of each key, filled in, is recognised by its pattern and said
    with the French template and the same values."""
    samples = {"value": "'x'", "found": "'End'", "held": "fixed", "helds": "pinned",
               "when": "after it ends", "undo": "unpin it", "bed": "an ICU bed",
               "ends_by": "the latest session date",
               "starts_by": "policy.toml start_date"}  # fmt: skip
    for key, pattern in PATTERNS:
        if key in ("minutes_range", "units_range"):  # the reader's sentence differs; see below
            continue
        samples["helds"] = "both pinned" if "both pinned" in pattern.pattern else "pinned"
        fields = {f: samples.get(f, "7") for f in pattern.groupindex}
        english = i18n.text("en", f"validation.{key}", **fields)
        assert pattern.match(english), (key, english)
        # the words inside (pinned, fixed, the bed...) are said in French too
        said = {f: i18n.text("fr", f"validation.{WORDS[f][v]}") if f in WORDS else v
                for f, v in fields.items()}  # fmt: skip
        assert message(english, "fr") == i18n.text("fr", f"validation.{key}", **said), key
    assert message("-5 minutes is out of range: it must be 1 to 1440", "fr") == (
        "-5 : hors limites, la durée en minutes va de 1 à 1440"
    )
    assert message("a sentence no pattern knows", "fr") == "a sentence no pattern knows"
    assert message("'x' is not a number between 0 and 1,000,000", "fr") == (
        "'x' n'est pas un nombre entre 0 et 1\u202f000\u202f000"
    )


@pytest.mark.parametrize("name", SAID_IN_FRENCH)
def test_corpus_problems_in_french(name: str, tmp_path: Path) -> None:
    """Each problem of these corpus folders is said in French, still named by file, row
    and column; the error carries the policy's language."""
    with pytest.raises(ScenarioError) as err:
        load_scenario(_in_french(CORPUS / name, tmp_path))
    assert err.value.lang == "fr"
    for p in err.value.problems:
        said = problem_text(p, "fr")
        assert message(p.message, "fr") != p.message, p
        assert said.startswith(p.file) and " : " in said
        if p.row is not None:
            assert f"ligne {p.row}" in said
        if p.column is not None:
            assert f"colonne {p.column}" in said


def test_the_command_line_speaks_the_policy_language(tmp_path: Path) -> None:
    """`validate` on a French scenario with bad dates: exit 2, the list in French; the same
    folder without the key: in English."""
    folder = _in_french(CORPUS / "bad_dates_and_times", tmp_path / "fr")
    run = CliRunner().invoke(cli, ["validate", str(folder)])
    assert run.exit_code == 2
    assert "Le scénario a " in run.output and "problèmes :" in run.output
    assert "n'est pas une date" in run.output and "Rien n'a été écrit." in run.output
    english = CliRunner().invoke(cli, ["validate", str(CORPUS / "bad_dates_and_times")])
    assert english.exit_code == 2 and "The scenario has" in english.output
    assert "is not a date" in english.output


@pytest.mark.parametrize("command", ["solve", "whatif"])
def test_lang_fr_says_bad_input_in_french(command: str, tmp_path: Path) -> None:
    """`--lang fr` on an English scenario with bad dates: the problems in French (the
    warnings and the summary already were)."""
    folder = CORPUS / "bad_dates_and_times"
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, [command, str(folder), "--out", str(out), "--lang", "fr"])
    assert run.exit_code == 2
    assert "n'est pas une date" in run.output and "Rien n'a été écrit." in run.output
    assert not out.exists()


def test_dates_found_are_said_the_french_way_the_cell_as_typed() -> None:
    """A date the code found is 16/04/2024 in French (it read "le 2024-04-16"), in English
    as the files write it; the cell the user typed is quoted as typed."""
    english = "the due date 2024-05-01 is before the release date 2024-05-03"
    assert message(english, "fr") == (
        "l'échéance du 01/05/2024 tombe avant la date où le patient est prêt, le 03/05/2024"
    )
    assert message(english, "en") == english
    typed = "'2024-13-45' is not a date of the calendar"
    assert message(typed, "fr") == "'2024-13-45' n'est pas une date du calendrier"
