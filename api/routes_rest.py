"""REST resources over the graph and the analysis: JSON, paginated where lists grow."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from rdflib import RDFS
from rdflib.namespace import SKOS
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import Rows, Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import XW, reference_graph
from crosswalk.queries.compare import baseline, compare, context, in_force, matrix
from crosswalk.queries.diff import diff
from crosswalk.queries.parties import parties
from crosswalk.queries.registry import AUDIENCES, NamedQuery, get, named_queries
from crosswalk.queries.stats import collect

from .epochs import answer
from .heavy import queue_of
from .jsonld import JsonLdRoute
from .output import plain
from .response_cache import ResponseCache

router = APIRouter(tags=["resources"], route_class=JsonLdRoute)  # JSON-LD on request (api/jsonld.py)
Codes = Annotated[list[str], Query(alias="j", description="Jurisdiction code, repeated: ?j=EU&j=US-CO")]
AsOf = Annotated[date | None, Query(description="Date the answer holds at (YYYY-MM-DD); default today")]


# The two lists every client starts from, kept per store version (counting the store took
# 0.15-0.45 s a request): name -> (store version, list); JSON-ready, never mutated.
_LISTS: dict[str, tuple[Hashable, list[dict[str, Any]]]] = {}


def _kept(store: Store, name: str, make: Callable[[Store], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    version = getattr(store, "cache_key", None)
    kept = _LISTS.get(name)
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    made = make(store)
    if version is not None:
        _LISTS[name] = (version, made)
    return made


def _jurisdictions(store: Store) -> list[dict[str, Any]]:
    stats = collect(store)
    counts = {code: (i, p) for code, i, p in stats.per_jurisdiction}
    g = reference_graph()
    out = []
    for code, iri in sorted(vocabulary().jurisdictions.members.items()):
        parent = g.value(iri, XW.partOf)
        out.append(
            {
                "code": code,
                "iri": str(iri),
                "label": str(g.value(iri, RDFS.label) or code),
                "part_of": str(g.value(parent, XW.code)) if parent is not None else None,
                "instruments": counts.get(code, (0, 0))[0],
                "provisions": counts.get(code, (0, 0))[1],
            }
        )
    return out


def _instruments(store: Store) -> list[dict[str, Any]]:
    rows = get("instruments").run(store, {})
    assert isinstance(rows, Rows)
    return [{k: plain(v) for k, v in r.items()} for r in rows.dicts()]


@router.get("/jurisdictions", summary="Jurisdictions with their instrument and provision counts")
async def jurisdictions(request: Request) -> list[dict[str, Any]]:
    return await run_in_threadpool(_kept, request.app.state.store, "jurisdictions", _jurisdictions)


@router.get("/instruments", summary="Every instrument with status, dates, provision count and source")
async def instruments(request: Request) -> list[dict[str, Any]]:
    return await run_in_threadpool(_kept, request.app.state.store, "instruments", _instruments)


@router.get("/provisions", summary="Provisions applying to a jurisdiction at a date, filtered and paginated")
async def provisions(
    request: Request,
    jurisdiction: Annotated[str, Query(description="Jurisdiction code; inherited provisions included")],
    at: AsOf = None,
    concept: str | None = None,
    modality: Annotated[str | None, Query(pattern="^(obligation|prohibition|permission|right)$")] = None,
    bearer: Annotated[str | None, Query(description="Common role, e.g. Developer or Deployer")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    if jurisdiction not in vocabulary().jurisdictions:
        raise QueryError(vocabulary().jurisdictions.hint(jurisdiction))
    items = await run_in_threadpool(in_force, request.app.state.store, jurisdiction, at or date.today())
    selected = [
        p
        for p in items
        if (concept is None or p.concept == concept)
        and (modality is None or p.modality == modality)
        and (bearer is None or bearer in p.roles)
    ]
    page = selected[offset : offset + limit]
    return {
        "total": len(selected),
        "limit": limit,
        "offset": offset,
        "items": [{**p.ref(), "concept": p.concept} for p in page],
    }


@router.get("/concepts", summary="The shared concept scheme as a tree of groups and concepts")
async def concepts() -> list[dict[str, Any]]:
    g = reference_graph()
    v = vocabulary()
    ctx = context()
    tree = []
    for key, group in sorted(v.concept_groups.members.items()):
        members = sorted(name for name, grp in ctx.concept_group.items() if grp == key)
        tree.append(
            {
                "group": key,
                "label": str(g.value(group, SKOS.prefLabel)),
                "concepts": [
                    {
                        "concept": n,
                        "label": ctx.concept_label[n],
                        "definition": str(g.value(v.concepts.iri(n), SKOS.definition)),
                        "practice": n in ctx.practices,
                    }
                    for n in members
                ],
            }
        )
    return tree


def _parties(request: Request, codes: list[str], at_least: int = 0, what: str = "this request") -> list[str]:
    cap = request.app.state.settings.max_parties
    return parties(codes, cap=cap, at_least=at_least, what=what)


def _json(value: Any) -> bytes:
    # orjson: a comparison's answer is about 450 kB, which the standard library's encoder took
    # 6.5 ms to write, as long as the comparison itself (issue 18); the same JSON, compact
    return orjson.dumps(value)


@router.get("/compare", summary="Equivalences, divergences, gaps and conflicts between two jurisdictions")
async def compare_route(
    request: Request, j: Codes, as_of: AsOf = None, concept: Annotated[list[str] | None, Query()] = None
) -> Response:
    codes = _parties(request, j)
    if len(codes) != 2:
        raise QueryError(f"compare takes exactly two different jurisdictions, got {len(codes)}")
    store, when, concepts = request.app.state.store, as_of or date.today(), tuple(dict.fromkeys(concept or ()))

    def made() -> bytes:  # in a worker thread: the event loop only relays the bytes
        # each provision's JSON written once per version, however many findings cite it
        return compare(store, codes, when, list(concepts) or None).to_json()

    async def compute() -> bytes:
        return await run_in_threadpool(made)

    # two parties: cheap enough to run beside the queue (the workbench asks for every pair)
    body = await answer(_ANSWERS, store, ("compare", tuple(codes), concepts), when, compute, queue_of(request.app))
    return Response(body, media_type="application/json")


# bodies of /compare, /baseline and /matrix per store version and date epoch (api/epochs.py)
_ANSWERS = ResponseCache(entries=1024, max_bytes=32_000_000)


async def _queued(request: Request, name: str, analysis: Callable[..., Any], codes: list[str], when: date) -> Response:
    """An analysis of many parties as JSON: through the heavy-analysis queue (api/heavy.py), made
    and written in its worker thread, cached per store version and date epoch."""
    store, queue = request.app.state.store, queue_of(request.app)

    def made() -> bytes:
        return _json(analysis(store, codes, when).to_dict())

    async def compute() -> bytes:
        return await queue.run(made)

    body = await answer(_ANSWERS, store, (name, tuple(codes)), when, compute, queue)
    return Response(body, media_type="application/json")


@router.get("/baseline", summary="What every jurisdiction regulates, and the values it protects")
async def baseline_route(request: Request, j: Codes, as_of: AsOf = None) -> Response:
    codes = _parties(request, j, at_least=2, what="a baseline")
    return await _queued(request, "baseline", baseline, codes, as_of or date.today())


@router.get("/matrix", summary="Pairwise interoperability index")
async def matrix_route(request: Request, j: Codes, as_of: AsOf = None) -> Response:
    codes = _parties(request, j, at_least=2, what="a matrix")
    return await _queued(request, "matrix", matrix, codes, as_of or date.today())


@router.get("/diff", summary="What changes for a pair between two dates: verdicts that appear, disappear or change")
async def diff_route(
    request: Request,
    j: Codes,
    start: Annotated[date, Query(alias="from", description="The earlier date (YYYY-MM-DD)")],
    end: Annotated[date, Query(alias="to", description="The later date (YYYY-MM-DD)")],
) -> dict[str, Any]:
    codes = _parties(request, j)
    if len(codes) != 2:
        raise QueryError("diff needs exactly two jurisdictions: ?j=EU&j=US-CO")
    result = await run_in_threadpool(diff, request.app.state.store, codes[0], codes[1], start, end)
    return result.to_dict()


@router.get("/queries", summary="The named queries, grouped by who asks them, with their parameters")
async def queries() -> dict[str, list[dict[str, Any]]]:
    def entry(q: NamedQuery) -> dict[str, Any]:
        params = [
            {"name": p.name, "type": p.type, "description": p.description, "default": p.default} for p in q.params
        ]
        return {"name": q.name, "title": q.title, "description": q.description, "example": q.example, "params": params}

    return {who: [entry(q) for q in named_queries().values() if who in q.audience] for who in AUDIENCES}


@router.get("/queries/{name}", summary="Run a named query; its parameters are query-string parameters")
async def run_query(request: Request, name: str) -> dict[str, Any]:
    query = get(name)
    values = dict(request.query_params)
    for param in query.params:  # a list of parties: checked, deduplicated and capped like ?j=
        if param.type == "jurisdictions" and param.name in values:
            try:
                values[param.name] = ",".join(_parties(request, values[param.name].split(",")))
            except QueryError as exc:
                raise QueryError(f"parameter {param.name}: {exc}") from None
    rows = await run_in_threadpool(query.run, request.app.state.store, values)
    assert isinstance(rows, Rows)
    return {"query": name, "vars": rows.vars, "rows": [{k: plain(v) for k, v in r.items()} for r in rows.dicts()]}
