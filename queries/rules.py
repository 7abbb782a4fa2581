"""The verdict rules: what Crosswalk says about one norm concept, from everything each side says.

This module is the rule book that docs/analysis.md cites. It reads no store, caches nothing and
starts no thread: given the provisions two parties have in force on one concept, it says whether
they are equivalent, aligned (at principle level only), parallel, divergent, shared, in conflict
or in tension, who is stricter and why. Read
it from top to bottom; each section is one question a comparative lawyer asks.

1. What a provision is compared on (`Norm` facts on `Provision`): modality, binding force,
   sanction, bearers, scope (risk tiers, domains, system types), qualifiers ("with the sole
   intent"), applicability thresholds (10^26 FLOP, USD 500 million revenue) and figures
   (deadlines, fine ceilings).
2. How far two provisions reach relative to each other (`reach`): NIST IR 8477 set relations.
3. When two provisions say the same thing (`same_rule`): the strong claim.
4. The concept's verdict (`judge`): equivalent only when every provision on each side has an
   equal counterpart (aligned when that agreement is at principle level only, parallel on an
   institutional concept); otherwise divergent, with what matched and what is left over.
5. Who is stricter (`stricter`): binding force first, then sanction, reach and figures.
6. Opposed rules (`opposition`): a conflict only for the same actor, act and market; else a
   tension.
7. Absence (`absence`): gap against declared coverage, else not curated; adopted law that applies
   later is named with its date.

Parties are named by their codes in every reason ("EU", "US-CA"), never "a" and "b".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache

from crosswalk.graph.signature import implied, normal_figure, rule_signature, weighed_sanction
from crosswalk.ontology.hierarchy import narrower_than

from .findings import Provision
from .money import show, show_eur, to_eur
from .scope import combine, containment, relation

# ---------------------------------------------------------------- 1. what a provision is compared on

DUTIES = ("obligation", "prohibition")
OPPOSED = {
    frozenset({"prohibition", "obligation"}): "cannot-comply-with-both",
    frozenset({"prohibition", "permission"}): "permits-what-other-prohibits",
}
# Sanctions ranked (xw:sanctionRank): what backs a duty. "not curated" is unknown, not weak.
SANCTION_RANK = {"CriminalSanction": 4, "FineSanction": 3, "CorrectiveOrderSanction": 2, "NoSanction": 1}
SANCTION_LABEL = {
    "CriminalSanction": "criminal penalties",
    "FineSanction": "fines or civil penalties",
    "CorrectiveOrderSanction": "corrective orders only",
    "NoSanction": "no sanction of its own",
    "SanctionNotCurated": "sanction not curated",
}


@dataclass(frozen=True)
class Rules:
    """Reference data the rules read, from the ontology (queries/compare.context builds it)."""

    roles_overlap: Callable[[frozenset[str], frozenset[str]], bool]  # common-role hierarchy
    stricter_when: dict[str, str]  # parameter kind → "lower" | "higher" (xw:stricterWhen)
    practices: frozenset[str]  # concepts naming a practice rules ban or allow (xw:PracticeConcept)
    same_market: Callable[[str, str], bool]  # one lawmaker's rules bind in the other's market
    label: Callable[[str], str] = str  # a parameter kind or qualifier for people
    # institutional and policy concepts (xw:InstitutionalConcept: authorities, investment,
    # strategies): what a state sets up for itself is compared as "both provide for it", never
    # as equivalent rules (the equivalence audit, docs/reviews/2026-12-03-equivalence-audit.md)
    institutional: frozenset[str] = frozenset()
    # principle concepts (the SoftLawPrinciples group: fairness, accountability…): two texts that
    # state one principle agree at principle level only, however binding they are
    principles: frozenset[str] = frozenset()
    # principles proper (xw:PrincipleConcept): no side is ranked on them, and an absence is of a
    # statement of the principle; not codes of conduct or consultation (session-e reading, D)
    principle_concepts: frozenset[str] = frozenset()
    # relief and allocation concepts (xw:ReliefConcept: safe harbours, exclusions from scope,
    # liability along the value chain): differences are said, no side is ranked (the stricter
    # audit of 2026-12-03, should-fix 6), each with why (xw:unrankedBecause)
    relief: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    # codes of international organisations and forums (OECD, UNESCO, CoE, G7): no government of
    # their own, so a text for their members' states is said as such
    intergovernmental: frozenset[str] = frozenset()


def figure_key(figures: Iterable[tuple[str, Decimal, str]]) -> tuple[tuple[str, frozenset[tuple[Decimal, str]]], ...]:
    """A provision's figures per kind, in a form where equal figures compare equal (days as
    hours: graph/signature.normal_figure)."""
    out: dict[str, set[tuple[Decimal, str]]] = {}
    for kind, value, unit in figures:
        out.setdefault(kind, set()).add(normal_figure(value, unit))
    return tuple(sorted((k, frozenset(v)) for k, v in out.items()))


def _local(iri: object) -> str:
    return str(iri).replace("#", "/").rsplit("/", 1)[-1]


@cache
def measured_by() -> dict[str, frozenset[str]]:
    """Norm concepts compared by their figures (xw:measuredBy: administrative fines by their
    ceilings), with the parameter kinds (local names) that measure them."""
    from crosswalk.ontology import XW, reference_graph

    out: dict[str, set[str]] = {}
    for concept, kind in reference_graph().subject_objects(XW.measuredBy):
        out.setdefault(_local(concept), set()).add(_local(kind))
    return {c: frozenset(k) for c, k in out.items()}


# Caveats that stop a duty being enforced while they hold: a court's stay or injunction, or the
# enforcer's undertaking not to act. A grace period or a cure period is not one of them: the duty
# is enforced, later or after notice, and the sanction is curated as such.
STAY_KINDS = frozenset({"enforcement-stay", "injunction", "non-enforcement-undertaking"})


def stayed(p: Provision) -> bool:
    """Enforcement of the provision is stopped at the date of the analysis (its caveats are
    those that hold then: queries/compare._core_provision)."""
    return any(c.kind in STAY_KINDS for c in p.caveats)


def stay_matters(sanction: str, modality: str, roles: frozenset[str]) -> bool:
    """A stay changes what a rule is only where its sanction does (graph/signature.weighed_sanction):
    a duty on those the rules govern. A right, a permission, a bar on private suits or a state's
    duty to itself reads the same whether or not an enforcer is stopped (the equivalence audit's
    R3: Colorado's bar on private suits stays equal to Texas's under the stay)."""
    return weighed_sanction(sanction, modality, roles) != "n/a"


def rule_key(p: Provision) -> tuple[object, ...]:
    """Everything two provisions must share to say the same thing, bearers aside (they need only
    overlap): modality, binding force, sanction, scope, qualifiers, thresholds and figures, for a
    duty whether its enforcement is stayed at the date (`stayed`), and the narrower concepts it
    carries under the one compared (`narrower_key`). The matrix
    (queries/verdicts.py) buckets provisions by it.

    On a concept measured by figures (xw:measuredBy), a provision that sets none of them says
    nothing comparable: its key is its own, so it is the same rule as itself only (two fines of
    unknown size are not "equivalent"; concept-verdicts.rq says the same in SPARQL)."""
    kinds = measured_by().get(p.concept)
    if kinds and not any(k in kinds for k, _, _ in p.parameters):
        return ("unmeasured", p.iri)
    key: tuple[object, ...] = (
        p.modality,
        p.binding,
        attribute_key(
            weighed_sanction(p.sanction, p.modality, p.roles),
            p.levels,
            p.domains,
            p.system_types,
            p.qualifiers,
            p.thresholds,
            p.parameters,
        ),
    )
    # A duty nobody may enforce for now is not the same rule as one that is enforced: "the same
    # words" is not what a negotiator needs to hear while a court has stopped one side's enforcer.
    if stayed(p) and stay_matters(p.sanction, p.modality, p.roles):
        key += (STAYED,)
    return key + narrower_key(p.narrower)


STAYED = "enforcement stayed"


def narrower_of(concepts: frozenset[str], concept: str) -> frozenset[str]:
    """A provision's concepts narrower than the one it is compared under: under "synthetic
    content labelling", a provision also tagged "deepfake disclosure" is a deepfake rule."""
    return narrower_than(concepts, concept)


