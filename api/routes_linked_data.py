"""Dereferenceable IRIs: every `https://w3id.org/crosswalk/…` IRI has a local path here.

`/id/…` (jurisdictions, instruments, provisions), `/concept/…` and `/ontology` answer with an
HTML page for people or RDF for machines, by content negotiation (`Accept`, or `?format=`).
A provision's page links its official source and the provisions of other regimes on the same
concepts.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import SKOS
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import Rows, Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import ID, PREFIXES, XW, XWC, reference_graph
from crosswalk.queries.rules import named
from crosswalk.queries.who import ConceptView, who_regulates

from .jurisdiction_page import caveat_html, jurisdiction_html
from .negotiate import NotAcceptable, choose
from .sparql_results import GRAPH_TYPES

router = APIRouter(tags=["linked data"])
BASE = "https://w3id.org/crosswalk/"

DESCRIBE = """
CONSTRUCT { ?iri ?p ?o . ?part ?pp ?po } WHERE {
  ?iri ?p ?o .
  OPTIONAL { ?iri <https://w3id.org/crosswalk/ontology#parameter> ?part . ?part ?pp ?po }
}
"""
RELATED = """
PREFIX xw: <https://w3id.org/crosswalk/ontology#>
SELECT DISTINCT ?other ?citation ?code ?summary WHERE {
  ?iri xw:concerns ?concept ; xw:jurisdiction ?mine .
  ?other xw:concerns ?concept ; xw:jurisdiction ?j ; xw:citation ?citation ; xw:summary ?summary .
  ?j xw:code ?code .
  FILTER(?j != ?mine)
}
ORDER BY ?code ?citation
LIMIT 200
"""
CAVEATS = """
PREFIX xw: <https://w3id.org/crosswalk/ontology#>
SELECT ?kind ?from ?until ?by ?source ?note WHERE {
  ?caveat xw:caveatAffects ?iri ; xw:caveatKind ?kind ; xw:caveatFrom ?from ; xw:caveatBy ?by ;
          xw:officialSource ?source ; xw:note ?note .
  OPTIONAL { ?caveat xw:caveatUntil ?until }
}
ORDER BY ?from
"""


# What an IRI is available as, in the server's order of preference: RDF first, so that a client
# saying `*/*` (curl, most libraries) gets Turtle, and a browser (text/html, */*;q=0.8) the page.
OFFERS = [*(media for media, _ in GRAPH_TYPES.values()), "text/html"]


def representation(request: Request) -> str:
    """`html` or a key of GRAPH_TYPES: `?format=` if given, else by the Accept header (406 when
    nothing offered is acceptable)."""
    fmt = request.query_params.get("format")
    if fmt:
        if fmt != "html" and fmt not in GRAPH_TYPES:
            raise QueryError(f"unknown format {fmt!r}; use one of html, {', '.join(GRAPH_TYPES)}")
        return fmt
    media = choose(request.headers.get("accept"), OFFERS)
    if media is None:
        raise NotAcceptable(OFFERS)
    return "html" if media == "text/html" else next(k for k, (m, _) in GRAPH_TYPES.items() if m == media)


def _wants_html(request: Request) -> bool:
    return representation(request) == "html"


def serialised(graph: Graph, key: str) -> bytes:
    """The graph in a format of GRAPH_TYPES, with Crosswalk's prefixes."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph.serialize(format=GRAPH_TYPES[key][1], encoding="utf-8")


def rdf_response(request: Request, graph: Graph) -> Response:
    key = representation(request)
    return Response(serialised(graph, key), media_type=GRAPH_TYPES[key][0], headers={"Vary": "Accept"})


def _describe(store: Store, iri: URIRef) -> Graph:
    # The IRI is bound as a term (VALUES), never pasted into the query text.
    result = store.query(DESCRIBE, {"iri": iri})
    assert isinstance(result, Graph)
    return result


def _local(term: object) -> str:
    text = str(term)
    return "/" + text[len(BASE) :] if text.startswith(BASE) else text


def _trust(iri: URIRef, graph: Graph, caveats: list[dict[str, object]]) -> list[str]:
    """How far to trust a provision, said in words above its triples: provenance, then every
    caveat (stays, grace periods) with its dates and source."""
    parts = []
    method = graph.value(iri, XW.curationMethod)
    if method is not None:
        review = graph.value(iri, XW.reviewStatus)
        confidence = graph.value(iri, XW.confidence)
        parts.append(
            f"<p class='provenance'>Provenance: {escape(str(method).replace('-', ' '))}, "
            f"{escape(str(review).replace('-', ' '))}, {escape(str(confidence))} confidence.</p>"
        )
    parts += [f"<p class='caveat'>Caveat: {caveat_html(c)}</p>" for c in caveats]
    return parts


def _who_html(view: ConceptView) -> str:
    """Who regulates the concept at the date: each jurisdiction's provisions with modality,
    force, dates, provenance and caveats, then the declared absences and the uncurated."""
    states = {
        "rules": "has its own rules",
        "inherited": "bound by the rules of a jurisdiction it is part of",
        "pending only": "rules adopted or proposed, not yet applying",
    }
    parts = [
        f"<h2>Who regulates it on {escape(view.as_of.isoformat())}</h2>",
        f'<form method="get"><label>As of <input type="date" name="as_of" value="{view.as_of.isoformat()}"></label>'
        ' <button type="submit">Show</button></form>',
    ]
    if view.narrower:
        graph = reference_graph()
        links = ", ".join(
            f'<a href="{escape(n)}">{escape(str(graph.value(XWC[n], SKOS.prefLabel) or n))}</a>' for n in view.narrower
        )
        parts.append(f"<p>With its narrower concepts, whose rules are rules on this one too: {links}.</p>")
    for state, words in states.items():
        for h in view.of(state):
            items = []
            for p in (*h.in_force, *h.inherited, *h.pending):
                when = f"applies from {p.applies_from}" if p.applies_from else "no application date"
                extra = f"; {p.why_pending}" if p.why_pending else ""
                cav = "".join(f"<br/><span class='caveat'>Caveat: {escape(c.text())}</span>" for c in p.caveats)
                items.append(
                    f"<li><strong>{escape(p.modality)}</strong>, {'binding' if p.binding else 'voluntary'}, "
                    f'{escape(when + extra)}: <a href="{escape(_local(p.iri))}">{escape(named(p))}</a> '
                    f'(<a href="{escape(p.source)}">source</a>; {escape(p.provenance())}){cav}</li>'
                )
            parts.append(f"<h3>{escape(h.label)} ({escape(h.code)}): {words}</h3><ul>{''.join(items)}</ul>")
    for state, words in (
        ("no rule", "No rule (curation of the group declared complete)"),
        ("not curated", "Not curated (absence proves nothing)"),
    ):
        codes = [h.code for h in view.of(state)]
        if codes:
            parts.append(f"<p><strong>{words}</strong>: {escape(', '.join(codes))}</p>")
    return "".join(parts)


def _page(
    iri: URIRef,
    graph: Graph,
    related: list[dict[str, object]],
    caveats: list[dict[str, object]] | None = None,
    who: str = "",
) -> str:
    label = graph.value(iri, RDFS.label) or graph.value(iri, SKOS.prefLabel) or iri
    rows = []
    for p, o in sorted(graph.predicate_objects(iri), key=lambda x: (str(x[0]), str(x[1]))):
        value = f'<a href="{escape(_local(o))}">{escape(str(o))}</a>' if isinstance(o, URIRef) else escape(str(o))
        rows.append(f"<tr><th>{escape(graph.namespace_manager.normalizeUri(str(p)))}</th><td>{value}</td></tr>")
    source = graph.value(iri, XW.officialSource)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(str(label))} — Crosswalk</title></head><body>",
        f"<h1>{escape(str(label))}</h1><p><code>{escape(str(iri))}</code></p>",
    ]
    if source is not None:
        parts.append(f'<p>Official source: <a href="{escape(str(source))}">{escape(str(source))}</a></p>')
    parts += _trust(iri, graph, caveats or [])
    parts.append(who)
    parts.append("<table>" + "".join(rows) + "</table>")
    if related:
        items = "".join(
            f'<li><a href="{escape(_local(r["other"]))}">{escape(str(r["code"]))} {escape(str(r["citation"]))}</a>'
            f" — {escape(str(r['summary']))}</li>"
            for r in related
        )
        parts.append(f"<h2>Provisions of other regimes on the same concepts</h2><ul>{items}</ul>")
    parts.append(
        '<p>Also as <a href="?format=ttl">Turtle</a>, <a href="?format=jsonld">JSON-LD</a>, '
        '<a href="?format=rdfxml">RDF/XML</a>.</p></body></html>'
    )
    return "".join(parts)


