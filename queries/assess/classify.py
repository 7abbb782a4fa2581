"""Classification: a profile becomes OWL individuals, HermiT classifies them against the tier
definitions (ontology/tiers.ttl), and SPARQL over the classified graph reads the tiers.

Each market of the profile becomes one `xw:SystemPlacement` per date: the assessment date, and
every later date on which a tier of that market starts to apply (read from the tiers' own
datatype restrictions), so a tier that is not yet in force is reported as pending from the day
it starts. The placement says "only these" of every closed list (closure axioms) and all named
individuals are pairwise different, so a tier may require an absence (no Art. 6(3) claim, no
medical purpose) and HermiT can prove it. What the reasoner is given is bounded: closed lists
and one placement per market and start date, so a profile cannot make it work without limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from rdflib import OWL, RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import XSD
from rdflib.term import Node

from crosswalk.graph.profile import Market, Profile
from crosswalk.graph.vocabulary import lineage, vocabulary
from crosswalk.ontology import XW, XWC, local_name, reference_graph
from crosswalk.ontology.hierarchy import covered
from crosswalk.ontology.tiers import keyed, tier_classes, tiers_graph

from ..money import to_eur
from .hermit import hermit, types_of

PLACEMENT = Namespace("https://w3id.org/crosswalk/assessment/")
_LISTS = {
    XW.hasPurpose: XW.Purpose,
    XW.hasCapability: XW.Capability,
    XW.affectsGroup: XW.AffectedGroup,
    XW.claimsExemption: XW.Exemption,
    XW.holdsRole: XW.MarketRole,
}


@dataclass(frozen=True)
class Placement:
    """One individual given to the reasoner: a market at a date."""

    iri: URIRef
    market: str
    on: date


@dataclass(frozen=True)
class Classified:
    """What the reasoner said: each placement's tier classes, and how long it took."""

    placements: tuple[Placement, ...]
    tiers: dict[URIRef, frozenset[URIRef]]  # placement → tier classes (every ancestor included)
    graph: Graph  # tier definitions + placements + inferred rdf:type, for SPARQL
    seconds: float


def _restrictions(g: Graph, cls: Node, seen: set[Node] | None = None) -> list[Node]:
    """The restrictions a class's definition intersects, following the named classes it
    intersects (CA-LargeFrontierDeveloper takes its date from CA-FrontierModel)."""
    seen = set() if seen is None else seen
    out: list[Node] = []
    for eq in g.objects(cls, OWL.equivalentClass):
        for lst in g.objects(eq, OWL.intersectionOf):
            for member in Collection(g, lst):
                if isinstance(member, URIRef) and member not in seen:
                    seen.add(member)
                    out += _restrictions(g, member, seen)
                elif (member, OWL.onProperty, None) in g:
                    out.append(member)
    return out


@cache
def tier_dates() -> dict[str, tuple[date, ...]]:
    """Each market's tier start dates (the xsd:minInclusive on xw:assessedOn in its tiers),
    read by walking the definitions (a SPARQL property path over them takes half a second)."""
    g = tiers_graph()
    codes = {str(v): k for k, v in vocabulary().jurisdictions.members.items()}
    out: dict[str, set[date]] = {}
    for tier in tier_classes():
        j = str(g.value(tier, XW.tierJurisdiction))
        for r in _restrictions(g, tier):
            if g.value(r, OWL.onProperty) != XW.assessedOn or g.value(r, OWL.someValuesFrom) is None:
                continue
            for facets in g.objects(g.value(r, OWL.someValuesFrom), OWL.withRestrictions):
                for facet in Collection(g, facets):
                    start = g.value(facet, XSD.minInclusive)
                    if start is not None and j in codes:
                        out.setdefault(codes[j], set()).add(date.fromisoformat(str(start)[:10]))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _stamp(on: date) -> Literal:
    return Literal(f"{on.isoformat()}T00:00:00Z", datatype=XSD.dateTime)


def _closed(g: Graph, node: URIRef, prop: URIRef, members: list[URIRef]) -> None:
    """State the members and that there are no others (`prop only {members}`)."""
    for m in members:
        g.add((node, prop, m))
    restriction = BNode()
    g.add((node, RDF.type, restriction))
    g.add((restriction, RDF.type, OWL.Restriction))
    g.add((restriction, OWL.onProperty, prop))
    if not members:
        g.add((restriction, OWL.allValuesFrom, OWL.Nothing))
        return
    one_of, items = BNode(), BNode()
    g.add((restriction, OWL.allValuesFrom, one_of))
    g.add((one_of, RDF.type, OWL.Class))
    Collection(g, items, list[Node](members))
    g.add((one_of, OWL.oneOf, items))


def served_domains(profile: Profile) -> tuple[str, ...]:
    """The profile's domains with every broader one (skos:broader): a medical device is a
    regulated product, so a tier or duty on regulated products reaches it. The placement is
    closed over this set, so a tier naming the broader domain sees it."""
    every = [local_name(d) for d in vocabulary().domains.members.values()]
    wider = [d for d in every if d not in profile.domains and any(covered(x, frozenset({d})) for x in profile.domains)]
    return (*profile.domains, *wider)


def revenue_usd(market: Market, on: date) -> Decimal | None:
    """The market's revenue in US dollars, converted at the ECB reference rates of `on` where
    it is given in another currency (None when no rate exists)."""
    if market.revenue is None:
        return None
    amount, currency = market.revenue
    if currency == "USD":
        return amount
    eur, usd = to_eur(amount, currency, on), to_eur(Decimal(1), "USD", on)
    return None if eur is None or usd is None else (eur.eur / usd.eur).quantize(Decimal(1))


