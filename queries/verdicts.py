"""Matrix verdicts: the index and conflict count of `classify.compare_sides`, fast.

The N-way matrix pairs every side with every other, and needs no explanations. The same rules
are applied to each side's provisions reduced once to what the rules read (`Entry`): equivalent
pairs can only share (modality, binding, scope), so each concept's provisions are bucketed by
it, and a bucket keeps only its distinct (roles, figures). Sides are many, but buckets repeat
across them (the same bearer, scope and deadline recur), so the test "do two buckets hold a
matching pair" is answered once per pair of distinct buckets and remembered in the context.
tests/test_matrix.py holds the results equal to `compare_sides` on the corpus and on generated
data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .classify import OPPOSED, OPPOSED_ORDERED, Context, _dims, _figures_of, _partners, roles_overlap
from .findings import Provision
from .scope import Dims, relation

Figures = tuple[tuple[str, frozenset[tuple[object, str]]], ...]  # per parameter kind, its figures
Bucket = frozenset[tuple[frozenset[str], Figures]]  # distinct (roles, figures)
Reach = frozenset[tuple[frozenset[str], Dims]]  # distinct (roles, scope)


class Entry(NamedTuple):
    """A provision as the matrix reads it: what the rules compare, nothing to explain."""

    concept: str
    modality: str
    binding: bool
    jurisdiction: str  # who made it: a side includes what it inherits
    roles: frozenset[str]
    dims: Dims  # canonical scope (scope.relation reads it)
    figures: Figures

    @classmethod
    def of(cls, p: Provision) -> Entry:
        return cls(p.concept, p.modality, p.binding, p.jurisdiction, p.roles, _dims(p), figures(p.parameters))


@lru_cache(maxsize=8192)
def figures(parameters: tuple[tuple[str, object, str], ...]) -> Figures:
    """The figures of each parameter kind, hashable (classify._figures as a sorted tuple)."""
    return tuple(sorted(_figures_of(parameters).items()))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Side:
    """One side's provisions indexed once for many pairings (the matrix pairs each side N-1 times)."""

    concepts: frozenset[str]
    buckets: dict[str, dict[tuple[str, bool, Dims], Bucket]]  # concept → (modality, binding, scope) → bucket
    keys: dict[str, frozenset[tuple[str, bool, Dims]]]  # concept → its bucket keys, intersected in C per pair
    modalities: dict[str, frozenset[str]]  # concept → modalities
    reach: dict[str, dict[str, dict[str, Reach]]]  # practice concept → modality → maker → (roles, scope)

    @classmethod
    def of(cls, items: Iterable[Entry | Provision], ctx: Context) -> Side:
        buckets: dict[str, dict[tuple[str, bool, Dims], set[tuple[frozenset[str], Figures]]]] = defaultdict(
            lambda: defaultdict(set)
        )
        reach: dict[str, dict[str, dict[str, set[tuple[frozenset[str], Dims]]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(set))
        )
        for item in items:
            e = item if isinstance(item, Entry) else Entry.of(item)
            buckets[e.concept][(e.modality, e.binding, e.dims)].add((e.roles, e.figures))
            if e.concept in ctx.practices:
                reach[e.concept][e.modality][e.jurisdiction].add((e.roles, e.dims))
        return cls(
            frozenset(buckets),
            {c: {k: frozenset(v) for k, v in b.items()} for c, b in buckets.items()},
            {c: frozenset(b) for c, b in buckets.items()},
            {c: frozenset(m for m, _, _ in b) for c, b in buckets.items()},
            {c: {m: {j: frozenset(v) for j, v in by.items()} for m, by in ms.items()} for c, ms in reach.items()},
        )


_MEMO_LIMIT = 200_000  # pairs of buckets remembered per context before starting afresh


def _matching(a: Bucket, b: Bucket, ctx: Context) -> bool:
    """Whether one provision of each bucket has overlapping bearers and, for every parameter kind
    both set, the same figures (with the bucket's shared modality, binding and scope: equivalent)."""
    memo = ctx.pairs
    known = memo.get((a, b))
    if known is None:
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        known = memo[(a, b)] = any(roles_overlap(ra, rb, ctx) and _agree(fa, fb) for ra, fa in a for rb, fb in b)
    return known


def _agree(fa: Figures, fb: Figures) -> bool:
    if not fa or not fb:
        return True
    kinds_b = dict(fb)
    return all(kinds_b.get(kind, values) == values for kind, values in fa)


def _opposed(a: Reach, b: Reach, ctx: Context) -> bool:
    """Whether a provision of each set has overlapping bearers and related scopes (a conflict
    where their modalities are opposed)."""
    memo = ctx.pairs
    key = ("opposed", a, b)
    known = memo.get(key)
    if known is None:
        known = memo[key] = any(
            roles_overlap(ra, rb, ctx) and relation(da, db) != "no-relationship" for ra, da in a for rb, db in b
        )
    return known


def verdicts(a: Side | list[Provision], b: Side | list[Provision], ctx: Context) -> tuple[float, int]:
    """The interoperability index and conflict count of `compare_sides`, without explanations.

    Same rules, computed on buckets instead of every pair of provisions, for the N-way matrix.
    tests/test_matrix.py holds it equal to `compare_sides` on the corpus and on generated data.
    """
    side_a = a if isinstance(a, Side) else Side.of(a, ctx)
    side_b = b if isinstance(b, Side) else Side.of(b, ctx)
    equivalent = divergent = conflicts = 0
    for concept in side_a.concepts & side_b.concepts:
        practice = concept in ctx.practices
        if practice:
            # A prohibition against an obligation or a permission, made by different lawmakers
            # (a regime is not in conflict with itself); one hit per kind suffices.
            reach_a, reach_b = side_a.reach[concept], side_b.reach[concept]
            kinds = set()
            for (ma, mb), kind in OPPOSED_ORDERED.items():
                if kind in kinds or ma not in reach_a or mb not in reach_b:
                    continue
                if any(
                    ja != jb and _opposed(xa, xb, ctx)
                    for ja, xa in reach_a[ma].items()
                    for jb, xb in reach_b[mb].items()
                ):
                    kinds.add(kind)
            conflicts += len(kinds)
        # Equivalent pairs share a bucket key: intersect the key sets first, so a concept with
        # no shared (modality, binding, scope) costs one set operation.
        common = side_a.keys[concept] & side_b.keys[concept]
        buckets_a, buckets_b = side_a.buckets[concept], side_b.buckets[concept]
        if common and any(_matching(buckets_a[key], buckets_b[key], ctx) for key in common):
            equivalent += 1
        elif not practice or any(
            frozenset({ma, mb}) not in OPPOSED for ma in side_a.modalities[concept] for mb in side_b.modalities[concept]
        ):
            divergent += 1
    if ctx.incompatible:  # few declared pairs: look up each concept's partners, not every pair of concepts
        partners = _partners(ctx.incompatible)
        for ca in side_a.concepts & partners.keys():
            conflicts += len(partners[ca] & side_b.concepts)
    regulated = len(side_a.concepts | side_b.concepts)
    return (round((equivalent + 0.5 * divergent) / regulated, 4) if regulated else 0.0), conflicts
