"""Option values refused in French when the planner asked for French.

click checks an option's value while it reads the command line, before the command's
body knows the language: ``--today 2024-99-01``, ``--time-limit abc``, ``--top 0`` were
refused in click's English frame even with ``--lang fr`` or a French policy. So were
``solve --scheduler ""`` (the options object's refusal) and a ``--scheduler`` no Dask
scheduler answers at, or that is no address. Each is now one French line from the
catalogues, exit status 2, nothing written; English is click's, byte for byte.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.cli.test_french_errors import FAST, assert_french, in_french, run

NNBSP = "\u202f"  # the narrow no-break space of French numbers: 604 800


# (command line, with {I} the input and {out} a new folder; the French line said)
REFUSED = {
    "date": (
        ["replan", "{I}", "--today", "2024-99-01", "--out", "{out}"],
        "Erreur : valeur refusée pour --today : '2024-99-01' n'est pas une date "
        "(AAAA-MM-JJ ou JJ/MM/AAAA).",
    ),
    "search number": (
        ["solve", "{I}/scenario", "--out", "{out}", "--time-limit", "abc"],
        "Erreur : valeur refusée pour --time-limit : 'abc' n'est pas un nombre.",
    ),
    "search range": (
        ["solve", "{I}/scenario", "--out", "{out}", "--time-limit", "0"],
        f"Erreur : valeur refusée pour --time-limit : '0' : doit être un nombre de 0,1 à "
        f"604{NNBSP}800.",
    ),
    "search whole": (
        ["whatif", "{I}", "--out", "{out}", "--seed", "-1"],
        f"Erreur : valeur refusée pour --seed : '-1' : doit être un nombre entier de 0 à "
        f"2{NNBSP}147{NNBSP}483{NNBSP}647.",
    ),
    "blocks": (
        ["solve", "{I}/scenario", "--out", "{out}", "--blocks", "0"],
        "Erreur : valeur refusée pour --blocks : '0' : doit être un nombre entier de 1 à 366.",
    ),
    "int range": (
        ["insert", "{I}", "--cases", "u.csv", "--today", "2024-04-16", "--out", "{out}",
         "--top", "0"],
        "Erreur : valeur refusée pour --top : '0' : doit être un nombre entier de 1 à 20.",
    ),
    "open float range": (
        ["insert", "{I}", "--cases", "u.csv", "--today", "2024-04-16", "--out", "{out}",
         "--time-limit", "0"],
        "Erreur : valeur refusée pour --time-limit : '0' : doit être un nombre strictement "
        "supérieur à 0.",
    ),
    "min only": (
        ["insert", "{I}", "--cases", "u.csv", "--today", "2024-04-16", "--out", "{out}",
         "--workers", "0"],
        "Erreur : valeur refusée pour --workers : '0' : doit être un nombre entier supérieur "
        "ou égal à 1.",
    ),
    "int": (
        ["insert", "{I}", "--cases", "u.csv", "--today", "2024-04-16", "--out", "{out}",
         "--seed", "x"],
        "Erreur : valeur refusée pour --seed : 'x' n'est pas un nombre entier.",
    ),
    "whole": (
        ["robustness", "{I}", "--samples", "0"],
        f"Erreur : valeur refusée pour --samples : '0' : doit être un nombre entier de 1 à "
        f"10{NNBSP}000{NNBSP}000.",
    ),
    "choice": (
        ["export", "{I}", "--format", "xml", "--out", "{out}"],
        "Erreur : valeur refusée pour --format : 'xml' n'est pas l'un des choix possibles : "
        "'fhir', 'hl7', 'ics'.",
    ),
    "directory": (
        ["robustness", "{I}/summary.json"],
        "Erreur : valeur refusée pour RESULT_DIR : '{I}/summary.json' est un fichier, pas un "
        "dossier.",
    ),
}  # fmt: skip
WITH_LANG = ("replan", "solve", "whatif", "insert")


def _line(case: str, result: Path, out: Path) -> tuple[list[str], str]:
    args, said = REFUSED[case]
    return [a.format(I=result, out=out) for a in args], said.format(I=result)


@pytest.mark.parametrize("case", REFUSED)
def test_a_value_click_refuses_is_said_in_the_policy_language(
    result: Path, tmp_path: Path, case: str
) -> None:
    """A French policy, no --lang: the value refused is one French line, without click's
    English frame, exit status 2, nothing written (a file given for the result folder: the
    policy of the folder it is in)."""
    in_french(result)
    args, said = _line(case, result, tmp_path / "out")
    assert run(*args) == (2, said + "\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", [c for c in REFUSED if REFUSED[c][0][0] in WITH_LANG])
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_value_click_refuses_is_said_in_french_with_lang_fr(
    result: Path, tmp_path: Path, case: str, where: str
) -> None:
    """``--lang fr`` on the command line, before or after the option refused (click reads
    them in that order): the same French line, the policy being English."""
    args, said = _line(case, result, tmp_path / "out")
    args = [args[0], "--lang", "fr", *args[1:]] if where == "before" else [*args, "--lang=fr"]
    assert run(*args) == (2, said + "\n")


def test_lang_en_keeps_click_english_over_a_french_policy(result: Path, tmp_path: Path) -> None:
    """``--lang en`` wins over a French policy: click's English frame, byte for byte, as
    without any French anywhere."""
    args, _ = _line("date", result, tmp_path / "out")
    english = run(*args)
    in_french(result)
    assert run(*args, "--lang", "en") == english
    assert english == (
        2,
        "Usage: cli replan [OPTIONS] RESULT_DIR\nTry 'cli replan --help' for help.\n\n"
        "Error: Invalid value for '--today': '2024-99-01' is not a date (YYYY-MM-DD or "
        "DD/MM/YYYY).\n",
    )


def test_english_option_refusals_are_as_before(result: Path, tmp_path: Path) -> None:
    """No French asked: click's own words, for the project's types and click's alike."""
    frame = "Usage: cli {c} [OPTIONS] {a}\nTry 'cli {c} --help' for help.\n\nError: Invalid value "
    expected = {
        "search range": "for '--time-limit': '0': must be a number from 0.1 to 604800 (finite).",
        "int range": "for '--top': 0 is not in the range 1<=x<=20.",
        "choice": "for '--format': 'xml' is not one of 'fhir', 'hl7', 'ics'.",
    }
    for case, words in expected.items():
        args, _ = _line(case, result, tmp_path / "out")
        head = frame.format(c=args[0], a="SCENARIO_DIR" if args[0] == "solve" else "RESULT_DIR")
        assert run(*args) == (2, head + words + "\n")


