"""Stage 3 of ingestion: turn a checked rule file into the RDF of its named graph.

Every node gets an IRI derived from the file's ids (no blank nodes), so the same file always
builds the same graph and two graphs can be compared triple by triple.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rdflib import OWL, XSD, Literal, URIRef
from rdflib import RDF as _RDF
from rdflib import RDFS as _RDFS
from rdflib.namespace import DCTERMS as _DCTERMS
from rdflib.namespace import PROV as _PROV
from rdflib.namespace import SKOS as _SKOS

from crosswalk.ontology import GRAPH, ID
from crosswalk.ontology import XW as _XW
from crosswalk.ontology import local_name as _local
from crosswalk.ontology.hierarchy import canonical
from crosswalk.ontology.tiers import instrument_tiers

from .check import THRESHOLD_KINDS as THRESHOLD_KEYS
from .checker import duration_figure
from .model import (
    Caveat,
    Coverage,
    KnownOmission,
    Parameter,
    Provision,
    RuleFile,
    StatusChange,
    Threshold,
    default_application,
)
from .ntriples import Triples
from .signature import rule_signature, weighed_sanction
from .vocabulary import vocabulary


class _Resolved:
    """A namespace whose terms are made once: rdflib's Namespace builds and checks a new URIRef
    on every attribute read, which was a third of the build time."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = URIRef(getattr(self._namespace, name))
        setattr(self, name, term)
        return term


XW, RDF, RDFS, PROV, SKOS, DCTERMS = (_Resolved(ns) for ns in (_XW, _RDF, _RDFS, _PROV, _SKOS, _DCTERMS))
CURATION_AGENT = ID["agent/crosswalk-curation"]
DATE_PROPERTIES = {
    "proposed": XW.proposedOn,
    "adopted": XW.adoptedOn,
    "published": XW.publishedOn,
    "entry_into_force": XW.enteredIntoForce,
    "repealed": XW.repealedOn,
    "lapsed": XW.lapsedOn,
}


def graph_iri(instrument_id: str) -> URIRef:
    """The named graph that holds one instrument."""
    return GRAPH[instrument_id]


def instrument_iri(instrument_id: str) -> URIRef:
    return ID[instrument_id]


# Literals recur (dates, keys, signatures): build each distinct one once. rdflib checks and
# normalises every literal it makes, which was a fifth of the build time.
@lru_cache(maxsize=4096)
def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=4096)
def _decimal(value: Decimal) -> Literal:
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


@lru_cache(maxsize=8192)
def _key(value: str) -> Literal:
    """A short string that recurs across provisions (a method, a kind, a signature)."""
    return Literal(value)


