"""The matrix's fast verdicts equal the full comparison's index and conflict count."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings

from crosswalk.graph.store import Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.queries.classify import compare_sides
from crosswalk.queries.compare import context, in_force, matrix
from crosswalk.queries.verdicts import verdicts

from .test_properties import AS_OF, provisions, rule_file, store_with


@pytest.mark.parametrize("when", [date(2026, 11, 24), date(2028, 1, 1)])
def test_matrix_verdicts_equal_full_comparison_on_the_corpus(corpus: Store, when: date) -> None:
    # matrix() reads its own lean query (in-force-keys.rq); compare_sides gets what compare reads
    codes = sorted(vocabulary().jurisdictions.members)
    provs = {c: in_force(corpus, c, when) for c in codes}
    ctx = context()
    m = matrix(corpus, codes, when)
    conflicting = 0
    for a, b in combinations(codes, 2):
        full = compare_sides(a, b, when, provs[a], provs[b], {}, ctx)
        expected = (full.index, len(full.of("conflict")))
        assert verdicts(provs[a], provs[b], ctx) == expected, (a, b)
        assert (m.index[(a, b)], m.conflicts[(a, b)]) == expected, (a, b)
        conflicting += expected[1] > 0
    assert conflicting > 0  # the corpus has conflicts, so the conflict rules are exercised

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(provisions("a"), provisions("b"))
def test_matrix_verdicts_equal_full_comparison_on_generated_data(a_items, b_items) -> None:  # type: ignore[no-untyped-def]
    store = store_with(rule_file("gen-jp", "JP", a_items), rule_file("gen-br", "BR", b_items))
    full = compare_sides("JP", "BR", AS_OF, in_force(store, "JP", AS_OF), in_force(store, "BR", AS_OF), {}, context())
    m = matrix(store, ["JP", "BR"], AS_OF)
    assert (m.index[("JP", "BR")], m.conflicts[("JP", "BR")]) == (full.index, len(full.of("conflict")))
