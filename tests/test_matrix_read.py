"""The matrix's reads kept beside an on-disk store per version (queries/matrix_read.py,
graph/reads.py, decision 0009): its rows are in-force-keys-scan.rq's at every date, the kept
file is what a fresh read gives and the matrix is the same from either, a file of another
version or format is never trusted, and every write removes the file before it writes (ingest
and drop, on the store and through the API). Real on-disk stores, the real app over httpx's
ASGI transport."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from rdflib import XSD, Literal, URIRef

from crosswalk.api.app import create_app
from crosswalk.api.settings import Settings
from crosswalk.graph import reads
from crosswalk.graph.binding import bind_values
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import ingest_all, rule_files
from crosswalk.graph.store import Store, select_values
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.queries import compare as analysis
from crosswalk.queries import matrix_read
from tests.conftest import executable

# before the EU AI Act, its first and second application dates, the session's day, and later
DATES = [date(2023, 6, 1), date(2025, 2, 2), date(2025, 8, 2), date(2026, 12, 3), date(2028, 1, 1)]
PARTIES = ["EU", "US", "US-CO", "US-CA", "KR", "CN", "GB", "BR", "CoE", "JP"]


@pytest.fixture
def disk(corpus_dir: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    """The bundled corpus on disk, a copy of its own, opened writable."""
    directory = tmp_path / "store"
    shutil.copytree(corpus_dir, directory)
    store = EmbeddedStore(directory)
    yield store
    store.close()


def _every() -> list[URIRef]:
    return list(vocabulary().jurisdictions.members.values())


def _scan(store: Store, jurisdictions: list[URIRef], when: date) -> list[tuple[str | None, ...]]:
    at = Literal(when.isoformat(), datatype=XSD.date)
    text = bind_values(analysis._part("in-force-keys-scan"), ["j", "at"], [[j, at] for j in jurisdictions])
    names, rows = select_values(store, text)
    assert tuple(names) == analysis.KEY_COLUMNS
    return [tuple(r) for r in rows]


def test_the_rows_are_in_force_keys_scans_at_every_date(disk: EmbeddedStore) -> None:
    dated, _ = matrix_read.version_rows(disk)
    every = _every()
    for when in DATES:
        ours = matrix_read.in_force_keys(dated, disk, every, when)
        assert Counter(ours) == Counter(_scan(disk, every, when)), when
    assert len(matrix_read.in_force_keys(dated, disk, every, DATES[-1])) > 1_000  # real rows


def test_the_kept_read_is_a_fresh_read_and_gives_the_same_matrix(disk: EmbeddedStore, corpus: Store) -> None:
    analysis.clear_cache()
    assert disk.kept(matrix_read.NAME) is None
    first = analysis.matrix(disk, PARTIES, DATES[3]).to_dict()  # reads the version and keeps it
    kept = disk.kept(matrix_read.NAME)
    assert kept is not None
    reads.forget(disk.path)  # type: ignore[arg-type]
    fresh = matrix_read.version_rows(disk)  # read again from the store, and kept again
    assert [Counter(k) for k in kept] == [Counter(f) for f in fresh]
    assert all(len(part) > 1_000 for part in fresh)
    for when in DATES:
        analysis.clear_cache()
        from_file = analysis.matrix(disk, PARTIES, when).to_dict()
        analysis.clear_cache()
        from_memory = analysis.matrix(corpus, PARTIES, when).to_dict()  # no kept reads: the store's scans
        assert from_file == from_memory, when
        if when == DATES[3]:
            assert from_file == first


def test_a_kept_read_of_another_version_or_format_is_not_trusted(disk: EmbeddedStore) -> None:
    reads.save(disk.path, matrix_read.NAME, "another data version", ([], []))  # type: ignore[arg-type]
    assert disk.kept(matrix_read.NAME) is None
    (reads.directory(disk.path) / matrix_read.NAME).write_bytes(b"\x00 not marshal")  # type: ignore[arg-type]
    assert disk.kept(matrix_read.NAME) is None
    dated, _ = matrix_read.version_rows(disk)  # read from the store instead, and kept
    assert dated and disk.kept(matrix_read.NAME) is not None


def test_a_store_opened_read_only_neither_keeps_nor_uses_them(corpus_dir: Path, tmp_path: Path) -> None:
    # another process may be writing a store opened read-only: its kept reads may be of an older version
    directory = tmp_path / "store"
    shutil.copytree(corpus_dir, directory)
    writer = EmbeddedStore(directory)
    matrix_read.version_rows(writer)
    assert writer.kept(matrix_read.NAME) is not None
    writer.close()
    viewer = EmbeddedStore.read_only(directory)
    try:
        assert viewer.kept(matrix_read.NAME) is None
        analysis.clear_cache()
        assert analysis.matrix(viewer, PARTIES, DATES[3]).index  # read from the store, as before
    finally:
        viewer.close()


def test_every_write_removes_the_kept_reads_before_it_writes(disk: EmbeddedStore, excerpt: Path) -> None:
    analysis.clear_cache()
    before = analysis.matrix(disk, PARTIES, DATES[3])
    assert disk.kept(matrix_read.NAME) is not None
    ingest_all(disk, rule_files([excerpt]))
    assert disk.kept(matrix_read.NAME) is None
    assert not reads.directory(disk.path).exists()  # type: ignore[arg-type]
    analysis.clear_cache()
    after = analysis.matrix(disk, PARTIES, DATES[3])  # the new version read, and kept
    dated, _ = disk.kept(matrix_read.NAME)
    assert any("test-excerpt" in str(row[0]) for row in dated)
    assert after.to_dict() != before.to_dict()  # the excerpt's EU provisions change the EU's pairs
    graph = next(g for g in disk.graphs() if "test-excerpt" in str(g))
    assert disk.drop_graph(graph)
    assert not reads.directory(disk.path).exists()  # type: ignore[arg-type]


def test_the_server_keeps_each_version_it_writes(corpus_dir: Path, excerpt_text: str, tmp_path: Path) -> None:
    # api/warm.py keeps the matrix's reads at start and in each write's own request (after the
    # write removed the older ones): what is kept is always the current version
    directory = tmp_path / "store"
    shutil.copytree(corpus_dir, directory)
    token = {"authorization": "Bearer s3cret"}

    def excerpt_rows(store: EmbeddedStore) -> int:
        kept = store.kept(matrix_read.NAME)
        assert kept is not None
        return sum("test-excerpt" in str(row[0]) for row in kept[0])

    async def main() -> None:
        analysis.clear_cache()
        app = create_app(Settings(store=str(directory), query_workers=0, ingest_if_empty=False, write_token="s3cret"))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://crosswalk.test", timeout=60
            ) as client,
        ):
            store = app.state.store
            assert excerpt_rows(store) == 0  # kept at start, before any /matrix
            matrix = {"j": PARTIES, "as_of": "2026-12-03"}
            before = (await client.get("/matrix", params=matrix)).json()
            headers = {**token, "x-filename": "x.yaml"}
            r = await client.post("/instruments", content=excerpt_text.encode(), headers=headers)
            assert r.status_code == 200, r.text
            assert excerpt_rows(store) > 0  # the written version's rows, kept by the write's request
            after = (await client.get("/matrix", params=matrix)).json()
            assert after != before
            analysis.clear_cache()
            assert after == analysis.matrix(store, PARTIES, date(2026, 12, 3)).to_dict()
            assert (await client.delete("/instruments/test-excerpt", headers=token)).status_code == 200
            assert excerpt_rows(store) == 0
            assert (await client.get("/matrix", params=matrix)).json() == before

    asyncio.run(main())


def test_crosswalk_ingest_keeps_the_version_it_wrote(excerpt: Path, tmp_path: Path) -> None:
    directory = tmp_path / "store"
    script = executable("crosswalk")
    assert script is not None
    done = subprocess.run([script, "ingest", str(excerpt), "--store", str(directory)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    store = EmbeddedStore(directory)
    try:
        kept = store.kept(matrix_read.NAME)
        assert kept is not None and any("test-excerpt" in str(row[0]) for row in kept[0])
    finally:
        store.close()
