"""The SPARQL 1.1 Service Description of `/sparql`, with VoID statistics of the dataset.

It names the default dataset: the default graph (the union of every graph, `sd:UnionDefaultGraph`)
with its VoID counts, and each named graph with its triple count. The endpoint's IRI is the
`public_url` setting's, never the request's `Host` header (which any client sets), else the
fixed base where Crosswalk's IRIs live (https://w3id.org/crosswalk/). Counting the store takes
tens of milliseconds, so the serialised answer is kept per store version.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID, XSD
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import Rows, Store

from .negotiate import NotAcceptable, choose
from .response_cache import ResponseCache
from .sparql_results import GRAPH_TYPES

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DEFAULT_BASE = "https://w3id.org/crosswalk/"
STATS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?o) AS ?objects) (COUNT(DISTINCT ?g) AS ?graphs)
WHERE { GRAPH ?g { ?s ?p ?o } }
"""
CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_ANSWERS = ResponseCache(entries=16, max_bytes=8_000_000)


def base_url(settings: object) -> str:
    """The public base of the app, ending in `/`: the `public_url` setting, else DEFAULT_BASE."""
    public = getattr(settings, "public_url", None)
    return (public.rstrip("/") + "/") if public else DEFAULT_BASE


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def describe(store: Store, endpoint: str) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service, dataset, default = BNode(), URIRef(endpoint + "#dataset"), URIRef(endpoint + "#default-graph")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        g.add((service, SD.resultFormat, FORMATS[fmt]))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, RDF.type, VOID.Dataset))
    stats = store.query(STATS)
    assert isinstance(stats, Rows)
    triples, subjects, properties, objects, graphs = (int(x.toPython()) for x in stats.rows[0])  # type: ignore[union-attr]
    for prop, value in (
        (VOID.triples, triples),
        (VOID.distinctSubjects, subjects),
        (VOID.properties, properties),
        (VOID.distinctObjects, objects),
    ):
        g.add((default, prop, _count(value)))
    g.add((default, VOID.documents, _count(graphs)))
    classes = store.query(CLASSES)
    assert isinstance(classes, Rows)
    for cls, n in classes.rows:
        partition = BNode()
        g.add((default, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))  # type: ignore[arg-type]
        g.add((partition, VOID.entities, _count(int(n.toPython()))))  # type: ignore[union-attr]
    named = store.query(GRAPHS)
    assert isinstance(named, Rows)
    for name, n in named.rows:
        entry, graph = BNode(), BNode()
        g.add((dataset, SD.namedGraph, entry))
        g.add((entry, RDF.type, SD.NamedGraph))
        g.add((entry, SD.name, name))  # type: ignore[arg-type]
        g.add((entry, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, _count(int(n.toPython()))))  # type: ignore[union-attr]
    return g


async def respond(request: Request) -> Response:
    """The service description in the format asked for (`?format=` or Accept; 406 if none fits)."""
    fmt = request.query_params.get("format")
    if fmt:
        if fmt not in GRAPH_TYPES:
            raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(GRAPH_TYPES)}")
        media = GRAPH_TYPES[fmt][0]
    else:
        offers = [m for m, _ in GRAPH_TYPES.values()]
        chosen = choose(request.headers.get("accept"), offers)
        if chosen is None:
            raise NotAcceptable(offers)
        media = chosen
    rdflib_format = next(f for m, f in GRAPH_TYPES.values() if m == media)
    store = request.app.state.store
    endpoint = base_url(request.app.state.settings) + "sparql"
    key = _ANSWERS.key(store, endpoint, media)
    body = _ANSWERS.get(key)
    if body is None:
        graph = await run_in_threadpool(describe, store, endpoint)
        body = graph.serialize(format=rdflib_format, encoding="utf-8")
        _ANSWERS.put(key, body)
    return Response(body, media_type=media)