def narrower_key(narrower: frozenset[str]) -> tuple[object, ...]:
    """What `rule_key` adds for the narrower concepts: narrower concepts decide (the audit's R6).
    Two provisions compared under a broad concept are the same rule only if they carry the same
    narrower concepts under it; one tagged with the broad concept alone matches only another
    tagged with it alone. (Equal sets, not merely overlapping ones: "the same rule" is the strong
    claim, and the matrix buckets provisions by their keys.)"""
    return (("narrower", *sorted(narrower)),) if narrower else ()


def attribute_key(
    sanction: str,
    levels: frozenset[str],
    domains: frozenset[str],
    system_types: frozenset[str],
    qualifiers: frozenset[str],
    thresholds: Iterable[tuple[str, Decimal, str]],
    parameters: Iterable[tuple[str, Decimal, str]],
) -> str:
    """The part of `rule_key` that does not depend on modality and binding force: the rule
    signature the builder also stores (graph/signature.py), so SPARQL and Python agree."""
    return rule_signature(sanction, levels, domains, system_types, qualifiers, tuple(thresholds), tuple(parameters))


# ---------------------------------------------------------------- 2. reach


# Qualifiers that narrow whom or what a rule reaches by a condition of the conduct (a state of
# mind). Carve-outs (a written exception, "unless obvious", "as far as technically feasible")
# make two rules different but their width is not in the data: they do not by themselves make
# the other side reach more widely.
NARROWING = frozenset({"IntentQualifier", "SoleIntentQualifier", "KnowledgeQualifier", "RecklessnessQualifier"})


def _qualifier_dimension(a: frozenset[str], b: frozenset[str]) -> str:
    """More qualifiers reach less: no qualifier is a superset of "knowingly"."""
    a, b = a & NARROWING, b & NARROWING
    if a == b:
        return "equal"
    if a < b:
        return "superset"
    if b < a:
        return "subset"
    return "intersects"


def _threshold_dimension(a: Provision, b: Provision, rules: Rules, on: date) -> str:
    """An applicability threshold narrows a provision: one set on one side only makes that side
    the narrower; set on both, the stricter figure (lower compute, revenue, users) reaches more."""
    ka: dict[str, list[tuple[Decimal, str]]] = {}
    kb: dict[str, list[tuple[Decimal, str]]] = {}
    for kind, value, unit in a.thresholds:
        ka.setdefault(kind, []).append((value, unit))
    for kind, value, unit in b.thresholds:
        kb.setdefault(kind, []).append((value, unit))
    parts: set[str] = set()
    for kind in ka.keys() | kb.keys():
        if kind not in kb:
            parts.add("subset")
        elif kind not in ka:
            parts.add("superset")
        else:
            order = compare_figures(ka[kind], kb[kind], rules.stricter_when.get(kind, "lower"), on)
            # the stricter threshold catches more: a's stricter → a reaches more
            parts.add({"a": "superset", "b": "subset", "equal": "equal"}.get(order[0], "intersects"))
    return combine(parts) if parts else "equal"


def _object_dimension(a: frozenset[str], b: frozenset[str]) -> str:
    """A provision whose object is wider than the concept (xw:WiderObjectQualifier: a bar on
    all obscene content, compared under child sexual abuse material) reaches more of it."""
    wa, wb = "WiderObjectQualifier" in a, "WiderObjectQualifier" in b
    return "equal" if wa == wb else "superset" if wa else "subset"


def reach(a: Provision, b: Provision, rules: Rules, on: date) -> str:
    """How far a reaches relative to b: equal, subset, superset, intersects or no-relationship
    (scope.relation on tiers, domains and system types, with narrowing qualifiers, a wider
    object and thresholds as more dimensions)."""
    scope = relation((a.levels, a.domains, a.system_types), (b.levels, b.domains, b.system_types))
    if scope == "no-relationship":
        return scope
    return combine(
        {
            scope,
            _qualifier_dimension(implied(a.qualifiers), implied(b.qualifiers)),
            _object_dimension(a.qualifiers, b.qualifiers),
            _threshold_dimension(a, b, rules, on),
        }
    )


# ---------------------------------------------------------------- figures


def _comparable(value: Decimal, unit: str, on: date) -> tuple[Decimal, Decimal, str, str] | None:
    """A figure as a (low, high) interval in a base unit, with a note on any conversion: hours
    for days and hours; days for months (28 to 31 a month); euros for money."""
    if unit == "days":
        return value * 24, value * 24, "hours", ""
    if unit == "hours":
        return value, value, "hours", ""
    if unit == "months":
        return value * 28 * 24, value * 31 * 24, "hours", ""
    if len(unit) == 3 and unit.isalpha() and unit.isupper():
        converted = to_eur(value, unit, on)
        if converted is None:
            return None
        note = "" if unit == "EUR" else f"{show(value, unit)} {show_eur(converted)}"
        return converted.eur, converted.eur, "EUR", note
    return value, value, unit, ""


def compare_figures(
    a: Sequence[tuple[Decimal, str]], b: Sequence[tuple[Decimal, str]], direction: str, on: date
) -> tuple[str, str]:
    """Whose figures are stricter: ("a" | "b" | "equal" | "not-comparable", note).

    With as many distinct figures on each side (72 hours and 24 hours against 15 days and 24
    hours), they are paired in order and a side is stricter when each of its figures is at
    least as strict and one is stricter; otherwise the strictest of each side decide. Months
    against days decide only where the 28-31-day bounds do; working days never compare with
    calendar days; currencies compare in euros at the ECB reference rate of the date."""
    sides: list[list[tuple[Decimal, Decimal, str, str]] | None] = []
    for figures in (a, b):
        usable = list(dict.fromkeys(c for c in (_comparable(v, u, on) for v, u in figures) if c is not None))
        sides.append(usable if usable and len({c[2] for c in usable}) == 1 else None)
    ua, ub = sides
    if ua is None or ub is None or ua[0][2] != ub[0][2]:
        return "not-comparable", ""
    notes = "; ".join(dict.fromkeys(c[3] for c in (*ua, *ub) if c[3]))
    strict = (lambda c: c[0]) if direction == "lower" else (lambda c: -c[1])
    ua, ub = sorted(ua, key=strict), sorted(ub, key=strict)
    pairs = list(zip(ua, ub, strict=True)) if len(ua) == len(ub) else [(ua[0], ub[0])]
    orders = {_order(fa, fb, direction) for fa, fb in pairs}
    if orders <= {"equal"}:
        return "equal", notes
    if "not-comparable" in orders or {"a", "b"} <= orders:
        return "not-comparable", notes
    return ("a" if "a" in orders else "b"), notes


def _order(fa: tuple[Decimal, Decimal, str, str], fb: tuple[Decimal, Decimal, str, str], direction: str) -> str:
    """Which of two figures (intervals in one base unit) is stricter."""
    if (fa[0], fa[1]) == (fb[0], fb[1]):
        return "equal"
    lower = "a" if fa[1] < fb[0] else "b" if fb[1] < fa[0] else None
    if lower is None:  # overlapping bounds (6 months against 180 days)
        return "not-comparable"
    return lower if direction == "lower" else ("b" if lower == "a" else "a")


def _figures_of(ps: Sequence[Provision]) -> dict[str, list[tuple[Decimal, str]]]:
    """The figures of several provisions, by kind."""
    out: dict[str, list[tuple[Decimal, str]]] = {}
    for p in ps:
        for k, v in _figures(p).items():
            out.setdefault(k, []).extend(v)
    return out


def _figures(p: Provision) -> dict[str, list[tuple[Decimal, str]]]:
    out: dict[str, list[tuple[Decimal, str]]] = {}
    for kind, value, unit in p.parameters:
        out.setdefault(kind, []).append((value, unit))
    return out


def _show_all(figures: Sequence[tuple[Decimal, str]]) -> str:
    return ", ".join(dict.fromkeys(show(v, u) for v, u in sorted(figures)))


# ---------------------------------------------------------------- 3. the same rule