@cache
def tier_market(code: str) -> str:
    """The market whose tier definitions classify a placement in `code`: its own, or else the
    nearest it is part of that has them (Italy is placed by the EU's tiers: the AI Act binds
    there), or `code` itself where none has."""
    v = vocabulary()
    codes = {str(iri): k for k, iri in v.jurisdictions.members.items()}
    tiered = {str(j) for j in tiers_graph().objects(None, XW.tierJurisdiction)}
    for j in lineage(v.jurisdictions.iri(code)):
        if str(j) in tiered and str(j) in codes:
            return codes[str(j)]
    return code


def individuals(profile: Profile, markets: list[Market], as_of: date) -> tuple[Graph, list[Placement]]:
    """The profile as OWL individuals: one placement per market and date."""
    g = Graph()
    v = vocabulary()
    lists = {kind: keyed(kind) for kind in _LISTS.values()}
    placements = []
    dates = tier_dates()
    for m in markets:
        placed_in = tier_market(m.code)
        for on in (as_of, *(d for d in dates.get(placed_in, ()) if d > as_of)):
            node = PLACEMENT[f"{profile.id}/{m.code}/{on.isoformat()}"]
            placements.append(Placement(node, m.code, on))
            g.add((node, RDF.type, XW.SystemPlacement))
            g.add((node, RDF.type, OWL.NamedIndividual))
            g.add((node, XW.inMarket, v.jurisdictions.iri(placed_in)))
            g.add((node, XW.assessedOn, _stamp(on)))
            g.add((node, XW.governmental, Literal(m.governmental)))
            g.add((node, XW.offeredToPublic, Literal(m.offered_to_public)))
            _closed(g, node, XW.servesDomain, [XWC[d] for d in served_domains(profile)])
            _closed(g, node, XW.hasSystemType, [XWC[t] for t in profile.system_types])
            _closed(g, node, XW.hasPurpose, [lists[XW.Purpose][k] for k in profile.purposes])
            _closed(g, node, XW.hasCapability, [lists[XW.Capability][k] for k in profile.capabilities])
            _closed(g, node, XW.affectsGroup, [lists[XW.AffectedGroup][k] for k in profile.affects])
            claimed = dict.fromkeys((*profile.exemptions, *m.exemptions))
            _closed(g, node, XW.claimsExemption, [lists[XW.Exemption][k] for k in claimed])
            _closed(g, node, XW.holdsRole, [lists[XW.MarketRole][k] for k in m.roles])
            if profile.training_compute is not None:
                g.add((node, XW.trainingCompute, Literal(profile.training_compute, datatype=XSD.decimal)))
            usd = revenue_usd(m, as_of)
            if usd is not None:
                g.add((node, XW.annualRevenueUSD, Literal(usd, datatype=XSD.decimal)))
            for prop, value in ((XW.employees, m.employees), (XW.users, m.users)):
                if value is not None:
                    g.add((node, prop, Literal(value, datatype=XSD.integer)))
    return g, placements


@cache
def _fixed() -> bytes:
    """The tier definitions and the named individuals, as N-Triples, made once per process."""
    return (tiers_graph() + _named()).serialize(format="nt", encoding="utf-8")


@cache
def _named() -> Graph:
    """The named individuals the tiers and placements point at, pairwise different: without
    the unique-name statement HermiT could not tell that a placement lacks a purpose. Only the
    jurisdictions that have tiers are named: a placement elsewhere is in none of them anyway."""
    g = Graph()
    v = vocabulary()
    tiered = set(tiers_graph().objects(None, XW.tierJurisdiction))
    names: list[Node] = [
        *v.domains.members.values(),
        *v.system_types.members.values(),
        *(j for j in v.jurisdictions.members.values() if j in tiered),
    ]
    for kind in _LISTS.values():
        names.extend(keyed(kind).values())
    ref = reference_graph()
    for n in names:
        g.add((n, RDF.type, OWL.NamedIndividual))
        for t in ref.objects(n, RDF.type):
            if t in (XW.ApplicationDomain, XW.SystemType) or str(t).startswith(str(XW)):
                g.add((n, RDF.type, t))
    node, items = BNode(), BNode()
    g.add((node, RDF.type, OWL.AllDifferent))
    Collection(g, items, names)
    g.add((node, OWL.distinctMembers, items))
    return g


def reasoner_input(placements: Graph) -> Graph:
    """Everything HermiT is given: the tier definitions, the named individuals, the placements."""
    return tiers_graph() + _named() + placements


def classify(profile: Profile, markets: list[Market], as_of: date, timeout: float = 30.0) -> Classified:
    """Run HermiT over the profile's placements; every tier class each falls in."""
    g, placements = individuals(profile, markets, as_of)
    started = time.perf_counter()
    output = hermit(_fixed() + g.serialize(format="nt", encoding="utf-8"), timeout)
    seconds = time.perf_counter() - started
    types = types_of(output)
    wanted = {str(t) for t in tier_classes()}
    found = {p.iri: frozenset(URIRef(c) for c in types.get(str(p.iri), set()) & wanted) for p in placements}
    result = tiers_graph() + g
    for node, classes in found.items():
        for c in classes:
            result.add((node, RDF.type, c))
    return Classified(tuple(placements), found, result, seconds)
