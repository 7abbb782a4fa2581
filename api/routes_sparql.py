"""`/sparql`: the SPARQL 1.1 Protocol, read-only, with a time limit and caps on every cost.

GET `?query=`, POST form `query=` or a direct `application/sparql-query` body, with the
protocol's dataset (`default-graph-uri`, `named-graph-uri`, repeatable). Results by `Accept`
(with q-values) or a format parameter as SPARQLWrapper, Virtuoso and Fuseki clients send it
(`format`, `output`, `results`: `json`, `xml`, `csv`, `tsv`, `turtle`, `n3`, `rdf+xml`,
`json-ld`, or a media type; unknown values are ignored and Accept decides). SELECT and ASK
answer as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (default),
N-Triples, JSON-LD or RDF/XML. Updates, LOAD/CLEAR/DROP… and SERVICE are refused. Relative IRIs
in a query resolve against `BASE_IRI`. Limits and their settings: docs/security.md.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.answers import GRAPH_FORMATS, SELECT_FORMATS, Formats
from crosswalk.graph.errors import EndpointBusy, QueryError, QueryRefused
from crosswalk.graph.sandbox import Job
from crosswalk.graph.store import Dataset

from . import malloc
from .editor import page as editor_page
from .problems import problem
from .service_description import respond as service_description
from .sparql_guard import check, checked_before, normalise

router = APIRouter(tags=["sparql"])

# Relative IRIs in a query (`<x>`) resolve against this base, the namespace every Crosswalk IRI
# lives in, whatever host the server answers on (a Host header must not change a query's meaning).
BASE_IRI = "https://w3id.org/crosswalk/"
UPDATE = "SPARQL Update is not allowed: this endpoint is read-only"
TRIM_AFTER_BYTES = 1_000_000

# What clients put in `format=` / `output=` / `results=` (SPARQLWrapper sends all three, Virtuoso
# and Fuseki clients one of them), or a media type there or in Accept, mapped to a format key.
SELECT_NAMES = {
    "json": "json", "srj": "json", "application/sparql-results+json": "json", "application/json": "json",
    "xml": "xml", "srx": "xml", "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "csv": "csv", "text/csv": "csv",
    "tsv": "tsv", "text/tab-separated-values": "tsv",
}  # fmt: skip
GRAPH_NAMES = {
    "turtle": "ttl", "ttl": "ttl", "text/turtle": "ttl", "application/turtle": "ttl", "application/x-turtle": "ttl",
    "n3": "ttl", "text/n3": "ttl", "text/rdf+n3": "ttl", "application/n3": "ttl",  # Turtle is N3
    "nt": "nt", "ntriples": "nt", "n-triples": "nt", "application/n-triples": "nt", "text/plain": "nt",
    "json-ld": "jsonld", "jsonld": "jsonld", "json": "jsonld", "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld", "application/json": "jsonld",
    "rdf+xml": "rdfxml", "rdfxml": "rdfxml", "xml": "rdfxml", "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml", "text/xml": "rdfxml",
}  # fmt: skip
FORMAT_PARAMS = ("format", "output", "results")


@lru_cache(maxsize=256)  # clients send the same few Accept headers; read each once, not three times a query
def _accepted(accept: str) -> tuple[tuple[str, float], ...]:
    """Accept's media ranges with their q-values, best first (ties keep their order)."""
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((media.lower(), q))
    return tuple(sorted(ranges, key=lambda r: -r[1]))


def _choose(accept: str, named: list[str], names: dict[str, str], default: str) -> str:
    """The format key for one kind of result: the first known format parameter value, else the
    best Accept entry this kind has, else `default` (also for `*/*`). Kept simple and local so a
    shared negotiator (api/negotiate.py) can replace it."""
    for value in named:
        if value.lower() in names:
            return names[value.lower()]
    for media, _ in _accepted(accept):
        if media in names:
            return names[media]
    return default


def _wants_html(accept: str, named: list[str]) -> bool:
    """A person's browser: text/html ranked above every result format (q-values, issue 15), and
    no format parameter naming a result format."""
    if any(v.lower() in SELECT_NAMES or v.lower() in GRAPH_NAMES for v in named):
        return False
    ranked = _accepted(accept)
    html = max((q for m, q in ranked if m in ("text/html", "application/xhtml+xml")), default=0.0)
    machine = max((q for m, q in ranked if m in SELECT_NAMES or m in GRAPH_NAMES), default=0.0)
    return html > machine


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit


class _Unsupported(Exception):
    def __init__(self, kind: str) -> None:
        self.kind = kind


async def _body(request: Request, max_bytes: int) -> bytes:
    """The request body, read as it arrives and refused the moment it passes `max_bytes`, chunked
    or not (a declared Content-Length over the limit is refused before any of it is read)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise QueryError(f"Content-Length {declared!r} is not a number")
        if int(declared) > max_bytes:
            raise _TooLarge(max_bytes)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _TooLarge(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"the {what} is not UTF-8 (byte {exc.start})") from None


@lru_cache(maxsize=256)
def _parsed(query: str) -> tuple[tuple[str, str], ...]:
    return tuple(parse_qsl(query, keep_blank_values=True))


def _query_parameters(query: str) -> list[tuple[str, str]]:
    """The URL's parameters. Short query strings are kept parsed: clients repeat their URLs, and
    decoding a percent-encoded query is Python byte by byte (a sixth of the server's CPU for a
    repeated query, measured). Long ones are parsed each time, so the cache stays small."""
    if len(query) <= 4096:
        return list(_parsed(query))
    return parse_qsl(query, keep_blank_values=True)


async def _parameters(request: Request, max_bytes: int) -> tuple[list[tuple[str, str]], str | None]:
    """The protocol's parameters (URL, and a form body's), and a direct POST's query text."""
    # the raw query string (Starlette's `request.url` would parse the whole URL for it)
    params = _query_parameters(request.scope["query_string"].decode("utf-8", "replace"))
    if request.method != "POST":
        return params, None
    content_type = request.headers.get("content-type")
    if content_type is None:
        raise QueryError("a POST needs a Content-Type: application/x-www-form-urlencoded or application/sparql-query")
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/sparql-update":
        raise QueryRefused(UPDATE)
    if kind not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise _Unsupported(kind)
    body = _decode(await _body(request, max_bytes), "request body")
    if kind == "application/sparql-query":
        if any(name == "query" for name, _ in params):
            raise QueryError("a direct POST carries its query in the body; do not pass `query` in the URL too")
        return params, body
    return params + parse_qsl(body, keep_blank_values=True), None