def test_an_empty_scheduler_is_refused_in_french(result: Path, tmp_path: Path) -> None:
    """``solve --scheduler ""``: the options object refuses it (a SolveArgumentError); said
    in French by its option, not by the API's argument name, then exit 2."""
    out = tmp_path / "out"
    args = ["solve", str(result / "scenario"), "--out", str(out), *FAST, "--scheduler", ""]
    said = "Erreur : valeur refusée : --scheduler : doit contenir au moins 1 caractère ; rien n'a été écrit\n"  # noqa: E501
    assert run(*args, "--lang", "fr") == (2, said)
    in_french(result)
    assert run(*args) == (2, said)
    assert not out.exists()
    code, english = run(*args, "--lang", "en")
    assert code == 2 and english.endswith(
        "\nError: invalid argument: scheduler: String should have at least 1 character; "
        "nothing was written\n"
    )


@pytest.mark.parametrize("command", ["solve", "robustness", "sweep"])
def test_a_scheduler_that_is_no_address_is_refused_in_french(
    result: Path, tmp_path: Path, command: str
) -> None:
    """``--scheduler notanaddress`` on a French scenario: the French line (Dask's own detail
    quoted as Dask's), exit 2, nothing written."""
    in_french(result)
    out = tmp_path / "out"
    grid = tmp_path / "grid.toml"
    grid.write_text(f'scenarios = ["{result / "scenario"}"]\nwork_limit = 0.1\n', encoding="utf-8")
    args = {
        "solve": ["solve", str(result / "scenario"), "--out", str(out), *FAST, "--blocks", "1"],
        "robustness": ["robustness", str(result), "--samples", "10"],
        "sweep": ["sweep", str(grid), "--out", str(out)],
    }[command]
    code, said = run(*args, "--scheduler", "notanaddress")
    assert code == 2
    assert said == (
        "Erreur : valeur refusée pour --scheduler : 'notanaddress' n'est pas l'adresse d'un "
        "ordonnanceur Dask, par exemple tcp://10.0.0.5:8786 (message de Dask : « missing port "
        "number in address 'notanaddress' ») ; rien n'a été écrit\n"
    )
    assert not out.exists()
    assert not (result / "robustness_rooms.csv").exists()


