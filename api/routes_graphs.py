"""The IRIs that are not things in the data but dereference all the same:

- `/graph/{name}`: each named graph of the store (one per instrument, `reference`, `alignments`):
  its triples as RDF, or for people a page saying what it holds, its size and where to get it;
- `/ontology/{version}`: the ontology's version IRI (`owl:versionIRI`), the ontology as it is
  served at `/ontology` while that version is the current one;
- `/problems/{slug}`: each problem type of the error answers (api/problems.py), explained.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import OWL, Graph, URIRef
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.store import Rows, Store
from crosswalk.ontology import GRAPH, ID, ONTOLOGY_IRI, reference_graph

from .negotiate import NotAcceptable, choose
from .problems import EXPLAINED, TYPES, slug
from .response_cache import ResponseCache
from .routes_linked_data import _LOCAL, ontology, representation, serialised
from .sparql_results import GRAPH_TYPES

router = APIRouter(tags=["linked data"])
CONTENT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
SIZE = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_GRAPHS = ResponseCache(entries=32, max_bytes=32_000_000)  # a graph's RDF, per store version and format


def _content(store: Store, iri: URIRef) -> Graph:
    result = store.query(CONTENT, {"g": iri})  # bound as a term, never pasted into the query
    assert isinstance(result, Graph)
    return result


def _size(store: Store, iri: URIRef) -> int:
    rows = store.query(SIZE, {"g": iri})
    assert isinstance(rows, Rows)
    return int(rows.rows[0][0].toPython())  # type: ignore[union-attr]


def _graph_page(iri: URIRef, name: str, triples: int, holds_instrument: bool) -> str:
    holds = (
        f'<p>It holds the instrument <a href="/id/{escape(name)}">{escape(str(ID[name]))}</a> and its provisions.</p>'
        if holds_instrument
        else "<p>It holds Crosswalk's reference data: the ontology, vocabularies, concepts and jurisdictions"
        " (<code>reference</code>), or the alignments to other vocabularies (<code>alignments</code>).</p>"
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Graph {escape(name)} — Crosswalk</title></head><body>"
        f"<h1>Named graph {escape(name)}</h1><p><code>{escape(str(iri))}</code></p>{holds}"
        f"<p>{triples:,} triples. Query it at <a href='/sparql'>/sparql</a> with "
        f"<code>GRAPH &lt;{escape(str(iri))}&gt;</code> or <code>default-graph-uri</code>.</p>"
        '<p>As <a href="?format=ttl">Turtle</a>, <a href="?format=nt">N-Triples</a>, '
        '<a href="?format=jsonld">JSON-LD</a>, <a href="?format=rdfxml">RDF/XML</a>.</p></body></html>'
    )


@router.get("/graph/{name:path}", summary="A named graph of the store (HTML, or its triples as RDF)")
async def named_graph(request: Request, name: str) -> Response:
    if not _LOCAL.fullmatch(name):
        raise HTTPException(404, f"/graph/{name} is not a Crosswalk graph")
    store, iri = request.app.state.store, GRAPH[name]
    if iri not in await run_in_threadpool(store.graphs):
        raise HTTPException(404, f"the store has no graph {iri}")
    kind = representation(request)
    if kind == "html":
        triples = await run_in_threadpool(_size, store, iri)
        holds = name not in ("reference", "alignments")
        return HTMLResponse(_graph_page(iri, name, triples, holds))
    key = _GRAPHS.key(store, name, kind)
    body = _GRAPHS.get(key)
    if body is None:
        graph = await run_in_threadpool(_content, store, iri)
        body = await run_in_threadpool(serialised, graph, kind)
        _GRAPHS.put(key, body)
    return Response(body, media_type=GRAPH_TYPES[kind][0])


@router.get("/ontology/{version}", summary="The ontology at its version IRI (HTML or RDF)")
async def ontology_version(request: Request, version: str) -> Response:
    current = reference_graph().value(URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    if current is None or str(current) != f"{ONTOLOGY_IRI}/{version}":
        raise HTTPException(404, f"this server serves ontology version {current}, not {ONTOLOGY_IRI}/{version}")
    return await ontology(request)


@router.get("/problems/{name}", summary="What a problem type of the error answers means (HTML or Markdown)")
async def problem_type(request: Request, name: str) -> Response:
    found = next(((status, title, text) for status, (title, text) in EXPLAINED.items() if slug(title) == name), None)
    if found is None:
        raise HTTPException(404, f"no problem type {TYPES}{name}")
    status, title, text = found
    offers = ["text/html", "text/markdown"]
    media = choose(request.headers.get("accept"), offers)
    if media is None:
        raise NotAcceptable(offers)
    if media == "text/markdown":
        body = f"# {title} (HTTP {status})\n\n`{TYPES}{name}`\n\n{text}\n"
        return Response(body, media_type="text/markdown; charset=utf-8")
    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)} — Crosswalk problem type</title></head><body>"
        f"<h1>{escape(title)} (HTTP {status})</h1><p><code>{escape(TYPES + name)}</code></p>"
        f"<p>{escape(text)}</p><p>Error answers are <code>application/problem+json</code> (RFC 9457):"
        " <code>type</code> (this page), <code>title</code>, <code>status</code> and a <code>detail</code>"
        " that says what went wrong.</p></body></html>"
    )


__all__ = ["router"]
