"""`/sparql`: the SPARQL 1.1 Protocol, read-only, with a time limit and a result cap.

GET `?query=`, POST form `query=` or a direct `application/sparql-query` body. Results by
`Accept` or `?format=`: SPARQL JSON (default), XML, CSV, TSV; CONSTRUCT and DESCRIBE as Turtle
(default), N-Triples, JSON-LD or RDF/XML. Updates, LOAD/CLEAR/DROP… and SERVICE are refused.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.errors import QueryError, QueryRefused
from crosswalk.graph.store import Rows

from .editor import page as editor_page
from .negotiate import wants_editor
from .problems import problem
from .service_description import respond as service_description
from .sparql_guard import check, normalise
from .sparql_results import GRAPH_TYPES, SELECT_TYPES, to_csv, to_json, to_tsv, to_xml

router = APIRouter(tags=["sparql"])


def _choose(accept: str, fmt: str | None, table: dict[str, object], default: str) -> str:
    if fmt:
        if fmt not in table:
            raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(table)}")
        return fmt
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        for key, value in table.items():
            if media == (value[0] if isinstance(value, tuple) else value):
                return key
    return default


async def _query_text(request: Request, max_bytes: int) -> str:
    declared = request.headers.get("content-length")
    if declared and int(declared) > max_bytes:
        raise _TooLarge(max_bytes)
    if request.method == "GET":
        if "update" in request.query_params:
            raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")
        return request.query_params.get("query", "")
    body = await request.body()
    if len(body) > max_bytes:
        raise _TooLarge(max_bytes)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/sparql-update":
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")
    if kind == "application/sparql-query":
        return body.decode("utf-8", errors="replace")
    # application/x-www-form-urlencoded, as the SPARQL 1.1 Protocol's POST form
    form = parse_qs(body.decode("utf-8", errors="replace"))
    if "update" in form:
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")
    return form.get("query", [""])[0]


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit


@router.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 query endpoint (read-only)")
async def sparql(request: Request) -> Response:
    settings = request.app.state.settings
    try:
        text = await _query_text(request, settings.max_body_bytes)
    except _TooLarge as exc:
        return problem(413, "Payload too large", f"the request body is over the limit of {exc.limit} bytes")
    if request.method == "GET" and "format" not in request.query_params and wants_editor(request):
        # People get the query editor, also for a permalink (/sparql?query=…, what YASGUI's share
        # button makes): the editor reads the query from the URL. SPARQL clients never ask for HTML.
        return HTMLResponse(editor_page())
    if not text.strip():
        if request.method == "GET":  # machines get the SPARQL 1.1 Service Description, with VoID statistics
            return await service_description(request)
        raise QueryError("missing query: pass it as ?query=, a form field 'query' or an application/sparql-query body")
    text = normalise(text)  # the text that is checked is the text that runs (api/sparql_guard.py)
    await run_in_threadpool(check, text)  # a parse: milliseconds, off the event loop
    store = request.app.state.store
    sandbox = request.app.state.sandbox
    if sandbox is not None:  # a worker process, killed at the deadline (graph/sandbox.py)
        result = await run_in_threadpool(
            sandbox.query, text, generation=store.generation, timeout=settings.query_timeout, max_rows=settings.max_rows
        )
    else:
        result = await run_in_threadpool(
            store.query, text, None, timeout=settings.query_timeout, max_rows=settings.max_rows
        )
    accept = request.headers.get("accept", "")
    fmt = request.query_params.get("format")
    if isinstance(result, Graph):
        key = _choose(accept, fmt, GRAPH_TYPES, "ttl")  # type: ignore[arg-type]
        media, rdflib_format = GRAPH_TYPES[key]
        return Response(result.serialize(format=rdflib_format), media_type=media)
    key = _choose(accept, fmt, SELECT_TYPES, "json")  # type: ignore[arg-type]
    if key in ("csv", "tsv") and not isinstance(result, Rows):
        key = "json"
    body = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}[key](result)  # type: ignore[operator]
    headers = {"Content-Disposition": 'inline; filename="results.csv"'} if key == "csv" else None
    return Response(
        body, media_type=SELECT_TYPES[key] + ("; charset=utf-8" if key in ("csv", "tsv") else ""), headers=headers
    )