def build(rules: RuleFile) -> Triples:
    """The triples of one instrument file's named graph."""
    ins = rules.instrument
    base = instrument_iri(ins.id)
    g = Triples()
    add = g.add

    add((base, RDF.type, XW.Instrument))
    add((base, RDFS.label, Literal(ins.title)))
    if ins.general_law:
        add((base, XW.generalLaw, Literal(True)))
    if ins.short_title:
        add((base, SKOS.altLabel, Literal(ins.short_title)))
    add((base, XW.jurisdiction, ins.jurisdiction))
    add((base, XW.instrumentType, ins.type))
    add((base, XW.binding, Literal(ins.binding)))
    add((base, XW.status, ins.status))
    add((base, XW.officialSource, URIRef(ins.source)))
    add((base, XW.curationDate, _date(ins.curated)))
    add((base, PROV.wasAttributedTo, CURATION_AGENT))
    for key, value in ins.dates.items():
        add((base, DATE_PROPERTIES[key], _date(value)))
    if ins.eli:
        add((base, XW.eli, URIRef(ins.eli)))
    if ins.version:
        add((base, XW.textVersion, Literal(ins.version)))
    if ins.notes:
        add((base, RDFS.comment, Literal(ins.notes)))

    # The graph describes itself: what it holds, and the hash that makes re-ingest a no-op.
    gi = graph_iri(ins.id)
    add((gi, RDF.type, XW.InstrumentGraph))
    add((gi, XW.describes, base))
    add((gi, XW.contentHash, Literal(rules.sha256)))
    add((gi, XW.sourceFile, Literal(rules.path.name)))

    add((CURATION_AGENT, RDF.type, PROV.Agent))
    add((CURATION_AGENT, RDFS.label, Literal(ins.curator)))

    for tier in rules.risk_tiers:
        t = base + f"/tier/{tier.id}"
        add((t, RDF.type, XW.RiskTier))
        add((t, RDFS.label, Literal(tier.label)))
        add((t, XW.mapsToLevel, tier.level))
        add((t, XW.definedIn, base))
        if tier.citation:
            add((t, XW.citation, Literal(tier.citation)))

    for role in rules.roles:
        r = base + f"/role/{role.id}"
        add((r, RDF.type, OWL.Class))
        add((r, RDFS.subClassOf, role.maps_to))
        add((r, RDFS.label, Literal(role.label)))
        add((r, XW.definedIn, base))
        if role.citation:
            add((r, XW.citation, Literal(role.citation)))

    for n, coverage in enumerate(rules.coverage, start=1):
        _coverage(g, base, n, coverage, ins.jurisdiction)
    for n, omission in enumerate(rules.known_omissions, start=1):
        _omission(g, base, n, omission, ins.jurisdiction)
    for n, change in enumerate(rules.status_changes, start=1):
        _change(g, base, n, change)
    emitted = {p.id: _phased(p, rules) for p in rules.provisions}
    for n, caveat in enumerate(rules.caveats, start=1):
        ids = caveat.affects or list(emitted)
        _caveat(g, base, n, caveat, [x.id for pid in ids for x in emitted[pid]])
    for parts in emitted.values():
        for provision in parts:
            _provision(g, base, provision, rules)
        for later in parts[1:]:
            g.add((base + f"/{later.id}", XW.phaseOf, base + f"/{parts[0].id}"))
    # The OWL tier definitions resting on this instrument (ontology/tiers.ttl), so the
    # jurisdiction's graphs carry its tiers as the assessment classifies by them.
    for triple in instrument_tiers(str(base)):
        add(triple)  # type: ignore[arg-type]
    return g


def _phased(p: Provision, rules: RuleFile) -> list[Provision]:
    """A provision whose scope applies on several dates (`phases`) becomes one provision per
    date: the first keeps its id and the tiers no phase moves, each phase is `<id>.from-<date>`
    with the tiers it moves. Comparisons then see at any date exactly the scope that applies."""
    if not p.phases:
        return [p]
    label = {t.id: t.label for t in rules.risk_tiers}
    moved = {t for ph in p.phases for t in ph.risk_tiers}
    first = [t for t in p.risk_tiers if t not in moved]
    later = "; ".join(
        f"for {', '.join(label[t] for t in ph.risk_tiers)} from {ph.applies_from.isoformat()}" for ph in p.phases
    )
    out = [
        replace(
            p, risk_tiers=first, phases=[], summary=f"{p.summary} (For {', '.join(label[t] for t in first)}; {later}.)"
        )
    ]
    for ph in p.phases:
        names = ", ".join(label[t] for t in ph.risk_tiers)
        out.append(
            replace(
                p,
                id=f"{p.id}.from-{ph.applies_from.isoformat()}",
                risk_tiers=list(ph.risk_tiers),
                applies_from=ph.applies_from,
                summary=f"{p.summary} (For {names}: applies from {ph.applies_from.isoformat()}, {ph.citation}.)",
                phases=[],
            )
        )
    return out


def _coverage(g: Triples, base: URIRef, n: int, coverage: Coverage, jurisdiction: URIRef) -> None:
    for m, group in enumerate(coverage.groups, start=1):
        c = base + f"/coverage-{n}-{m}"
        g.add((c, RDF.type, XW.CoverageStatement))
        g.add((c, XW.jurisdiction, jurisdiction))
        g.add((c, XW.coversGroup, group))
        g.add((c, XW.coverageAsOf, _date(coverage.as_of)))
        g.add((c, XW.declaredIn, base))
        if coverage.note:
            g.add((c, XW.note, Literal(coverage.note)))
        for searched in coverage.searched:
            g.add((c, XW.searched, Literal(searched)))


