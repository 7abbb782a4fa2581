"""Shared fixtures: the excerpt rule file, real stores (embedded and an Oxigraph server)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from crosswalk.api.cli import main
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.remote import RemoteStore
from crosswalk.graph.store import Store

from . import engine_servers
from .engine_servers import EngineProcess

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def corpus() -> Iterator[Store]:
    """The whole bundled corpus, ingested once into an in-memory embedded store."""
    from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files

    store = EmbeddedStore(None)
    ingest_all(store, rule_files([bundled_corpus()]))
    yield store
    store.close()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus ingested once into an on-disk embedded store, for CLI tests
    (`--store DIR`): a separate process-visible store, unlike the in-memory `corpus`."""
    from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files

    directory = tmp_path_factory.mktemp("cli") / "store"
    store = EmbeddedStore(directory)
    ingest_all(store, rule_files([bundled_corpus()]))
    store.close()
    return directory


@pytest.fixture
def excerpt() -> Path:
    return DATA / "excerpt.yaml"


@pytest.fixture
def excerpt_text(excerpt: Path) -> str:
    return excerpt.read_text(encoding="utf-8")


def executable(name: str) -> str | None:
    """A console script of this environment: beside the running interpreter first (a venv's
    bin/ need not be on PATH), then on PATH."""
    sibling = Path(sys.executable).parent / name
    return str(sibling) if sibling.exists() else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serving(
    command: list[str], env: dict[str, str] | None, ready: Callable[[], bool], what: str, seconds: float, then: str
) -> Iterator[str]:
    """Start a server process, wait until `ready()` says so, yield `then`, stop it afterwards."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():
                break
        except (OSError, httpx.HTTPError):
            pass
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{what} did not answer within {seconds:g} s")
        time.sleep(0.1)
    yield then
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve` process on a free loopback port, stopped after the session."""
    binary = executable("oxigraph")
    if binary is None:
        pytest.fail("the `oxigraph` server binary is not installed (pip install oxigraph)")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]

    def listening() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True

    yield from _serving(command, None, listening, "oxigraph serve", seconds=20, then=f"http://127.0.0.1:{port}/query")


@pytest.fixture(params=["embedded", "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each contract test runs on both real stores, each starting empty."""
    if request.param == "embedded":
        db: Store = EmbeddedStore(tmp_path / "store")
    else:
        db = RemoteStore(request.getfixturevalue("oxigraph_url"))
        for graph in db.graphs():
            db.drop_graph(graph)
    yield db
    db.close()


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Run the real `crosswalk` entry point in-process; return exit code, stdout and stderr."""

    def run(*args: str) -> Outcome:
        argv = sys.argv
        sys.argv = ["crosswalk", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv = argv
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `crosswalk serve` process on loopback over its own store (the corpus is ingested on
    first start), shared by the HTTP tests; tight limits so the hardening tests can hit them."""
    exe = executable("crosswalk")
    assert exe, "the crosswalk console script is not installed"
    port = _free_port()
    env = {
        **os.environ,
        "CROSSWALK_QUERY_TIMEOUT": "1",
        "CROSSWALK_MAX_ROWS": "10000000",
        "CROSSWALK_MAX_BODY_BYTES": "20000",
        "CROSSWALK_WRITE_TOKEN": "s3cret",
    }
    store = Path(tmp_path_factory.mktemp("served")) / "store"
    base = f"http://127.0.0.1:{port}"
    command = [exe, "serve", "--port", str(port), "--store", str(store)]

    def answering() -> bool:
        return httpx.get(f"{base}/queries", timeout=2).status_code == 200

    # the first start ingests the bundled corpus
    yield from _serving(command, env, answering, "crosswalk serve", seconds=120, then=base)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    """A real Virtuoso 7 on loopback from the shipped config (tests/engine_servers.py); skipped,
    saying so, only where Debian's virtuoso-opensource is not installed."""
    binary = engine_servers.virtuoso_binary()
    if binary is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource): Virtuoso cases not run")
    engine = engine_servers.virtuoso(binary, tmp_path_factory.mktemp("virtuoso"))
    engine.start()
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    """A real `oxigraph serve` that tests may restart (unlike `oxigraph_url`, shared read-mostly)."""
    binary = executable("oxigraph")
    if binary is None:
        pytest.fail("the `oxigraph` server binary is not installed (pip install oxigraph)")
    engine = engine_servers.oxigraph(binary, tmp_path_factory.mktemp("oxigraph-restartable"))
    engine.start()
    yield engine
    engine.stop()
