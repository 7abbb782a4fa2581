"""The comparison semantics, as one pure function over the provisions of two sides.

docs/analysis.md states these rules in prose; this module is them, and nothing here reads a
store, so property tests can drive it directly. For each shared concept, pairs of provisions
(one per side) are classified:

- conflict: on a practice concept, a prohibition against an obligation ("cannot comply with
  both") or against a permission ("permits what the other prohibits"), bearers overlapping,
  scopes related, the two provisions made by different lawmakers (a regime is not in conflict
  with itself);
- equivalent: same modality and binding force, overlapping bearers, equal scope, and for every
  parameter kind both set, the same figures;
- divergent: anything else on the same concept — scope, parameters, bearers or modality differ.

A concept with an equivalent pair is equivalent, else divergent; conflicts are reported beside
either. A concept on one side only is a gap where the other side declared coverage of its
group, else not curated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .findings import Comparison, Finding, Provision
from .scope import Dims, canonical_scope, mirror, relation

OPPOSED = {
    frozenset({"prohibition", "obligation"}): "cannot-comply-with-both",
    frozenset({"prohibition", "permission"}): "permits-what-other-prohibits",
}
OPPOSED_ORDERED = {(a, b): kind for pair, kind in OPPOSED.items() for a in pair for b in pair if a != b}


@dataclass(frozen=True)
class Context:
    """Reference data the semantics need: role hierarchy, parameter directions, concept groups."""

    role_ancestors: dict[str, frozenset[str]]  # common role → itself and every broader role
    stricter_when: dict[str, str]  # parameter kind → "lower" or "higher"
    concept_group: dict[str, str]  # concept → group key
    concept_label: dict[str, str]
    incompatible: frozenset[frozenset[str]]  # pairs of concepts declared incompatible
    practices: frozenset[str] = frozenset()  # concepts naming a practice (others name safeguards)
    # memo of roles_overlap: the matrix asks the same few pairs of role sets millions of times
    overlaps: dict[tuple[frozenset[str], frozenset[str]], bool] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    # memo of the matrix's tests on pairs of provision buckets (queries/verdicts.py)
    pairs: dict[tuple[object, ...], bool] = field(default_factory=dict, compare=False, hash=False, repr=False)


def roles_overlap(a: frozenset[str], b: frozenset[str], ctx: Context) -> bool:
    known = ctx.overlaps.get((a, b))
    if known is None:
        known = ctx.overlaps[(a, b)] = _roles_overlap(a, b, ctx)
    return known


def _roles_overlap(a: frozenset[str], b: frozenset[str], ctx: Context) -> bool:
    if "AnyPerson" in a or "AnyPerson" in b:
        return True
    return any(
        x in ctx.role_ancestors.get(y, frozenset({y})) or y in ctx.role_ancestors.get(x, frozenset({x}))
        for x in a
        for y in b
    )


def _dims(p: Provision) -> Dims:
    return canonical_scope(p.levels, p.domains, p.system_types)


def _fmt(value: Decimal, unit: str) -> str:
    text = format(value.normalize(), "f") if abs(value) < Decimal("1e12") else f"{value:.3E}"
    return f"{text} {unit}".strip()


def _figures(p: Provision) -> dict[str, frozenset[tuple[Decimal, str]]]:
    return _figures_of(p.parameters)


@lru_cache(maxsize=4096)
def _figures_of(parameters: tuple[tuple[str, Decimal, str], ...]) -> dict[str, frozenset[tuple[Decimal, str]]]:
    # cached per distinct parameter tuple (few); callers only read the result
    out: dict[str, set[tuple[Decimal, str]]] = defaultdict(set)
    for kind, value, unit in parameters:
        out[kind].add((value, unit))
    return {k: frozenset(v) for k, v in out.items()}


def _strictest(values: frozenset[tuple[Decimal, str]], unit: str, direction: str) -> Decimal | None:
    same_unit = [v for v, u in values if u == unit]
    if not same_unit:
        return None
    return min(same_unit) if direction == "lower" else max(same_unit)


def _stricter(pa: Provision, pb: Provision, rel: str, ctx: Context) -> tuple[set[str], list[str], bool]:
    """Votes for the stricter side, reasons, and whether any figure differs.

    For each parameter kind both sides set, the sets of figures must be equal; where they are
    not, the strictest figure of each side in a shared unit is compared by the kind's direction.
    """
    votes: set[str] = set()
    reasons: list[str] = []
    differs = False
    fa, fb = _figures(pa), _figures(pb)
    for kind in sorted(set(fa) & set(fb)):
        if fa[kind] == fb[kind]:
            continue
        differs = True
        direction = ctx.stricter_when.get(kind, "")
        shown = False
        for unit in sorted({u for _, u in fa[kind]} & {u for _, u in fb[kind]}):
            va, vb = _strictest(fa[kind], unit, direction), _strictest(fb[kind], unit, direction)
            if va is None or vb is None or va == vb or not direction:
                continue
            lower_side = "a" if va < vb else "b"
            side = lower_side if direction == "lower" else ("b" if lower_side == "a" else "a")
            votes.add(side)
            reasons.append(
                f"{kind}: {_fmt(va, unit)} vs {_fmt(vb, unit)}; {side} stricter by {_fmt(abs(va - vb), unit)}"
            )
            shown = True
        if not shown:
            a_text = ", ".join(_fmt(v, u) for v, u in sorted(fa[kind]))
            b_text = ", ".join(_fmt(v, u) for v, u in sorted(fb[kind]))
            reasons.append(f"{kind}: {a_text} vs {b_text}")
    if rel in ("subset", "superset") and pa.modality in ("obligation", "prohibition"):
        wider = "a" if rel == "superset" else "b"
        votes.add(wider)
        reasons.append(f"scope: {wider} applies more widely (a is a {rel} of b)")
    elif rel != "equal":
        reasons.append(
            f"scope: a {'and b do not overlap' if rel == 'no-relationship' else f'is a {rel} of b'}"
            if rel != "intersects"
            else "scope: each side covers cases the other does not (intersects)"
        )
    return votes, reasons, differs


def _combined(relations: Iterable[str]) -> str:
    """One relation for several pairs: theirs if they agree, else "intersects" (order-free, so
    comparing B with A mirrors comparing A with B)."""
    distinct = set(relations)
    return distinct.pop() if len(distinct) == 1 else "intersects"


def _side(votes: set[str]) -> str | None:
    return None if not votes else votes.pop() if len(votes) == 1 else "mixed"


def by_concept(provisions: Iterable[Provision]) -> defaultdict[str, list[Provision]]:
    """Provisions grouped by the concept they concern."""
    out: defaultdict[str, list[Provision]] = defaultdict(list)
    for p in provisions:
        out[p.concept].append(p)
    return out


def _uniq(ps: Iterable[Provision]) -> tuple[Provision, ...]:
    seen: dict[str, Provision] = {}
    for p in ps:
        seen.setdefault(p.iri, p)
    return tuple(sorted(seen.values(), key=lambda p: (p.citation, p.iri)))


def compare_sides(
    a: str,
    b: str,
    as_of: date,
    a_provisions: list[Provision],
    b_provisions: list[Provision],
    covered: dict[str, frozenset[str]],
    ctx: Context,
    a_pending: list[Provision] = (),  # type: ignore[assignment]
    b_pending: list[Provision] = (),  # type: ignore[assignment]
) -> Comparison:
    """Classify every concept regulated by either side. `covered[side]` holds the groups whose
    coverage is declared for that side's jurisdiction and every jurisdiction it is part of."""
    by_a, by_b = by_concept(a_provisions), by_concept(b_provisions)
    findings: list[Finding] = []
    label = ctx.concept_label.get
    group = ctx.concept_group.get

    def finding(
        kind: str,
        concept: str,
        side_a: Iterable[Provision],
        side_b: Iterable[Provision],
        suffix: str = "",
        **extra: Any,
    ) -> Finding:
        return Finding(
            id=f"{kind}:{a}:{b}:{as_of.isoformat()}:{concept}{suffix}",
            kind=kind,
            concept=concept,
            concept_label=label(concept, concept),
            group=group(concept, ""),
            a=_uniq(side_a),
            b=_uniq(side_b),
            **extra,
        )  # type: ignore[arg-type]

    equivalent_concepts = divergent_concepts = 0
    for concept in sorted(set(by_a) & set(by_b)):
        eq_pairs, div_pairs = [], []
        conflicts: dict[str, list[tuple[Provision, Provision, str]]] = defaultdict(list)
        for pa in by_a[concept]:
            for pb in by_b[concept]:
                rel = relation(_dims(pa), _dims(pb))
                overlap = roles_overlap(pa.roles, pb.roles, ctx)
                # On a safeguard concept a prohibition forbids undermining the safeguard, which is
                # consistent with a duty to apply it: only practices can be opposed.
                opposed = OPPOSED.get(frozenset({pa.modality, pb.modality})) if concept in ctx.practices else None
                if opposed:
                    if overlap and rel != "no-relationship" and pa.jurisdiction != pb.jurisdiction:
                        conflicts[opposed].append((pa, pb, rel))
                    continue
                if pa.modality == pb.modality and overlap:
                    votes, reasons, differs = _stricter(pa, pb, rel, ctx)
                    if pa.binding != pb.binding:
                        reasons.append(
                            "binding force differs: "
                            + ("a binding, b voluntary" if pa.binding else "a voluntary, b binding")
                        )
                    if rel == "equal" and not differs and pa.binding == pb.binding:
                        eq_pairs.append((pa, pb, rel))
                    else:
                        div_pairs.append((pa, pb, rel, votes, reasons))
                else:
                    why = (
                        f"modality differs: {pa.modality} vs {pb.modality}"
                        if pa.modality != pb.modality
                        else "bearers differ: " + ", ".join(sorted(pa.roles)) + " vs " + ", ".join(sorted(pb.roles))
                    )
                    div_pairs.append((pa, pb, rel, set(), [why]))
        for kind_of_conflict, pairs in sorted(conflicts.items()):
            findings.append(
                finding(
                    "conflict",
                    concept,
                    (p for p, _, _ in pairs),
                    (q for _, q, _ in pairs),
                    suffix=f":{kind_of_conflict}",
                    relation=_combined(r for *_, r in pairs),
                    conflict=kind_of_conflict,
                    reasons=tuple(f"{p.citation} ({p.modality}) vs {q.citation} ({q.modality})" for p, q, _ in pairs),
                )
            )
        if eq_pairs:
            equivalent_concepts += 1
            findings.append(
                finding(
                    "equivalent",
                    concept,
                    (p for p, _, _ in eq_pairs),
                    (q for _, q, _ in eq_pairs),
                    relation="equal",
                    reasons=tuple(
                        f"{p.citation} applies to both (made by {p.jurisdiction})"
                        if p.iri == q.iri
                        else f"{p.citation} = {q.citation}"
                        for p, q, _ in eq_pairs
                    ),
                )
            )
        elif div_pairs:
            divergent_concepts += 1
            concept_votes: set[str] = set()
            concept_reasons: list[str] = []
            for _, _, _, v, r in div_pairs:
                concept_votes |= v
                concept_reasons.extend(r)
            findings.append(
                finding(
                    "divergent",
                    concept,
                    (p for p, *_ in div_pairs),
                    (q for _, q, *_ in div_pairs),
                    relation=_combined(rel for _, _, rel, _, _ in div_pairs),
                    stricter=_side(concept_votes),
                    reasons=tuple(dict.fromkeys(concept_reasons)),
                )
            )
    for concept, side, other in [(c, "a", "b") for c in sorted(set(by_a) - set(by_b))] + [
        (c, "b", "a") for c in sorted(set(by_b) - set(by_a))
    ]:
        kind = "gap" if group(concept, "") in covered.get(other, frozenset()) else "not-curated"
        present = by_a[concept] if side == "a" else by_b[concept]
        findings.append(
            finding(
                kind,
                concept,
                present if side == "a" else (),
                present if side == "b" else (),
                missing_side=other,
                reasons=(
                    f"{a if other == 'a' else b} has no provision in force on this concept"
                    + ("" if kind == "gap" else " and has not declared coverage of its group"),
                ),
            )
        )
    findings.extend(_incompatibilities(a, b, as_of, by_a, by_b, ctx))
    findings.extend(_pending(a, b, as_of, a_pending, b_pending, ctx))
    regulated = len(set(by_a) | set(by_b))
    index = round((equivalent_concepts + 0.5 * divergent_concepts) / regulated, 4) if regulated else 0.0
    return Comparison(a, b, as_of, tuple(findings), index, regulated)


