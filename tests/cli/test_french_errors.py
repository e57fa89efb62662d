"""Refusals and errors said in French when the planner asked for French.

``--lang fr`` (or ``language = "fr"`` in the policy) used to leave some lines in English:
insert's and explain's ``error: ...``, every ``--out`` refused because it is or holds the
command's input or is no previous result (click's "Error: Invalid value for --out ..."),
and the problems of a folder report, letters and export cannot read. They now come from
the catalogues in the language asked, with exit status 2 and nothing written; English
stays word for word what it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli

FAST = ("--work-limit", "0.3", "--workers", "1")
# what only an English line says (click's frame, our own English words)
ENGLISH = ("Usage:", "Error:", "Invalid value", "error:", "nothing was written", "is the input")


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in res.output, res.output
    return res.exit_code, res.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def in_french(folder: Path) -> Path:
    """``folder``'s policy.toml (a scenario's, or a result's ``scenario/``) asks for French."""
    policy = folder / "policy.toml"
    if not policy.exists():
        policy = folder / "scenario" / "policy.toml"
    policy.write_text('language = "fr"\n' + policy.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def assert_french(said: str) -> None:
    assert not [w for w in ENGLISH if w in said], said


@pytest.fixture
def urgent(result: Path, tmp_path: Path) -> Path:
    """One urgent case arriving on 2024-04-16 (the small hospital's second day)."""
    header = (result / "scenario" / "cases.csv").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "urgent.csv"
    row = "U1,general_surgery,GEN03,60,P2" + "," * (header.count(",") - 4)
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    return path


# Each command that reads a folder and writes --out; {I} is its input (the result folder,
# or its scenario/ for solve and capacity), {U} the urgent case's file.
OUT_COMMANDS = {
    "solve": ["solve", "{I}", "--out", "{out}", *FAST],
    "replan": ["replan", "{I}", "--today", "2024-04-16", "--out", "{out}", *FAST],
    "insert": ["insert", "{I}", "--cases", "{U}", "--today", "2024-04-16", "--out", "{out}",
               *FAST],
    "whatif": ["whatif", "{I}", "--out", "{out}", *FAST],
    "capacity": ["capacity", "{I}", "--close", "OR01", "--out", "{out}"],
    "export": ["export", "{I}", "--format", "ics", "--out", "{out}"],
}  # fmt: skip
WITH_LANG = ("solve", "replan", "insert", "whatif")


def _args(command: str, result: Path, urgent: Path, out: str, asked: str) -> list[str]:
    given = result / "scenario" if command in ("solve", "capacity") else result
    args = [a.format(I=given, U=urgent, out=out.format(I=given)) for a in OUT_COMMANDS[command]]
    return args + (["--lang", "fr"] if asked == "--lang fr" else [])


@pytest.mark.parametrize(
    ("command", "asked"),
    [(c, "--lang fr") for c in WITH_LANG] + [(c, "policy fr") for c in OUT_COMMANDS],
)
@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("{I}", "est l'entrée {I} ; y écrire remplacerait ce qui est lu : donnez un autre dossier"),
        ("{I}/..", "contient l'entrée {I} ; y écrire l'effacerait : donnez un dossier à côté"),
    ],
    ids=["same", "around"],
)
def test_an_out_over_the_input_is_refused_in_french(
    result: Path, urgent: Path, command: str, asked: str, where: str, words: str
) -> None:
    """Asked by ``--lang fr`` or by the policy, before anything is read: one French line,
    none of click's English frame, exit 2, the input's tree untouched."""
    if asked == "policy fr":
        in_french(result)
    args = _args(command, result, urgent, where, asked)
    given = args[1]
    before = snapshot(result.parent)
    code, said = run(*args)
    assert code == 2, said
    out = where.format(I=given)
    refusal = f"Erreur : valeur refusée pour --out : {out} {words.format(I=given)}"
    assert said == f"{refusal} ; rien n'a été écrit\n"
    assert snapshot(result.parent) == before


