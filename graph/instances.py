"""The instance data a reasoner checks: every graph of a store, or of an RDF export, except the
ontology's own reference data and the alignments to outside vocabularies.

The reference data is left out because the reasoner loads the shipped copy anyway (a store may
hold an older one); the alignments because they must never reach the reasoning core (DESIGN.md:
DPV puns classes and concepts, and a skos:exactMatch there would merge our terms with theirs).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from crosswalk.ontology import alignments_graph

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
    """The same from an RDF file: quads formats drop the two graphs by name; in a triples format
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
