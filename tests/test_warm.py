"""The server reads each store version before any request needs it (api/warm.py): at start and
in a write's own request, so a request after the write's answer meets no version read. Checked
on the cache's state, never on time: the real app in process over httpx's ASGI transport, an
on-disk store, real writes with the token."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx

from crosswalk.api.app import create_app
from crosswalk.api.settings import Settings
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.queries import compare as analysis

TOKEN = {"authorization": "Bearer s3cret", "x-filename": "excerpt.yaml"}


def _held(store: object) -> dict[object, object]:
    """The rows held for the store's current version, by origin (empty when another is held)."""
    with analysis._DATED_LOCK:
        if analysis._DATED_VERSION[0] != getattr(store, "cache_key", None):
            return {}
        return dict(analysis._DATED)


def test_a_request_after_a_write_meets_no_version_read(corpus_dir: Path, excerpt_text: str, tmp_path: Path) -> None:
    directory = tmp_path / "store"
    shutil.copytree(corpus_dir, directory)
    every = list(vocabulary().jurisdictions.members.values())
    eu = vocabulary().jurisdictions.iri("EU")

    async def main() -> None:
        analysis.clear_cache()
        app = create_app(Settings(store=str(directory), query_workers=0, ingest_if_empty=False, write_token="s3cret"))
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://crosswalk.test", timeout=60) as client,
        ):
            store = app.state.store
            # at start: every jurisdiction's rows of the version are held before the first request
            started = store.cache_key
            assert analysis.warmed(store, every)
            eu_rows = _held(store)[eu]
            assert eu_rows  # real rows, not an empty read

            # a write: its answer comes once the new version is read
            r = await client.post("/instruments", content=excerpt_text.encode(), headers=TOKEN)
            assert r.status_code == 200, r.text
            written = store.cache_key
            assert written != started
            assert analysis.warmed(store, every)
            held = _held(store)
            assert held[eu] is not eu_rows and len(held[eu]) > len(eu_rows)  # the excerpt's provisions came in

            # the next request answers from those rows: the store's version and the rows held are unchanged
            r = await client.get("/compare", params={"j": ["EU", "US-CO"], "as_of": "2026-12-03"})
            assert r.status_code == 200
            assert "test-excerpt" in r.text  # the written provisions are compared
            after = _held(store)
            assert store.cache_key == written
            assert all(after[o] is held[o] for o in held)

            # a drop: the same
            r = await client.delete("/instruments/test-excerpt", headers={"authorization": "Bearer s3cret"})
            assert r.status_code == 200, r.text
            assert store.cache_key != written
            assert analysis.warmed(store, every)
            assert len(_held(store)[eu]) == len(eu_rows)

    asyncio.run(main())
