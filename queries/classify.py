"""A comparison of two sides, concept by concept, by the rule book in queries/rules.py.

This module applies the rules; it does not state them. It groups each side's provisions by
concept, asks `rules.judge` for the verdict on every concept both regulate, `rules.absence` for
every concept one side lacks, checks declared incompatibilities between concepts, lists what is
pending, and computes the interoperability index (with inherited law, and over own law only).
Nothing here reads a store, so property tests can drive it directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from .findings import Comparison, Finding, Provision
from .rules import (
    AGREEING,
    OPPOSED,
    Rules,
    Verdict,
    absence,
    classify_opposed,
    judge,
    named,
    opposed_reasons,
    pending_words,
)
from .scope import mirror


@dataclass(frozen=True)
class Context:
    """Reference data the semantics need: role hierarchy, parameter directions, concept groups."""

    role_ancestors: dict[str, frozenset[str]]  # common role → itself and every broader role
    stricter_when: dict[str, str]  # parameter kind → "lower" or "higher"
    concept_group: dict[str, str]  # concept → group key
    concept_label: dict[str, str]
    incompatible: frozenset[frozenset[str]]  # pairs of concepts declared incompatible
    practices: frozenset[str] = frozenset()  # concepts naming a practice (others name safeguards)
    institutional: frozenset[str] = frozenset()  # concepts reported apart from the index
    principle_concepts: frozenset[str] = frozenset()  # xw:PrincipleConcept: principles proper
    # xw:ReliefConcept (safe harbours, exclusions, liability) → why no side is ranked on it
    relief: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    intergovernmental: frozenset[str] = frozenset()  # international organisations and forums
    # whether two lawmakers' rules bind in one market (one is part of the other)
    same_market: Callable[[str, str], bool] = field(default=lambda x, y: x == y, compare=False, hash=False)
    kind_label: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # norm concepts' skos:broader (transitively), and broader or narrower together
    broader: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, hash=False)
    related: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, hash=False)
    # concepts added to the scheme after the first coverage statements (xw:addedOn, ISO dates)
    concept_added: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
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
        # "any person" in a private-law statute is not the addressee of a carve-out for the
        # state's own organs: against bearers that are public authorities only, no overlap
        other = b if "AnyPerson" in a else a
        return other != frozenset({"PublicAuthority"}) or "AnyPerson" in other
    return any(
        x in ctx.role_ancestors.get(y, frozenset({y})) or y in ctx.role_ancestors.get(x, frozenset({x}))
        for x in a
        for y in b
    )


def rules_of(ctx: Context) -> Rules:
    """The reference data the rule book (queries/rules.py) reads, from the context."""
    return Rules(
        roles_overlap=lambda a, b: roles_overlap(a, b, ctx),
        stricter_when=ctx.stricter_when,
        practices=ctx.practices,
        same_market=ctx.same_market,
        # parameter kinds and qualifiers, and concepts (a narrower concept named in a reason)
        label=lambda kind: ctx.kind_label.get(kind) or ctx.concept_label.get(kind, kind),
        institutional=ctx.institutional,
        principles=frozenset(c for c, group in ctx.concept_group.items() if group == "principles"),
        principle_concepts=ctx.principle_concepts,
        relief=ctx.relief,
        intergovernmental=ctx.intergovernmental,
    )


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
    covered: Mapping[str, Mapping[str, str]],
    ctx: Context,
    a_pending: list[Provision] = (),  # type: ignore[assignment]
    b_pending: list[Provision] = (),  # type: ignore[assignment]
    a_general: list[Provision] = (),  # type: ignore[assignment]
    b_general: list[Provision] = (),  # type: ignore[assignment]
) -> Comparison:
    """Classify every concept regulated by either side by the rule book (queries/rules.py).
    `covered[side]` holds the groups whose coverage is declared for that side's jurisdiction and
    every jurisdiction it is part of, each with the date it is declared as of (`covers`). The
    index is computed twice: with what each side inherits, and over each side's own law only."""
    rules = rules_of(ctx)
    findings, index, regulated = _findings(
        a, b, as_of, a_provisions, b_provisions, covered, ctx, rules, a_pending, b_pending, a_general, b_general
    )
    own_a = [p for p in a_provisions if p.jurisdiction == a]
    own_b = [p for p in b_provisions if p.jurisdiction == b]
    own_index, own_regulated = index_of(a, b, as_of, own_a, own_b, ctx, rules)
    return Comparison(a, b, as_of, tuple(findings), index, regulated, own_index, own_regulated)


