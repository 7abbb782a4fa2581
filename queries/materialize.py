"""Findings as data (issue 14): the pairwise findings of the current data, written into their own
named graph, so "every equivalence involving KR" is one SPARQL query.

Each finding is an `xw:Finding` with its kind, concept, the two parties, the date, the set
relation of their scopes typed with NIST IR 8477's Set Theory Relationship Mapping terms
(`xw:StrmEqual`, `xw:StrmSubsetOf`…), the stricter party, its reasons, and
`prov:wasDerivedFrom` every provision behind it. The graph is stamped with the data version it
was computed from: after an ingest that changes the data, run it again (the stamp says which
data it describes). It never carries `xw:contentHash`, so it does not change the data version.

>>> str(FINDINGS_GRAPH)
'https://w3id.org/crosswalk/graph/findings'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import combinations

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import PROV

from crosswalk.graph.ntriples import Triples
from crosswalk.graph.store import Store
from crosswalk.graph.version import data_version
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import GRAPH, ID, XW, XWC

from .compare import canonical_codes, compare
from .findings import Comparison, Finding

FINDINGS_GRAPH = GRAPH["findings"]
STRM = {
    "equal": XW.StrmEqual,
    "subset": XW.StrmSubsetOf,
    "superset": XW.StrmSupersetOf,
    "intersects": XW.StrmIntersectsWith,
    "no-relationship": XW.StrmNoRelationship,
}


def finding_iri(f: Finding) -> URIRef:
    """`kind:A:B:date:Concept` as an IRI under /id/finding/."""
    return ID["finding/" + f.id.replace(":", "/")]


def _add(g: Triples, c: Comparison, f: Finding) -> None:
    v = vocabulary()
    s = finding_iri(f)
    g.add((s, RDF.type, XW.Finding))
    g.add((s, XW.findingKind, Literal(f.kind)))
    g.add((s, XW.findingConcept, XWC[f.concept]))
    g.add((s, XW.partyA, v.jurisdictions.iri(c.a)))
    g.add((s, XW.partyB, v.jurisdictions.iri(c.b)))
    g.add((s, XW.findingDate, Literal(c.as_of.isoformat(), datatype=XSD.date)))
    if f.relation in STRM:
        g.add((s, XW.scopeRelation, STRM[f.relation]))
    if f.stricter == "mixed":
        g.add((s, XW.stricterParty, XW.EachStricterSomewhere))
    elif f.stricter in (c.a, c.b):
        g.add((s, XW.stricterParty, v.jurisdictions.iri(f.stricter)))
    if f.missing_side:
        g.add((s, XW.missingParty, v.jurisdictions.iri(c.a if f.missing_side == "a" else c.b)))
    if f.institutional:
        g.add((s, XW.institutional, Literal(True)))
    for reason in f.reasons:
        g.add((s, XW.reason, Literal(reason)))
    for p in (*f.a, *f.b, *f.pending, *f.general_law):
        g.add((s, PROV.wasDerivedFrom, URIRef(p.iri)))


def materialize(store: Store, as_of: date, jurisdictions: Sequence[str] | None = None) -> int:
    """Compute the findings of every pair of `jurisdictions` (default: every jurisdiction of the
    vocabulary) at `as_of` and replace the findings graph with them; returns how many."""
    codes = canonical_codes(jurisdictions) if jurisdictions else sorted(vocabulary().jurisdictions.members)
    version = data_version(store)
    g = Triples()
    count = 0
    for a, b in combinations(codes, 2):
        c = compare(store, [a, b], as_of)
        for f in c.findings:
            _add(g, c, f)
            count += 1
    g.add((FINDINGS_GRAPH, XW.derivedFromDataVersion, Literal(version)))
    g.add((FINDINGS_GRAPH, XW.findingDate, Literal(as_of.isoformat(), datatype=XSD.date)))
    store.replace_graph(FINDINGS_GRAPH, g)
    return count


__all__ = ["FINDINGS_GRAPH", "STRM", "finding_iri", "materialize"]