def same_rule(a: Provision, b: Provision, rules: Rules) -> bool:
    """Two provisions say the same thing: same modality, binding force and sanction, overlapping
    bearers, equal scope, qualifiers and thresholds, and the same figures of every kind (a figure
    one side sets and the other does not is a difference)."""
    return rule_key(a) == rule_key(b) and rules.roles_overlap(a.roles, b.roles)


# ---------------------------------------------------------------- 4. the concept's verdict


@dataclass(frozen=True)
class Opposed:
    """A prohibition on one side against an obligation or permission on the other."""

    kind: str  # "conflict" | "tension"
    what: str  # cannot-comply-with-both | permits-what-other-prohibits | incompatible-concepts
    a: Provision
    b: Provision
    relation: str
    why: str  # why the pair is opposed (opposed_reasons names the provisions)


# The verdicts that count as agreement (weight 1) in the interoperability index: an agreement
# at principle level is still agreement on what the texts say; it is named apart ("aligned") so
# that it is never read as the same obligation.
AGREEING = frozenset({"equivalent", "aligned"})


@dataclass(frozen=True)
class Verdict:
    """What the rules say about one concept both sides regulate in force."""

    kind: str  # equivalent | aligned | parallel | divergent | shared | opposed
    relation: str | None = None
    matched: tuple[tuple[Provision, Provision], ...] = ()
    stricter: str | None = None  # a party's code, "mixed" or None
    reasons: tuple[str, ...] = ()
    opposed: tuple[Opposed, ...] = field(default=())
    # said with the stricter side wherever it is shown: "on paper only" when enforcement of all
    # its duties here is stopped at the date (the stricter audit of 2026-12-03, should-fix 1)
    stricter_note: str | None = None


def judge(
    concept: str,
    a: Sequence[Provision],
    b: Sequence[Provision],
    parties: tuple[str, str],
    rules: Rules,
    on: date,
) -> Verdict:
    """The verdict on one concept that both sides regulate in force.

    - shared: every provision on it is held by both sides (law both inherit): no state-to-state
      claim is made, and the finding says whom that law binds;
    - equivalent: each side has provisions of its own on it, and every one of them has an
      equal counterpart (`same_rule`) among the other side's own (law both hold matches only
      itself, so one side's own rule equal to inherited law both hold is something it adds);
    - aligned: the same, on a principle concept or where the matched texts are recommendations:
      agreement at principle level, never called equivalent;
    - parallel: the same, on an institutional or policy concept: both provide for it;
    - opposed: on a practice concept one side only prohibits and the other only obliges or
      permits: reported as conflicts or tensions (`opposition`), neither equal nor half-equal;
    - divergent: anything else, with the matched provisions, those left over, how far each side
      reaches, and who is stricter.
    """
    name_a, name_b = parties
    ids_a, ids_b = {p.iri for p in a}, {p.iri for p in b}
    if ids_a == ids_b:
        makers = sorted({p.jurisdiction for p in a})
        return Verdict(
            "shared",
            relation="equal",
            matched=tuple((pa, pb) for pa in a for pb in b if same_rule(pa, pb, rules)),
            reasons=tuple(
                f"{p.jurisdiction} law binds both ({_bound(p)}): inherited law, not an agreement "
                f"between {name_a} and {name_b}"
                for p in _distinct(a)
            )
            or (f"both hold the same provisions of {', '.join(makers)}",),
        )
    opposed = tuple(opposition(concept, a, b, ids_a, ids_b, parties, rules, on))
    modal_a, modal_b = {p.modality for p in a}, {p.modality for p in b}
    if concept in rules.practices and _opposed_only(modal_a, modal_b):
        return Verdict("opposed", opposed=opposed)
    # Law both sides hold (inherited from a common lawmaker) is common ground: it matches itself
    # and nothing else, and a concept is equivalent only when each side's own provisions, of
    # which there must be some on both sides, are matched by the other's.
    own_a = [p for p in a if p.iri not in ids_b]
    own_b = [p for p in b if p.iri not in ids_a]
    common = [p for p in a if p.iri in ids_b]
    matched = tuple((pa, pb) for pa in own_a for pb in own_b if same_rule(pa, pb, rules)) + tuple(
        (pa, pb) for pa in common for pb in common if same_rule(pa, pb, rules)
    )
    left_a = tuple(p for p in own_a if p.iri not in {x.iri for x, _ in matched})
    left_b = tuple(p for p in own_b if p.iri not in {y.iri for _, y in matched})
    if own_a and own_b and not left_a and not left_b and concept in rules.institutional:
        # Two states' authorities, programmes or plans under one concept are not the same rule
        # because their (empty) rule signatures agree: the EU's advisory forum does not "equal"
        # Kazakhstan's Government. Say that both provide for it, and claim nothing more.
        return Verdict(
            "parallel",
            relation=None,
            matched=matched,
            reasons=(
                f"{name_a} and {name_b} both provide for it; institutional design is not compared "
                "provision by provision, so no equivalence is claimed",
            ),
            opposed=opposed,
        )
    if own_a and own_b and not left_a and not left_b:
        principle = _principle_level(concept, matched, parties, rules)
        # On a principle, or where the matched texts are recommendations, the sides agree at
        # principle level only: a kind of its own, "aligned", so that no table or count shows
        # it as "equivalent" (the second reading of the audit resolution, should-fix 5).
        return Verdict(
            "aligned" if principle else "equivalent",
            relation="equal",
            matched=matched,
            reasons=principle
            + tuple(dict.fromkeys(_equal_reason(pa, pb, parties, bool(principle)) for pa, pb in matched)),
            opposed=opposed,
        )
    rel = _concept_reach(a, b, rules, on)
    # who is stricter is decided by what differs, not by the common ground
    if own_a and own_b:
        side, reasons = stricter(own_a, own_b, parties, rules, on)
    else:
        more, extra = (name_a, own_a) if own_a else (name_b, own_b)
        # only duties on those the rules govern make a side stricter: a state's duty to itself
        # (Italy's Art. 24 tells its Government to set penalties) adds no burden on anyone
        duties = [p for p in extra if p.modality in DUTIES and not _state_only(p) and not _opt_in(p)]
        side = more if duties else None
        reasons = (
            [f"{more} stricter: adds {_cites(duties)} to the law both hold"]
            if duties
            else [f"{more} adds {_cites(extra)} to the law both hold"]
        )
    if concept in rules.relief:
        # A safe harbour or an exclusion from scope lightens the rules, and an allocation of
        # liability decides who answers: more of either is not "stricter", and a duty over a
        # permission (China's providers held liable as content producers against Texas's
        # defence where another misuses the system) ranks nothing (the stricter audit of
        # 2026-12-03, should-fix 6). The concept says why in its own words (xw:unrankedBecause;
        # the session-f relief reading, M1); what differs is still said.
        reasons = [
            rules.relief[concept] or "relief is not ranked: neither side is called stricter",
            *(_unranked(r, name_a, name_b) for r in reasons),
        ]
        side = None
    if side is not None and not any(p.binding for p in (*own_a, *own_b)):
        # "stricter" needs binding force: between two recommendations neither is stricter, one
        # recommends more (the second reading of the audit resolution)
        reasons = ["neither side binds, so neither is stricter"] + [
            r.replace(f"{name_a} stricter", f"{name_a} goes further").replace(
                f"{name_b} stricter", f"{name_b} goes further"
            )
            for r in reasons
        ]
        side = None
    if concept in rules.principle_concepts:
        # A principle stated in a statute ("AI shall be transparent") sets no measurable duty:
        # binding in form, it is compared at principle level, as "aligned" is, and no side is
        # called stricter (the stricter audit of 2026-12-03, should-fix 2)
        # Reach, bearer and other votes are not restated as "goes further": a principle names no
        # conduct, and its bearers are the curator's reading (session-e second reading, E and F)
        stated = [x for r in reasons if (x := _principle_reason(r, name_a, name_b))]
        head = "a principle sets no measurable duty: compared at principle level, neither is called stricter"
        reasons = [head, *stated]
        side = None
    if concept in rules.institutional:
        # what a state sets up for itself is not ranked: a duty to grant sandbox relief is not
        # "stricter", nor is a federal memo's inventory a state's (the second reading of the
        # audit resolution, must-fix 3; R1 says the same of the equal case)
        side = None
        reasons = (
            [
                f"{name_a} and {name_b} provide for it differently; institutional design is not compared "
                "provision by provision, so neither is called stricter"
            ]
            if own_a and own_b
            else [f"{name_a if own_a else name_b} adds {_cites(own_a or own_b)} to the law both hold"]
        )
    # a side stricter on paper whose every duty here is stayed is not stricter in practice today
    own = {name_a: own_a, name_b: own_b}.get(side or "", [])
    duties = [p for p in own if stay_matters(p.sanction, p.modality, p.roles)]
    note = None
    if duties and all(stayed(p) for p in duties):
        reasons = [*reasons, f"{side} stricter on paper only: enforcement of its duties here is stopped at the date"]
        note = "on paper only"
    left = []
    kinds = measured_by().get(concept)
    unmeasured = [
        name
        for name, own in ((name_a, own_a), (name_b, own_b))
        if kinds and own and not any(k in kinds for p in own for k, _, _ in p.parameters)
    ]
    if unmeasured:
        figures = " or ".join(sorted(rules.label(k) for k in kinds or ()))
        left.append(f"no {figures} curated for {' and '.join(unmeasured)}: the amounts cannot be compared")
    left.extend(_stay_reasons(left_a, left_b, parties, rules))
    narrower_lines, explained = _narrower_reasons(left_a, left_b, parties, rules)
    left.extend(narrower_lines)
    only_a = [p for p in _distinct(left_a) if p.iri not in explained]
    only_b = [p for p in _distinct(left_b) if p.iri not in explained]
    if only_a:
        left.append(f"{name_a} only: " + "; ".join(dict.fromkeys(_cite_for(p, name_a) for p in only_a)))
    if only_b:
        left.append(f"{name_b} only: " + "; ".join(dict.fromkeys(_cite_for(p, name_b) for p in only_b)))
    return Verdict(
        "divergent",
        relation=rel,
        matched=matched,
        stricter=side,
        reasons=tuple(reasons) + tuple(left),
        opposed=opposed,
        stricter_note=note,
    )


