"""The message catalogues: both languages say the same things with the same fields, and
every message reads right with 0, 1 and 2 (plural forms done once, in i18n)."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest

from optimizer import i18n


def _messages(lang: i18n.Lang) -> dict[str, str]:
    """The sentences (names of ids are looked up, not said: a language may name fewer)."""
    return {k: v for k, v in i18n.catalogue(lang).items() if not k.startswith("names.")}


def test_languages_hold_the_same_keys_and_fields() -> None:
    """A message present in one language only, or with other fields, would break a report."""
    en, fr = _messages("en"), _messages("fr")
    assert set(en) == set(fr), set(en) ^ set(fr)
    for key in en:
        assert i18n.fields_of(en[key]) == i18n.fields_of(fr[key]), key


def test_unknown_key_and_language_are_errors() -> None:
    """A key no catalogue holds, or a third language, is a bug said plainly."""
    with pytest.raises(i18n.MissingMessage):
        i18n.text("en", "common.no_such_message")
    with pytest.raises(ValueError):
        i18n.catalogue("de")  # type: ignore[arg-type]


def test_formats() -> None:
    """Dates dd/mm in both languages (with the year: ISO in English, dd/mm/yyyy in French);
    a French percentage has a narrow space and a comma."""
    assert i18n.day(dt.date(2024, 4, 18), "fr") == "18/04"
    assert i18n.percent(0.9, "en") == "90%"
    assert i18n.percent(0.875, "fr", 1) == "87,5\u202f%"
    assert i18n.percent(None, "fr") == "n.d."
    assert i18n.full_date(dt.date(2024, 4, 18), "fr") == "18/04/2024"
    assert i18n.full_date(dt.date(2024, 4, 18), "en") == "2024-04-18"


def test_plural_rule_of_each_language() -> None:
    """French counts 0 and 1 as singular ("0 modifié", "1 modifié"), English only 1."""
    msg = dict(kept=1, changed=1, date_changed=0, more_than_once=1)
    fr = i18n.text("fr", "replan.announced", **msg)
    assert "1 maintenu, 1 modifié" in fr and "1 patient reconvoqué plus" in fr
    fr2 = i18n.text("fr", "replan.announced", **{**msg, "changed": 2, "more_than_once": 2})
    assert "2 modifiés" in fr2 and "2 patients reconvoqués" in fr2
    none = {**msg, "more_than_once": 0}
    assert "0 patient reconvoqué" in i18n.text("fr", "replan.announced", **none)
    assert "1 patient re-announced" in i18n.text("en", "replan.announced", **msg)
    assert "0 patients re-announced" in i18n.text("en", "replan.announced", **none)


def test_elision_and_names() -> None:
    """French elides "de" before a vowel ("d'OR01"), says "au CH de Grasse", and names the
    specialties, equipment, classes and causes it knows; other ids are the hospital's own."""
    moved = i18n.text("fr", "reasons.kept_moved", date="16/04", old="OR01 08:00", new="R2 09:00")
    assert "déplacé d'OR01 08:00 à R2 09:00" in moved
    assert "de R2" in i18n.text("fr", "reasons.kept_moved", date="x", old="R2", new="R3")
    assert i18n.partner("fr", "CH_Antibes") == "CH d'Antibes"
    assert i18n.partner("fr", "CHU_Nice") == "CHU de Nice"
    assert i18n.partner("en", "CH_Grasse") == "CH Grasse"
    assert i18n.partner("fr", "Clinique_X") == "Clinique_X"
    assert "transféré au CHU de Nice" in i18n.text(
        "fr", "reasons.transferred", partner="CHU de Nice", date="16/04"
    )
    assert i18n.name("fr", "specialty", "ophthalmology") == "ophtalmologie"
    assert i18n.name("fr", "urgency", "EMERGENCY") == "urgence"
    assert i18n.name("fr", "cause", "surgeon_unavailable") == "chirurgien indisponible"
    assert i18n.name("fr", "equipment", "c_arm") == "amplificateur de brillance"
    assert i18n.name("fr", "specialty", "cardio_local") == "cardio_local"
    no_session = i18n.text("fr", "reasons.no_session", date="16/04", specialty="ORL")
    assert no_session.endswith("dans une salle d'ORL")


