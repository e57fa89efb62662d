"""The message catalogues: both languages say the same things with the same fields."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer import i18n


def test_languages_hold_the_same_keys_and_fields() -> None:
    """A message present in one language only, or with other fields, would break a report."""
    en, fr = i18n.catalogue("en"), i18n.catalogue("fr")
    assert set(en) == set(fr), set(en) ^ set(fr)
    for key in en:
        assert i18n.fields_of(en[key]) == i18n.fields_of(fr[key]), key


def test_unknown_key_and_language_are_errors() -> None:
    with pytest.raises(i18n.MissingMessage):
        i18n.text("en", "common.no_such_message")
    with pytest.raises(ValueError):
        i18n.catalogue("de")  # type: ignore[arg-type]


def test_formats() -> None:
    assert i18n.day(dt.date(2024, 4, 18), "fr") == "18/04"
    assert i18n.percent(0.9, "en") == "90%"
    assert i18n.percent(0.875, "fr", 1) == "87,5\u202f%"
    assert i18n.percent(None, "fr") == "n.d."
