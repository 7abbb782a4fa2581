"""`GET /`: where a person or a client starts. Browsers get a page linking every part of the
app (the comparison page, the SPARQL editor, the named queries, the API docs, the ontology, each
jurisdiction); other clients get the same links as JSON."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import RDFS

from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import reference_graph

router = APIRouter(tags=["home"])

LINKS = (
    ("/reports/harmonization", "Compare regimes", "pick parties, a date and concept groups: a harmonization report"),
    ("/sparql", "SPARQL editor", "query the graph; the share button gives a permalink to each query"),
    ("/queries", "Named queries", "the questions negotiators, researchers and analysts ask, with parameters"),
    ("/docs", "REST API", "OpenAPI documentation of every resource"),
    ("/ontology", "Ontology", "the model and its reference data, as a page or as RDF"),
)


def _jurisdictions() -> list[dict[str, str]]:
    g = reference_graph()
    return [
        {"code": code, "label": str(g.value(iri, RDFS.label) or code), "href": f"/id/jurisdiction/{code}"}
        for code, iri in sorted(vocabulary().jurisdictions.members.items())
    ]


@router.get("/", summary="Start here: links to every part of Crosswalk", response_model=None)
async def home(request: Request) -> Response:
    if "text/html" not in request.headers.get("accept", ""):
        body: dict[str, Any] = {
            "links": [{"href": href, "title": title, "description": text} for href, title, text in LINKS],
            "jurisdictions": _jurisdictions(),
        }
        return JSONResponse(body)
    items = "".join(f'<li><a href="{href}">{escape(title)}</a>: {escape(text)}</li>' for href, title, text in LINKS)
    places = "".join(
        f'<li><a href="{j["href"]}">{escape(j["label"])}</a> ({escape(j["code"])})</li>' for j in _jurisdictions()
    )
    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Crosswalk</title></head><body>"
        "<h1>Crosswalk</h1><p>Where AI regimes are equivalent, diverge, have gaps and conflict, "
        f"with their citations.</p><ul>{items}</ul><h2>Jurisdictions</h2><ul>{places}</ul></body></html>"
    )