def _dataset(params: list[tuple[str, str]]) -> Dataset:
    dataset = Dataset(
        default=tuple(v for n, v in params if n == "default-graph-uri"),
        named=tuple(v for n, v in params if n == "named-graph-uri"),
    )
    for iri in dataset.default + dataset.named:
        if ":" not in iri or any(c in iri for c in ' <>"{}|^`\\'):
            raise QueryError(f"default-graph-uri and named-graph-uri need absolute IRIs, not {iri!r}")
    return dataset


async def sparql(request: Request) -> Response:
    settings = request.app.state.settings
    try:
        params, direct = await _parameters(request, settings.max_body_bytes)
    except _TooLarge as exc:
        too_large = problem(413, "Payload too large", f"the request body is over the limit of {exc.limit} bytes")
        too_large.headers["Connection"] = "close"  # the server closes: the rest of the body is never read
        return too_large
    except _Unsupported as exc:
        return problem(
            415,
            "Unsupported media type",
            f"a POST to /sparql is application/x-www-form-urlencoded or application/sparql-query, not {exc.kind!r}",
        )
    if any(name == "update" for name, _ in params):
        raise QueryRefused(UPDATE)
    queries = [v for n, v in params if n == "query"]
    if len(queries) > 1:
        raise QueryError(f"the request holds {len(queries)} queries; send one `query` parameter")
    text = direct if direct is not None else (queries[0] if queries else "")
    accept = request.headers.get("accept", "")
    named = [v.strip() for n, value in params if n in FORMAT_PARAMS for v in value.split(",") if v.strip()]
    if request.method == "GET" and _wants_html(accept, named):
        # People get the query editor, also for a permalink (/sparql?query=…, what YASGUI's share
        # button makes): the editor reads the query from the URL. SPARQL clients never ask for HTML.
        return HTMLResponse(editor_page())
    graph_key = _choose(accept, named, GRAPH_NAMES, "ttl")
    if not text.strip():
        if request.method == "GET":  # machines get the SPARQL 1.1 Service Description, with VoID statistics
            return await service_description(request)
        raise QueryError("missing query: pass it as ?query=, a form field 'query' or an application/sparql-query body")
    dataset = _dataset(params)
    formats = Formats(_choose(accept, named, SELECT_NAMES, "json"), graph_key)
    text = normalise(text)  # the text that is checked is the text that runs (api/sparql_guard.py)
    own_dataset = checked_before(text)  # a text decided before (clients repeat their queries)
    if own_dataset is None:
        own_dataset = await run_in_threadpool(check, text)  # a parse: milliseconds, off the event loop
    store, sandbox = request.app.state.store, request.app.state.sandbox
    try:
        if sandbox is not None:  # a worker process, killed at the deadline (graph/sandbox.py)
            job = Job(
                text,
                formats,
                dataset,
                own_dataset,
                BASE_IRI,
                settings.max_rows,
                settings.max_response_bytes,
                store.generation,
            )
            answer = await sandbox.answer_async(job, timeout=settings.query_timeout)  # no thread hop
        else:  # in this process: `query_workers = 0`, an in-memory or a remote store
            answer = await run_in_threadpool(
                store.answer,
                text,
                formats,
                dataset,
                own_dataset=own_dataset,
                base_iri=BASE_IRI,
                timeout=settings.query_timeout,
                max_rows=settings.max_rows,
                max_bytes=settings.max_response_bytes,
            )
    except EndpointBusy as exc:
        busy = problem(503, "Service unavailable", str(exc))
        busy.headers["Retry-After"] = str(exc.retry_after)
        return busy
    csv = answer.media_type.startswith("text/csv")
    headers = {"Content-Disposition": 'inline; filename="results.csv"'} if csv else None
    # after a large answer is sent, hand the heap's free memory back (api/malloc.py)
    trim = BackgroundTask(malloc.trim) if len(answer.body) > TRIM_AFTER_BYTES else None
    return Response(answer.body, media_type=answer.media_type, headers=headers, background=trim)


# Served by a plain Starlette route, matched first: FastAPI's route would solve dependencies and
# parse the query string for a handler that takes only the request (about a tenth of the server's
# CPU per query at 16 connections: docs/performance.md). Errors raised here are answered by the
# app's handlers (api/problems.py) all the same: they sit around every route.
router.add_route("/sparql", sparql, methods=["GET", "POST"])
# The same handler as an API route after it, never reached, so that the OpenAPI schema (/docs)
# still lists the endpoint.
router.add_api_route("/sparql", sparql, methods=["GET", "POST"], summary="SPARQL 1.1 query endpoint (read-only)")


__all__ = ["BASE_IRI", "GRAPH_FORMATS", "SELECT_FORMATS", "router"]