def _unstayed(p: Provision) -> Provision:
    return replace(p, caveats=tuple(c for c in p.caveats if c.kind not in STAY_KINDS))


def _stay_reasons(
    left_a: Sequence[Provision], left_b: Sequence[Provision], parties: tuple[str, str], rules: Rules
) -> list[str]:
    """Pairs left over only because one side's enforcement is stayed: say so, with the order."""
    out = []
    for pa in _distinct(left_a):
        for pb in _distinct(left_b):
            if stayed(pa) == stayed(pb) or not same_rule(_unstayed(pa), _unstayed(pb), rules):
                continue
            held, free = ((pa, parties[0]), (pb, parties[1])) if stayed(pa) else ((pb, parties[1]), (pa, parties[0]))
            stay = next(c for c in held[0].caveats if c.kind in STAY_KINDS)
            # a stay curated without an end date (it ends on an event not yet dated) is assumed to
            # hold at any later date: say so, since only a later curation can confirm it
            until = (
                f"until {stay.until}"
                if stay.until
                else "no end date curated, so assumed to hold until a later curation says otherwise"
            )
            out.append(
                f"{named(held[0])} ({_whose_law(*held)}) would match {named(free[0])} ({_whose_law(*free)}) "
                "on what the rules "
                f"compare, but its enforcement is stopped at the date ({stay.kind.replace('-', ' ')} from "
                f"{stay.start}, {until}; {stay.by}): not the same rule while that holds"
            )
    return list(dict.fromkeys(out))


def _narrower_reasons(
    left_a: Sequence[Provision], left_b: Sequence[Provision], parties: tuple[str, str], rules: Rules
) -> tuple[list[str], frozenset[str]]:
    """Pairs left over only because they cover different things under the concept (R6): say
    what each covers beyond the other and what both cover, pair by pair, in plain words (the
    session-d second reading, should-fix 4). Returns the lines and the provisions they explain,
    which the "only" lines then leave out (they have a counterpart, though not an equal one)."""
    out, explained = [], set()
    for pa in _distinct(left_a):
        for pb in _distinct(left_b):
            if pa.narrower == pb.narrower or not same_rule(replace(pa, narrower=pb.narrower), pb, rules):
                continue
            words = []
            for p, other, code in ((pa, pb, parties[0]), (pb, pa, parties[1])):
                extra = sorted(_lower(rules.label(c)) for c in p.narrower - other.narrower)
                if extra:
                    words.append(f"{code}'s also covers {_and(extra)}")
            both = sorted(_lower(rules.label(c)) for c in pa.narrower & pb.narrower)
            if both:
                words.append(f"both cover {_and(both)}")
            out.append(
                f"{named(pa)} ({_whose_law(pa, parties[0])}) and {named(pb)} ({_whose_law(pb, parties[1])}) "
                "are alike but for what they "
                f"cover under the concept: {'; '.join(words)}"
            )
            explained |= {pa.iri, pb.iri}
    return list(dict.fromkeys(out)), frozenset(explained)