# Words that end in -s (or -x) and are singular, or not nouns at all.
_INVARIABLE = {
    "cas", "fois", "mois", "plus", "dans", "sous", "pas", "sans", "vers", "depuis", "après",
    "dès", "jusqu", "is", "has", "was", "this", "its", "as", "us", "always", "class", "process",
    "less", "across", "status", "bus", "surgeon's", "des", "les", "sont", "operates", "en", "mais",
    "holds", "cours", "does", "needs", "writes", "exists", "contient",
}  # fmt: skip


def _singular_errors(lang: i18n.Lang, rendered: str, n: int) -> list[str]:
    """Words after the count ``n`` that look plural where the language says singular: the
    noun, and in French the participle after it ("1 patient reconvoqué")."""
    errors = []
    for m in re.finditer(rf"(?<![\d/:.,]){n} (\w[\w'’-]*)(?: (\w[\w'’-]*))?", rendered):
        words = m.groups() if lang == "fr" else m.groups()[:1]
        for word in words:
            if word is None or word.lower() in _INVARIABLE or word[0].isdigit():
                break  # not a noun: what follows is not its agreement
            if word.endswith(("s", "x")) and len(word) > 3:
                errors.append(m.group(0))
    return errors


def _fill(template: str, n: int) -> dict[str, int]:
    return {name: n for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_message_renders_with_0_1_and_2(lang: i18n.Lang) -> None:
    """Every message of the catalogue, every field 0, 1 then 2: it renders, it writes no
    "(s)" or "(e)" hedge, and a singular count (French 0 and 1, English 1) is never
    followed by a plural word; 2 is never followed by the singular form of a plural field."""
    singular = (0, 1) if lang == "fr" else (1,)
    problems: list[str] = []
    for key, template in sorted(i18n.catalogue(lang).items()):
        for n in (0, 1, 2):
            rendered = i18n.text(lang, key, **_fill(template, n))
            if re.search(r"\((s|e|es|en)\)", rendered):
                problems.append(f"{key}: hedged plural in {rendered!r}")
            if n in singular:
                problems += [f"{key}: {e!r}" for e in _singular_errors(lang, rendered, n)]
        for field, spec in re.findall(r"\{(\w+):([^}]*\|[^}]*)\}", template):
            one, *other = spec.split("|")
            if one and one not in other:
                two = i18n.text(lang, key, **{**_fill(template, 5), field: 2})
                if re.search(rf"(?<![\d/:.,])2 {re.escape(one)}(?!\w)", two):
                    problems.append(f"{key}: singular {one!r} after 2 in {two!r}")
    assert not problems, "\n".join(problems)


def test_a_room_whose_id_says_salle_is_not_said_salle_twice():
    """French hospitals name their rooms "Salle 2": "salle {room}" said "salle Salle 2". The
    id alone then, in every message; an id that only begins like it keeps the word."""
    assert i18n.text("fr", "reasons.room_closed", room="Salle 2", date="16/04") == (
        "Salle 2 fermée le 16/04"
    )
    assert i18n.text("fr", "desk.cell_title", room="SALLE B", day="16/04") == "SALLE B le 16/04"
    assert i18n.text("fr", "reasons.room_closed", room="OR01", date="16/04") == (
        "salle OR01 fermée le 16/04"
    )
    assert i18n.text("fr", "reasons.room_closed", room="Sallex", date="16/04").startswith(
        "salle Sallex"
    )
    taken = i18n.text("en", "reasons.taken_room", room="Room 4", date="16/04", start="08:00",
                      cases="C1")  # fmt: skip
    assert "room Room" not in taken and "Room 4" in taken