def _omission(g: Triples, base: URIRef, n: int, omission: KnownOmission, jurisdiction: URIRef) -> None:
    o = base + f"/omission-{n}"
    g.add((o, RDF.type, XW.KnownOmission))
    g.add((o, XW.jurisdiction, jurisdiction))
    for group in omission.groups:
        g.add((o, XW.omitsGroup, group))
    g.add((o, XW.coverageAsOf, _date(omission.as_of)))
    g.add((o, XW.declaredIn, base))
    g.add((o, XW.note, Literal(omission.note)))


def _change(g: Triples, base: URIRef, n: int, change: StatusChange) -> None:
    c = base + f"/change-{n}"
    g.add((c, RDF.type, XW.StatusChange))
    g.add((c, XW.changes, base))
    g.add((c, XW.changeDate, _date(change.date)))
    g.add((c, XW.changeKind, _key(change.kind)))
    g.add((c, XW.changedBy, Literal(change.by)))
    g.add((c, XW.officialSource, URIRef(change.source)))
    g.add((c, XW.status, change.status))
    g.add((c, XW.summary, Literal(change.summary)))
    for pid in change.affects:
        g.add((c, XW.affects, base + f"/{pid}"))


def _caveat(g: Triples, base: URIRef, n: int, caveat: Caveat, every: list[str]) -> None:
    c = base + f"/caveat-{n}"
    g.add((c, RDF.type, XW.Caveat))
    g.add((c, XW.caveatOn, base))
    g.add((c, XW.caveatKind, _key(caveat.kind)))
    g.add((c, XW.caveatFrom, _date(caveat.start)))
    if caveat.until is not None:
        g.add((c, XW.caveatUntil, _date(caveat.until)))
    g.add((c, XW.caveatBy, Literal(caveat.by)))
    g.add((c, XW.officialSource, URIRef(caveat.source)))
    g.add((c, XW.note, Literal(caveat.summary)))
    # No `affects` means the whole instrument; the provisions are then named one by one so a
    # query for a provision's caveats needs no second path.
    for pid in caveat.affects or every:
        g.add((c, XW.caveatAffects, base + f"/{pid}"))


