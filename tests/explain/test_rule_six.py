"""Rule 6's order is written once (optimizer.rules): explain asks it, never restates it."""

from __future__ import annotations

import itertools

from optimizer import rules
from optimizer.explain.facts import must_precede


def test_explain_takes_rule_six_from_the_rules() -> None:
    """For every pair of flag sets, explain's answer is the rules' own (the flag or None)."""
    subsets = [frozenset(c) for n in range(4) for c in itertools.combinations(rules.FLAGS, n)]
    for a, b in itertools.product(subsets, repeat=2):
        rule = rules.precedence_rule(a, b)
        assert must_precede(a, b) == (None if rule is None else rule.flag), (a, b)
