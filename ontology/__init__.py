"""The Crosswalk ontology and its reference data, as shipped Turtle files.

>>> from crosswalk.ontology import reference_graph, XW
>>> (XW.Obligation, None, None) in reference_graph()
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, Namespace

XW = Namespace("https://w3id.org/crosswalk/ontology#")
XWC = Namespace("https://w3id.org/crosswalk/concept/")
ID = Namespace("https://w3id.org/crosswalk/id/")
GRAPH = Namespace("https://w3id.org/crosswalk/graph/")
JUR = Namespace("https://w3id.org/crosswalk/id/jurisdiction/")
ONTOLOGY_IRI = "https://w3id.org/crosswalk/ontology"

#: The files that make up the reference graph: the OWL core and the data rule files point at.
CORE_FILES = ("crosswalk.ttl", "vocabulary.ttl", "concepts.ttl", "jurisdictions.ttl")
SHAPES_FILE = "shapes.ttl"
ALIGNMENTS_FILE = "alignments.ttl"

PREFIXES = {
    "xw": str(XW),
    "xwc": str(XWC),
    "id": str(ID),
    "j": str(JUR),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}


def local_name(iri: object) -> str:
    """The last segment of an IRI, after its last '#' or '/' (`…/concept/Chatbot` → Chatbot)."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def path(name: str) -> Path:
    """Filesystem path of a shipped ontology file."""
    return Path(str(resources.files(__name__).joinpath(name)))


def reference_files() -> tuple[str, ...]:
    """The core files, then any `concepts-*.ttl` extension of the concept scheme, in name order."""
    folder = Path(str(resources.files(__name__)))
    extensions = sorted(p.name for p in folder.glob("concepts-*.ttl"))
    return (*CORE_FILES, *extensions)


def _parse(*names: str) -> Graph:
    """The shipped Turtle files in one rdflib graph. Oxigraph parses them (four times faster than
    rdflib's Turtle parser: 20 against 70-150 ms for the reference graph, paid by every command
    that starts; tests/test_ontology.py holds the two readings isomorphic)."""
    import pyoxigraph as ox

    from crosswalk.graph.terms import from_ox  # the one Oxigraph-to-rdflib term conversion

    graph = Graph()
    graph.addN(
        (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), graph)  # type: ignore[misc]
        for name in names
        for q in ox.parse(path=str(path(name)), format=ox.RdfFormat.TURTLE)
    )
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


@cache
def reference_graph() -> Graph:
    """Ontology, vocabularies, concepts and jurisdictions in one graph. Do not mutate it."""
    return _parse(*reference_files())


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes every instrument graph must pass. Do not mutate it."""
    return _parse(SHAPES_FILE)


def alignments_graph() -> Graph:
    """Alignments to outside vocabularies (kept out of the reasoning core)."""
    return _parse(ALIGNMENTS_FILE)