def test_a_scheduler_nobody_answers_at_is_refused_in_french(result: Path) -> None:
    """``--scheduler`` at a loopback port nobody listens on, ``--lang``-less on a French
    result: "aucun ordonnanceur Dask ne répond", exit 2."""
    import dask

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    in_french(result)
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code, said = run("robustness", str(result), "--scheduler", f"tcp://127.0.0.1:{port}")
    assert code == 2
    assert said.startswith(
        "Erreur : valeur refusée pour --scheduler : aucun ordonnanceur Dask ne répond à "
        f"tcp://127.0.0.1:{port} (message de Dask : « "
    )
    assert said.endswith(" ») ; rien n'a été écrit\n")
    assert_french(said.replace(said[said.index("« ") : said.index(" »")], ""))


# click's own refusals of a command line (not of one value): {I} the input, {out} a folder
USAGE = {
    "missing option": (
        ["replan", "{I}", "--out", "{out}"],
        "Erreur : option obligatoire manquante : --today.",
    ),
    "missing argument": (["explain", "C00001", "--lang", "fr"],
                         "Erreur : argument obligatoire manquant : RESULT_DIR."),
    "no value": (["solve", "{I}/scenario", "--out"],
                 "Erreur : l'option --out demande une valeur."),
    "flag with a value": (
        ["solve", "{I}/scenario", "--out", "{out}", "--quiet=yes"],
        "Erreur : l'option --quiet ne prend pas de valeur.",
    ),
    "unknown option": (
        ["solve", "{I}/scenario", "--out", "{out}", "--reportt"],
        "Erreur : l'option --reportt n'existe pas (vouliez-vous dire --report ?).",
    ),
    "unknown option, none near": (
        ["solve", "{I}/scenario", "--out", "{out}", "--zzz"],
        "Erreur : l'option --zzz n'existe pas.",
    ),
    "unknown option, several near": (
        ["whatif", "{I}", "--out", "{out}", "--targt", "0.9"],
        "Erreur : l'option --targt n'existe pas (vouliez-vous dire --target ou --lang ?).",
    ),
    "one extra argument": (["explain", "C00001", "{I}", "more"],
                           "Erreur : argument en trop : more."),
    "extra arguments": (
        ["solve", "{I}/scenario", "--out", "{out}", "a", "b"],
        "Erreur : arguments en trop : a b.",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", USAGE)
def test_click_usage_errors_are_said_in_the_policy_language(
    result: Path, tmp_path: Path, case: str
) -> None:
    """A French policy (or --lang fr): click's own refusals of a command line (an option or
    argument missing, an option that does not exist, lacks its value or takes none, words
    too many) are one French line, not "Error: Missing option '--today'.", exit status 2,
    nothing written."""
    in_french(result)
    args, said = USAGE[case]
    code, output = run(*(a.format(I=result, out=tmp_path / "out") for a in args))
    assert (code, output) == (2, said + "\n")
    assert_french(output)
    assert not (tmp_path / "out").exists()


def test_click_usage_errors_stay_click_s_english(result: Path, tmp_path: Path) -> None:
    """No French asked (an English policy, or --lang en over a French one): click's own
    frame and words, byte for byte."""
    args = ["replan", str(result), "--out", str(tmp_path / "out")]
    english = run(*args)
    assert english == (
        2,
        "Usage: cli replan [OPTIONS] RESULT_DIR\nTry 'cli replan --help' for help.\n\n"
        "Error: Missing option '--today'.\n",
    )
    in_french(result)
    assert run(*args, "--lang", "en") == english
    code, said = run("solve", str(result / "scenario"), "--lang", "en", "--bogus")
    assert code == 2 and "Error: No such option '--bogus'." in said