@pytest.mark.parametrize("command", WITH_LANG)
def test_an_out_that_holds_no_previous_result_is_refused_in_french(
    result: Path, urgent: Path, tmp_path: Path, command: str
) -> None:
    """``--out`` a folder of someone's documents: refused in French, the folder kept."""
    junk = tmp_path / "documents"
    junk.mkdir()
    (junk / "letter.txt").write_text("keep me", encoding="utf-8")
    code, said = run(*_args(command, result, urgent, str(junk), "--lang fr"))
    assert code == 2, said
    assert said.startswith(f"Erreur : valeur refusée pour --out : {junk} n'est pas vide et ne ")
    assert "est remplacé en entier : donnez un dossier nouveau ou vide" in said
    assert_french(said)
    assert [p.name for p in junk.iterdir()] == ["letter.txt"]


def test_capacity_out_not_new_is_refused_in_the_policy_language(result: Path, tmp_path: Path):
    """capacity writes only a new or empty folder: refused in French for a French policy."""
    junk = tmp_path / "documents"
    junk.mkdir()
    (junk / "letter.txt").write_text("keep me", encoding="utf-8")
    scenario = in_french(result) / "scenario"
    code, said = run("capacity", str(scenario), "--close", "OR01", "--out", str(junk))
    assert code == 2
    assert said == (
        f"Erreur : valeur refusée pour --out : {junk} n'est ni un nouveau dossier ni un "
        "dossier vide\n"
    )


def test_insert_choose_beyond_the_options_in_french(
    result: Path, urgent: Path, tmp_path: Path
) -> None:
    """``insert --choose 2`` with one option listed: ``Erreur : ...`` in French, exit 2,
    nothing written; by the policy's language too, without --lang."""
    out = tmp_path / "urgent"
    base = ["insert", str(result), "--cases", str(urgent), "--today", "2024-04-16",
            "--out", str(out), "--top", "1", "--choose", "2", *FAST]  # fmt: skip
    code, said = run(*base, "--lang", "fr")
    assert code == 2
    assert said == "Erreur : --choose 2 : il y a 1 option en tout\n"
    assert not out.exists()
    in_french(result)
    assert run(*base) == (2, "Erreur : --choose 2 : il y a 1 option en tout\n")


def test_insert_choose_counts_one_option_in_the_singular(
    result: Path, urgent: Path, tmp_path: Path
) -> None:
    """The English refusal said "there are 1 options"; now "there is 1 option"."""
    out = tmp_path / "urgent"
    code, said = run("insert", str(result), "--cases", str(urgent), "--today", "2024-04-16",
                     "--out", str(out), "--top", "1", "--choose", "2", *FAST)  # fmt: skip
    assert (code, said) == (2, "Error: --choose 2: there is 1 option\n")


def test_insert_lang_fr_says_its_options_in_french(
    result: Path, urgent: Path, tmp_path: Path
) -> None:
    """The lines of a successful insert follow ``--lang fr`` too (statuses in words)."""
    out = tmp_path / "urgent"
    code, said = run("insert", str(result), "--cases", str(urgent), "--today", "2024-04-16",
                     "--out", str(out), "--top", "1", *FAST, "--lang", "fr")  # fmt: skip
    assert code == 0, said
    first, written = said.splitlines()
    assert first.startswith("1. ") and "autre cas déplacé" in first and "moved" not in first
    assert written == (
        f"options écrites dans {out / 'options.csv'} ; option 1 appliquée dans {out / 'result'}"
    )