async def _resource(request: Request, iri: URIRef, who: str = "") -> Response:
    store = request.app.state.store
    graph = await run_in_threadpool(_describe, store, iri)
    if str(iri).startswith(str(XWC)):
        graph += reference_graph().triples((iri, None, None))  # type: ignore[arg-type]
    if not len(graph):
        raise HTTPException(404, f"nothing is known about {iri}")
    if not _wants_html(request):
        return rdf_response(request, graph)
    related: list[dict[str, object]] = []
    caveats: list[dict[str, object]] = []
    if (iri, XW.citation, None) in graph:
        rows = await run_in_threadpool(store.query, RELATED, {"iri": iri})
        assert isinstance(rows, Rows)
        related = [dict(r) for r in rows.dicts()]
        found = await run_in_threadpool(store.query, CAVEATS, {"iri": iri})
        assert isinstance(found, Rows)
        caveats = [dict(r) for r in found.dicts()]
    return HTMLResponse(_page(iri, graph, related, caveats, who), headers={"Vary": "Accept"})


# Crosswalk mints IRIs from slugs and codes only; anything else cannot name one of ours.
_LOCAL = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")


@router.get("/id/{path:path}", summary="A jurisdiction, instrument or provision (HTML or RDF)")
async def identified(request: Request, path: str) -> Response:
    if not _LOCAL.fullmatch(path):
        raise HTTPException(404, f"/id/{path} is not a Crosswalk identifier")
    extra = ""
    if path.startswith("jurisdiction/") and _wants_html(request):
        # a jurisdiction's page: its instruments, coverage by group and caveats
        extra = await run_in_threadpool(jurisdiction_html, request.app.state.store, ID[path])
    return await _resource(request, ID[path], extra)


