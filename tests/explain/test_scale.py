"""Verdicts at scale: the stretch-by-stretch search names what the start-by-start one named.

The verdict used to test every start worth trying (hundreds per date at a
university's scale, most of them around other rooms' anaesthetists). It now
tries each stretch of starts that has the same cases in the way once. These
tests keep the old start-by-start search as the reference and check both
agree on every case and date of a small hospital, and that the new one
tries far fewer places than there are starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from optimizer.explain import bookings_from_solution, find_causes
from optimizer.explain import verdict as verdicts
from optimizer.explain.facts import Book, Day, Opening
from optimizer.explain.verdict import (
    CAPACITY_TAKEN,
    FREE,
    RESOURCE_FULL,
    SEQUENCING,
    Verdict,
)
from optimizer.facts.candidates import build_candidates
from optimizer.generate import generate
from optimizer.search.construct import first_fit


def _starts_to_try(book: Book, i: int, day: Day, slot: Opening) -> list[int]:
    """Every start worth trying in a slot, as the start-by-start search listed them."""
    c = book.scenario.cases[i]
    turnover = book.scenario.policy.turnover_min
    dur = c.duration_min
    points: set[int] = set()
    related = list(day.rooms.get(slot.room, [])) + list(day.surgeons.get(c.surgeon_id, []))
    for res in book.resources_of(c):
        related += day.users.get(res, [])
    for h in related:
        points.update((h.end, h.end + turnover, h.start - dur, h.start - dur - turnover))
    out: set[int] = set()
    for lo, hi in slot.spans:
        out.update((lo, hi))
        out.update(t for t in points if lo <= t <= hi)
    return sorted(out)


def _reference(book: Book, i: int, date: dt.date) -> tuple[Verdict, int]:
    """The start-by-start verdict (for dates with a slot) and how many starts it tried."""
    c = book.scenario.cases[i]
    day = book.day(date)
    pr, ps = c.planned_room, c.planned_start
    taken = order = None
    full: dict[str, None] = {}
    tried = 0
    for slot in book.openings(i, date):
        for t in _starts_to_try(book, i, day, slot):
            tried += 1
            key = (0, slot.room != pr, abs(t - ps) if ps is not None else 0, t)
            rc = book.room_conflicts(i, day, slot.room, t)
            sc = book.surgeon_conflicts(i, day, t)
            if rc or sc:
                oc = [(j, r) for j, r in book.order_conflicts(i, day, slot.room, t) if j not in rc]
                v = Verdict(
                    i, date, CAPACITY_TAKEN, slot.room, t, tuple(rc), tuple(sc),
                    order_cases=tuple(j for j, _ in oc), rules=tuple(r for _, r in oc),
                )  # fmt: skip
                key = (len(v.blocking_cases), *key[1:])
                if taken is None or key < taken[0]:
                    taken = (key, v)
                continue
            fr = book.full_resources(i, day, t)
            if fr:
                full.update(dict.fromkeys(fr))
                continue
            oc = book.order_conflicts(i, day, slot.room, t)
            if not oc:
                return Verdict(i, date, FREE, slot.room, t), tried
            v = Verdict(
                i, date, SEQUENCING, slot.room, t,
                order_cases=tuple(j for j, _ in oc), rules=tuple(r for _, r in oc),
            )  # fmt: skip
            key = (len(oc), *key[1:])
            if order is None or key < order[0]:
                order = (key, v)
    if order is not None:
        return order[1], tried
    if full:
        return Verdict(i, date, RESOURCE_FULL, resources=tuple(full)), tried
    assert taken is not None
    return taken[1], tried


@pytest.fixture(scope="module")
def book() -> Book:
    """A small hospital with every rule (hours, blocks, resources, flags), first-fit."""
    scenario = generate(rooms=6, days=5, cases_per_day=30, seed=4).disrupted
    cand = build_candidates(scenario)
    return Book(scenario, tuple(bookings_from_solution(cand, first_fit(cand))))


def _case_dates(book: Book) -> Iterator[tuple[int, dt.date]]:
    policy = book.scenario.policy
    d = policy.start_date
    while d <= policy.end_date:
        for i in range(len(book.scenario.cases)):
            case_id = book.scenario.cases[i].case_id
            if (
                book.scenario.available(case_id, d)
                and book.openings(i, d)
                and not book.zero_capacity(i, d)
            ):
                yield i, d
        d += dt.timedelta(days=1)


def test_every_verdict_matches_the_start_by_start_search(book: Book) -> None:
    """On every case and date with a slot, the same kind, place, cases, resources and rules."""
    kinds = set()
    for i, d in _case_dates(book):
        expected, _ = _reference(book, i, d)
        assert verdicts.verdict(book, i, d) == expected, (i, d)
        kinds.add(expected.kind)
    assert {FREE, CAPACITY_TAKEN} <= kinds  # the instance exercises the search


def test_a_stretch_is_tried_once_not_start_by_start(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The places tried grow with the cases in the room, not with the starts the anaesthetists
    give: on a busy hospital at least three times fewer than the start-by-start search."""
    tried = {"new": 0, "old": 0}
    real = verdicts._order

    def counted(rules: list[tuple[int, int, str | None, str | None]], t: int):  # type: ignore[no-untyped-def]
        tried["new"] += 1
        return real(rules, t)

    monkeypatch.setattr(verdicts, "_order", counted)
    fresh = Book(book.scenario, book.bookings)
    for i, d in _case_dates(fresh):
        verdicts.verdict(fresh, i, d)
        tried["old"] += _reference(fresh, i, d)[1]
    assert tried["old"] > 3 * tried["new"] > 0, tried


def test_reasons_are_the_same_from_a_fresh_book(book: Book) -> None:
    """Memos and indexes change nothing: each case's finding alone is the one of the whole run."""
    from optimizer.explain import find_cause

    everyone = find_causes(book.scenario, book.bookings)
    for i in range(0, len(everyone), 7):
        assert find_cause(book.scenario, book.bookings, i) == everyone[i]
