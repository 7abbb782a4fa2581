"""Scope as sets, related the way control crosswalks relate them (NIST IR 8477 set theory).

A provision's scope has three dimensions — common risk levels, application domains, system
types — each a set where the empty set means "unrestricted". Per dimension two scopes are
equal, a subset, a superset, intersecting or disjoint; the dimensions combine into one
relation: any disjoint dimension → no relationship; all equal → equal; all equal-or-subset →
subset; all equal-or-superset → superset; otherwise intersects.

>>> relation((frozenset({"high"}), frozenset(), frozenset()), (frozenset(), frozenset(), frozenset()))
'subset'
"""

from __future__ import annotations

Dims = tuple[frozenset[str], frozenset[str], frozenset[str]]


def dimension(a: frozenset[str], b: frozenset[str]) -> str:
    if a == b:
        return "equal"
    if not a:
        return "superset"
    if not b:
        return "subset"
    if a < b:
        return "subset"
    if a > b:
        return "superset"
    return "intersects" if a & b else "disjoint"


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