def _lower(label: str) -> str:
    """A label inside a sentence: "Existing private remedies…" → "existing…"; "AI literacy" kept."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _principle_level(
    concept: str, matched: Sequence[tuple[Provision, Provision]], parties: tuple[str, str], rules: Rules
) -> tuple[str, ...]:
    """What an equivalence on a principle, or on soft law, does and does not claim (the audit:
    a soft-law "equivalent" is never printed without the words "principle level")."""
    voluntary = [name for i, name in enumerate(parties) if any(not pair[i].binding for pair in matched)]
    if concept in rules.principles:
        force = (
            "as binding law"
            if not voluntary
            else "both as recommendations"
            if len(voluntary) == 2
            else f"{voluntary[0]} as a recommendation"
        )
        return (
            f"at principle level only: {parties[0]} and {parties[1]} both state the principle ({force}); "
            "how each gives effect to it is not compared",
        )
    if voluntary:
        # "the same recommendation" overstated two texts that share a topic (the second reading
        # of the audit resolution, should-fix 6): say what both recommend, and no more
        return (
            f"at principle level only: {' and '.join(voluntary)} both address {_lower(rules.label(concept))} "
            "by recommendation, without binding force; their words are not compared clause by clause, and "
            "neither is an obligation",
        )
    return ()


def _opposed_only(modal_a: set[str], modal_b: set[str]) -> bool:
    enabling = {"obligation", "permission"}
    return (modal_a == {"prohibition"} and modal_b <= enabling) or (modal_b == {"prohibition"} and modal_a <= enabling)


def _covers(x: Provision, ys: Sequence[Provision], rules: Rules, on: date) -> bool:
    """Some provision of ys with x's modality reaches the cases x reaches (whoever it binds:
    reach is about systems, uses and conduct; who bears the duty is said apart)."""
    return any(y.modality == x.modality and reach(x, y, rules, on) in ("equal", "subset") for y in ys)


def _concept_reach(a: Sequence[Provision], b: Sequence[Provision], rules: Rules, on: date) -> str:
    """How far one side's rules on the concept reach against the other's, as a whole: a subset
    when every provision of a is matched by one of b reaching at least as far, and not back."""
    contained = containment(all(_covers(p, b, rules, on) for p in a), all(_covers(p, a, rules, on) for p in b))
    if contained:
        return contained
    related = any(reach(pa, pb, rules, on) != "no-relationship" for pa in a for pb in b)
    return "intersects" if related else "no-relationship"


# ---------------------------------------------------------------- 5. who is stricter


def stricter(
    a: Sequence[Provision],
    b: Sequence[Provision],
    parties: tuple[str, str],
    rules: Rules,
    on: date,
) -> tuple[str | None, list[str]]:
    """The stricter side and the reasons, grouped by the party they favour.

    1. Binding force comes first: where one side has binding law on the concept and the other
       only voluntary guidance, the binding side is stricter, whatever the guidance's scope or
       modality. Soft law is never the stricter side against hard law.
    2. A duty (obligation, prohibition) on one side against only permissions on the other, of
       the same force: the side that imposes the duty is stricter. Against rights, which imply
       duties of others, there is no common measure and no side.
    3. Between provisions of equal force and kind, each of these votes: a harder sanction
       behind duties that meet; a wider reach (scope, narrowing qualifiers, thresholds; where
       each side reaches cases the other does not, each gets a vote); bearers that include the
       other's and more; duties added to a set the other side fully matches; for each kind of
       figure both set, the stricter figure (xw:stricterWhen). A figure set on one side only is a
       difference without a side.
    Votes for both sides give "mixed": each side is stricter somewhere, and the reasons say where."""
    name = {"a": parties[0], "b": parties[1]}
    bind_a, bind_b = any(p.binding for p in a), any(p.binding for p in b)
    if bind_a != bind_b:
        side, other = ("a", "b") if bind_a else ("b", "a")
        hard, soft = (a, b) if bind_a else (b, a)
        governed = [p for p in hard if p.binding and not _state_only(p)]
        if governed and not [p for p in governed if p.modality in DUTIES and not _opt_in(p)]:
            # a binding permission, right or defence binds no one to anything: against
            # guidance it is no stricter rule (session-e second reading, must-fix B: a voluntary
            # pre-release access framework, a defence to liability)
            return None, [
                f"{name[side]}'s binding text here imposes no duty on those the rules govern "
                f"({'; '.join(dict.fromkeys(_cite_for(p, name[side]) for p in governed))}); "
                f"{name[other]}'s guidance binds no one ({_cites(soft)}): neither is stricter"
            ]
        governed = [p for p in governed if p.modality in DUTIES and not _opt_in(p)] or governed
        if not governed:
            # a state's duty to itself makes no side stricter, against guidance either (the
            # stricter audit of 2026-12-03, must-fix 1)
            bound = [p for p in hard if p.binding]
            return None, [
                f"{name[side]}'s binding text ({_cites(bound)}) binds only {_own_bodies(bound, name[side], rules)}; "
                f"{name[other]}'s guidance binds no one ({_cites(soft)}): neither is stricter on those the rules govern"
            ]
        return name[side], [
            f"{name[side]} stricter: binding law ({_cites(governed)}) against "
            f"{name[other]}'s voluntary guidance ({_cites(soft)})"
        ]
    # equal force: weigh the provisions of that force only
    top_a = [p for p in a if p.binding == bind_a]
    top_b = [p for p in b if p.binding == bind_b]
    plain: list[str] = []
    # duties on those the rules govern outrank duties of the state itself (a US ban on
    # preclearance binds agencies; China's security assessments bind providers)
    governed_a = [p for p in top_a if p.modality in DUTIES and not _state_only(p) and not _opt_in(p)]
    governed_b = [p for p in top_b if p.modality in DUTIES and not _state_only(p) and not _opt_in(p)]
    # against each other, a duty to endeavour is weighed below a duty that owes a result (it is
    # still a duty: binding, it outranks guidance in step 1, and it binds more than the state)
    if any(not _best_efforts(p) for p in governed_a + governed_b):
        full_a = [p for p in governed_a if not _best_efforts(p)]
        full_b = [p for p in governed_b if not _best_efforts(p)]
    else:
        full_a, full_b = governed_a, governed_b
    state_a = [p for p in top_a if p.modality in DUTIES and _state_only(p)]
    state_b = [p for p in top_b if p.modality in DUTIES and _state_only(p)]
    if (governed_a and not governed_b and state_b) or (governed_b and not governed_a and state_a):
        side, other = ("a", "b") if governed_a else ("b", "a")
        state = state_b if side == "a" else state_a
        if not bind_a:
            # two recommendations: what each addresses, not what it binds (guidance binds no one)
            return name[side], [
                f"{name[side]} stricter: its recommendations address those the rules govern "
                f"({_cites(governed_a or governed_b)}); {name[other]}'s ({_cites(state)}) address only "
                f"{_own_bodies(state, name[other], rules)}"
            ]
        return name[side], [
            f"{name[side]} stricter: its duties bind those the rules govern ({_cites(governed_a or governed_b)}); "
            f"{name[other]}'s ({_cites(state)}) bind only {_own_bodies(state, name[other], rules)}"
        ]
    if state_a and state_b and not governed_a and not governed_b:
        # two states' duties to their own bodies are not ranked (must-fix 2 of the stricter audit)
        if all(p.jurisdiction == name["a"] for p in state_a) and all(p.jurisdiction == name["b"] for p in state_b):
            return None, [
                f"{name['a']}'s and {name['b']}'s duties here bind only their own public bodies "
                f"({_cites(state_a)}; {_cites(state_b)}): not ranked"
            ]
        return None, [
            f"{name['a']}'s duties here ({_cites(state_a)}) bind only {_own_bodies(state_a, name['a'], rules)}, and "
            f"{name['b']}'s ({_cites(state_b)}) only {_own_bodies(state_b, name['b'], rules)}: not ranked"
        ]
    # only duties on those the rules govern are weighed from here: a state's duty to itself
    # against a permission is no stricter rule (must-fix 1)
    duties_a, duties_b = full_a, full_b
    top_a = [p for p in top_a if not (p.modality in DUTIES and (_state_only(p) or _opt_in(p)))] or top_a
    top_b = [p for p in top_b if not (p.modality in DUTIES and (_state_only(p) or _opt_in(p)))] or top_b
    measured = bool(measured_by().get(next(iter(a or b)).concept)) if (a or b) else False
    if measured:
        # fines and the like are compared on their figures alone (must-fix 3): a power to fine
        # is not a "permission" against a duty, and reach or bearers do not make a fine higher
        votes_m: dict[str, list[str]] = {"a": [], "b": []}
        _figure_votes(governed_a or top_a, governed_b or top_b, name, rules, on, votes_m, plain, held=(a, b))
        out_m = [f"{name[s]} stricter: " + "; ".join(dict.fromkeys(votes_m[s])) for s in ("a", "b") if votes_m[s]]
        out_m += [f"differs: {x}" for x in dict.fromkeys(plain)]
        winner_m = (
            None
            if not (votes_m["a"] or votes_m["b"])
            else "mixed"
            if votes_m["a"] and votes_m["b"]
            else (name["a" if votes_m["a"] else "b"])
        )
        return winner_m, out_m
    if bool(duties_a) != bool(duties_b):
        side, other = ("a", "b") if duties_a else ("b", "a")
        others = top_b if side == "a" else top_a
        _figure_votes(top_a, top_b, name, rules, on, {"a": [], "b": []}, plain, vote=False, held=(a, b))
        # a recommendation "imposes" nothing (the second reading, should-fix 11)
        imposes = "imposes a duty" if any(p.binding for p in duties_a or duties_b) else "recommends a duty"
        powers = [p for p in others if p.modality == "permission" and _state_only(p)]
        if others and len(powers) == len(others):
            # an authority's power (to request, investigate, fine) implies duties of the governed,
            # as a right does: no common measure (must-fix 3 of the stricter audit)
            return None, [
                f"{name[side]} {imposes} ({_cites(duties_a or duties_b)}); {name[other]}'s authorities hold powers "
                f"({_cites(powers)}): no common measure"
            ] + [f"differs: {x}" for x in plain]
        duties = duties_a or duties_b
        effort = all(_best_efforts(p) for p in duties)
        weaker = all(p.modality == "permission" or _best_efforts(p) or _opt_in(p) for p in others)
        if weaker and effort:
            imposes = "imposes a duty to endeavour"
        if weaker and effort and any(_opt_in(p) for p in others):
            # an effort owed by all against a result owed by those who opt in: neither binds all
            # it names to a result, so neither is ranked (session-f follow-ups reading, S1, over
            # the best-efforts reading's "marginally stricter")
            return None, [
                f"{name[side]} {imposes} ({_cites(duties)}); {name[other]}'s duties bind only those who opt in "
                f"({_cites(others)}): neither owes a result of all it names, so neither is ranked"
            ] + [f"differs: {x}" for x in plain]
        if weaker:
            # a duty to endeavour owes no result, and one on those who opt in binds no one who
            # does not: against a duty that binds all it names to a result, each is the weaker
            # rule, as a permission is (Korea's Art. 30(3) against Viet Nam's Art. 13, the KR-VN
            # golden; the session-f best-efforts reading, M2: Kazakhstan's trusted-list audit)
            kinds = dict.fromkeys(
                "only permits"
                if p.modality == "permission"
                else "binds only those who opt in"
                if _opt_in(p)
                else "requires only an effort"
                for p in others
            )
            return name[side], [
                f"{name[side]} stricter: it {imposes} ({_cites(duties)}) where "
                f"{name[other]} {' or '.join(kinds)} ({_cites(others)})"
            ] + [f"differs: {x}" for x in plain]
        return None, [f"modality differs: only {name[side]} {imposes} on this concept"] + [
            f"differs: {x}" for x in plain
        ]
    if duties_a:
        top_a, top_b = duties_a, duties_b
    # else neither imposes a duty (powers to fine, rights, savings clauses): only figures are
    # weighed (a higher fine ceiling is stricter enforcement); sanctions back duties only
    votes: dict[str, list[str]] = {"a": [], "b": []}
    if bind_a and duties_a:
        _sanction_vote(top_a, top_b, name, rules, on, votes, plain)
    # Who holds more powers or rights, over more cases, is not a stricter rule: a wider
    # permission may be the laxer one, and a savings clause binds no one (the session-d second
    # reading, must-fix 3). Without duties, reach, holders and added provisions are differences.
    ranked = votes if duties_a else {"a": [], "b": []}
    rel = _concept_reach(top_a, top_b, rules, on)
    plain.extend(_narrowing(top_a, top_b, name, rules))
    if rel in ("subset", "superset"):
        wider = "b" if rel == "subset" else "a"
        ranked[wider].append(f"reaches more widely ({name['a']}'s rules are a {rel} of {name['b']}'s)")
    elif rel == "intersects":
        # each side's rules reach cases the other's do not: each is stricter somewhere
        for side, other in (("a", "b"), ("b", "a")):
            ranked[side].append(f"reaches cases {name[other]}'s rules do not")
    elif rel == "no-relationship":
        plain.append(f"{name['a']}'s and {name['b']}'s rules reach different cases")
    _bearer_vote(top_a, top_b, name, rules, ranked, plain, duties=bool(duties_a))
    _added_vote(top_a, top_b, name, rules, ranked)
    if not duties_a:
        plain.extend(f"{name[s]} {x}" for s in ("a", "b") for x in ranked[s])
    _figure_votes(top_a, top_b, name, rules, on, votes, plain, held=(a, b))
    # figures on the other provisions (rights, permissions, the weaker force) are differences
    # too, said without a vote, for kinds the weighed provisions do not set
    weighed = {k for p in (*top_a, *top_b) for k, _, _ in p.parameters}
    rest_a = [_without(p, weighed) for p in a if p not in top_a]
    rest_b = [_without(p, weighed) for p in b if p not in top_b]
    _figure_votes(rest_a, rest_b, name, rules, on, votes, plain, vote=False)
    out = [f"{name[s]} stricter: " + "; ".join(dict.fromkeys(votes[s])) for s in ("a", "b") if votes[s]]
    out += [f"differs: {x}" for x in dict.fromkeys(plain)]
    if len(top_a) < len(a) or len(top_b) < len(b):
        out.append("provisions of another force or modality beside these were not weighed")
    winner = (
        None
        if not (votes["a"] or votes["b"])
        else "mixed"
        if votes["a"] and votes["b"]
        else name["a" if votes["a"] else "b"]
    )
    return winner, out


def _bearer_vote(
    a: Sequence[Provision],
    b: Sequence[Provision],
    name: dict[str, str],
    rules: Rules,
    votes: dict[str, list[str]],
    plain: list[str],
    duties: bool = True,
) -> None:
    """Bearers that include the other side's and more bind more parties (Colorado's deployers
    and developers against the EU's providers); bearers that merely differ are said. Powers and
    rights bind no one: their bearers are named, not bound (`duties` False)."""
    roles_a, roles_b = frozenset(r for p in a for r in p.roles), frozenset(r for p in b for r in p.roles)
    if roles_a == roles_b:
        return
    anyone = "AnyPerson"  # any person includes every role; no named role includes any person
    a_has_b = anyone in roles_a or (
        anyone not in roles_b
        and all(any(rules.roles_overlap(frozenset({y}), frozenset({x})) for x in roles_a) for y in roles_b)
    )
    b_has_a = anyone in roles_b or (
        anyone not in roles_a
        and all(any(rules.roles_overlap(frozenset({x}), frozenset({y})) for y in roles_b) for x in roles_a)
    )
    # a recommendation addresses its bearers; only law binds them (the second reading, should-fix 11)
    verb = {
        k: ("binds" if any(p.binding for p in side) else "addresses") if duties else "names"
        for k, side in (("a", a), ("b", b))
    }
    text = f"{name['a']} {verb['a']} {_roles(roles_a)}; {name['b']} {verb['b']} {_roles(roles_b)}"
    if a_has_b and not b_has_a:
        votes["a"].append(f"{verb['a']} more parties ({text})")
    elif b_has_a and not a_has_b:
        votes["b"].append(f"{verb['b']} more parties ({text})")
    else:
        plain.append(f"bearers: {text}")


def _added_vote(
    a: Sequence[Provision], b: Sequence[Provision], name: dict[str, str], rules: Rules, votes: dict[str, list[str]]
) -> None:
    """Every provision of one side has an equal counterpart on the other, which adds more: the
    other side asks everything the first does, and more."""
    left_a = [p for p in a if not any(same_rule(p, q, rules) for q in b)]
    left_b = [q for q in b if not any(same_rule(p, q, rules) for p in a)]
    if not left_a and left_b:
        votes["b"].append(f"adds {_cites(left_b)} to rules {name['a']} shares")
    elif not left_b and left_a:
        votes["a"].append(f"adds {_cites(left_a)} to rules {name['b']} shares")


def _without(p: Provision, kinds: set[str]) -> Provision:
    return replace(p, parameters=tuple(x for x in p.parameters if x[0] not in kinds))


def _narrowing(a: Sequence[Provision], b: Sequence[Provision], name: dict[str, str], rules: Rules) -> list[str]:
    """What narrows one side's rules and not the other's, in words: qualifiers and thresholds."""
    quals = {side: {rules.label(q) for p in ps for q in p.qualifiers} for side, ps in (("a", a), ("b", b))}
    limits = {
        side: {f"{rules.label(k)} {show(v, u)}" for p in ps for k, v, u in p.thresholds}
        for side, ps in (("a", a), ("b", b))
    }
    out = []
    for side, other, ps in (("a", "b", a), ("b", "a", b)):
        own_quals = sorted(quals[side] - quals[other])
        if own_quals:
            cited = _cites(p for p in ps if {rules.label(q) for q in p.qualifiers} & set(own_quals))
            out.append(f"{name[side]} qualified: {', '.join(own_quals)} ({cited})")
        own_limits = sorted(limits[side] - limits[other])
        if own_limits:
            out.append(
                f"{name[side]} applies only above: {', '.join(own_limits)} ({_cites(p for p in ps if p.thresholds)})"
            )
    return out


def _sanction_vote(
    a: Sequence[Provision],
    b: Sequence[Provision],
    name: dict[str, str],
    rules: Rules,
    on: date,
    votes: dict[str, list[str]],
    plain: list[str],
) -> None:
    """Pair by pair, over duties that meet (same modality, overlapping bearers, scopes that
    meet): the one backed by a harder sanction votes for its side. Duties that bind only public
    authorities are left out (an act's fines punish those it regulates, not the state's own
    organisation), and an uncurated sanction is said, not weighed."""
    unknown: set[str] = set()
    backed: dict[tuple[str, str, str], tuple[dict[str, None], dict[str, None]]] = {}
    for pa in a:
        for pb in b:
            if pa.modality != pb.modality or not rules.roles_overlap(pa.roles, pb.roles):
                continue
            if _state_only(pa) or _state_only(pb) or reach(pa, pb, rules, on) == "no-relationship":
                continue
            ra, rb = SANCTION_RANK.get(pa.sanction, 0), SANCTION_RANK.get(pb.sanction, 0)
            if 0 in (ra, rb):
                unknown.update(_cite(p) for p, r in ((pa, ra), (pb, rb)) if r == 0)
            elif ra != rb:
                hard, soft, side = (pa, pb, "a") if ra > rb else (pb, pa, "b")
                cites = backed.setdefault((side, hard.sanction, soft.sanction), ({}, {}))
                cites[0][_cite(hard)] = None
                cites[1][_cite(soft)] = None
    for (side, hard_kind, soft_kind), (hard_cites, soft_cites) in sorted(backed.items()):
        other = "b" if side == "a" else "a"
        votes[side].append(
            f"its duties are backed by {SANCTION_LABEL[hard_kind]} ({', '.join(hard_cites)}) where "
            f"{name[other]}'s matching duties bring {SANCTION_LABEL[soft_kind]} ({', '.join(soft_cites)})"
        )
    if unknown:
        plain.append("sanction not curated for " + ", ".join(sorted(unknown)))


# Domains that name the government's own bodies as the users a rule governs: a duty scoped to
# them binds the state itself, however its bearer is named (US federal memos name "covered
# agencies" as deployers and carry CentralGovernment; Peru names public entities directly).
# PublicSector too: Canada's Directive on Automated Decision-Making and Australia's DTA policy
# bind their own institutions, tagged PublicSector (session-e second reading, must-fix A).
OWN_GOVERNMENT = frozenset({"CentralGovernment", "StateGovernment", "LocalGovernment", "PublicSector"})


def _opt_in(p: Provision) -> bool:
    """A duty only those who chose a voluntary step bear: weighed like the permission it
    follows (the stricter audit of 2026-12-03, must-fix 4)."""
    return "OptInQualifier" in p.qualifiers


def _best_efforts(p: Provision) -> bool:
    """A duty to endeavour, owing no result (Korean 노력하여야 한다): weighed below a duty that
    owes one, as a permission is."""
    return "BestEffortsQualifier" in p.qualifiers


def _state_only(p: Provision) -> bool:
    """A rule that binds only the state's own bodies (the stricter audit of 2026-12-03, must-fix
    2: one test, whichever way the public-sector limit is encoded)."""
    return p.roles == frozenset({"PublicAuthority"}) or (bool(p.domains) and p.domains <= OWN_GOVERNMENT)


def _figure_votes(
    a: Sequence[Provision],
    b: Sequence[Provision],
    name: dict[str, str],
    rules: Rules,
    on: date,
    votes: dict[str, list[str]],
    plain: list[str],
    vote: bool = True,
    held: tuple[Sequence[Provision], Sequence[Provision]] = ((), ()),
) -> None:
    """For each kind of figure: set on one side only is a difference; set on both, the stricter
    figure votes for its side (when `vote`), converted where units or currencies differ. `held`
    is each side's whole set on the concept, where `a` and `b` are the provisions weighed."""
    fa, fb = _figures_of(a), _figures_of(b)
    elsewhere = {"a": _figures_of(held[0]), "b": _figures_of(held[1])}
    weighed = {"a": a, "b": b}

    def whose(side: str, kind: str) -> str:
        # whose law sets it: a federal order's 30 days are US law binding in Arkansas, not
        # Arkansas's (session-f relief reading, S8)
        party = name[side]
        makers = list(dict.fromkeys(p.jurisdiction for p in weighed[side] if kind in _figures(p)))
        return party if not makers or party in makers else f"{', '.join(makers)} law, binding in {party}"

    def setter(side: str, kind: str) -> str:
        said = whose(side, kind)
        return said if said == name[side] else f"{name[side]} ({said})"

    for kind in sorted(fa.keys() | fb.keys()):
        label = rules.label(kind)
        if kind not in fb or kind not in fa:
            has, lacks = ("a", "b") if kind in fa else ("b", "a")
            other = elsewhere[lacks].get(kind)
            # "none curated", not "sets none": a figure missing from the data may be set by law
            # the corpus does not hold (a fine left to the FTC Act; session-e second reading,
            # T13); and one set in the side's provisions of another force is said as such
            # (session-f relief reading, M2: the GPAI Code's 14 days beside the AI Act's duty)
            plain.append(
                f"{label}: {setter(has, kind)} sets {_show_all((fa if has == 'a' else fb)[kind])}; "
                + (
                    f"{name[lacks]} sets {_show_all(other)} only in provisions not weighed here"
                    if other
                    else f"none curated for {name[lacks]}"
                )
            )
            continue
        if figure_key([(kind, v, u) for v, u in fa[kind]]) == figure_key([(kind, v, u) for v, u in fb[kind]]):
            continue
        order, note = compare_figures(fa[kind], fb[kind], rules.stricter_when.get(kind, "lower"), on)
        text = f"{label} {_show_all(fa[kind])} ({whose('a', kind)}) against {_show_all(fb[kind])} ({whose('b', kind)})"
        if note:
            text += f" [{note}]"
        if order in ("a", "b") and vote:
            votes[order].append(text)
        else:
            plain.append(text + ("" if order in ("equal", "a", "b") else ": not comparable"))