def index_of(
    a: str,
    b: str,
    as_of: date,
    a_provisions: list[Provision],
    b_provisions: list[Provision],
    ctx: Context,
    rules: Rules,
) -> tuple[float, int]:
    """The interoperability index alone (docs/analysis.md)."""
    by_a, by_b = by_concept(a_provisions), by_concept(b_provisions)
    counted = {c for c in set(by_a) | set(by_b) if c not in ctx.institutional}
    equivalent = divergent = 0
    for concept in sorted(counted & set(by_a) & set(by_b)):
        kind = _same_law(a, b) or judge(concept, by_a[concept], by_b[concept], (a, b), rules, as_of).kind
        if kind == "shared":
            counted.discard(concept)
        # agreement at principle level weighs as agreement in the index (docs/analysis.md)
        equivalent += kind in AGREEING
        divergent += kind == "divergent"
    return (round((equivalent + 0.5 * divergent) / len(counted), 4) if counted else 0.0), len(counted)


def covers(declared: Mapping[str, str], concept: str, ctx: Context) -> bool:
    """Whether a side's declared coverage (group → the date it is declared complete as of)
    speaks for a concept: its group is covered, by a statement made no earlier than the concept
    joined the scheme. A statement declared before a concept existed did not look for it: an
    absence there is not curated, never a gap (the second reading of 2026-12-03, session d:
    "Public trust as the foundation", added for India, read as a gap in OECD, UNESCO and G7)."""
    as_of = declared.get(ctx.concept_group.get(concept, ""))
    return as_of is not None and as_of >= ctx.concept_added.get(concept, "")


def _same_law(a: str, b: str) -> str | None:
    """A jurisdiction compared with itself holds the same law on every concept: equivalent."""
    return "equivalent" if a == b else None


def _findings(
    a: str,
    b: str,
    as_of: date,
    a_provisions: list[Provision],
    b_provisions: list[Provision],
    covered: Mapping[str, Mapping[str, str]],
    ctx: Context,
    rules: Rules,
    a_pending: Iterable[Provision],
    b_pending: Iterable[Provision],
    a_general: Iterable[Provision] = (),
    b_general: Iterable[Provision] = (),
) -> tuple[list[Finding], float, int]:
    by_a, by_b = by_concept(a_provisions), by_concept(b_provisions)
    pend_a, pend_b = by_concept(a_pending), by_concept(b_pending)
    gen_a, gen_b = by_concept(a_general), by_concept(b_general)
    findings: list[Finding] = []
    label = ctx.concept_label.get
    group = ctx.concept_group.get
    ids_a = {p.iri for p in a_provisions}
    ids_b = {p.iri for p in b_provisions}

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
            institutional=concept in ctx.institutional,
            **extra,
        )  # type: ignore[arg-type]

    counted = {c for c in set(by_a) | set(by_b) if c not in ctx.institutional}
    equivalent_concepts = divergent_concepts = 0
    for concept in sorted(set(by_a) & set(by_b)):
        if _same_law(a, b):
            v = Verdict("equivalent", "equal", tuple((p, p) for p in by_a[concept]), reasons=("the same law",))
        else:
            v = judge(concept, by_a[concept], by_b[concept], (a, b), rules, as_of)
        for kind in ("conflict", "tension"):
            for what in sorted({o.what for o in v.opposed if o.kind == kind}):
                pairs = [o for o in v.opposed if o.kind == kind and o.what == what]
                findings.append(
                    finding(
                        kind,
                        concept,
                        (o.a for o in pairs),
                        (o.b for o in pairs),
                        suffix=f":{what}",
                        relation=_combined(o.relation for o in pairs),
                        conflict=what,
                        reasons=opposed_reasons(pairs),
                    )
                )
        if v.kind == "shared":
            counted.discard(concept)
        if v.kind in ("equivalent", "aligned", "parallel", "divergent", "shared"):
            findings.append(
                finding(
                    v.kind,
                    concept,
                    by_a[concept],
                    by_b[concept],
                    relation=v.relation,
                    stricter=v.stricter,
                    stricter_note=v.stricter_note,
                    reasons=v.reasons,
                    matched=tuple(dict.fromkeys((x.iri, y.iri) for x, y in v.matched)),
                )
            )
        elif v.kind == "opposed" and not v.opposed:
            # opposed modalities whose scopes never meet: say so rather than drop the concept
            bans, allows = (a, b) if all(p.modality == "prohibition" for p in by_a[concept]) else (b, a)
            findings.append(
                finding(
                    "divergent",
                    concept,
                    by_a[concept],
                    by_b[concept],
                    relation="no-relationship",
                    reasons=(f"{bans} prohibits what {allows} obliges or permits, in cases that do not meet",),
                )
            )
        if concept in counted:
            equivalent_concepts += v.kind in AGREEING
            divergent_concepts += v.kind == "divergent"
    for concept, side in [(c, "a") for c in sorted(set(by_a) - set(by_b))] + [
        (c, "b") for c in sorted(set(by_b) - set(by_a))
    ]:
        other = "b" if side == "a" else "a"
        present = by_a[concept] if side == "a" else by_b[concept]
        lacking_pending = (pend_b if side == "a" else pend_a).get(concept, [])
        lacking_general = (gen_b if side == "a" else gen_a).get(concept, [])
        kind, reasons = absence(
            a if side == "a" else b,
            b if side == "a" else a,
            covers(covered.get(other, {}), concept, ctx),
            lacking_pending,
            lacking_general,
            principle=concept in ctx.principle_concepts,
        )
        # the lacking side may regulate a broader or narrower concept: a partial match, said
        lacking_by = by_b if side == "a" else by_a
        related = [p for c in ctx.related.get(concept, ()) for p in lacking_by.get(c, [])]
        if related:
            reasons += tuple(
                f"partial match: {_whose(b if side == 'a' else a, lacking_by[c])} the "
                f"{'broader' if c in ctx.broader.get(concept, ()) else 'narrower'} concept "
                f"{label(c, c)} ({', '.join(dict.fromkeys(named(p) for p in _uniq(lacking_by[c])))})"
                for c in sorted(ctx.related.get(concept, ()))
                if c in lacking_by
            )
        findings.append(
            finding(
                kind,
                concept,
                present if side == "a" else (),
                present if side == "b" else (),
                missing_side=other,
                reasons=reasons,
                pending=_uniq(lacking_pending),
                related=_uniq(related),
                general_law=_uniq(lacking_general),
            )
        )
    findings.extend(_incompatibilities(a, b, as_of, by_a, by_b, ids_a, ids_b, ctx, rules))
    findings.extend(_pending(a, b, as_of, a_pending, b_pending, ctx))
    index = round((equivalent_concepts + 0.5 * divergent_concepts) / len(counted), 4) if counted else 0.0
    return findings, index, len(counted)


