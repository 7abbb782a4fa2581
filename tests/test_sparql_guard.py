"""The public endpoint's SSRF defences (issue 15): hostile queries against the real server, with
a real listener on loopback that must never be called; and a query worker that cannot reach the
network even when a query reaches it unchecked."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from crosswalk.api.sparql_guard import normalise, refusal
from crosswalk.graph.answers import Formats
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.errors import CrosswalkError
from crosswalk.graph.sandbox import Job, QuerySandbox, isolate_network


class Listener:
    """A TCP listener on loopback that counts who connects (a SERVICE call would)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.calls = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.calls += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    one = Listener()
    yield one
    one.close()


def hostile(port: int) -> list[str]:
    """At least 50 ways to smuggle a SERVICE call or an update past a keyword filter, the three
    that got past the old regexes first."""
    url = f"http://127.0.0.1:{port}/sparql"
    svc = f"SERVICE <{url}> {{ ?s ?p ?o }}"
    cases = [
        # the three bypasses of the regex guard (issue 15)
        f"SELECT * WHERE {{ # '''\n {svc} # '''\n }}",
        f"SELECT * WHERE {{ <urn:x'> ?p ?o . {svc} . <urn:y'> ?p ?o }}",
        f"SELECT * WHERE {{ #\r{svc} }}",
        f"SELECT * WHERE {{ #\r{svc} \n}}",
        f"SELECT * WHERE {{ #\r\n{svc} }}",
        # spellings and places
        f"SELECT * WHERE {{ {svc} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE\t<{url}>{{?s ?p ?o}} }}",
        f"SELECT * WHERE {{ SERVICE\n<{url}>\n{{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {svc} }} }}",
        f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ {svc} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ {svc} }} }}",
        f"SELECT * WHERE {{ GRAPH ?g {{ {svc} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {svc} }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {svc} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {svc} }} }}",
        f"ASK {{ {svc} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {svc} }}",
        f"DESCRIBE ?s WHERE {{ {svc} }}",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {svc} }}",
        f"SELECT * WHERE {{ VALUES ?x {{ 1 }} {svc} }}",
        f"SELECT * WHERE {{ BIND(1 AS ?x) {svc} }}",
        f"SELECT * WHERE {{ {svc} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ {{ {{ {svc} }} }} }} }}",
        f"# SERVICE in a comment first\nSELECT * WHERE {{ {svc} }}",
        f'SELECT * WHERE {{ ?s ?p "SERVICE" . {svc} }}',
        f"SELECT * WHERE {{ ?s ?p '''a\nb''' . {svc} }}",
        f'SELECT * WHERE {{ ?s ?p """#""" . {svc} }}',
        f"SELECT * WHERE {{ ?s ?p '#' . {svc} }}",
        f'SELECT * WHERE {{ ?s ?p "\\"" . {svc} }}',
        f"SELECT * WHERE {{ <urn:#> ?p ?o . {svc} }}",
        f"SELECT * WHERE {{ ?s <urn:a'b> ?o . {svc} }}",
        f"SELECT * WHERE {{ SERVICE ?endpoint {{ ?s ?p ?o }} VALUES ?endpoint {{ <{url}> }} }}",
        f"SELECT * WHERE {{ VALUES ?endpoint {{ <{url}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://[::1]:{port}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://localhost:{port}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://2130706433:{port}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://user:pw@127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <https://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x?q=#frag> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \u00a0{svc} }}",
        f"\ufeffSELECT * WHERE {{ {svc} }}",
        f"SELECT * WHERE {{ {svc} }} # trailing\r",
        # updates, which would write
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        f"LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <urn:g>",
        "CLEAR ALL",
        "DROP ALL",
        "CREATE GRAPH <urn:g>",
        "ADD DEFAULT TO <urn:g>",
        "MOVE DEFAULT TO <urn:g>",
        "COPY DEFAULT TO <urn:g>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "# q\rINSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ]
    return cases


def test_at_least_fifty_hostile_queries_are_refused_and_nothing_calls_out(server: str, listener: Listener) -> None:
    cases = hostile(listener.port)
    assert len(cases) >= 50
    passed = []
    for query in cases:
        for send in (
            lambda q: httpx.get(f"{server}/sparql", params={"query": q}, timeout=30),
            lambda q: httpx.post(f"{server}/sparql", data={"query": q}, timeout=30),
            lambda q: httpx.post(
                f"{server}/sparql", content=q.encode(), headers={"content-type": "application/sparql-query"}, timeout=30
            ),
        ):
            response = send(query)
            if response.status_code not in (400, 403):
                passed.append((response.status_code, query))
    assert not passed, passed
    assert listener.calls == 0


def test_the_guard_decides_on_a_parse() -> None:
    for query in hostile(9):
        assert refusal(query), query
    # the opposite bug: valid queries that merely contain the word run
    ok = [
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT * WHERE { ?s a sd:Service }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
        "SELECT * WHERE { <urn:SERVICE> ?p ?o } # SERVICE <http://x/> { ?s ?p ?o }",
        "PREFIX service: <urn:x#> SELECT * WHERE { ?s service:p ?o }",
        "PREFIX drop: <urn:x#> SELECT * WHERE { ?s drop:p ?o }",
    ]
    for query in ok:
        assert refusal(query) is None, query
    assert normalise("a\r\nb\rc") == "a\nb\nc"


def test_a_negative_decimal_is_refused_in_one_line_not_a_server_error(server: str) -> None:
    # rdflib's parser raises TypeError on `-0.5`: the guard cannot decide, so the query is not
    # run, and the client learns why and how to write it (was a 500 and a logged traceback)
    for query in ("SELECT * WHERE { ?s ?p -0.5 } LIMIT 1", "INSERT DATA { <urn:a> <urn:b> -0.5 }"):
        assert refusal(query), query
    response = httpx.post(f"{server}/sparql", data={"query": "SELECT * WHERE { ?s ?p -0.5 } LIMIT 1"}, timeout=30)
    assert response.status_code == 400 and "negative decimal" in response.text, response.text
    typed = 'SELECT * WHERE { ?s ?p "-0.5"^^<http://www.w3.org/2001/XMLSchema#decimal> }'
    written = httpx.post(f"{server}/sparql", data={"query": typed}, timeout=30)
    assert written.status_code == 200, written.text


def test_word_service_in_a_valid_query_runs_on_the_server(server: str) -> None:
    response = httpx.get(
        f"{server}/sparql",
        params={
            "query": "SELECT ?service WHERE { ?service <https://w3id.org/crosswalk/ontology#citation> ?c } LIMIT 1"
        },
        headers={"accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200 and len(response.json()["results"]["bindings"]) == 1


def _can_isolate() -> bool:
    """Whether this machine lets a process drop its network (probed in a child process)."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return bool(pool.apply(isolate_network))


def test_a_worker_cannot_call_out_even_when_the_guard_is_skipped(tmp_path: Path, listener: Listener) -> None:
    if not _can_isolate():
        pytest.skip("this kernel allows no network namespace to an unprivileged process")
    store = EmbeddedStore(tmp_path / "store")
    store.close()
    sandbox = QuerySandbox(tmp_path / "store", workers=1)
    try:
        assert sandbox.network_isolated()
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
        with pytest.raises(CrosswalkError) as caught:  # straight to the worker, past the endpoint's check
            sandbox.answer(Job(query, Formats()), timeout=20)
        assert str(listener.port) not in str(caught.value) or "unreachable" in str(caught.value).lower()
    finally:
        sandbox.close()
    assert listener.calls == 0