# ---------------------------------------------------------------- 6. opposed rules


def opposition(
    concept: str,
    a: Sequence[Provision],
    b: Sequence[Provision],
    ids_a: Set[str],
    ids_b: Set[str],
    parties: tuple[str, str],
    rules: Rules,
    on: date,
) -> list[Opposed]:
    """Prohibitions against obligations or permissions on a practice concept. Only a practice
    (an activity rules ban or allow) can be opposed: on a safeguard, a ban on undermining it
    (removing a label) agrees with a duty to apply it."""
    if concept not in rules.practices:
        return []
    out = []
    for pa in a:
        for pb in b:
            what = OPPOSED.get(frozenset({pa.modality, pb.modality}))
            if what is None:
                continue
            found = classify_opposed(what, pa, pb, ids_a, ids_b, parties, rules, on)
            if found is not None:
                out.append(found)
    return out


def classify_opposed(
    what: str,
    pa: Provision,
    pb: Provision,
    ids_a: Set[str],
    ids_b: Set[str],
    parties: tuple[str, str],
    rules: Rules,
    on: date,
) -> Opposed | None:
    """Conflict or tension, or nothing.

    A conflict ("cannot comply with both") needs one actor, one act and one market: bearers that
    overlap, scopes that meet, and lawmakers whose rules bind in the same market (one is part of
    the other: a state and its federation). Rules of two sovereign regimes bind in different
    markets, and rules that bind different parties (federal agencies buying models, providers
    serving the public) can both be met: that is a tension, reported apart. Nothing is reported
    when the scopes do not meet, when one lawmaker made both, or when a provision both sides
    hold was made by neither party: Colorado's clash with federal law is Colorado's own, not a
    finding between Colorado and Texas (though it is one between Colorado and the US)."""
    if pa.jurisdiction == pb.jurisdiction:
        return None
    if (pa.iri in ids_b and pa.jurisdiction not in parties) or (pb.iri in ids_a and pb.jurisdiction not in parties):
        return None
    rel = reach(pa, pb, rules, on)
    if rel == "no-relationship":
        return None
    bearers = rules.roles_overlap(pa.roles, pb.roles)
    market = rules.same_market(pa.jurisdiction, pb.jurisdiction)
    if bearers and market:
        same = "the same actor cannot comply with both"
        return Opposed("conflict", what, pa, pb, rel, same)
    why: list[str] = []
    if not bearers:
        why.append(f"they bind different parties ({_whom(pa)}; {_whom(pb)})")
    if not market:
        why.append(
            f"they bind in different markets ({pa.jurisdiction}, {pb.jurisdiction}): one actor can meet each "
            "where it applies"
        )
    return Opposed("tension", what, pa, pb, rel, " and ".join(why))


