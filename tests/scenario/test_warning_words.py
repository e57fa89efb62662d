"""The loader's warnings said in French (optimizer.scenario.warning_words): every warning a
planner's typing gives on the demo is recognised, and the French holds no English left."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from optimizer.scenario import load_scenario
from optimizer.scenario.warning_words import PATTERNS, warning_text
from tests.support.paths import DEMO

# One sentence per pattern, as the readers write it, and what a French planner reads.
SKIPPED = (
    "--today 2024-05-09: 1 case(s) the previous result operated on 2024-05-08, after its first "
    "date 2024-05-07, are counted as done; if that day did not take place, report them "
    "cancelled in --events"
)
SAID = {
    "sessions.csv: 1 session(s) fall outside the horizon 2024-04-15 to 2024-04-26 and are not "
    "used": "sessions.csv : 1 vacation tombe hors de l'horizon du 15/04/2024 au 26/04/2024 et "
    "n'est pas utilisée",
    "extra_sessions.csv: 2 extra session(s) fall outside the horizon 2024-04-15 to 2024-04-26 "
    "and are not used": "extra_sessions.csv : 2 vacations supplémentaires tombent hors de "
    "l'horizon du 15/04/2024 au 26/04/2024 et ne sont pas utilisées",
    "cases.csv, rows 3, 5 and 9: 3 case(s) of urologie need a room with laser and no room "
    "hosts that; they can only be transferred or left unscheduled (did you mean urology?)": (
        "cases.csv, lignes 3, 5 et 9 : 3 interventions d'urologie demandent une salle avec "
        "laser et aucune salle ne convient ; elles ne peuvent qu'être transférées ou rester non "
        "programmées (vouliez-vous dire urology ?)"
    ),
    "sheet cases: unknown column(s) ignored: colour": (
        "feuille cases : colonne inconnue, non prise en compte : colour"
    ),
    "resources.csv: icu_bed is given for 3 of the 10 dates of the horizon; it is unlimited on "
    "the dates without a row": "resources.csv : icu_bed n'est donné que pour 3 dates de l'horizon "
    "sur 10 ; aux dates sans ligne, il est illimité",
    "sessions.csv, row 3: room OR1 does not host ent, the specialty the session is reserved "
    "to; no case can use it": "sessions.csv, ligne 3 : la salle OR1 n'accueille pas la "
    "spécialité ORL, à laquelle la vacation est réservée ; aucune intervention ne peut l'utiliser",
    "extra_sessions.csv, row 2: room OR1 does not host ent, the specialty the extra session is "
    "reserved to; no case can use it (did you mean ENT?)": "extra_sessions.csv, ligne 2 : la "
    "salle OR1 n'accueille pas la spécialité ORL, à laquelle la vacation supplémentaire est "
    "réservée ; aucune intervention ne peut l'utiliser (vouliez-vous dire ENT ?)",
    "policy.toml: unknown key 'colour' ignored": (
        "policy.toml : clé inconnue 'colour', non prise en compte"
    ),
    "unavailable.csv is empty; it is ignored": (
        "unavailable.csv est vide : on n'en tient pas compte"
    ),
    "sessions.csv: read as a French spreadsheet export: ';' as separator, windows-1252 "
    "encoding (not UTF-8), dates as DD/MM/YYYY, booleans as VRAI/FAUX or oui/non, decimal "
    "commas": "sessions.csv : lu comme un export de tableur français : « ; » comme "
    "séparateur, encodage windows-1252 (pas UTF-8), dates en JJ/MM/AAAA, booléens en VRAI/FAUX "
    "ou oui/non, virgules décimales",
    "cases.csv, row 4: surgeon GEM05 is not in surgeons.csv, so taken as available whenever a "
    "room is open; did you mean GEN05?": "cases.csv, ligne 4 : le chirurgien GEM05 n'est pas "
    "dans surgeons.csv ; il est donc pris comme disponible dès qu'une salle est ouverte. "
    "Vouliez-vous dire GEN05 ?",
    "partners.csv, rows 2 and 7: no case is of specialty neurovasculr; did you mean "
    "neurovascular?": "partners.csv, lignes 2 et 7 : aucune intervention n'est de la spécialité "
    "neurovasculr. Vouliez-vous dire neurovascular ?",
    "book.xlsx: hidden sheet(s) read as data: rooms": (
        "book.xlsx : une feuille masquée est lue comme des données (affichez-la dans Excel pour "
        "vérifier) : rooms"
    ),
    "book.xlsx: sheet(s) ignored (not a file of a scenario): Feuil1, Feuil2": (
        "book.xlsx : feuilles non prises en compte (pas un fichier de scénario) : Feuil1, Feuil2"
    ),
    "cases.csv, row 2: the case would end after midnight (22:00 + 180 min); it cannot keep its "
    "planned slot": "cases.csv, ligne 2 : l'intervention finirait après minuit (22:00 + 180 min) "
    "; elle ne peut pas garder son créneau prévu",
    "cases.csv, row 3: the announced appointment would end after midnight (23:30 + 60 min); "
    "it cannot be kept as it is": "cases.csv, ligne 3 : le rendez-vous annoncé finirait après "
    "minuit (23:30 + 60 min) ; il ne peut pas être tenu tel quel",
    "cases.csv, row 5, column duration_min: case C4 (500 min) is longer than every session "
    "that can host it (the longest: 510 min with overtime); it can only be transferred or left "
    "unscheduled": "cases.csv, ligne 5, colonne duration_min : l'intervention C4 (500 min) "
    "est plus longue que toute vacation d'une salle qui peut l'accueillir (la plus longue : "
    "510 min, heures supplémentaires comprises) ; elle ne peut qu'être transférée ou rester "
    "non programmée",
    "s.csv: 2024-04-17: room(s) OR02, OR03 had a session and have none now (the file lists "
    "this date without them)": "s.csv : 17/04 : les salles OR02, OR03 n'ont plus de vacation "
    "(le fichier donne cette date sans elles)",
    "s.csv: 2 session(s) before --today 2024-04-17 are ignored": (
        "s.csv : 2 vacations antérieures au 17/04/2024, premier jour de la replanification, "
        "ne sont pas prises en compte"
    ),
    SKIPPED: (
        "--today 09/05/2024 : 1 intervention que le résultat précédent plaçait le 08/05, après "
        "son premier jour, le 07/05/2024, est comptée comme faite ; si ce jour n'a pas eu lieu "
        "(un jour férié), déclarez-la « cancelled » (annulée) dans le fichier des événements"
    ),
}


# What an English planner reads where the reader's sentence says "(s)" or an id.
READ_IN_ENGLISH = {
    "sessions.csv: 1 session(s) fall outside the horizon 2024-04-15 to 2024-04-26 and are not "
    "used": "sessions.csv: 1 session falls outside the horizon 2024-04-15 to 2024-04-26 and is "
    "not used",
    "extra_sessions.csv: 2 extra session(s) fall outside the horizon 2024-04-15 to 2024-04-26 "
    "and are not used": "extra_sessions.csv: 2 extra sessions fall outside the horizon "
    "2024-04-15 to 2024-04-26 and are not used",
    "cases.csv, rows 3, 5 and 9: 3 case(s) of urologie need a room with laser and no room "
    "hosts that; they can only be transferred or left unscheduled (did you mean urology?)": (
        "cases.csv, rows 3, 5 and 9: 3 cases of urologie need a room with laser and no room "
        "hosts that; they can only be transferred or left unscheduled (did you mean urology?)"
    ),
    "sheet cases: unknown column(s) ignored: colour": "sheet cases: unknown column ignored: colour",
    "sessions.csv, row 3: room OR1 does not host ent, the specialty the session is reserved "
    "to; no case can use it": "sessions.csv, row 3: room OR1 does not host ENT, the specialty "
    "the session is reserved to; no case can use it",
    "extra_sessions.csv, row 2: room OR1 does not host ent, the specialty the extra session is "
    "reserved to; no case can use it (did you mean ENT?)": "extra_sessions.csv, row 2: room OR1 "
    "does not host ENT, the specialty the extra session is reserved to; no case can use it "
    "(did you mean ENT?)",
    "book.xlsx: hidden sheet(s) read as data: rooms": (
        "book.xlsx: a hidden sheet is read as data (unhide it in Excel to check): rooms"
    ),
    "book.xlsx: sheet(s) ignored (not a file of a scenario): Feuil1, Feuil2": (
        "book.xlsx: sheets ignored (not a file of a scenario): Feuil1, Feuil2"
    ),
    "s.csv: 2024-04-17: room(s) OR02, OR03 had a session and have none now (the file lists "
    "this date without them)": "s.csv: 17/04: OR02, OR03 have no session any more (the file "
    "lists this date without them)",
    "s.csv: 2 session(s) before --today 2024-04-17 are ignored": (
        "s.csv: 2 sessions before --today 2024-04-17 are ignored"
    ),
    SKIPPED: (
        "--today 2024-05-09: 1 case the previous result operated on 08/05, after its first date "
        "2024-05-07, is counted as done; if that day did not take place (a bank holiday), "
        "report it cancelled in --events"
    ),
}


@pytest.mark.parametrize("english", sorted(SAID))
def test_each_warning_in_french_and_english(english: str) -> None:
    assert warning_text(english, "fr") == SAID[english]
    assert warning_text(english, "en") == READ_IN_ENGLISH.get(english, english)


def test_every_pattern_has_its_example() -> None:
    """Each pattern is said once above (a pattern nobody tests would rot)."""
    used = {key for key, p in PATTERNS for text in SAID if p.match(text)}
    assert used == {key for key, _ in PATTERNS}


def test_an_unknown_warning_is_kept_as_written() -> None:
    assert warning_text("something new happened", "fr") == "something new happened"


ENGLISH = re.compile(r"\b(is|are|ignored|row|rows|did you mean|the|of|and|case|session)\b")


def test_what_typing_gives_on_the_demo_is_all_said_in_french(tmp_path: Path) -> None:
    """Typos, an unknown column and key, an empty file, a session outside the horizon, an
    unhosted block: every warning the loader gives is recognised, and its French holds no
    English word (ids, file names and values aside)."""
    folder = tmp_path / "s"
    shutil.copytree(DEMO, folder)

    def edit(file: str, old: str, new: str, count: int = -1) -> None:
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text
        (folder / file).write_text(text.replace(old, new, count), encoding="utf-8")

    edit("cases.csv", ",GEN05,", ",GEM05,", 2)
    edit("cases.csv", ",urology,", ",urologie,", 2)
    edit("partners.csv", ",neurovascular,", ",neurovasculr,", 1)
    edit("policy.toml", "\n", "\ncolour = 'red'\n", 1)
    lines = (folder / "sessions.csv").read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",note", *(line + ",x" for line in lines[1:])]
    lines.append("2024-05-30,OR01,08:00,12:00,,x")
    (folder / "sessions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "unavailable.csv").write_text("", encoding="utf-8")
    warnings = load_scenario(folder).warnings
    assert len(warnings) >= 6, warnings
    for w in warnings:
        fr = warning_text(w, "fr")
        assert fr != w, w
        words = re.sub(r"\S+\.(csv|toml)|'[^']*'|[A-Z]+\d+|\d{4}-\d\d-\d\d|--today", "", fr)
        assert not ENGLISH.search(words), fr
