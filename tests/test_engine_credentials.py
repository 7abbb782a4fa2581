"""Credentials for a remote store: from settings or a netrc, never from the URL, never echoed;
engine errors exit 1 with the engine's own message. Against a real Virtuoso (Digest)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from crosswalk.graph.credentials import for_url, refuse_userinfo
from crosswalk.graph.errors import QueryError, StoreError
from crosswalk.graph.remote import RemoteStore, remote_timeout
from crosswalk.ontology import XW

from .engine_servers import EngineProcess

SECRET = "s3cr3t-Pa55"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("CROSSWALK_STORE_USER", "CROSSWALK_STORE_PASSWORD", "CROSSWALK_STORE_AUTH", "CROSSWALK_NETRC"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CROSSWALK_NETRC", str(tmp_path / "no-netrc"))
    yield


def _graph() -> Graph:
    g = Graph()
    g.add((URIRef("urn:test:s"), URIRef("urn:test:p"), Literal("o")))
    return g


def test_a_url_with_a_password_is_refused_without_echoing_it(clean_env: None, cli: Callable[..., object]) -> None:
    with pytest.raises(QueryError) as caught:
        refuse_userinfo(f"http://dba:{SECRET}@127.0.0.1:8890/sparql")
    assert SECRET not in str(caught.value) and "127.0.0.1:8890/sparql" in str(caught.value)
    outcome = cli("stats", "--store", f"http://dba:{SECRET}@127.0.0.1:9/sparql")
    assert outcome.code == 2  # type: ignore[attr-defined]
    assert SECRET not in outcome.out + outcome.err  # type: ignore[attr-defined]


def test_credentials_come_from_a_netrc(clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login dba password {SECRET}\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("CROSSWALK_NETRC", str(netrc))
    found = for_url("http://127.0.0.1:8890/sparql")
    assert found is not None and (found.user, found.password, found.scheme) == ("dba", SECRET, "digest")
    assert SECRET not in repr(found)
    assert for_url("http://example.org/sparql") is None


def test_digest_writes_to_virtuoso_and_refusals_say_why(
    clean_env: None, virtuoso_server: EngineProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = URIRef("urn:test:credentials")
    # anonymous: Virtuoso's endpoints that take anonymous requests have no update rights
    with pytest.raises(StoreError) as anonymous:
        RemoteStore(virtuoso_server.url).replace_graph(name, _graph())
    assert anonymous.value.exit_code == 1
    # a wrong password: refused, and the message names no password
    monkeypatch.setenv("CROSSWALK_STORE_USER", "dba")
    monkeypatch.setenv("CROSSWALK_STORE_PASSWORD", SECRET)
    with pytest.raises(StoreError) as wrong:
        RemoteStore(virtuoso_server.url).replace_graph(name, _graph())
    assert "credentials" in str(wrong.value) and SECRET not in str(wrong.value)
    # the right one, by Digest
    monkeypatch.setenv("CROSSWALK_STORE_PASSWORD", "dba")
    store = RemoteStore(virtuoso_server.url)
    store.replace_graph(name, _graph())
    assert store.graph_size(name) == 1
    assert store.drop_graph(name) is True


def test_engine_errors_exit_1_with_the_engines_message_decoded(
    clean_env: None, virtuoso_server: EngineProcess, cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `crosswalk query` wants an instrument in the store (the suite may run this test alone)
    for name, value in virtuoso_server.env.items():
        monkeypatch.setenv(name, value)
    marker = Graph()
    marker.add((URIRef("urn:test:instrument"), RDF.type, XW.Instrument))
    RemoteStore(virtuoso_server.url).replace_graph(URIRef("urn:test:marker"), marker)
    # a query the engine fails to run although it is SPARQL 1.1: the engine's error, exit 1
    outcome = cli("query", "SELECT (1/0 AS ?x) WHERE {}", "--store", virtuoso_server.url)
    err = outcome.err  # type: ignore[attr-defined]
    assert outcome.code == 1, err  # type: ignore[attr-defined]
    assert "Virtuoso 22012 Error SR084: Division by 0" in err and "b'" not in err and "\\n" not in err
    assert len(err.strip().splitlines()) == 1
    # a malformed query stays bad input (exit 2), with the engine's message decoded
    outcome = cli("query", "SELECT * WHERE { ?s ?p }", "--store", virtuoso_server.url)
    assert outcome.code == 2 and "syntax error" in outcome.err  # type: ignore[attr-defined]
    assert RemoteStore(virtuoso_server.url).drop_graph(URIRef("urn:test:marker"))


def test_the_remote_timeout_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSWALK_REMOTE_TIMEOUT", "2.5")
    assert remote_timeout() == 2.5
    monkeypatch.setenv("CROSSWALK_REMOTE_TIMEOUT", "soon")
    with pytest.raises(QueryError):
        remote_timeout()
    monkeypatch.delenv("CROSSWALK_REMOTE_TIMEOUT")
    assert remote_timeout() == 60.0
    assert os.environ.get("CROSSWALK_REMOTE_TIMEOUT") is None


def test_a_result_cut_at_the_engines_row_cap_fails_loudly(clean_env: None, virtuoso_server: EngineProcess) -> None:
    # 12,000 rows from Virtuoso's own graphs, past its ResultSetMaxRows of 10,000 (the shipped config)
    store = RemoteStore(virtuoso_server.url)
    with pytest.raises(StoreError, match="cut the result at 10000 rows"):
        store.query("SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r } LIMIT 12000")
    rows = store.query("SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r } LIMIT 9000")
    assert len(rows) == 9000  # type: ignore[arg-type]


def test_every_remote_setting_is_in_the_readme() -> None:
    import re

    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    names = set()
    for module in ("remote.py", "credentials.py", "remote_write.py"):
        names |= set(re.findall(r"CROSSWALK_[A-Z_]+", (root / "graph" / module).read_text(encoding="utf-8")))
    assert names and all(name in readme for name in names), names - {n for n in names if n in readme}


def test_a_graph_past_the_row_cap_is_written_and_verified(
    clean_env: None, virtuoso_server: EngineProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 12,000 triples: read back in pages under Virtuoso's 10,000-row cap to verify the write
    for name, value in virtuoso_server.env.items():
        monkeypatch.setenv(name, value)
    store, name = RemoteStore(virtuoso_server.url), URIRef("urn:test:large")
    g = Graph()
    for i in range(12_000):
        g.add((URIRef(f"urn:test:s{i}"), URIRef("urn:test:p"), Literal(i)))
    store.replace_graph(name, g)
    assert store.graph_size(name) == 12_000
    assert store.drop_graph(name) is True
