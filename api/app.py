"""The FastAPI application: `create_app(settings)` (an app factory, one router per resource).

>>> from crosswalk.api.app import create_app
>>> create_app().title
'Crosswalk'
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files
from crosswalk.graph.sandbox import QuerySandbox
from crosswalk.graph.store import open_store

from . import (
    problems,
    routes_graphs,
    routes_home,
    routes_linked_data,
    routes_reports,
    routes_rest,
    routes_sparql,
    routes_writes,
)
from .headers import Surface
from .malloc import tune as tune_malloc
from .settings import Settings, load_settings
from .warm import warm


def _has_instruments(store: object) -> bool:
    result = store.query("ASK { ?i a <https://w3id.org/crosswalk/ontology#Instrument> }")  # type: ignore[attr-defined]
    return bool(result)


def _sandbox(store: object, settings: Settings) -> QuerySandbox | None:
    """Killable workers for untrusted SPARQL where they can share the store: an on-disk embedded
    store. A remote store enforces its own limits; an in-memory one cannot be shared."""
    if settings.query_workers > 0 and isinstance(store, EmbeddedStore) and store.path is not None:
        store.publish_snapshots()  # the workers read a checkpoint per store version, never the live store
        return QuerySandbox(
            store.path,
            settings.query_workers,
            settings.query_memory_mb,
            wait_seconds=settings.query_queue_seconds,
            max_waiting=settings.query_queue,
        )
    return None


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tune_malloc()  # large answers and bodies must not stay in the heap (api/malloc.py)
        store = open_store(settings.store)
        if settings.ingest_if_empty and not _has_instruments(store):
            ingest_all(store, rule_files([bundled_corpus()]))
        app.state.store = store
        app.state.sandbox = _sandbox(store, settings)
        warm(store)  # no request meets the version read (api/warm.py)
        try:
            yield
        finally:
            if getattr(app.state, "analysis_queue", None) is not None:
                await app.state.analysis_queue.drain()  # no analysis thread reads a closed store
            if app.state.sandbox is not None:
                app.state.sandbox.close()
            store.close()

    app = FastAPI(
        title="Crosswalk",
        version="0.1.0",
        summary="Where AI regimes are equivalent, diverge, have gaps and conflict — with their citations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    problems.install(app)
    # /sparql first: routes are matched in order, and its clients send the most requests
    # (matching past the other routers cost a tenth of a millisecond a query: docs/performance.md)
    app.include_router(routes_sparql.router)
    app.include_router(routes_home.router)
    app.include_router(routes_rest.router)
    app.include_router(routes_linked_data.router)
    app.include_router(routes_graphs.router)
    app.include_router(routes_writes.router)
    app.include_router(routes_reports.router)
    from . import routes_assess  # issue 17; imported here to leave the shared import line alone

    app.include_router(routes_assess.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    # security headers, Vary, HEAD, CORS on /sparql, redirects without the Host header (api/headers.py)
    app.add_middleware(Surface, public_url=settings.public_url)
    return app