def _whose(code: str, provisions: Iterable[Provision]) -> str:
    """Who regulates, for a partial match: the side itself, or the law of a jurisdiction it is
    part of that binds it (a US state and US federal law), said as such."""
    others = sorted({p.jurisdiction for p in provisions} - {code})
    if not others:
        return f"{code} regulates"
    inherited = f"{', '.join(others)} law binding {code}"
    own = any(p.jurisdiction == code for p in provisions)
    return f"{code}, and {inherited}, regulate" if own else f"{inherited} regulates"


def _combined(relations: Iterable[str]) -> str:
    """One relation for several pairs: theirs if they agree, else "intersects" (order-free, so
    comparing B with A mirrors comparing A with B)."""
    distinct = set(relations)
    return distinct.pop() if len(distinct) == 1 else "intersects"


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
    a: str,
    b: str,
    as_of: date,
    by_a: dict[str, list[Provision]],
    by_b: dict[str, list[Provision]],
    ids_a: set[str],
    ids_b: set[str],
    ctx: Context,
    rules: Rules,
) -> list[Finding]:
    """Rules on two concepts declared incompatible (xw:incompatibleWith), one on each side: a
    conflict only where some pair passes the same test as opposed rules on one concept (one
    actor, one act, one market), else a tension."""
    out = []
    partners = _partners(ctx.incompatible)  # few declared pairs: never try every pair of concepts
    for ca in sorted(by_a.keys() & partners.keys()):
        for cb in sorted(partners[ca] & by_b.keys()):
            if ca == cb:
                continue
            found = [
                o
                for pa in by_a[ca]
                for pb in by_b[cb]
                if (o := classify_opposed("incompatible-concepts", pa, pb, ids_a, ids_b, (a, b), rules, as_of))
            ]
            if not found:
                continue
            kind = "conflict" if any(o.kind == "conflict" for o in found) else "tension"
            chosen = [o for o in found if o.kind == kind]
            out.append(
                Finding(
                    id=f"{kind}:{a}:{b}:{as_of.isoformat()}:{ca}:incompatible:{cb}",
                    kind=kind,
                    concept=ca,
                    concept_label=f"{ctx.concept_label.get(ca, ca)} / {ctx.concept_label.get(cb, cb)}",
                    group=ctx.concept_group.get(ca, ""),
                    a=_uniq(o.a for o in chosen),
                    b=_uniq(o.b for o in chosen),
                    relation=_combined(o.relation for o in chosen),
                    conflict="incompatible-concepts",
                    reasons=(
                        f"{ctx.concept_label.get(ca, ca)} is declared incompatible with "
                        f"{ctx.concept_label.get(cb, cb)}",
                        *opposed_reasons(chosen),
                    ),
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
            reasons=tuple(
                sorted({f"{p.jurisdiction}: {named(p)} {pending_words(p)}" for p in pa.get(c, []) + pb.get(c, [])})
            ),
            # an authority on its way is as institutional as one in force
            institutional=c in ctx.institutional,
        )
        for c in sorted(set(pa) | set(pb))
    ]


__all__ = ["OPPOSED", "Context", "compare_sides", "mirror", "roles_overlap"]
