"""Matrix verdicts: the index and conflict count of `classify.compare_sides`, fast.

The N-way matrix pairs every side with every other, and needs no explanations. The same rules
are applied to each side's provisions reduced once to what the rules read (`Entry`), and worked
concept by concept across all sides rather than pair by pair (`table`):

- a pair's shared and regulated concepts are sizes of set operations;
- equivalent provisions share (modality, binding, scope), so each side's provisions on a concept
  are bucketed by it, a bucket keeps its distinct (roles, figures), and only sides holding the
  same bucket key are tried; buckets recur across sides, so each distinct pair of buckets is
  tried once and remembered in the context;
- on a practice concept, each distinct (maker, roles, scope) gets a bit, which of them clash is
  worked out once from the few distinct role sets and scopes, and a pair of sides is then a few
  integer operations.

tests/test_matrix.py holds the results equal to `compare_sides` on the corpus and on generated
data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

from .classify import OPPOSED, Context, _dims, _figures_of, _partners, roles_overlap
from .findings import Provision
from .scope import Dims, relation

Figures = tuple[tuple[str, frozenset[tuple[object, str]]], ...]  # per parameter kind, its figures
Bucket = frozenset[tuple[frozenset[str], Figures]]  # distinct (roles, figures)
Element = tuple[str, frozenset[str], Dims]  # who made a provision, its roles, its scope


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
    reach: dict[str, dict[str, frozenset[Element]]]  # practice concept → modality → (maker, roles, scope)
    prohibiting: frozenset[str]  # practice concepts on which this side only prohibits
    enabling: frozenset[str]  # practice concepts on which it only obliges or permits

    @classmethod
    def of(cls, items: Iterable[Entry | Provision], ctx: Context) -> Side:
        """Index entries (or plain tuples in Entry's order: the matrix makes one per row, and a
        tuple is cheaper to make) or provisions."""
        buckets: dict[str, dict[tuple[str, bool, Dims], set[tuple[frozenset[str], Figures]]]] = defaultdict(
            lambda: defaultdict(set)
        )
        reach: dict[str, dict[str, set[Element]]] = defaultdict(lambda: defaultdict(set))
        practices = ctx.practices
        for item in items:
            concept, modality, binding, maker, roles, dims, figures = (
                Entry.of(item) if isinstance(item, Provision) else item
            )
            buckets[concept][(modality, binding, dims)].add((roles, figures))
            if concept in practices:
                reach[concept][modality].add((maker, roles, dims))
        return cls(
            frozenset(buckets),
            {c: {k: frozenset(v) for k, v in b.items()} for c, b in buckets.items()},
            {c: {m: frozenset(v) for m, v in ms.items()} for c, ms in reach.items()},
            frozenset(c for c, ms in reach.items() if ms.keys() == {"prohibition"}),
            frozenset(c for c, ms in reach.items() if ms.keys() <= {"obligation", "permission"}),
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


@lru_cache(maxsize=65536)
def _related(a: Dims, b: Dims) -> bool:
    return relation(a, b) != "no-relationship"


def verdicts(a: Side | list[Provision], b: Side | list[Provision], ctx: Context) -> tuple[float, int]:
    """The interoperability index and conflict count of `compare_sides`, without explanations."""
    side_a = a if isinstance(a, Side) else Side.of(a, ctx)
    side_b = b if isinstance(b, Side) else Side.of(b, ctx)
    return table([side_a, side_b], ctx)[(0, 1)]


def table(sides: Sequence[Side], ctx: Context) -> dict[tuple[int, int], tuple[float, int]]:
    """The interoperability index and conflict count of every pair of sides (i < j), by the
    rules of `compare_sides`, worked concept by concept across all sides rather than pair by
    pair: a pair's shared and regulated concepts are set sizes, and only sides holding the same
    bucket key on a concept are tried for equivalence.
    tests/test_matrix.py holds it equal to `compare_sides` on the corpus and on generated data.
    """
    equivalent: Counter[tuple[int, int]] = Counter()
    conflicts: Counter[tuple[int, int]] = Counter()
    for concept in frozenset().union(*(s.concepts for s in sides)):
        # equivalent: some bucket key (modality, binding, scope) held by both, with a matching pair
        holders: dict[tuple[str, bool, Dims], list[tuple[int, Bucket]]] = defaultdict(list)
        for i, side in enumerate(sides):
            for key, bucket in side.buckets.get(concept, {}).items():
                holders[key].append((i, bucket))
        found: set[tuple[int, int]] = set()
        for held in holders.values():
            if len(held) == 2:  # the common case: no grouping needed
                (i, bucket_i), (j, bucket_j) = held
                if _matching(bucket_i, bucket_j, ctx):
                    found.add((i, j))
            elif len(held) > 2:
                found.update(_equivalent_pairs(held, ctx))
        equivalent.update(found)
        if concept in ctx.practices:
            reaching = [(i, side.reach[concept]) for i, side in enumerate(sides) if concept in side.reach]
            for pair, kinds in _conflicts(reaching, ctx):
                conflicts[pair] += kinds
    if ctx.incompatible:  # few declared pairs: look up each concept's partners, not every pair of concepts
        partners = _partners(ctx.incompatible)
    out: dict[tuple[int, int], tuple[float, int]] = {}
    for (i, a), (j, b) in combinations(enumerate(sides), 2):
        shared = len(a.concepts & b.concepts)
        regulated = len(a.concepts) + len(b.concepts) - shared
        # on a practice, a prohibition against only obligations or permissions is a conflict,
        # not a divergence (and never an equivalence: no modality in common)
        opposed_only = len(a.prohibiting & b.enabling) + len(a.enabling & b.prohibiting)
        divergent = shared - equivalent[(i, j)] - opposed_only
        count = conflicts[(i, j)]
        if ctx.incompatible:
            count += sum(len(partners[c] & b.concepts) for c in a.concepts & partners.keys())
        index = round((equivalent[(i, j)] + 0.5 * divergent) / regulated, 4) if regulated else 0.0
        out[(i, j)] = (index, count)
    return out


def _equivalent_pairs(held: list[tuple[int, Bucket]], ctx: Context) -> Iterator[tuple[int, int]]:
    """The pairs of sides (i < j) whose buckets under one key hold a matching pair. Many sides
    hold equal buckets (the same bearer and deadline): each distinct pair of buckets is tried once."""
    by_bucket: dict[Bucket, list[int]] = defaultdict(list)
    for i, bucket in held:
        by_bucket[bucket].append(i)
    distinct = list(by_bucket.items())
    for n, (bucket_x, xs) in enumerate(distinct):
        for bucket_y, ys in distinct[n:]:
            if _matching(bucket_x, bucket_y, ctx):
                if bucket_x is bucket_y:
                    yield from combinations(xs, 2)
                else:
                    yield from ((i, j) if i < j else (j, i) for i in xs for j in ys)


# conflict kinds as (prohibited, obliged or permitted) modalities
_OPPOSITES = tuple(("prohibition", next(iter(pair - {"prohibition"}))) for pair in OPPOSED)


def _conflicts(
    reaching: list[tuple[int, dict[str, frozenset[Element]]]], ctx: Context
) -> Iterator[tuple[tuple[int, int], int]]:
    """For the sides holding a practice concept, the pairs (i < j) in conflict on it and how many
    kinds: a prohibition by one against an obligation or permission by the other, bearers
    overlapping, scopes related, made by different lawmakers (a regime is not in conflict with
    itself: a US state holds US federal law too).

    Each distinct (maker, roles, scope) gets a bit, and which of them clash is worked out once,
    from the few distinct role sets and scopes; a pair of sides is then a few integer ANDs."""
    bit: dict[Element, int] = {}
    for _, reach in reaching:
        for elements in reach.values():
            for e in elements:
                bit.setdefault(e, len(bit))
    by_maker: dict[str, int] = defaultdict(int)
    by_roles: dict[frozenset[str], int] = defaultdict(int)
    by_dims: dict[Dims, int] = defaultdict(int)
    for (maker, roles, dims), b in bit.items():
        by_maker[maker] |= 1 << b
        by_roles[roles] |= 1 << b
        by_dims[dims] |= 1 << b
    roles_mask = {r: _union(m for r2, m in by_roles.items() if roles_overlap(r, r2, ctx)) for r in by_roles}
    dims_mask = {d: _union(m for d2, m in by_dims.items() if _related(d, d2)) for d in by_dims}
    clash = {e: roles_mask[e[1]] & dims_mask[e[2]] & ~by_maker[e[0]] for e in bit}
    own = [{m: _union(1 << bit[e] for e in es) for m, es in reach.items()} for _, reach in reaching]
    clashes = [{m: _union(clash[e] for e in es) for m, es in reach.items()} for _, reach in reaching]
    for (x, (i, _)), (y, (j, _)) in combinations(enumerate(reaching), 2):
        kinds = sum(
            1
            for banned, allowed in _OPPOSITES
            if clashes[x].get(banned, 0) & own[y].get(allowed, 0) or own[x].get(allowed, 0) & clashes[y].get(banned, 0)
        )
        if kinds:
            yield (i, j), kinds


def _union(masks: Iterable[int]) -> int:
    out = 0
    for m in masks:
        out |= m
    return out
