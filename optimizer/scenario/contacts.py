"""Who the patients call: ``[hospital]`` and ``[partners.<partner_id>]`` in ``policy.toml``.

::

    [hospital]
    name = "Centre hospitalier de Cannes"
    address = "15 avenue des Broussailles, 06400 Cannes"
    phone = "04 93 69 70 00"
    arrival_before_min = 90    # the patient arrives this long before the theatre start

    [partners.CH_Grasse]
    name = "Centre hospitalier de Grasse"
    address = "Chemin de Clavary, 06130 Grasse"
    phone = "04 93 09 51 00"

The letters to patients (``letters``) print them; nothing else reads them, so
a policy without them means what it meant. Read here with every problem named
by key and line; written back only when set, so existing folders stay byte
for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .toml_text import toml_key, toml_string, toml_table

MAX_TEXT = 200  # a name, an address or a phone number on one line of a letter
MAX_ARRIVAL_MIN = 720
CONTACT_KEYS = ("name", "address", "phone")
HOSPITAL_KEYS = (*CONTACT_KEYS, "arrival_before_min")


class Contact(BaseModel):
    """A hospital as a patient reaches it: name, address and phone (empty: not given)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(default="", max_length=MAX_TEXT, description="Name, as on a letterhead.")
    address: str = Field(default="", max_length=MAX_TEXT, description="Postal address.")
    phone: str = Field(default="", max_length=MAX_TEXT, description="Phone for the patients.")


class Hospital(Contact):
    """This hospital (``[hospital]``): its contact and when patients arrive."""

    arrival_before_min: int = Field(
        default=90,
        ge=0,
        le=MAX_ARRIVAL_MIN,
        description="How long before the theatre start the patient arrives (minutes).",
    )


def read_contacts(
    raw: dict[str, Any], bad: Callable[..., None], warn: Callable[[str], None]
) -> dict[str, Any]:
    """The ``hospital`` and ``partners`` fields of the policy that ``raw`` sets (a field
    with a problem is left out after ``bad(key, message, *path)`` named it)."""
    fields: dict[str, Any] = {}
    if "hospital" in raw:
        table = _table(raw["hospital"], "hospital", HOSPITAL_KEYS, bad, warn)
        if table is not None:
            fields["hospital"] = Hospital(**table)
    if "partners" in raw:
        partners = raw["partners"]
        if not isinstance(partners, dict):
            bad("partners", "write one table [partners.<partner_id>] per partner hospital")
            return fields
        out: dict[str, Contact] = {}
        for pid, value in partners.items():
            table = _table(value, f"partners.{pid}", CONTACT_KEYS, bad, warn, "partners", pid)
            if table is not None:
                out[pid] = Contact(**table)
        fields["partners"] = out
    return fields


def _table(
    value: Any,
    where: str,
    keys: tuple[str, ...],
    bad: Callable[..., None],
    warn: Callable[[str], None],
    *path: str,
) -> dict[str, Any] | None:
    path = path or (where,)
    if not isinstance(value, dict):
        bad(where, f"write it as a table [{where}] with {', '.join(keys)}", *path)
        return None
    out: dict[str, Any] = {}
    ok = True
    for key, v in value.items():
        if key not in keys:
            warn(f"policy.toml: unknown key {where}.{key} ignored")
        elif key == "arrival_before_min":
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_ARRIVAL_MIN:
                bad(f"{where}.{key}", f"{v!r} is not a whole number of minutes between 0 and "
                    f"{MAX_ARRIVAL_MIN}", *path, key)  # fmt: skip
                ok = False
            else:
                out[key] = v
        elif not isinstance(v, str) or len(v) > MAX_TEXT or "\n" in v:
            bad(f"{where}.{key}", f"{v!r} is not text on one line of at most {MAX_TEXT} "
                "characters (write it in quotes)", *path, key)  # fmt: skip
            ok = False
        else:
            out[key] = v.strip()
    return out if ok else None


def _line(key: str, value: str | int) -> str:
    return f"{key} = {value if isinstance(value, int) else toml_string(value)}"


def contacts_toml(hospital: Hospital, partners: dict[str, Contact]) -> list[str]:
    """The lines of ``[hospital]`` and the partners' tables (none when not set)."""
    lines: list[str] = []
    if hospital != Hospital():
        lines += toml_table("hospital", (_line(k, v) for k, v in hospital.model_dump().items()))
    for pid, contact in sorted(partners.items()):
        said = [_line(k, v) for k, v in contact.model_dump().items()]
        lines += toml_table(f"partners.{toml_key(pid)}", said)
    return lines
