"""The compliance crosswalk: the system's duties in each market compared across markets by the
verdict rules of `crosswalk compare` (queries/classify.py, queries/rules.py), never by rules of
its own. Equivalent duties are met once; a divergence says which side is stricter where the
rules define it; conflicts are shown, never resolved. And where the same system sits at
different common risk levels in different markets (taxonomy misalignment)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import combinations

from ..classify import Context, compare_sides
from ..findings import Finding
from ..verdicts import Side, table
from .model import ConceptRow, MarketAssessment, Misalignment

# Verdicts on a concept both markets impose on the system (docs/analysis.md). Where only one
# does, the rules (given no coverage: the duty sets are the system's, not the markets' whole
# law) say "not curated"; the assessment says "only in" instead, which is what it knows.
BOTH = ("equivalent", "divergent", "conflict", "tension", "shared")
# The level of a market whose tiers ontology/tiers.ttl does not define: no level to compare.
NOT_MODELLED = "not modelled"


def crosswalk(markets: Sequence[MarketAssessment], as_of: date, ctx: Context) -> list[ConceptRow]:
    """Per concept any market imposes on the system: every pair's verdict, and the groups of
    markets where one way of meeting the duty serves all."""
    pairs: dict[str, list[tuple[str, str, Finding]]] = {}
    for a, b in combinations(markets, 2):
        # No coverage is passed: a concept one market lacks for this system is reported by the
        # rules as not curated there, never as a proven gap.
        covered: dict[str, dict[str, str]] = {"a": {}, "b": {}}
        c = compare_sides(
            a.code,
            b.code,
            as_of,
            list(a.duties),
            list(b.duties),
            covered,
            ctx,
            list(a.pending_duties),
            list(b.pending_duties),
        )
        for f in c.findings:
            pairs.setdefault(f.concept, []).append((a.code, b.code, f))
    rows = []
    for concept in sorted(pairs, key=lambda k: str(ctx.concept_label.get(k) or k).lower()):
        holders = tuple(m.code for m in markets if any(p.concept == concept for p in m.duties))
        if not holders:
            continue  # pending on every side: listed with each market's pending duties
        groups = _met_once(holders, [(a, b) for a, b, f in pairs[concept] if f.kind == "equivalent"])
        both = tuple((a, b, f) for a, b, f in pairs[concept] if f.kind in BOTH)
        label = ctx.concept_label.get(concept, concept)
        rows.append(ConceptRow(concept, label, holders, groups, both))
    return rows


def _met_once(holders: tuple[str, ...], equal: list[tuple[str, str]]) -> tuple[tuple[str, ...], ...]:
    """Markets joined by equivalent verdicts (union of the pairs), groups of two or more."""
    group = {m: {m} for m in holders}
    for a, b in equal:
        merged = group[a] | group[b]
        for m in merged:
            group[m] = merged
    seen = {frozenset(g) for g in group.values() if len(g) > 1}
    return tuple(sorted(tuple(m for m in holders if m in g) for g in seen))


def index(markets: Sequence[MarketAssessment], as_of: date, ctx: Context) -> dict[str, float]:
    """The interoperability index of the system's duties for every pair of markets, by the
    matrix's verdicts (queries/verdicts.py)."""
    sides = [Side.of(m.duties, ctx, m.code) for m in markets]
    return {f"{markets[i].code}|{markets[j].code}": value for (i, j), (value, _) in table(sides, ctx, as_of).items()}


def misalignment(markets: Sequence[MarketAssessment]) -> Misalignment | None:
    """The markets' common levels now, where they are not all the same (markets whose tiers are
    not modelled have no level to compare)."""
    levels = {m.code: m.level for m in markets if m.level != NOT_MODELLED}
    if len(set(levels.values())) < 2:
        return None
    return Misalignment(levels, {m.code: tuple(t.label for t in m.tiers) for m in markets})