def _provision(g: Triples, base: URIRef, p: Provision, rules: RuleFile) -> None:
    ins = rules.instrument
    s = base + f"/{p.id}"
    add = g.add
    add((s, RDF.type, p.modality))
    # typed as a provision too, so `?p a xw:Provision` finds it without an RDFS reasoner
    add((s, RDF.type, XW.Provision))
    add((s, XW.partOf, base))
    add((s, XW.jurisdiction, ins.jurisdiction))
    add((s, XW.citation, Literal(p.citation)))
    add((s, RDFS.label, Literal(f"{ins.short_title or ins.id} {p.citation}")))
    add((s, XW.summary, Literal(p.summary)))
    add((s, DCTERMS.identifier, Literal(p.id)))
    for concept in p.concepts:
        add((s, XW.concerns, concept))
    for role in p.bearer:
        add((s, XW.bearer, base + f"/role/{role}"))
    for role in p.beneficiary:
        add((s, XW.beneficiary, base + f"/role/{role}"))
    for tier in p.risk_tiers:
        add((s, XW.scopeRiskTier, base + f"/tier/{tier}"))
    for domain in p.domains:
        add((s, XW.scopeDomain, domain))
    for system_type in p.system_types:
        add((s, XW.scopeSystemType, system_type))
    for value in p.protects:
        add((s, XW.protects, value))
    # The second time axis: a provision without its own date applies when the act enters into force.
    applies_from = p.applies_from or default_application(ins)
    if applies_from:
        add((s, XW.appliesFrom, _date(applies_from)))
    if p.applies_until:
        add((s, XW.appliesUntil, _date(p.applies_until)))
    add((s, XW.officialSource, URIRef(p.source or ins.source)))
    add((s, PROV.wasDerivedFrom, URIRef(p.source or ins.source)))
    if p.status:
        add((s, XW.status, p.status))
    add((s, PROV.wasAttributedTo, CURATION_AGENT))
    add((s, XW.curationMethod, _key(p.method)))
    add((s, XW.confidence, _key(p.confidence)))
    add((s, XW.reviewStatus, _key(p.review)))
    add((s, XW.curationDate, _date(ins.curated)))
    for n, param in enumerate(p.parameters, start=1):
        if _local(param.kind) in THRESHOLD_KINDS:
            continue  # an applicability condition, written on the provision: see _thresholds
        _parameter(g, s, n, param)
    for qualifier in p.qualifiers:
        add((s, XW.qualifier, qualifier.kind))
        if qualifier.note:
            add((s, XW.qualifierNote, Literal(qualifier.note)))
    # What a breach brings: the provision's own sanction, else the instrument's; soft law none.
    sanction = p.sanction or ins.sanction or (XW.SanctionNotCurated if ins.binding else XW.NoSanction)
    add((s, XW.sanction, sanction))
    citation = p.sanction_citation if p.sanction else ins.sanction_citation
    if citation and sanction not in (XW.NoSanction, XW.SanctionNotCurated):
        add((s, XW.sanctionCitation, Literal(citation)))
    thresholds = _thresholds(p, rules)
    for n, (origin, threshold) in enumerate(thresholds, start=1):
        node = s + f"/threshold-{n}"
        add((s, XW.threshold, node))
        _value(g, node, threshold.parameter)
        add((node, XW.citation, Literal(threshold.citation)))
        add((node, XW.derivedFrom, origin))
    roles = {r.id: _local(r.maps_to) for r in rules.roles}
    common = frozenset(roles[b] for b in p.bearer if b in roles)
    _signatures(g, s, p, rules, weighed_sanction(_local(sanction), _local(p.modality), common), thresholds)


def _thresholds(p: Provision, rules: RuleFile) -> list[tuple[URIRef, Threshold]]:
    """The applicability thresholds that govern a provision: those of the tiers it is scoped to
    and the instrument's own that name it (or name no provision, governing all)."""
    base = ID[rules.instrument.id]
    out = [(base + f"/tier/{t.id}", th) for t in rules.risk_tiers if t.id in p.risk_tiers for th in t.thresholds]
    written = p.id.split(".from-", 1)[0]  # a phase (_phased) is governed as the provision it splits
    out += [(base, th) for th in rules.thresholds if not th.applies_to or written in th.applies_to]
    # a compute, revenue, user or size figure in the provision's own parameters is the same kind
    # of condition (who the duty reaches), not a figure of the duty
    own = base + f"/{p.id}"
    out += [(own, Threshold(x, p.citation, [], x.note)) for x in p.parameters if _local(x.kind) in THRESHOLD_KINDS]
    return out


# Parameter kinds that say whom a duty reaches rather than how much it asks (graph/check.py's
# list of the kinds a curator may write as thresholds), by local name
THRESHOLD_KINDS = frozenset(_local(vocabulary().parameter_kinds.iri(k)) for k in THRESHOLD_KEYS)


