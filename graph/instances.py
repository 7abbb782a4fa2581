"""The instance data a reasoner checks: every graph of a store, or of an RDF export, except the
ontology's own reference data, the alignments to outside vocabularies, and the tier definitions
ingestion copies into the instrument graphs.

The reference data is left out because the reasoner loads the shipped copy anyway (a store may
hold an older one); the alignments because they must never reach the reasoning core (DESIGN.md:
DPV puns classes and concepts, and a skos:exactMatch there would merge our terms with theirs).
The tier definitions (ontology/tiers.ttl) are classes, not instances: HermiT realising every
corpus individual against their complements and datatype facets runs for many minutes, so
`split` hands them back apart and `crosswalk reason` checks their consistency with the data on
its own, as tests/test_assess_tiers.py does with the shipped file.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph

from crosswalk.ontology import alignments_graph
from crosswalk.ontology.tiers import ASSESS, TIER

from .errors import QueryError
from .ingest import ALIGNMENTS_GRAPH, REFERENCE_GRAPH
from .store import Rows, Store
from .terms import from_ox

_SKIPPED = (REFERENCE_GRAPH, ALIGNMENTS_GRAPH)
#: The formats `crosswalk export` writes, read with Oxigraph's parsers as they were written.
FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


def from_store(store: Store) -> Graph:
    """The triples of every named graph but the reference data, the alignments and the tier
    definitions."""
    return split(store_graph(store))[0]


def store_graph(store: Store) -> Graph:
    """The triples of every named graph but the reference data and the alignments."""
    rows = store.query(
        "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER (?g NOT IN ({', '.join(f'<{g}>' for g in _SKIPPED)})) }}"
    )
    assert isinstance(rows, Rows)
    graph = Graph()
    for s, p, o in rows.rows:
        graph.add((s, p, o))  # type: ignore[arg-type]
    return graph


def from_file(path: Path) -> Graph:
    """The instance data of an RDF file, as `from_store` reads a store."""
    return split(file_graph(path))[0]


def file_graph(path: Path) -> Graph:
    """An RDF file's triples: quads formats drop the two graphs by name; in a triples format
    (where graph names are lost) the alignments' triples are taken out one by one."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF format; use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise QueryError(f"{path}: no such file")
    skipped = {str(g) for g in _SKIPPED}
    graph = Graph()
    try:
        for quad in ox.parse(path=path, format=fmt):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in skipped:
                continue
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))  # type: ignore[arg-type]
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{path}: not readable as {path.suffix[1:]}: {exc}") from exc
    return graph - alignments_graph()


def split(graph: Graph) -> tuple[Graph, Graph]:
    """The graph as (instance data, tier definitions): the second holds every triple about a
    tier or building-block class (xwt:, xwa:) and about the blank nodes their definitions reach."""
    todo = [s for s in set(graph.subjects()) if str(s).startswith((str(TIER), str(ASSESS)))]
    seen = set(todo)
    while todo:
        for o in graph.objects(todo.pop()):
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                todo.append(o)
    tiers = Graph()
    for node in seen:
        for t in graph.triples((node, None, None)):
            tiers.add(t)
    return graph - tiers, tiers
