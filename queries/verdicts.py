"""Matrix verdicts: the index and conflict count of `classify.compare_sides`, fast.

The N-way matrix pairs every side with every other, and needs no explanations. The same rules
are applied with hash buckets instead of every pair of provisions: equivalent pairs can only
share (modality, binding, scope), so only those are tried. tests/test_matrix.py holds the
results equal to `compare_sides` on the corpus and on generated data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .classify import OPPOSED, OPPOSED_ORDERED, Context, _dims, _figures, _partners, roles_overlap
from .findings import Provision
from .scope import relation


def _figures_agree(pa: Provision, pb: Provision) -> bool:
    fa, fb = _figures(pa), _figures(pb)
    return all(fa[k] == fb[k] for k in set(fa) & set(fb))


@dataclass(frozen=True)
class Side:
    """One side's provisions indexed once for many pairings (the matrix pairs each side N-1 times)."""

    by_concept: dict[str, list[Provision]]
    buckets: dict[str, dict[tuple[object, ...], list[Provision]]]  # concept → (modality, binding, scope) → provisions
    by_modality: dict[str, dict[str, list[Provision]]]  # concept → modality → provisions
    keys: dict[str, frozenset[tuple[object, ...]]]  # concept → its bucket keys, intersected in C per pair

    @classmethod
    def of(cls, provisions: Iterable[Provision]) -> Side:
        by_concept: dict[str, list[Provision]] = defaultdict(list)
        buckets: dict[str, dict[tuple[object, ...], list[Provision]]] = defaultdict(lambda: defaultdict(list))
        by_modality: dict[str, dict[str, list[Provision]]] = defaultdict(lambda: defaultdict(list))
        for p in provisions:
            by_concept[p.concept].append(p)
            buckets[p.concept][(p.modality, p.binding, _dims(p))].append(p)
            by_modality[p.concept][p.modality].append(p)
        return cls(
            dict(by_concept),
            {c: dict(b) for c, b in buckets.items()},
            {c: dict(m) for c, m in by_modality.items()},
            {c: frozenset(b) for c, b in buckets.items()},
        )


def verdicts(a: Side | list[Provision], b: Side | list[Provision], ctx: Context) -> tuple[float, int]:
    """The interoperability index and conflict count of `compare_sides`, without explanations.

    Same rules, computed with hash buckets instead of every pair, for the N-way matrix:
    equivalent pairs can only share (modality, binding, scope), so only those are tried.
    tests/test_matrix.py holds it equal to `compare_sides` on the corpus and on generated data.
    """
    side_a = a if isinstance(a, Side) else Side.of(a)
    side_b = b if isinstance(b, Side) else Side.of(b)
    equivalent = divergent = conflicts = 0
    for concept in side_a.by_concept.keys() & side_b.by_concept.keys():
        practice = concept in ctx.practices
        if practice:
            # Only prohibition-against-obligation/permission pairs can conflict; one hit per kind suffices.
            kinds = set()
            modal_a, modal_b = side_a.by_modality[concept], side_b.by_modality[concept]
            for (ma, mb), kind in OPPOSED_ORDERED.items():
                if kind in kinds:
                    continue
                if any(
                    pa.jurisdiction != pb.jurisdiction
                    and roles_overlap(pa.roles, pb.roles, ctx)
                    and relation(_dims(pa), _dims(pb)) != "no-relationship"
                    for pa in modal_a.get(ma, ())
                    for pb in modal_b.get(mb, ())
                ):
                    kinds.add(kind)
            conflicts += len(kinds)
        # Equivalent pairs share a bucket key: intersect the key sets first, so a concept with
        # no shared (modality, binding, scope) costs one set operation.
        common = side_a.keys[concept] & side_b.keys[concept]
        if common and any(
            roles_overlap(pa.roles, pb.roles, ctx) and _figures_agree(pa, pb)
            for key in common
            for pb in side_b.buckets[concept][key]
            for pa in side_a.buckets[concept][key]
        ):
            equivalent += 1
        elif not practice or any(
            frozenset({ma, mb}) not in OPPOSED
            for ma in side_a.by_modality[concept]
            for mb in side_b.by_modality[concept]
        ):
            divergent += 1
    if ctx.incompatible:  # few declared pairs: look up each concept's partners, not every pair of concepts
        partners = _partners(ctx.incompatible)
        for ca in side_a.by_concept.keys() & partners.keys():
            conflicts += len(partners[ca] & side_b.by_concept.keys())
    regulated = len(side_a.by_concept.keys() | side_b.by_concept.keys())
    return (round((equivalent + 0.5 * divergent) / regulated, 4) if regulated else 0.0), conflicts