def _signatures(
    g: Triples, s: URIRef, p: Provision, rules: RuleFile, sanction: str, thresholds: list[tuple[URIRef, Threshold]]
) -> None:
    """Canonical one-literal summaries of a provision's scope and figures, derived from the data
    above so SPARQL can test "same scope", "same figures per kind" and "the same rule"
    (graph/signature.py; queries/concept-verdicts.rq) with one string comparison instead of
    nested set logic."""
    levels = {t.id: t.level for t in rules.risk_tiers}
    dims = {
        "levels": sorted({_local(levels[t]) for t in p.risk_tiers}),
        # canonical: a type a broader listed type covers adds nothing (ontology/hierarchy.py)
        "domains": sorted(canonical(frozenset(_local(d) for d in p.domains))),
        "types": sorted(canonical(frozenset(_local(t) for t in p.system_types))),
    }
    for name, members in dims.items():
        g.add((s, XW.scopeSignature, _key(f"{name}={','.join(members)}")))
    figures: dict[str, set[str]] = {}
    for param in p.parameters:
        if _local(param.kind) in THRESHOLD_KINDS:
            continue
        value, unit = _comparable(param)
        if value is not None:
            figures.setdefault(_local(param.kind), set()).add(f"{format(value.normalize(), 'f')} {unit}".strip())
    for kind, values in figures.items():
        g.add((s, XW.figureSignature, _key(f"{kind}={';'.join(sorted(values))}")))
    g.add(
        (
            s,
            XW.ruleSignature,
            _key(
                rule_signature(
                    sanction,
                    frozenset(dims["levels"]),
                    frozenset(_local(d) for d in p.domains),
                    frozenset(_local(t) for t in p.system_types),
                    frozenset(_local(q.kind) for q in p.qualifiers),
                    _figures(th.parameter for _, th in thresholds),
                    _figures(x for x in p.parameters if _local(x.kind) not in THRESHOLD_KINDS),
                )
            ),
        )
    )


def _figures(params: Iterable[Parameter]) -> tuple[tuple[str, Decimal, str], ...]:
    """(kind, exact value, unit) of each parameter that has a comparable value."""
    out = []
    for x in params:
        value, unit = _comparable(x)
        if value is not None:
            out.append((_local(x.kind), value, unit))
    return tuple(out)


def _parameter(g: Triples, provision: URIRef, n: int, p: Parameter) -> None:
    node = provision + f"/param-{n}"
    g.add((provision, XW.parameter, node))
    _value(g, node, p)


def _value(g: Triples, node: URIRef, p: Parameter) -> None:
    g.add((node, RDF.type, XW.Parameter))
    g.add((node, XW.parameterKind, p.kind))
    if p.duration is not None and p.days is not None:
        g.add((node, XW.duration, Literal(p.duration, datatype=XSD.duration)))
        # an approximate day count for queries (months as 30 days); comparisons use the exact
        # comparable value and unit below. Six decimal places: PT2H is 0.083333 days, not 28
        # digits, which Virtuoso cuts to its 15 (the graph would not read back as written)
        g.add((node, XW.durationDays, _decimal(p.days.quantize(Decimal("0.000001")))))
    if p.amount is not None:
        g.add((node, XW.amount, _decimal(p.amount)))
    if p.currency:
        g.add((node, XW.currency, _key(p.currency)))
    if p.percent is not None:
        g.add((node, XW.percent, _decimal(p.percent)))
    if p.quantity is not None:
        g.add((node, XW.quantity, Literal(p.quantity, datatype=XSD.double)))
    if p.unit:
        g.add((node, XW.unit, _key(p.unit)))
    if p.note:
        g.add((node, XW.note, Literal(p.note)))
    # One comparable number and unit per parameter, so queries compare figures of one kind
    # without knowing each value shape (15 days vs 72 hours; EUR vs USD stays incomparable).
    value, unit = _comparable(p)
    if value is not None:
        g.add((node, XW.comparableValue, _decimal(value)))
        g.add((node, XW.comparableUnit, _key(unit)))


def _comparable(p: Parameter) -> tuple[Decimal | None, str]:
    """One exact number and unit: durations as the law counts them (days, working days, hours,
    months; graph/checker.duration_figure), money in its currency, quantities in their unit."""
    if p.duration is not None:
        figure = duration_figure(p.duration, p.unit == "working-days")
        return figure if figure is not None else (None, "")
    if p.amount is not None:
        return p.amount, p.currency or ""
    if p.percent is not None:
        return p.percent, "%"
    if p.quantity is not None:
        return Decimal(repr(p.quantity)), p.unit or "count"
    return None, ""
