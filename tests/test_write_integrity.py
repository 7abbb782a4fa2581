"""Data integrity under writes (issue 15): reserved and colliding ids, system graphs that come
back, and reads that see whole versions while writers replace and drop instruments, in process
and through the query workers of a real server."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import ALIGNMENTS_GRAPH, REFERENCE_GRAPH, bundled_corpus, ingest_file
from crosswalk.graph.store import Rows, Store
from crosswalk.ontology import GRAPH, ID

from .conftest import _free_port, executable

TOKEN = "integrity-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
XW = "https://w3id.org/crosswalk/ontology#"
# What a reader of the union graph sees of the test instrument: its content hash and how many
# provisions belong to it. Each variant written has its own hash and count; a read that mixes
# two versions (a half-replaced graph, an old and a new copy) breaks the pairing.
STATE = f"""PREFIX xw: <{XW}>
SELECT ?h (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  <{GRAPH["test-excerpt"]}> xw:contentHash ?h .
  OPTIONAL {{ ?p xw:partOf <{ID["test-excerpt"]}> ; xw:citation ?c }}
}} GROUP BY ?h"""
REFERENCE_ALIVE = f"ASK {{ GRAPH <{REFERENCE_GRAPH}> {{ <{XW}Provision> ?p ?o }} }}"


def _variants(excerpt_text: str) -> dict[str, tuple[bytes, int]]:
    """Two versions of the excerpt: all three provisions, and the first two only."""
    short = excerpt_text.split("  - id: art99-3")[0]
    return {"full": (excerpt_text.encode(), 3), "short": (short.encode(), 2)}


def _expected(variants: dict[str, tuple[bytes, int]]) -> dict[str, int]:
    return {hashlib.sha256(data).hexdigest(): n for data, n in variants.values()}


def _violation(rows: list[tuple[str, int]], expected: dict[str, int]) -> str | None:
    """None when `rows` is one whole version of the instrument (or none at all)."""
    if not rows:
        return None
    if len(rows) == 1 and expected.get(rows[0][0]) == rows[0][1]:
        return None
    return f"mixed state: {rows}"


def _graph_size(store: Store, name: object) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
    assert isinstance(rows, Rows)
    return int(str(rows.rows[0][0]))


# ---------------------------------------------------------------- reserved and colliding ids
@pytest.mark.parametrize("reserved", ["reference", "alignments", "findings"])
def test_a_system_id_is_refused_with_file_line_field(
    reserved: str, corpus_dir: Path, excerpt_text: str, tmp_path: Path, cli
) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(corpus_dir, store_dir)
    bad = tmp_path / "bad.yaml"
    bad.write_text(excerpt_text.replace("id: test-excerpt", f"id: {reserved}", 1), encoding="utf-8")
    db = EmbeddedStore(store_dir)
    reference_before = _graph_size(db, REFERENCE_GRAPH)
    db.close()
    result = cli("ingest", str(bad), "--store", str(store_dir))
    assert result.code == 2, result.err
    assert f"{bad}:5: instrument.id: '{reserved}' is reserved for a system graph" in result.err
    assert "Traceback" not in result.err
    db = EmbeddedStore(store_dir)
    try:
        assert _graph_size(db, REFERENCE_GRAPH) == reference_before
        assert db.query(REFERENCE_ALIVE) is True
    finally:
        db.close()


def test_an_id_of_another_jurisdictions_instrument_is_refused(excerpt: Path, excerpt_text: str, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    try:
        assert ingest_file(store, excerpt).outcome == "added"
        before = store.query(STATE)
        clash = tmp_path / "kr.yaml"
        clash.write_text(excerpt_text.replace("jurisdiction: EU", "jurisdiction: KR", 1), encoding="utf-8")
        from crosswalk.graph.errors import RuleFileError

        with pytest.raises(RuleFileError) as caught:
            ingest_file(store, clash)
        assert str(caught.value).startswith(
            f"{clash}:5: instrument.id: id 'test-excerpt' is taken by an instrument of EU"
        )
        assert store.query(STATE) == before
        # the same jurisdiction may replace its own instrument
        same = tmp_path / "eu.yaml"
        same.write_text(excerpt_text.replace("AI Act excerpt", "AI Act excerpt, again"), encoding="utf-8")
        assert ingest_file(store, same).outcome == "replaced"
    finally:
        store.close()


def test_two_files_of_one_run_with_the_same_id_are_refused(
    excerpt: Path, excerpt_text: str, tmp_path: Path, cli
) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.yaml").write_text(excerpt_text, encoding="utf-8")
    (folder / "b.yaml").write_text(excerpt_text.replace("AI Act excerpt", "copy"), encoding="utf-8")
    result = cli("ingest", str(folder), "--store", str(tmp_path / "store"))
    assert result.code == 2, result.err
    assert (
        f"{folder / 'b.yaml'}:5: instrument.id: id 'test-excerpt' is also used by {folder / 'a.yaml'}:5" in result.err
    )


@pytest.mark.parametrize("system", [REFERENCE_GRAPH, ALIGNMENTS_GRAPH])
@pytest.mark.parametrize("damage", ["dropped", "changed"])
def test_reingest_restores_a_missing_or_changed_system_graph(
    system: object, damage: str, excerpt: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    ingest_file(store, excerpt)
    size = _graph_size(store, system)
    assert size > 30
    if damage == "dropped":
        assert store.drop_graph(system)  # type: ignore[arg-type]
    store.close()
    if damage == "changed":  # one triple gone, the content hash left in place: only the count tells
        raw = ox.Store(str(path))
        graph = ox.NamedNode(str(system))
        raw.remove(next(q for q in raw.quads_for_pattern(None, None, None, graph) if "contentHash" not in str(q)))
        raw.flush()
        del raw
    store = EmbeddedStore(path)
    try:
        assert _graph_size(store, system) == (size - 1 if damage == "changed" else 0)
        report = ingest_file(store, excerpt)
        assert report.outcome == "unchanged"  # the instrument's own graph is as it was
        assert report.system_reloaded
        assert not ingest_file(store, excerpt).system_reloaded  # whole again: no reload the next time
        assert _graph_size(store, system) == size
        assert store.query(REFERENCE_ALIVE) is True
    finally:
        store.close()


# ---------------------------------------------------------------- consistent reads under writes
def _writer(
    write: object,
    variants: dict[str, tuple[bytes, int]],
    rounds: int,
    errors: list[str],
    steps: tuple[str, ...] = ("full", "short", "drop"),
) -> None:
    """Replace the instrument with one variant, then the other, then drop it; `rounds` times."""
    for n in range(rounds):
        for step in steps:
            try:
                write(step, n)  # type: ignore[operator]
            except Exception as exc:  # any failure is counted, and fails the test
                errors.append(f"write {step}: {exc!r}")


def test_in_process_reads_see_whole_versions_while_a_writer_replaces_and_drops(
    excerpt_text: str, tmp_path: Path
) -> None:
    variants = _variants(excerpt_text)
    expected = _expected(variants)
    store = EmbeddedStore(tmp_path / "store")
    file = tmp_path / "excerpt.yaml"
    ingest_file(store, file, variants["full"][0])

    def write(step: str, _: object) -> None:
        if step == "drop":
            store.drop_graph(GRAPH["test-excerpt"])
        else:
            ingest_file(store, file, variants[step][0])

    errors: list[str] = []
    violations: list[str] = []
    reads = 0
    writer = threading.Thread(target=_writer, args=(write, variants, 15, errors))
    writer.start()
    try:
        while writer.is_alive() or reads < 300:
            rows = store.query(STATE)
            assert isinstance(rows, Rows)
            found = _violation([(str(h), int(str(n))) for h, n in rows.rows], expected)
            reads += 1
            if found:
                violations.append(found)
    finally:
        writer.join()
        store.close()
    assert (violations, errors) == ([], [])
    assert reads >= 300


@pytest.fixture
def writable_server(corpus_dir: Path, tmp_path: Path) -> Iterator[tuple[str, Path, int]]:
    """A real `crosswalk serve` with its query workers over a copy of the corpus store, writes on."""
    store = tmp_path / "store"
    shutil.copytree(corpus_dir, store)
    port = _free_port()
    env = {
        **os.environ,
        "CROSSWALK_WRITE_TOKEN": TOKEN,
        "CROSSWALK_QUERY_WORKERS": "2",
        "CROSSWALK_QUERY_TIMEOUT": "30",
    }
    exe = executable("crosswalk")
    assert exe
    with (tmp_path / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [exe, "serve", "--port", str(port), "--store", str(store)], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert process.poll() is None, "crosswalk serve exited"
        assert time.monotonic() < deadline, "crosswalk serve did not answer"
        time.sleep(0.2)
    yield base, store, process.pid
    process.terminate()
    process.wait(timeout=20)
    print((tmp_path / "server.log").read_text(errors="replace")[-5000:])  # shown when a test fails


def test_query_workers_see_whole_versions_while_a_writer_replaces_and_drops(
    writable_server: tuple[str, Path, int], excerpt_text: str
) -> None:
    base, store, _ = writable_server
    variants = _variants(excerpt_text)
    expected = _expected(variants)

    big = (bundled_corpus() / "eu" / "ai-act.yaml").read_bytes()

    def write(step: str, n: int) -> None:
        if step == "drop":
            r = httpx.delete(f"{base}/instruments/test-excerpt", headers=AUTH, timeout=60)
            assert r.status_code == 200, r.text
        elif step == "big":  # the AI Act rewritten whole (a new hash): thousands of triples, flushes, compactions
            r = httpx.post(f"{base}/instruments", content=big + f"# round {n}\n".encode(), headers=AUTH, timeout=120)
            assert r.status_code == 200 and r.json()["outcome"] == "replaced", r.text
        else:
            r = httpx.post(f"{base}/instruments", content=variants[step][0], headers=AUTH, timeout=60)
            assert r.status_code == 200, r.text

    errors: list[str] = []
    violations: list[str] = []
    reads = [0]

    def reader() -> None:
        with httpx.Client(timeout=60) as client:
            while writer.is_alive() or reads[0] < 300:
                r = client.get(f"{base}/sparql", params={"query": STATE})
                reads[0] += 1
                if r.status_code != 200:
                    errors.append(f"read {r.status_code}: {r.text[:200]}")
                    continue
                rows = [(b["h"]["value"], int(b["n"]["value"])) for b in r.json()["results"]["bindings"]]
                found = _violation(rows, expected)
                if found:
                    violations.append(found)

    # rdflib's SPARQL parser (the endpoint's guard) breaks for good when two threads make its very
    # first parse of a grammar path at once (pyparsing trims parse actions lazily, unlocked): a
    # bug of the guard, reported apart. Parse this query once before the readers race.
    assert httpx.get(f"{base}/sparql", params={"query": STATE}, timeout=60).status_code == 200
    writer = threading.Thread(target=_writer, args=(write, variants, 10, errors, ("full", "short", "big", "drop")))
    writer.start()
    readers = [threading.Thread(target=reader) for _ in range(2)]
    for t in readers:
        t.start()
    for t in [writer, *readers]:
        t.join()
    print(f"{reads[0]} reads during 40 writes: {len(violations)} mixed, {len(errors)} errors")  # shown with -s
    assert (violations, errors) == ([], [])
    assert reads[0] >= 300
    # the workers answered from checkpoints, and the old ones were deleted once no worker held them
    left = [n for n in os.listdir(f"{store}.snapshots") if n.isdigit()]
    assert 1 <= len(left) <= 3, left


def test_refused_writes_over_http_change_nothing(writable_server: tuple[str, Path, int], excerpt_text: str) -> None:
    base, _, _ = writable_server
    index = [("j", "EU"), ("j", "KR"), ("as_of", "2026-11-24")]
    before = httpx.get(f"{base}/compare", params=index, timeout=120).json()
    assert before["findings"]
    for reserved in ("reference", "alignments", "findings"):
        r = httpx.post(
            f"{base}/instruments",
            content=excerpt_text.replace("id: test-excerpt", f"id: {reserved}", 1),
            headers={**AUTH, "x-filename": "x.yaml"},
        )
        assert r.status_code == 400, r.text
        assert f"x.yaml:5: instrument.id: '{reserved}' is reserved for a system graph" in r.json()["detail"]
        r = httpx.delete(f"{base}/instruments/{reserved}", headers=AUTH)
        assert r.status_code == 400 and "system graph" in r.json()["detail"], r.text
    # eu-ai-act is the EU's: the same id from Korea is refused, not silently replaced
    clash = excerpt_text.replace("id: test-excerpt", "id: eu-ai-act", 1).replace("jurisdiction: EU", "jurisdiction: KR")
    r = httpx.post(f"{base}/instruments", content=clash, headers={**AUTH, "x-filename": "kr.yaml"})
    assert r.status_code == 400 and "kr.yaml:5: instrument.id: id 'eu-ai-act' is taken by an instrument of EU" in r.text
    for hostile in ("format: 1\ninstrument:\n  id: a\x00b\n", "a: " + "[" * 400 + "]" * 400):
        r = httpx.post(f"{base}/instruments", content=hostile.encode(), headers={**AUTH, "x-filename": "h.yaml"})
        assert r.status_code == 400 and r.json()["detail"].startswith("h.yaml:"), r.text
    assert httpx.delete(f"{base}/instruments/no-such-act", headers=AUTH).status_code == 404
    assert httpx.delete(f"{base}/instruments/..%2Freference", headers=AUTH).status_code in (400, 404)
    after = httpx.get(f"{base}/compare", params=index, timeout=120).json()
    assert after == before


# ---------------------------------------------------------------- a full disk, then freed
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 16 MB filesystem (tmpfs) that can be filled; needs root (CI's container has it)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_writes_recover_once_a_full_disk_is_freed(small_disk: Path, excerpt_text: str, tmp_path: Path) -> None:
    from crosswalk.graph.errors import StoreUnavailable

    variants = _variants(excerpt_text)
    expected = _expected(variants)
    file = tmp_path / "excerpt.yaml"
    store = EmbeddedStore(small_disk / "store")
    try:
        assert ingest_file(store, file, variants["full"][0]).outcome == "added"
        before = store.query(STATE)
        filler = small_disk / "filler"
        with filler.open("wb") as out:  # fill the disk to the last block
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass
        # RocksDB has room left in what it allocated ahead: write until the disk says no
        big = [(URIRef(f"urn:test:s{k}"), URIRef("urn:test:p"), Literal("x" * 500 + str(k))) for k in range(2000)]
        failed = None
        for n in range(200):
            try:
                store.replace_graph(URIRef(f"urn:test:big{n}"), big)
            except StoreUnavailable as exc:
                assert "No space left on device" in str(exc)
                failed = URIRef(f"urn:test:big{n}")
                break
        assert failed is not None, "the disk never filled"
        assert failed not in store.graphs()  # the failed write left nothing behind
        assert store.query(STATE) == before
        filler.unlink()
        for name in store.graphs():
            if str(name).startswith("urn:test:big"):
                store.drop_graph(name)
        # RocksDB kept refusing every write after a failed one until the process restarted
        # (issue 15), even with the disk freed
        assert ingest_file(store, file, variants["short"][0]).outcome == "replaced"
        rows = store.query(STATE)
        assert isinstance(rows, Rows)
        assert [(str(h), int(str(n))) for h, n in rows.rows] == [(hashlib.sha256(variants["short"][0]).hexdigest(), 2)]
        assert _violation([(str(h), int(str(n))) for h, n in rows.rows], expected) is None
        assert store.drop_graph(GRAPH["test-excerpt"])
    finally:
        store.close()


def test_an_oversized_chunked_upload_is_refused_while_it_arrives(writable_server: tuple[str, Path, int]) -> None:
    base, _, pid = writable_server

    def peak_rss_mb() -> float:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024

    def chunks() -> Iterator[bytes]:  # 100 MB with no Content-Length: sent chunked
        for _ in range(1600):
            yield b"#" * 65536

    before = peak_rss_mb()
    try:
        r = httpx.post(f"{base}/instruments", content=chunks(), headers=AUTH, timeout=120)
        assert r.status_code == 413, r.text
    except (httpx.WriteError, httpx.RemoteProtocolError):
        pass  # the server answered 413 and closed while the client was still sending
    # the server counted the body as it came and kept none of it (read whole: +100 MB at least)
    assert peak_rss_mb() - before < 30
    assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200
