"""Broader and narrower values of the shared vocabulary (`skos:broader`), by local name.

A scope value covers itself and every narrower value: a rule on general-purpose models also
reaches frontier models. Both the builder (scope signatures) and the comparison (scope
relations) read scopes through here, so SPARQL's "same signature" and Python's "equal scope"
agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from rdflib import URIRef
from rdflib.namespace import SKOS

from . import local_name, reference_graph


@cache
def _up() -> dict[str, frozenset[str]]:
    """Each value with a broader one → itself and every broader value."""
    g = reference_graph()
    return {
        local_name(n): frozenset(local_name(x) for x in g.transitive_objects(n, SKOS.broader))
        for n in set(g.subjects(SKOS.broader, None))
        if isinstance(n, URIRef)
    }


def narrower_than(values: Iterable[str], x: str) -> frozenset[str]:
    """The members of `values` strictly narrower than x (skos:broader, transitively)."""
    up = _up()
    return frozenset(v for v in values if v != x and x in up.get(v, ()))


def covered(x: str, values: frozenset[str]) -> bool:
    """Whether x is one of `values` or narrower than one of them."""
    up = _up().get(x)
    return x in values if up is None else not up.isdisjoint(values)


@lru_cache(maxsize=4096)
def canonical(values: frozenset[str]) -> frozenset[str]:
    """The set without members a broader member covers ({FrontierModel, GeneralPurposeModel} is
    {GeneralPurposeModel}): two scopes are equal exactly when their canonical sets are."""
    return frozenset(x for x in values if not any(y != x and covered(x, frozenset({y})) for y in values))
