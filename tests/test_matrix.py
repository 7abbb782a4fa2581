"""The matrix's fast verdicts equal the full comparison's index and conflict count."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings

from crosswalk.graph.model import Provision
from crosswalk.graph.store import Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.queries.classify import compare_sides
from crosswalk.queries.compare import context, in_force, matrix
from crosswalk.queries.verdicts import verdicts

from .test_properties import AS_OF, V, provisions, rule_file, store_with


@pytest.mark.parametrize("when", [date(2026, 11, 24), date(2028, 1, 1)])
def test_matrix_verdicts_equal_full_comparison_on_the_corpus(corpus: Store, when: date) -> None:
    # matrix() reads its own lean query (in-force-keys.rq); compare_sides gets what compare reads
    codes = sorted(vocabulary().jurisdictions.members)
    provs = {c: in_force(corpus, c, when) for c in codes}
    ctx = context()
    m = matrix(corpus, codes, when)
    opposed = 0
    for a, b in combinations(codes, 2):
        full = compare_sides(a, b, when, provs[a], provs[b], {}, ctx)
        expected = (full.index, len(full.of("conflict")))
        assert verdicts(provs[a], provs[b], ctx, when, (a, b)) == expected, (a, b)
        assert (m.index[(a, b)], m.conflicts[(a, b)]) == expected, (a, b)
        assert m.own_index[(a, b)] == full.own_index, (a, b)
        opposed += bool(full.of("tension") or full.of("conflict"))
    # opposed rules exist in the corpus (between sovereign regimes they are tensions), so the
    # opposition rules are exercised
    assert opposed > 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(provisions("a"), provisions("b"))
def test_matrix_verdicts_equal_full_comparison_on_generated_data(a_items, b_items) -> None:  # type: ignore[no-untyped-def]
    store = store_with(rule_file("gen-jp", "JP", a_items), rule_file("gen-br", "BR", b_items))
    full = compare_sides("JP", "BR", AS_OF, in_force(store, "JP", AS_OF), in_force(store, "BR", AS_OF), {}, context())
    m = matrix(store, ["JP", "BR"], AS_OF)
    assert (m.index[("JP", "BR")], m.conflicts[("JP", "BR")]) == (full.index, len(full.of("conflict")))
    assert m.own_index[("JP", "BR")] == full.own_index


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(provisions("us"), provisions("co"), provisions("jp"))
def test_matrix_of_three_with_inheritance_equals_each_full_comparison(us_items, co_items, jp_items) -> None:  # type: ignore[no-untyped-def]
    # Colorado's side holds US federal provisions too: the matrix must not find the US in
    # conflict with itself through them, and must count each pair as compare does.
    store = store_with(
        rule_file("gen-us", "US", us_items), rule_file("gen-co", "US-CO", co_items), rule_file("gen-jp", "JP", jp_items)
    )
    codes = ["US", "US-CO", "JP"]
    m = matrix(store, codes, AS_OF)
    for a, b in combinations(codes, 2):
        full = compare_sides(a, b, AS_OF, in_force(store, a, AS_OF), in_force(store, b, AS_OF), {}, context())
        assert (m.index[(a, b)], m.conflicts[(a, b)]) == (full.index, len(full.of("conflict"))), (a, b)
        assert m.own_index[(a, b)] == full.own_index, (a, b)


def test_matrix_finds_no_conflict_of_a_regime_with_itself_through_inheritance() -> None:
    # US federal law both bans and requires something on social scoring (made-up data): Colorado
    # inherits both, but a lawmaker is not in conflict with itself, so US vs US-CO has no conflict
    # from them. Colorado's own obligation does clash with the federal ban: one conflict.
    def one(pid: str, modality: str) -> Provision:
        return Provision(
            pid,
            "Art. 1",
            V.modalities.iri(modality),
            [V.concepts.iri("SocialScoring")],
            ["dev"],
            "A generated provision for matrix tests.",
            applies_from=date(2025, 1, 1),
        )

    us = rule_file("gen-us", "US", [one("ban", "prohibition"), one("duty", "obligation")])
    alone = matrix(store_with(us, rule_file("gen-co", "US-CO", [one("own", "right")])), ["US", "US-CO"], AS_OF)
    assert alone.conflicts[("US", "US-CO")] == 0
    clash = matrix(store_with(us, rule_file("gen-co", "US-CO", [one("own", "obligation")])), ["US", "US-CO"], AS_OF)
    assert clash.conflicts[("US", "US-CO")] == 1


def test_matrix_leaves_the_garbage_collector_as_it_found_it(corpus: Store) -> None:
    # The matrix pauses the cyclic collector while it builds its sides; it must resume it, and
    # must not switch on a collector the caller had switched off.
    import gc

    assert gc.isenabled()
    matrix(corpus, ["EU", "KR"], date(2026, 11, 24))
    assert gc.isenabled()
    gc.disable()
    try:
        matrix(corpus, ["EU", "KR"], date(2026, 11, 24))
        assert not gc.isenabled()
    finally:
        gc.enable()
