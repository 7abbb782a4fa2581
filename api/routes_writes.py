"""Writes over HTTP: ingest an instrument file, drop an instrument. Bearer token required.

The token comes from `CROSSWALK_WRITE_TOKEN`; without one configured, writes are disabled.
No token → 401, a wrong one → 403. A bad file → 400 with the same file/line/field messages as
`crosswalk validate`, and the store unchanged; so is an instrument id reserved for a system
graph (`reference`, `alignments`, `findings`) or taken by another jurisdiction's instrument.
Deleting a system graph → 400, an instrument that is not there → 404. Every write holds the
store's write lock, so readers see each whole before or after (docs/security.md).
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.build import graph_iri
from crosswalk.graph.check import SYSTEM_IDS
from crosswalk.graph.checker import SLUG
from crosswalk.graph.errors import InputError
from crosswalk.graph.ingest import ingest_file
from crosswalk.graph.store import Store
from crosswalk.ontology import XW

from .warm import warm

router = APIRouter(tags=["writes"])


def _authorise(request: Request) -> None:
    expected = request.app.state.settings.write_token
    if not expected:
        raise HTTPException(403, "writes are disabled: set CROSSWALK_WRITE_TOKEN to enable them")
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise HTTPException(401, "writes need an 'Authorization: Bearer <token>' header")
    if not hmac.compare_digest(header[7:].strip().encode(), expected.encode()):
        raise HTTPException(403, "the bearer token is not valid")


@router.post("/instruments", summary="Ingest one instrument rule file (YAML body); needs the write token")
async def ingest(request: Request) -> dict[str, Any]:
    _authorise(request)
    body = await _body(request, request.app.state.settings.max_body_bytes)
    name = request.headers.get("x-filename", "upload.yaml")
    report = await run_in_threadpool(ingest_file, request.app.state.store, Path(Path(name).name), body)
    await run_in_threadpool(warm, request.app.state.store)  # the next request meets no version read
    return {
        "instrument": report.instrument,
        "graph": str(report.graph),
        "outcome": report.outcome,
        "provisions": report.provisions,
        "triples": report.triples,
    }


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes `limit`: a declared length is checked
    before reading, and a chunked body is counted while it arrives, never read whole first."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the request body is over the limit of {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"the request body is over the limit of {limit} bytes")
    return bytes(body)


@router.delete("/instruments/{instrument_id}", summary="Drop an instrument's graph; needs the write token")
async def drop(request: Request, instrument_id: str) -> dict[str, Any]:
    _authorise(request)
    if instrument_id in SYSTEM_IDS:
        raise InputError(f"{instrument_id!r} is a system graph, not an instrument; it cannot be dropped")
    if not SLUG.match(instrument_id):
        raise HTTPException(404, f"no instrument {instrument_id!r} in the store")
    dropped = await run_in_threadpool(_drop_instrument, request.app.state.store, instrument_id)
    if not dropped:
        raise HTTPException(404, f"no instrument {instrument_id!r} in the store")
    await run_in_threadpool(warm, request.app.state.store)  # the next request meets no version read
    return {"instrument": instrument_id, "dropped": True}


def _drop_instrument(store: Store, instrument_id: str) -> bool:
    """Drop the graph of an instrument, and only of one: a graph of that name that holds no
    instrument is not ours to drop here."""
    name = graph_iri(instrument_id)
    with store.writing():
        if store.query(f"ASK {{ GRAPH ?g {{ ?i a <{XW.Instrument}> }} }}", {"g": name}) is not True:
            return False
        return store.drop_graph(name)
