"""`/sparql` on a remote store relays the endpoint's answer: the protocol's dataset goes to the
endpoint as protocol parameters, and the answer's bytes are capped. Against a real
`oxigraph serve` process (the session fixture)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef

from crosswalk.graph.answers import Formats
from crosswalk.graph.errors import QueryError, ResultTooLarge
from crosswalk.graph.remote import RemoteStore
from crosswalk.graph.store import Dataset

A, B = "urn:test:remote-answers:a", "urn:test:remote-answers:b"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def remote(oxigraph_url: str) -> Iterator[RemoteStore]:
    store = RemoteStore(oxigraph_url)
    for name, size in ((A, 3), (B, 5)):
        graph = Graph()
        for i in range(size):
            graph.add((URIRef(f"{name}:s{i}"), URIRef("urn:p"), Literal(i)))
        store.replace_graph(URIRef(name), graph)
    yield store
    for name in (A, B):
        store.drop_graph(URIRef(name))


def _count(store: RemoteStore, dataset: Dataset) -> int:
    answer = store.answer(COUNT, Formats(), dataset)
    assert answer.media_type.startswith("application/sparql-results+json")
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def test_the_dataset_reaches_the_remote_endpoint(remote: RemoteStore) -> None:
    assert _count(remote, Dataset(default=(A,))) == 3
    assert _count(remote, Dataset(default=(A, B))) == 8
    named = remote.answer("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", Formats("csv"), Dataset(named=(B,)))
    assert named.body.decode().split() == ["g", B]


def test_the_remote_answer_is_capped_and_its_errors_are_ours(remote: RemoteStore) -> None:
    with pytest.raises(ResultTooLarge, match="larger than 100 bytes"):
        remote.answer("SELECT * WHERE { ?s ?p ?o }", Formats(), Dataset(default=(B,)), max_bytes=100)
    turtle = remote.answer(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}", Formats(graph="nt"))
    assert turtle.media_type.startswith("application/n-triples") and len(turtle.body.splitlines()) == 3
    with pytest.raises(QueryError, match="rejected"):
        remote.answer("SELECT * WHERE {", Formats())