@lru_cache(maxsize=8)
def _partners(incompatible: frozenset[frozenset[str]]) -> dict[str, frozenset[str]]:
    """Each concept's declared incompatible partners."""
    out: dict[str, set[str]] = defaultdict(set)
    for pair in incompatible:
        if len(pair) == 2:
            x, y = pair
            out[x].add(y)
            out[y].add(x)
    return {k: frozenset(v) for k, v in out.items()}


def _incompatibilities(
    a: str, b: str, as_of: date, by_a: dict[str, list[Provision]], by_b: dict[str, list[Provision]], ctx: Context
) -> list[Finding]:
    out = []
    partners = _partners(ctx.incompatible)  # few declared pairs: never try every pair of concepts
    for ca in sorted(by_a.keys() & partners.keys()):
        for cb in sorted(partners[ca] & by_b.keys()):
            if ca != cb:
                out.append(
                    Finding(
                        id=f"conflict:{a}:{b}:{as_of.isoformat()}:{ca}:incompatible:{cb}",
                        kind="conflict",
                        concept=ca,
                        concept_label=f"{ctx.concept_label.get(ca, ca)} / {ctx.concept_label.get(cb, cb)}",
                        group=ctx.concept_group.get(ca, ""),
                        a=_uniq(by_a[ca]),
                        b=_uniq(by_b[cb]),
                        conflict="incompatible-concepts",
                        reasons=(f"{ca} is declared incompatible with {cb}",),
                    )
                )
    return out


def _pending(
    a: str, b: str, as_of: date, a_pending: Iterable[Provision], b_pending: Iterable[Provision], ctx: Context
) -> list[Finding]:
    pa, pb = by_concept(a_pending), by_concept(b_pending)
    return [
        Finding(
            id=f"pending:{a}:{b}:{as_of.isoformat()}:{c}",
            kind="pending",
            concept=c,
            concept_label=ctx.concept_label.get(c, c),
            group=ctx.concept_group.get(c, ""),
            a=_uniq(pa.get(c, [])),
            b=_uniq(pb.get(c, [])),
            reasons=tuple(sorted({f"{p.citation}: {p.why_pending}" for p in pa.get(c, []) + pb.get(c, [])})),
        )
        for c in sorted(set(pa) | set(pb))
    ]


__all__ = ["Context", "compare_sides", "mirror", "roles_overlap"]
