"""Query limits on the stores and the read-only guard of the public endpoint."""

from __future__ import annotations

import time

import pytest

from crosswalk.api.sparql_guard import refusal
from crosswalk.graph.errors import QueryTimeout, ResultTooLarge
from crosswalk.graph.store import Store

CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"


def test_a_runaway_query_is_stopped_loudly(corpus: Store) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        corpus.query(CROSS_JOIN, timeout=0.5)
    assert time.monotonic() - started < 5


def test_results_over_the_row_limit_are_refused(corpus: Store) -> None:
    with pytest.raises(ResultTooLarge, match="more than 100 rows"):
        corpus.query("SELECT * WHERE { ?s ?p ?o }", max_rows=100)
    assert len(corpus.query("SELECT * WHERE { ?s ?p ?o } LIMIT 100", max_rows=100)) == 100  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        ("PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("drop graph <urn:g>", "DROP"),
        ("# comment\nWITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ],
)
def test_updates_are_refused(text: str, word: str) -> None:
    assert word.lower() in text.lower()  # each case is an update of its kind, read as one by the parser
    assert refusal(text) == "SPARQL Update is not allowed: this endpoint is read-only"


def test_service_is_refused_but_keywords_in_strings_and_iris_are_not() -> None:
    assert "SERVICE" in (refusal("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }") or "")
    assert refusal('SELECT * WHERE { ?s ?p "SERVICE and DROP ALL" }') is None
    assert refusal("SELECT * WHERE { <urn:SERVICE> ?p ?o } # SERVICE in a comment") is None
    assert refusal("PREFIX drop: <urn:x#> SELECT * WHERE { ?s drop:p ?o }") is None