@router.get("/concept/{name}", summary="A shared concept (HTML or RDF)")
async def concept(request: Request, name: str) -> Response:
    if not _LOCAL.fullmatch(name):
        raise HTTPException(404, f"/concept/{name} is not a Crosswalk concept")
    who = ""
    if _wants_html(request) and name in vocabulary().concepts:
        text = request.query_params.get("as_of")
        try:
            when = date.fromisoformat(text) if text else date.today()
        except ValueError:
            raise HTTPException(400, f"as_of {text!r} is not a date (YYYY-MM-DD)") from None
        view = await run_in_threadpool(who_regulates, request.app.state.store, name, when)
        who = _who_html(view)
    return await _resource(request, XWC[name], who)


@router.get("/ontology", summary="The Crosswalk ontology and its reference data (HTML or RDF)")
async def ontology(request: Request) -> Response:
    graph = reference_graph()
    if not _wants_html(request):
        copy = Graph()
        copy += graph
        return rdf_response(request, copy)
    # generated by pyLODE (`crosswalk ontology-page`), checked in and shipped: classes, properties
    # with domain and range, every definition
    page = (Path(__file__).parent / "static" / "ontology.html").read_text(encoding="utf-8")
    return HTMLResponse(page, headers={"Vary": "Accept"})


__all__ = ["router"]
