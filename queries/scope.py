"""Scope as sets, related the way control crosswalks relate them (NIST IR 8477 set theory).

A provision's scope has three dimensions — common risk levels, application domains, system
types — each a set where the empty set means "unrestricted". A value covers itself and every
narrower value of the vocabulary (`skos:broader`: a frontier model is a general-purpose model),
so {FrontierModel} is a subset of {GeneralPurposeModel}, not disjoint from it. Per dimension
two scopes are equal, a subset, a superset, intersecting or disjoint; the dimensions combine
into one relation: any disjoint dimension → no relationship; all equal → equal; all
equal-or-subset → subset; all equal-or-superset → superset; otherwise intersects.

Which unrelated values are disjoint differs by dimension. Application domains are areas of use
(employment, elections): a use lies in one, so two domains with no broader/narrower link are
disjoint. System types and risk tiers are not: a generative chatbot is both conversational and
generative AI, and a high-risk system can carry transparency duties too. Two of them are
disjoint only where the vocabulary says so (`xw:disjointScope`, asserted only where the law
makes it so); otherwise they intersect. "Any AI system" and the unacceptable-risk tier restrict
nothing (graph/signature.NON_RESTRICTING).

>>> relation((frozenset({"high"}), frozenset(), frozenset()), (frozenset(), frozenset(), frozenset()))
'subset'
>>> dimension(frozenset({"FrontierModel"}), frozenset({"GeneralPurposeModel"}))
'subset'
"""

from __future__ import annotations

from functools import cache

from crosswalk.graph.signature import restricting
from crosswalk.ontology import XW, local_name, reference_graph
from crosswalk.ontology.hierarchy import canonical, covered

Dims = tuple[frozenset[str], frozenset[str], frozenset[str]]


def canonical_scope(levels: frozenset[str], domains: frozenset[str], system_types: frozenset[str]) -> Dims:
    """A scope in canonical form, so that equal scopes get equal keys (the matrix buckets
    provisions by them): a domain or type a broader listed one covers is left out."""
    return (restricting(levels), canonical(domains), canonical(restricting(system_types)))


@cache
def _declared_disjoint() -> frozenset[frozenset[str]]:
    g = reference_graph()
    return frozenset(frozenset({local_name(x), local_name(y)}) for x, y in g.subject_objects(XW.disjointScope))


def _may_overlap(x: str, y: str) -> bool:
    return frozenset({x, y}) not in _declared_disjoint()


def dimension(a: frozenset[str], b: frozenset[str], open_world: bool = False) -> str:
    """How two value sets of one dimension relate. With `open_world` (system types, tiers), two
    unrelated values still intersect unless declared disjoint."""
    if a == b:
        return "equal"
    if not a:
        return "superset"
    if not b:
        return "subset"
    contained = containment(all(covered(x, b) for x in a), all(covered(y, a) for y in b))
    if contained:
        return contained
    related = any(covered(x, b) for x in a) or any(covered(y, a) for y in b)
    if not related and open_world:
        related = any(_may_overlap(x, y) for x in a for y in b)
    return "intersects" if related else "disjoint"


def containment(a_in_b: bool, b_in_a: bool) -> str | None:
    """Equal, subset or superset from the two containments; None when neither holds."""
    if a_in_b:
        return "equal" if b_in_a else "subset"
    return "superset" if b_in_a else None


def relation(a: Dims, b: Dims) -> str:
    a = (restricting(a[0]), a[1], restricting(a[2]))
    b = (restricting(b[0]), b[1], restricting(b[2]))
    levels, domains, types = (
        dimension(a[0], b[0], open_world=True),
        dimension(a[1], b[1]),
        dimension(a[2], b[2], open_world=True),
    )
    return combine({levels, domains, types})


def combine(parts: set[str]) -> str:
    """Per-dimension relations as one (NIST IR 8477 set theory)."""
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
