"""Reading a printed page as a French reader would: English words and plural slips.

The English words are the catalogue's: every word of an English message that no
French message uses (so "ratio" or "robustness", said in both, are not flagged),
and every id the ``names`` catalogue gives a French name ("ophthalmology",
"EMERGENCY", "surgeon_unavailable"). Ids with digits (C00001, OR01, GEN05) are
the data's and are skipped.
"""

from __future__ import annotations

import html
import re
from functools import cache

from optimizer import i18n

_WORD = re.compile(r"[A-Za-zÀ-ÿ_]+(?:['’][A-Za-zÀ-ÿ_]+)?")


def page_text(markup: str) -> str:
    """The text a reader sees in an HTML page (styles and tags dropped)."""
    markup = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", markup))


def _vocabulary(lang: i18n.Lang) -> set[str]:
    words: set[str] = set()
    for key, message in i18n.catalogue(lang).items():
        if key.startswith("names."):
            continue
        message = re.sub(r"\{[^}]*\}", " ", message)
        words |= {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", message)}
    return words


@cache
def english_only() -> frozenset[str]:
    """Words of the English catalogue the French one never uses, and named ids."""
    french = _vocabulary("fr")
    words = {w for w in _vocabulary("en") - french if len(w) > 2}
    names = {k: v for k, v in i18n.catalogue("fr").items() if k.startswith("names.")}
    for value in names.values():
        french |= {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", value)}
    for key, value in names.items():
        ident = key.split(".", 2)[2]
        if value != ident and ident.lower() not in french:  # "robot" is French too
            words.add(ident.lower())
    return frozenset(words)


def english_words(text: str) -> list[str]:
    """The English words (and named ids) in a French text, each once, in order."""
    seen: dict[str, None] = {}
    for m in re.finditer(r"[\w'’]+", text):
        token = m.group(0)
        if any(ch.isdigit() for ch in token):
            continue
        for word in _WORD.findall(token):
            if word.lower() in english_only():
                seen.setdefault(word)
    return list(seen)


_SINGULAR_WORDS = {
    "cas", "fois", "mois", "plus", "dans", "sous", "pas", "sans", "vers", "depuis", "après",
    "dès", "des", "les", "sont", "heures", "min",
}  # fmt: skip


def plural_slips(text: str) -> list[str]:
    """French counts 0 and 1 as singular: "1 patients", "1 patient reconvoqués" are slips,
    and so is any "(s)" hedge. Numbers inside dates, times and ids are not counts."""
    slips = re.findall(r"\w+\((?:s|e|es|en)\)", text)
    for m in re.finditer(r"(?<![\w/:.,%-])([01]) (\w[\w'’-]*)(?: (\w[\w'’-]*))?", text):
        for word in m.groups()[1:]:
            if word is None or word.lower() in _SINGULAR_WORDS or word[0].isdigit():
                break
            if word.endswith(("s", "x")) and len(word) > 3:
                slips.append(m.group(0))
                break
    return slips
