"""The N-Triples writer both stores are loaded through: what it writes reads back unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from crosswalk.graph import ntriples
from crosswalk.graph.build import build
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, load, rule_files
from crosswalk.graph.store import Rows

S, P = URIRef("urn:x:s"), URIRef("urn:x:p")


def test_the_whole_corpus_written_by_it_parses_back_to_the_same_graph() -> None:
    for file in rule_files([bundled_corpus()]):
        triples = build(load(file))
        parsed = Graph().parse(data=ntriples.serialize(triples), format="nt")
        built = Graph()
        for triple in triples:
            built.add(triple)
        assert isomorphic(parsed, built), file


# Text as curators write it, plus what must be escaped: quotes, backslashes, line breaks.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@given(TEXT, st.sampled_from([None, "en", "ko", "pt-BR"]))
def test_any_text_literal_round_trips_through_the_embedded_store(value: str, language: str | None) -> None:
    literal = Literal(value, lang=language)
    store = EmbeddedStore(None)
    store.replace_graph(URIRef("urn:x:g"), [(S, P, literal)])
    rows = store.query("SELECT ?o WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }")
    assert isinstance(rows, Rows)
    assert rows.rows == [(literal,)]


def test_typed_literals_keep_their_datatype() -> None:
    triples = [(S, P, Literal("2026-08-02", datatype=XSD.date)), (S, P, Literal("15", datatype=XSD.decimal))]
    text = ntriples.serialize(triples)
    assert text == (
        '<urn:x:s> <urn:x:p> "2026-08-02"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        '<urn:x:s> <urn:x:p> "15"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )


@pytest.mark.parametrize("iri", ["urn:x:has space", "urn:x:<angle>", 'urn:x:"quote"', "urn:x:back\\slash"])
def test_an_iri_n_triples_cannot_hold_is_refused_not_written(iri: str) -> None:
    with pytest.raises(ValueError, match="not writable"):
        ntriples.serialize([(URIRef(iri), P, Literal("x"))])


def test_replacing_a_graph_that_exists_and_one_that_does_not_leaves_exactly_the_new_triples() -> None:
    # The store takes two paths (a load for a new graph, DROP + INSERT for an existing one).
    store = EmbeddedStore(None)
    g = URIRef("urn:x:g")
    store.replace_graph(g, [(S, P, Literal("one"))])
    store.replace_graph(g, [(S, P, Literal("two")), (S, P, Literal("three"))])
    rows = store.query("SELECT ?o WHERE { GRAPH <urn:x:g> { ?s ?p ?o } } ORDER BY ?o")
    assert isinstance(rows, Rows)
    assert [str(r[0]) for r in rows.rows] == ["three", "two"]
