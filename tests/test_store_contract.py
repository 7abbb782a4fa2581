"""The `Store` contract: every test here runs on the embedded store and on a real Oxigraph server."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, URIRef

from crosswalk.graph.errors import QueryError
from crosswalk.graph.ingest import REFERENCE_GRAPH, ingest_file
from crosswalk.graph.store import Rows, Store
from crosswalk.ontology import GRAPH, ID

G1 = URIRef("urn:test:g1")
G2 = URIRef("urn:test:g2")
P = URIRef("urn:test:p")


def _graph(*objects: str) -> Graph:
    g = Graph()
    for i, text in enumerate(objects):
        g.add((URIRef(f"urn:test:s{i}"), P, Literal(text)))
    return g


def _objects(store: Store, graph: URIRef) -> set[str]:
    result = store.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph})
    assert isinstance(result, Rows)
    return {str(row[1]) for row in result.rows}


def test_replace_graph_holds_exactly_the_new_triples(store: Store) -> None:
    store.replace_graph(G1, _graph("a", "b"))
    store.replace_graph(G1, _graph("c"))
    assert _objects(store, G1) == {"c"}


def test_replace_graphs_replaces_several_at_once_under_a_reentrant_write_lock(store: Store) -> None:
    store.replace_graph(G1, _graph("a", "b"))
    with store.writing(), store.writing():  # an ingest holds it while the store's writes take it again
        store.replace_graphs({G1: _graph("c"), G2: _graph("d", "e")})
    assert (_objects(store, G1), _objects(store, G2)) == ({"c"}, {"d", "e"})


def test_graphs_are_listed_and_dropped(store: Store) -> None:
    store.replace_graph(G1, _graph("a"))
    store.replace_graph(G2, _graph("b"))
    assert {G1, G2} <= set(store.graphs())
    assert store.drop_graph(G1) is True
    assert store.drop_graph(G1) is False
    assert G1 not in store.graphs()
    assert _objects(store, G2) == {"b"}


def test_select_ask_and_construct(store: Store) -> None:
    store.replace_graph(G1, _graph("a"))
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }")
    assert isinstance(rows, Rows) and rows.vars == ["o"] and [str(r[0]) for r in rows.rows] == ["a"]
    assert store.query("ASK { ?s ?p 'a' }") is True
    assert store.query("ASK { ?s ?p 'zzz' }") is False
    constructed = store.query("CONSTRUCT { ?s <urn:test:q> ?o } WHERE { ?s ?p ?o }")
    assert isinstance(constructed, Graph) and len(constructed) == 1


def test_default_graph_is_the_union_of_named_graphs(store: Store) -> None:
    store.replace_graph(G1, _graph("a"))
    store.replace_graph(G2, _graph("b"))
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }")
    assert isinstance(rows, Rows) and {str(r[0]) for r in rows.rows} == {"a", "b"}


def test_bound_values_are_terms_not_sparql_text(store: Store) -> None:
    hostile = 'x" } } ; DROP ALL ; SELECT * { ?s ?p "'
    g = _graph("plain", hostile)
    store.replace_graph(G1, g)
    rows = store.query("SELECT ?o ?s WHERE { ?s ?p ?o }", {"o": Literal(hostile)})
    assert isinstance(rows, Rows) and len(rows.rows) == 1
    assert _objects(store, G1) == {"plain", hostile}


def test_typed_literals_round_trip(store: Store) -> None:
    g = Graph()
    g.add((URIRef("urn:test:s"), P, Literal("2026-08-02", datatype=XSD.date)))
    store.replace_graph(G1, g)
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }")
    assert isinstance(rows, Rows)
    assert rows.rows[0][0] == Literal("2026-08-02", datatype=XSD.date)


def test_malformed_query_is_an_input_error(store: Store) -> None:
    with pytest.raises(QueryError):
        store.query("SELECT ?x WHERE { ?x ")


def test_ingest_then_reingest_is_a_no_op(store: Store, excerpt: Path) -> None:
    first = ingest_file(store, excerpt)
    second = ingest_file(store, excerpt)
    assert (first.outcome, second.outcome) == ("added", "unchanged")
    assert set(store.graphs()) >= {REFERENCE_GRAPH, GRAPH["test-excerpt"]}


def test_reingest_of_changed_file_leaves_exactly_the_new_provisions(
    store: Store, excerpt_text: str, tmp_path: Path
) -> None:
    file = tmp_path / "excerpt.yaml"
    file.write_text(excerpt_text, encoding="utf-8")
    ingest_file(store, file)
    # Drop the Art. 99(3) provision and rename Art. 73(2)'s id.
    changed = excerpt_text.split("  - id: art99-3")[0].replace("id: art73-2", "id: art73-2-renamed")
    file.write_text(changed, encoding="utf-8")
    assert ingest_file(store, file).outcome == "replaced"
    rows = store.query(
        "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT ?p WHERE { ?p xw:partOf ?i ; xw:citation ?c }"
    )
    assert isinstance(rows, Rows)
    assert {str(r[0]) for r in rows.rows} == {
        str(ID["test-excerpt/art5-1-c"]),
        str(ID["test-excerpt/art73-2-renamed"]),
    }


def test_ingested_parameters_are_queryable(store: Store, excerpt: Path) -> None:
    ingest_file(store, excerpt)
    rows = store.query(
        """PREFIX xw: <https://w3id.org/crosswalk/ontology#>
        SELECT ?p ?days WHERE { ?p xw:parameter [ xw:parameterKind xw:Deadline ; xw:durationDays ?days ] }"""
    )
    assert isinstance(rows, Rows)
    assert [(str(p), int(d.toPython())) for p, d in rows.rows] == [(str(ID["test-excerpt/art73-2"]), 15)]
