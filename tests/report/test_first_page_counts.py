"""The first page's counts: what became of the planned cases adds up to the planned cases,
and the waiting list is said apart."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from optimizer import solve
from optimizer.i18n import Lang
from optimizer.report import write_report
from optimizer.result.output import write_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D1 = dt.date(2024, 4, 16)


def _scenario() -> Scenario:
    """One date; R1 open 08:00-10:00 holds one 90-min case, R2 is closed.

    A (pinned in R1) is kept; B, planned in the closed R2, has nowhere to go: unscheduled;
    W, on the waiting list, has nowhere either. summary.json counts 2 unscheduled cases
    (B and W) against 1 planned case kept of 2.
    """

    def case(cid: str, **kw: object) -> Case:
        return Case(case_id=cid, specialty="gen", surgeon_id=f"S{cid}", duration_min=90,
                    urgency="P4", **kw)  # type: ignore[arg-type]  # fmt: skip

    return Scenario(
        cases=(
            case("A", planned_date=D1, planned_room="R1", planned_start=480, pinned=True),
            case("B", planned_date=D1, planned_room="R2", planned_start=480),
            case("W"),
        ),
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=(Session(date=D1, room_id="R1", start=480, end=600),),
        policy=Policy(start_date=D1, end_date=D1),
        name="counts",
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("counts") / "result"
    write_result(solve(_scenario(), workers=1, work_limit=1, time_limit=20, seed=0), out)
    return out


def _first_page(folder: Path, lang: Lang) -> str:
    html = write_report(folder, lang).read_text(encoding="utf-8")
    part = html[html.index('class="counts"') : html.index("<h2>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", part)))


@pytest.mark.parametrize(
    ("lang", "unscheduled", "others"),
    [
        ("en", "1 case not scheduled in this run", "0 transferred, 1 without a date"),
        ("fr", "1 non programmé sur la période", "0 a reçu une date, 0 transféré, 1 sans date"),
    ],
)
def test_first_page_unscheduled_counts_planned_cases_only(
    folder: Path, lang: Lang, unscheduled: str, others: str
) -> None:
    """Regression: the first page showed summary.json's 2 unscheduled cases (B and the waiting
    W) beside "1/2 planned cases kept", so kept + postponed + transferred + unscheduled came to
    3 of 2 planned (the demo: 293 of 290); the cards now count the planned cases, as the
    figures per specialty do, and a sentence says what became of the waiting list."""
    text = _first_page(folder, lang)
    assert "1/2" in text
    assert unscheduled in text, text
    assert others in text, text


def test_first_page_kept_ratio_rounded_once(folder: Path, tmp_path: Path) -> None:
    """Regression: the kept ratio was summary.json's, rounded to 4 decimals, rounded again:
    20/37 (54.05 %) read "54.0 %". Here the totals say 20/37 as a real run's would."""
    copy = tmp_path / "result"
    shutil.copytree(folder, copy)
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    summary["totals"].update(planned=37, kept=20, ratio=0.5405)
    (copy / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    assert "(54.1%)" in _first_page(copy, "en")


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "With 1 session added by the whatif command, beyond the capacity given: "
               "R2 on 16/04 08:00-10:00."),
        ("fr", "Avec 1 vacation ajoutée par la commande whatif, au-delà de la capacité donnée : "
               "R2 le 16/04 08:00-10:00."),
    ],
)  # fmt: skip
def test_first_page_says_the_sessions_whatif_added(
    folder: Path, tmp_path: Path, lang: Lang, said: str
) -> None:
    """Regression: the report of whatif's result/ showed the added sessions as open rooms
    and its counts as today's, with not a word that they need sessions the hospital does not
    have yet (summary.json's extra_sessions_added)."""
    copy = tmp_path / "result"
    shutil.copytree(folder, copy)
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    summary["extra_sessions_added"] = [
        {"date": "2024-04-16", "room_id": "R2", "start": "08:00", "end": "10:00", "cost": 1.0}
    ]
    (copy / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    html = unescape(write_report(copy, lang).read_text(encoding="utf-8"))
    assert said in html


SPLIT = ("planned_postponed", "planned_transferred", "planned_unscheduled",
         "others_given_date", "others_transferred", "others_unscheduled")  # fmt: skip


def _figures(folder: Path) -> list[int]:
    """The first page's figures, in summary.json's order of :data:`SPLIT`: the cards of the
    planned cases postponed, transferred and unscheduled, then the sentence on the others."""
    html = write_report(folder, "en").read_text(encoding="utf-8")
    cards = re.findall(r'<div class="count[^"]*"><b>([^<]+)</b>', html)
    others = re.search(r"(\d+) given a date, (\d+) transferred, (\d+) without a date", html)
    assert others is not None, html
    return [int(n) for n in (*cards[1:4], *others.groups())]


def test_first_page_and_summary_json_agree(folder: Path) -> None:
    """The first page says the planned/others split summary.json holds, number for number."""
    totals = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["totals"]
    assert _figures(folder) == [totals[k] for k in SPLIT]


def test_first_page_reads_the_split_from_summary_json(folder: Path, tmp_path: Path) -> None:
    """The report counted the split again from the schedule while summary.json holds it
    (two owners of one rule): it reads summary.json's figures, as it reads its totals."""
    copy = Path(shutil.copytree(folder, tmp_path / "result"))
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    summary["totals"].update(dict(zip(SPLIT, (3, 4, 5, 6, 7, 8), strict=True)))
    (copy / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    text = _first_page(copy, "en")
    assert "3 cases postponed 4 cases transferred to a partner 5 cases not scheduled" in text
    assert "6 given a date, 7 transferred, 8 without a date." in text


def test_first_page_of_an_older_summary_json_counts_the_split(folder: Path, tmp_path: Path) -> None:
    """A summary.json written before the split: the report counts it from the schedule, by
    the rule that writes it, and says the same as for a summary.json holding it."""
    copy = Path(shutil.copytree(folder, tmp_path / "result"))
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    for key in SPLIT:
        del summary["totals"][key]
    (copy / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    assert _first_page(copy, "en") == _first_page(folder, "en")
