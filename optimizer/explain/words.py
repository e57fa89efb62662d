"""Findings in words: English or French, through the ``reasons`` message catalogue.

The finding says what is true; this module only chooses the words. Dates are
written ``dd/mm``, clock times ``HH:MM``, a case as ``C00167 (P4, kept as
planned)``; lists are joined the way each language joins them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .. import i18n
from ..i18n import Lang
from .findings import CaseRef, Clock, Finding, Part, Resource, Value

RESERVED_WORDS = {
    "anaesthetist": "reasons.res_anaesthetist",
    "icu_bed": "reasons.res_icu_bed",
    "ward_bed": "reasons.res_ward_bed",
}


def render(finding: Finding | None, lang: Lang = i18n.DEFAULT_LANG) -> str:
    """The reason of a finding, its parts joined with ``; `` (French: `` ; ``); ``""`` for None."""
    if finding is None:
        return ""
    sep = i18n.text(lang, "reasons.sep")
    return sep.join(render_part(p, lang) for p in finding.parts)


def render_part(part: Part, lang: Lang = i18n.DEFAULT_LANG) -> str:
    """A part in words; a list field ``xs`` also gives ``xs_n``, the number the words after
    it agree with ("anesthésistes : complets", "la vacation possible ... est plus courte")."""
    fields: dict[str, str | int] = {name: _named(name, v, lang) for name, v in part.fields.items()}
    for name, v in part.fields.items():
        if isinstance(v, tuple):
            said = [x.name for x in v if isinstance(x, Resource)]
            fields[name + "_n"] = resource_count(said) if len(said) == len(v) else len(v)
    return i18n.text(lang, "reasons." + part.key, **fields)


def resource_count(names: Sequence[str]) -> int:
    """How many resources ``names`` says, for agreement: a reserved resource's words are a
    plural noun ("ICU beds", "lits de réanimation"), so it counts as two; a pool, one."""
    if len(names) == 1 and names[0] not in RESERVED_WORDS:
        return 1
    return max(2, len(names)) if names else 0


def resource_words(names: Sequence[str], lang: Lang = i18n.DEFAULT_LANG) -> str:
    """Resources as staff say them: "ICU beds and c_arm" ("lits de réanimation et ...")."""
    return _value(tuple(Resource(n) for n in names), lang)


def _named(field: str, v: Value, lang: Lang) -> str:
    """Ids staff know by name (specialty, equipment, partner) in ``lang``'s words."""
    if field == "specialty" and isinstance(v, str):
        return i18n.name(lang, "specialty", v)
    if field == "equipment" and isinstance(v, tuple):
        return join([i18n.name(lang, "equipment", str(e)) for e in v], lang)
    if field == "partner" and isinstance(v, str):
        return i18n.partner(lang, v)
    return _value(v, lang)


def _value(v: Value, lang: Lang) -> str:
    if isinstance(v, Part):
        return render_part(v, lang)
    if isinstance(v, Clock):
        return f"{v.minutes // 60:02d}:{v.minutes % 60:02d}"
    if isinstance(v, dt.date):
        return i18n.day(v, lang)
    if isinstance(v, CaseRef):
        note = render_part(v.note, lang)
        urgency = i18n.name(lang, "urgency", v.urgency)
        return i18n.text(lang, "reasons.case_ref", case=v.case_id, urgency=urgency, note=note)
    if isinstance(v, Resource):
        key = RESERVED_WORDS.get(v.name)
        return i18n.text(lang, key) if key else i18n.name(lang, "equipment", v.name)
    if isinstance(v, tuple):
        return join([_value(x, lang) for x in v], lang)
    return str(v)


def join(items: Sequence[str], lang: Lang = i18n.DEFAULT_LANG) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``et`` in French)."""
    if not items:
        return i18n.text(lang, "reasons.none")
    if len(items) == 1:
        return items[0]
    last = i18n.text(lang, "reasons.and")
    return f"{', '.join(items[:-1])} {last} {items[-1]}"