def test_explain_errors_in_french(result: Path, tmp_path: Path) -> None:
    """An unknown case, a folder that is no result, a result whose scenario/ is broken:
    ``Erreur : ...`` in French with ``--lang fr``, or with a French policy alone."""
    assert run("explain", "NOPE", str(result), "--lang", "fr") == (
        2, f"Erreur : {result}/schedule.csv ne contient aucun cas 'NOPE'\n"
    )  # fmt: skip
    assert run("explain", "NOPE", str(tmp_path), "--lang", "fr") == (
        2,
        f"Erreur : {tmp_path} n'est pas un dossier de résultat (il doit contenir schedule.csv "
        "et scenario/) ; donnez le dossier --out d'une commande solve\n",
    )
    in_french(result)
    assert run("explain", "NOPE", str(result)) == (
        2, f"Erreur : {result}/schedule.csv ne contient aucun cas 'NOPE'\n"
    )  # fmt: skip
    sessions = result / "scenario" / "sessions.csv"
    lines = sessions.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2024-04-15", "2024-13-45", 1)
    sessions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, said = run("explain", "NOPE", str(result), "--lang", "fr")
    assert code == 2
    assert said.startswith(f"Erreur : {result}/scenario : sessions.csv, ligne 2, colonne date : ")
    assert "n'est pas une date du calendrier" in said


def test_explain_errors_in_english_are_as_before(result: Path, tmp_path: Path) -> None:
    """Without --lang, an English policy: the same English lines, headed "Error:" as every
    command's refusal is (they said "error:", lower case, alone among the commands)."""
    assert run("explain", "NOPE", str(result)) == (
        2, f"Error: {result}/schedule.csv holds no case 'NOPE'\n"
    )  # fmt: skip
    assert run("explain", "NOPE", str(tmp_path)) == (
        2,
        f"Error: {tmp_path} is not a result folder (it needs schedule.csv and scenario/); "
        "give the --out folder of a solve\n",
    )


@pytest.mark.parametrize(("lang", "prefix"), [("en", "Error: "), ("fr", "Erreur : ")])
def test_explain_refusal_is_headed_as_every_command_s(
    result: Path, tmp_path: Path, lang: str, prefix: str
) -> None:
    """explain's and insert's refusals said "error:" / "erreur :" while robustness, solve
    and click's own refusals say "Error:" / "Erreur :": one prefix now, in each language."""
    robustness = run("robustness", str(result / "scenario"), "--lang", lang)
    explain = run("explain", "NOPE", str(tmp_path), "--lang", lang)
    assert robustness[0] == explain[0] == 2
    assert robustness[1].splitlines()[-1].startswith(prefix), robustness
    assert explain[1].startswith(prefix), explain


@pytest.mark.parametrize(
    ("command", "nothing"),
    [("report", "Aucun rapport n'a été écrit."), ("letters", "Aucune lettre n'a été écrite.")],
)
def test_report_and_letters_say_the_folder_problems_in_french(
    result: Path, command: str, nothing: str
) -> None:
    """Each problem of a folder that is not a whole result, in French, and what was not
    written (letters said "no report" before, in both languages)."""
    scenario = result / "scenario"
    code, said = run(command, str(scenario), "--lang", "fr")
    assert code == 2
    assert said.splitlines() == [
        f"{scenario} n'est pas un dossier de résultat complet (3 problèmes) :",
        *(f"  - {name} : manquant" for name in ("schedule.csv", "summary.json", "scenario")),
        nothing,
    ]  # fmt: skip


WHOLE = {"en": "not a whole result folder", "fr": "pas un dossier de résultat complet"}
MISSING = {"en": ": is missing", "fr": " : manquant"}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("command", ["report", "letters", "export"])
def test_a_folder_that_is_no_result_is_said_so_once(
    result: Path, tmp_path: Path, command: str, lang: str
) -> None:
    """report, letters and export on a scenario folder said "not a whole result folder" in
    the header, then again on each missing part's line: once now, then what is missing."""
    scenario = result / "scenario"
    if lang == "fr":
        in_french(scenario)
    args = [command, str(scenario)]
    args += ["--format", "ics", "--out", str(tmp_path / "x.ics")] if command == "export" else []
    code, said = run(*args)
    assert code == 2
    assert said.count(WHOLE[lang]) == 1, said
    lines = said.splitlines()
    assert WHOLE[lang] in lines[0]
    missing = ("schedule.csv", "summary.json", "scenario")
    assert lines[1:4] == [f"  - {name}{MISSING[lang]}" for name in missing], said


