"""Scope as sets, related the way control crosswalks relate them (NIST IR 8477 set theory).

A provision's scope has three dimensions — common risk levels, application domains, system
types — each a set where the empty set means "unrestricted". A value covers itself and every
narrower value of the vocabulary (`skos:broader`: a frontier model is a general-purpose model),
so {FrontierModel} is a subset of {GeneralPurposeModel}, not disjoint from it. Per dimension
two scopes are equal, a subset, a superset, intersecting or disjoint; the dimensions combine
into one relation: any disjoint dimension → no relationship; all equal → equal; all
equal-or-subset → subset; all equal-or-superset → superset; otherwise intersects.

>>> relation((frozenset({"high"}), frozenset(), frozenset()), (frozenset(), frozenset(), frozenset()))
'subset'
>>> dimension(frozenset({"FrontierModel"}), frozenset({"GeneralPurposeModel"}))
'subset'
"""

from __future__ import annotations

from crosswalk.ontology.hierarchy import canonical, covered

Dims = tuple[frozenset[str], frozenset[str], frozenset[str]]


def canonical_scope(levels: frozenset[str], domains: frozenset[str], system_types: frozenset[str]) -> Dims:
    """A scope in canonical form, so that equal scopes get equal keys (the matrix buckets
    provisions by them): a domain or type a broader listed one covers is left out."""
    return (levels, canonical(domains), canonical(system_types))


def dimension(a: frozenset[str], b: frozenset[str]) -> str:
    if a == b:
        return "equal"
    if not a:
        return "superset"
    if not b:
        return "subset"
    a_in_b = all(covered(x, b) for x in a)
    b_in_a = all(covered(y, a) for y in b)
    if a_in_b and b_in_a:
        return "equal"
    if a_in_b:
        return "subset"
    if b_in_a:
        return "superset"
    related = any(covered(x, b) for x in a) or any(covered(y, a) for y in b)
    return "intersects" if related else "disjoint"


def relation(a: Dims, b: Dims) -> str:
    parts = {dimension(x, y) for x, y in zip(a, b, strict=True)}
    if "disjoint" in parts:
        return "no-relationship"
    if parts == {"equal"}:
        return "equal"
    if parts <= {"equal", "subset"}:
        return "subset"
    if parts <= {"equal", "superset"}:
        return "superset"
    return "intersects"


MIRROR = {"subset": "superset", "superset": "subset"}


def mirror(rel: str | None) -> str | None:
    """The relation seen from the other side."""
    return MIRROR.get(rel, rel) if rel else rel
