"""whatif's lines in French read as French: a lengthened session, costs with a decimal
comma, and "now" said as the capacity as it is, not as "today"; English costs to the cent.

Regression: ``whatif --lang fr`` printed "R1 08:00-14:30 (lengthened) (coût 1.5)" and
"16/04  3/5 aujourd'hui" (the date is not today); a cost of 12340.25 was said "12340.2"
(``:g`` keeps six digits) and 1234567 as "1.23457e+06".
"""

from __future__ import annotations

from optimizer.i18n import amount
from optimizer.search import SolveOptions
from optimizer.whatif.search import whatif
from optimizer.whatif.text import whatif_lines
from tests.support.whatif_fixtures import D1, FAST, extra, one_room_day


def test_a_lengthened_session_and_its_cost_are_said_in_french() -> None:
    """Five 60-min cases in R1 08:00-12:00 (three fit); R1 offered until 14:30 at 1.5: one
    more case fits (4/5, 90 % needs 5). French says "(prolongée)", "coût 1,5", "en l'état";
    English "(lengthened)", "cost 1.5"."""
    sc = one_room_day(5, (extra("R1", D1, "08:00", "14:30", 1.5),))
    answer = whatif(sc, options=SolveOptions(**FAST))
    assert [e.room_id for e in answer.added] == ["R1"]
    fr = "\n".join(whatif_lines(answer, [], None, "fr"))
    assert "R1 08:00-14:30 (prolongée) (coût 1,5)" in fr
    assert "Vacations à ajouter : 1, coût 1,5." in fr
    assert "3/5 en l'état, 4/5 avec" in fr
    assert "lengthened" not in fr and "1.5" not in fr and "aujourd'hui" not in fr
    en = "\n".join(whatif_lines(answer, [], None, "en"))
    assert "R1 08:00-14:30 (lengthened) (cost 1.5)" in en and "3/5 now" in en


def test_costs_are_said_to_the_cent_never_in_exponent_notation() -> None:
    """Costs carry two decimals (the model counts in hundredths): said to the cent, trailing
    zeros dropped, in the language's decimal mark."""
    assert amount(12340.25) == "12340.25"
    assert amount(12340.25, "fr") == "12340,25"
    assert amount(1234567.0) == "1234567"
    assert amount(800.0, "fr") == "800"
    assert amount(1.5, "fr") == "1,5"
    assert amount(0.0) == "0"