# ---------------------------------------------------------------- 7. absence


def absence(
    present: str,
    lacking: str,
    covered: bool,
    pending: Sequence[Provision],
    general: Sequence[Provision] = (),
    principle: bool = False,
) -> tuple[str, tuple[str, ...]]:
    """A concept one side regulates in force with AI-specific rules and the other does not.
    Where general law of the lacking side reaches the matter (GDPR Art. 22 for automated
    decisions), that is what the finding says ("general-law"), not a gap; otherwise a gap only
    against the lacking side's declared coverage of AI-specific rules, else not curated. Where
    the lacking side has adopted law on it that applies later, the finding says so with the
    date, never "would need to adopt". On a principle concept the absence is of a statement of
    the principle: the lacking side may still address the matter as practice under other
    concepts (the second reading of the audit resolution, should-fix 11: G7 on accountability)."""
    if general:
        kind = "general-law"
        reasons = [
            f"{lacking} has no AI-specific provision in force on this concept; general law reaches it: "
            + "; ".join(f"{named(p)} ({p.modality})" for p in _distinct(general))
        ]
    else:
        kind = "gap" if covered else "not-curated"
        reasons = [
            (
                f"{lacking} states no such principle in an AI-specific instrument in force (it may address the "
                "matter as practice under other concepts)"
                if principle
                else f"{lacking} has no AI-specific provision in force on this concept"
            )
            + (
                ""
                if covered
                else f"; {lacking} has not declared its rules on this group complete, so absence proves nothing"
            )
        ]
    for p in _distinct(pending):
        reasons.append(f"{lacking}: {named(p)} {pending_words(p)}")
    return kind, tuple(reasons)


