"""The tier definitions (`tiers.ttl`): national risk tiers as OWL classes, and the closed lists
a system profile is written in (purposes, capabilities, affected groups, exemptions).

Kept apart from the reference graph rule files are checked against: tiers are read by the
assessment (queries/assess/); ingestion copies each instrument's tiers into its named graph.

>>> from crosswalk.ontology.tiers import TIER, tiers_graph
>>> from rdflib import OWL, RDF
>>> (TIER["EU-AnnexIII"], RDF.type, OWL.Class) in tiers_graph()
True
"""

from __future__ import annotations

from functools import cache

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.term import Node

from . import PREFIXES, XW, path

TIERS_FILE = "tiers.ttl"
TIER = Namespace("https://w3id.org/crosswalk/tier/")
ASSESS = Namespace("https://w3id.org/crosswalk/assess/")


@cache
def tiers_graph() -> Graph:
    """The tier definitions and the profile vocabularies. Do not mutate it."""
    graph = Graph()
    graph.parse(path(TIERS_FILE), format="turtle")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    graph.bind("xwt", str(TIER))
    graph.bind("xwa", str(ASSESS))
    return graph


def keyed(kind: URIRef) -> dict[str, URIRef]:
    """The members of one closed list (xw:Purpose, xw:Capability, …) by their `xw:key`."""
    g = tiers_graph()
    return {str(g.value(s, XW.key)): s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef)}


@cache
def tier_classes() -> tuple[URIRef, ...]:
    """Every tier class (a subclass of xw:Tier), in IRI order."""
    g = tiers_graph()
    return tuple(sorted(s for s in g.subjects(RDFS.subClassOf, XW.Tier) if isinstance(s, URIRef)))


def tier_graph(code_iri: URIRef) -> Graph:
    """One jurisdiction's tier definitions as a graph of their own: each of its tier classes with
    everything its definition reaches (blank nodes, and the building-block classes and tiers it
    intersects), for `crosswalk tiers --format ttl`."""
    g = tiers_graph()
    return _reach([t for t in tier_classes() if (t, XW.tierJurisdiction, code_iri) in g])


@cache
def instrument_tiers(instrument: str) -> tuple[tuple[Node, Node, Node], ...]:
    """The triples of the tiers an instrument defines (`xw:tierInstrument`), with everything
    their definitions reach: ingestion puts them in the instrument's named graph, so each
    jurisdiction's graphs carry its tiers (graph/build.py)."""
    g = tiers_graph()
    return tuple(_reach([t for t in tier_classes() if (t, XW.tierInstrument, URIRef(instrument)) in g]))


def _reach(tiers: list[URIRef]) -> Graph:
    g = tiers_graph()
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns)
    todo: list[object] = list(tiers)
    seen: set[object] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in g.predicate_objects(node):  # type: ignore[arg-type]
            out.add((node, p, o))  # type: ignore[arg-type]
            named_class = isinstance(o, URIRef) and (o, RDF.type, OWL.Class) in g and o != XW.Tier
            if not isinstance(o, URIRef) or named_class:
                todo.append(o)
    return out
