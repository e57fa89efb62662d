"""Writing TOML by hand (the standard library reads it but does not write it): one
escaping of strings and keys, and one shape of a table, for every ``*_toml`` writer."""

from __future__ import annotations

from collections.abc import Iterable


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_value(value: bool | int | float | str) -> str:
    """A TOML value: ``true``/``false`` (Python's ``True`` is not TOML), a number, a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return toml_string(value) if isinstance(value, str) else repr(value)


def toml_key(name: str) -> str:
    """A key as written: bare when it may be (ASCII letters, digits, ``_`` and ``-``),
    else a quoted string."""
    plain = name.replace("_", "").replace("-", "").isalnum() and name.isascii()
    return name if plain else toml_string(name)


def toml_table(name: str, lines: Iterable[str]) -> list[str]:
    """``[name]``, its lines and a blank line; nothing when it has no lines."""
    body = list(lines)
    return [f"[{name}]", *body, ""] if body else []