def test_export_refusals_in_the_policy_language(result: Path, tmp_path: Path) -> None:
    """export has no --lang: a French policy has its refusals and problems said in French."""
    in_french(result)
    folder = tmp_path / "a_folder"
    folder.mkdir()
    code, said = run("export", str(result), "--format", "fhir", "--out", str(folder))
    assert code == 2
    assert said == (
        f"Export impossible vers --out : {folder} est un dossier ; fhir écrit un seul fichier : "
        "donnez un nom de fichier\nRien n'a été écrit.\n"
    )
    (result / "summary.json").unlink()
    code, said = run("export", str(result), "--format", "fhir", "--out", str(tmp_path / "b"))
    assert code == 2
    assert "  - summary.json : manquant\n" in said
    assert_french(said)


def test_insert_option_line_names_a_transfer_s_partner_as_the_scenario_does() -> None:
    """A transfer's line named its partner by id ("transféré 19/04/2024 CH_Grasse"): it now
    gives the name policy.toml's ``[partners.<id>]`` gives it (partners.csv has no names),
    else the id as staff say it (CH de Grasse, as the report and explain do); the files
    keep the id."""
    from optimizer.cli.replanning import option_place

    moved = {"status": "transferred", "date": "2024-04-19", "room_id": None, "start": None,
             "partner_id": "CH_Grasse"}  # fmt: skip
    named = {"CH_Grasse": "Centre hospitalier de Grasse"}
    assert option_place(moved, "fr", named) == "transféré 19/04/2024 Centre hospitalier de Grasse"
    assert option_place(moved, "en", named) == "transferred 2024-04-19 Centre hospitalier de Grasse"
    assert option_place(moved, "fr") == "transféré 19/04/2024 CH de Grasse"
    assert option_place(moved, "en") == "transferred 2024-04-19 CH Grasse"


def test_insert_option_line_gives_the_date_the_french_way_and_the_start() -> None:
    """An option's line said "maintenu 2022-01-04 OR8" in French: the files' date and no
    start time. Now the date as French planners write it, and the start; English keeps
    the files' date."""
    from optimizer.cli.replanning import option_place

    kept = {"status": "kept", "date": "2022-01-04", "room_id": "OR8", "start": "07:00",
            "partner_id": None}  # fmt: skip
    assert option_place(kept, "fr") == "maintenu 04/01/2022 OR8 07:00"
    assert option_place(kept, "en") == "kept 2022-01-04 OR8 07:00"
    moved = {"status": "transferred", "date": "2022-01-05", "room_id": None, "start": None,
             "partner_id": "CH_Mont"}  # fmt: skip
    assert option_place(moved, "fr") == "transféré 05/01/2022 CH de Mont"
    none = {"status": "unscheduled", "date": None, "room_id": None, "start": None,
            "partner_id": None}  # fmt: skip
    assert option_place(none, "fr") == "non programmé"


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("english", "internal error (a bug, please report it): RuntimeError"),
        ("policy", "erreur interne (un bogue, merci de le signaler) : RuntimeError"),
        ("--lang", "erreur interne (un bogue, merci de le signaler) : RuntimeError"),
    ],
)
def test_an_internal_error_is_said_in_the_commands_language(
    small_hospital: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
    said: str,
) -> None:
    """The entry point's last resort, "internal error (a bug, please report it): ...", was
    English for a French scenario or ``--lang fr``: it is said in the language the command
    would use, names the exception's type only (its text may name a patient's case), exit
    status 1."""
    import importlib
    import shutil
    import sys

    from optimizer.cli import main

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("case C00031 of patient 1234")

    monkeypatch.setattr(importlib.import_module("optimizer.search.pipeline"), "search", crash)
    folder = Path(shutil.copytree(small_hospital, tmp_path / "in"))
    if how == "policy":
        in_french(folder)
    asked = ["--lang", "fr"] if how == "--lang" else []
    argv = ["optimizer", "solve", str(folder), "--out", str(tmp_path / "out"), *asked]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    assert capsys.readouterr().err.strip() == said
