"""`GET /`: where a person or a client starts. Browsers get the negotiator's workbench (pick
parties and a date; a heat map of the pairs; a pair's findings; a finding's provisions; drawn by
`static/workbench/workbench.js` from the JSON API) with links to every other part of the app;
other clients get the links and jurisdictions as JSON."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from rdflib import RDFS

from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import reference_graph
from crosswalk.queries.report import MAX_PARTIES

from .negotiate import choose
from .report_render import BASE

router = APIRouter(tags=["home"])

LINKS = (
    ("/reports/harmonization", "Harmonization report", "a report in HTML, PDF, Markdown or JSON"),
    ("/assess", "Assess one AI system", "its risk tier in each market, and the duties that follow, from a profile"),
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
    # JSON unless HTML is preferred: `*/*` (curl, libraries) gets JSON, a browser the page
    if choose(request.headers.get("accept"), ["application/json", "text/html"]) != "text/html":
        body: dict[str, Any] = {
            "links": [{"href": href, "title": title, "description": text} for href, title, text in LINKS],
            "jurisdictions": _jurisdictions(),
        }
        return JSONResponse(body)
    places = _jurisdictions()
    # the page's first view comes from the URL (?j=EU&j=KR&as_of=…): every view is a permalink
    chosen = set(request.query_params.getlist("j"))
    today = date.today().isoformat()
    config = {
        "today": today,
        "max_parties": MAX_PARTIES,
        "base": BASE,
        "labels": {j["code"]: j["label"] for j in places},
    }
    page = _template().render(
        links=LINKS,
        jurisdictions=sorted(places, key=lambda j: j["label"]),
        chosen=chosen,
        as_of=request.query_params.get("as_of") or today,
        max_parties=MAX_PARTIES,
        config=config,
    )
    return HTMLResponse(page)


@cache
def _template() -> Template:
    env = Environment(loader=PackageLoader("crosswalk.api", "templates"), autoescape=True, undefined=StrictUndefined)
    return env.get_template("workbench.html.j2")