def pending_words(p: Provision) -> str:
    """Why a provision is not yet law in force, with its date where it has one."""
    why = p.why_pending or ""
    when = f" and applies from {p.applies_from}" if p.applies_from else ""
    if why == "instrument proposed":
        return "is proposed, not adopted"
    if why == "provision proposed":
        return "is a proposed amendment, not adopted"
    if why.startswith("instrument adopted"):
        return f"is adopted{when or ', not yet in force'}"
    if why == "applies later":
        return f"is adopted{when}"
    return why or "is not yet in force"


# ---------------------------------------------------------------- wording helpers


ROLE_WORDS = {
    "PublicAuthority": "public authorities",
    "Developer": "developers and providers",
    "ModelProvider": "model providers",
    "Deployer": "deployers",
    "Operator": "operators",
    "Importer": "importers",
    "Distributor": "distributors",
    "AnyPerson": "any person",
    "AffectedPerson": "affected persons",
    "ProductManufacturer": "product manufacturers",
    "AuthorisedRepresentative": "authorised representatives",
}


def named(p: Provision) -> str:
    """A citation that names its instrument ("China Deep Synthesis Provisions Art. 6")."""
    return p.named()


def instrument_name(p: Provision) -> str:
    """The short title of a provision's instrument, without a trailing bracket ("(AI article)")."""
    return p.instrument_name()


def _bound(p: Provision) -> str:
    """Whom a provision binds, in its instrument's words and the common roles ("binds federal
    agency (public authorities only)")."""
    return f"{named(p)} binds {_whom(p, with_code=False)}"


def _roles(roles: Iterable[str]) -> str:
    return ", ".join(sorted(ROLE_WORDS.get(r, r) for r in roles)) or "no named party"


def _whom(p: Provision, with_code: bool = True) -> str:
    roles = ", ".join(sorted(ROLE_WORDS.get(r, r) for r in p.roles)) or "no named party"
    roles += " only" if p.roles == frozenset({"PublicAuthority"}) else ""
    own = ", ".join(sorted(p.bearers))
    text = f"{own} ({roles})" if own and own.lower() != roles.lower() else roles
    return f"{p.jurisdiction}: {text}" if with_code else text


def opposed_reasons(found: Sequence[Opposed]) -> tuple[str, ...]:
    """Opposed pairs grouped by why they are opposed, each group one line naming its provisions."""
    groups: dict[str, tuple[dict[str, None], dict[str, None]]] = {}
    for o in found:
        a, b = groups.setdefault(o.why, ({}, {}))
        a[f"{named(o.a)} ({o.a.modality})"] = None
        b[f"{named(o.b)} ({o.b.modality})"] = None
    return tuple(f"{'; '.join(a)} against {'; '.join(b)}: {why}" for why, (a, b) in groups.items())


def _cite(p: Provision) -> str:
    return named(p) + ("" if p.binding else " (voluntary)")


def _cite_for(p: Provision, party: str) -> str:
    """A citation in a party's "only" list, saying whose law it is where another lawmaker made it:
    "OMB M-25-21 Sec. 4(b)(v) (US law, binding in US-CO)" (session-e second reading, should-fix 1)."""
    whose = "" if p.jurisdiction == party else f" ({p.jurisdiction} law, binding in {party})"
    return named(p) + whose + ("" if p.binding else " (voluntary)")


def _cites(ps: Iterable[Provision]) -> str:
    return ", ".join(dict.fromkeys(_cite(p) for p in ps))


def _distinct(ps: Iterable[Provision]) -> list[Provision]:
    seen: dict[str, Provision] = {}
    for p in ps:
        seen.setdefault(p.iri, p)
    return sorted(seen.values(), key=lambda p: (p.jurisdiction, p.citation))


def _equal_reason(pa: Provision, pb: Provision, parties: tuple[str, str], principle: bool = False) -> str:
    if pa.iri == pb.iri:
        return f"{named(pa)} applies to both ({_bound(pa)})"
    # at principle level two texts are matched, not equal: "=" would overstate it
    joint = "matched at principle level with" if principle else "="
    return f"{named(pa)} ({_whose_law(pa, parties[0])}) {joint} {named(pb)} ({_whose_law(pb, parties[1])})"


def _principle_reason(reason: str, name_a: str, name_b: str) -> str | None:
    """A "stricter" reason said of a principle: "X states the principle in binding law (…); Y
    recommends it (…)"; the other votes are not said (None)."""
    for side, other in ((name_a, name_b), (name_b, name_a)):
        head = f"{side} stricter: binding law ("
        if reason.startswith(head):
            law, _, guidance = reason[len(head) :].partition(f") against {other}'s voluntary guidance (")
            return f"{side} states the principle in binding law ({law}); {other} recommends it ({guidance}"
        head = f"{side}'s binding text here imposes no duty on those the rules govern ("
        if reason.startswith(head):
            law, _, guidance = reason[len(head) :].partition(f"); {other}'s guidance binds no one (")
            guidance = guidance.removesuffix("): neither is stricter")
            return f"{side} states the principle in binding law ({law}); {other} recommends it ({guidance})"
        if reason.startswith((f"{side} stricter: ", f"{side} goes further: ")):
            return None
    # reach, bearers, qualifiers and modality are not compared on a principle: it names no
    # conduct, and its bearers are the curator's reading (session-e second reading, E and F)
    dropped = ("differs: ", "modality differs", "provisions of another force")
    return None if reason.startswith(dropped) else reason


def _unranked(reason: str, name_a: str, name_b: str) -> str:
    """A reason for a side, said where no side is ranked: "X stricter: reaches more widely…"
    becomes "on X's side: reaches more widely…"; other reasons are kept as they are."""
    for side in (name_a, name_b):
        for head in (f"{side} stricter: ", f"{side} goes further: "):
            if reason.startswith(head):
                return f"on {side}'s side: {reason[len(head) :]}"
    return reason


def _own_bodies(ps: Iterable[Provision], party: str, rules: Rules) -> str:
    """Whose public bodies a text that binds only the state binds: the party's own, or those of
    another lawmaker whose law binds in the party (the stricter audit of 2026-12-03, must-fix 5:
    an OMB memo cited for US-CO binds US federal agencies, not Colorado's government). An
    international organisation or forum has no government: its texts address its member states'
    (session-f relief reading, S5: UNESCO's Policy Area 3)."""
    makers = dict.fromkeys(p.jurisdiction for p in ps)
    own = "its member states' governments" if party.upper() in rules.intergovernmental else "its own government"
    parts = [own if m == party else f"the {m} government's own bodies ({m} law, binding in {party})" for m in makers]
    return " and ".join(parts) or own


def _whose_law(p: Provision, party: str) -> str:
    """The party a provision is cited for, saying when its maker is another lawmaker whose law
    binds there: "EU law, binding in IT" (the second reading of the audit resolution,
    should-fix 9: "EU AI Act Art. 85 (IT)" read as Italian law)."""
    return party if p.jurisdiction == party else f"{p.jurisdiction} law, binding in {party}"


__all__ = [
    "OPPOSED",
    "Opposed",
    "Rules",
    "Verdict",
    "absence",
    "instrument_name",
    "judge",
    "named",
    "pending_words",
    "reach",
    "rule_key",
    "same_rule",
    "stricter",
]
