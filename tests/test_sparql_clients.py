"""Real SPARQL clients, with their default settings, against a real `crosswalk serve`: SPARQLWrapper
(which adds `format=`, `output=` and `results=` to every GET) and rdflib's SPARQLStore. Every
query form, by GET and POST, in every result format; and "name a graph, get only that graph"."""

from __future__ import annotations

import csv
import io
import warnings

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

XW = "https://w3id.org/crosswalk/ontology#"
SELECT = f"SELECT ?code WHERE {{ ?j <{XW}code> ?code }} ORDER BY ?code LIMIT 3"
ASK = f"ASK {{ ?j <{XW}code> 'EU' }}"
CONSTRUCT = f'CONSTRUCT {{ ?p ?x ?y }} WHERE {{ ?p <{XW}citation> "Art. 73(2)" ; ?x ?y }}'
DESCRIBE = "DESCRIBE <https://w3id.org/crosswalk/id/jurisdiction/EU>"
INSTRUMENTS = f"SELECT ?i WHERE {{ ?i a <{XW}Instrument> }}"
IN_GRAPHS = f"SELECT ?g ?i WHERE {{ GRAPH ?g {{ ?i a <{XW}Instrument> }} }} ORDER BY ?g"


def _client(server: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select_and_ask_in_every_format(server: str, method: str) -> None:
    codes = [b["code"]["value"] for b in _client(server, SELECT, JSON, method).queryAndConvert()["results"]["bindings"]]  # type: ignore[index, call-overload]
    assert len(codes) == 3
    xml = _client(server, SELECT, XML, method).queryAndConvert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == codes  # type: ignore[union-attr]
    rows = list(csv.reader(io.StringIO(_client(server, SELECT, CSV, method).queryAndConvert().decode())))  # type: ignore[union-attr]
    assert rows == [["code"], *[[c] for c in codes]]
    tsv = _client(server, SELECT, TSV, method).queryAndConvert().decode().splitlines()  # type: ignore[union-attr]
    assert tsv == ["?code", *[f'"{c}"' for c in codes]]
    assert _client(server, ASK, JSON, method).queryAndConvert()["boolean"] is True  # type: ignore[index, call-overload]
    ask_xml = _client(server, ASK, XML, method).queryAndConvert()
    assert ask_xml.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_construct_and_describe(server: str, method: str, fmt: str, query: str) -> None:
    with warnings.catch_warnings():
        # SPARQLWrapper warns that it cannot tell N3 from Turtle, and builds its graphs with rdflib's
        # deprecated ConjunctiveGraph: its own business, nothing to do with the server
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        result = _client(server, query, fmt, method).queryAndConvert()
    # SPARQLWrapper hands Turtle and N3 back as bytes, RDF/XML and JSON-LD as an rdflib Graph
    graph = Graph().parse(data=result, format="turtle") if isinstance(result, bytes) else result
    assert isinstance(graph, Graph) and len(graph) > 3


def test_sparqlwrapper_default_graph_gives_only_that_graph(server: str) -> None:
    all_instruments = _client(server, IN_GRAPHS, JSON, GET).queryAndConvert()["results"]["bindings"]  # type: ignore[index, call-overload]
    assert len(all_instruments) > 10
    graph, instrument = all_instruments[0]["g"]["value"], all_instruments[0]["i"]["value"]
    client = _client(server, INSTRUMENTS, JSON, GET)
    client.addDefaultGraph(graph)
    only = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index, call-overload]
    assert [b["i"]["value"] for b in only] == [instrument]


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_sparqlstore_graph_with_an_identifier_is_that_graph(server: str, method: str) -> None:
    everything = Graph(store=SPARQLStore(f"{server}/sparql", method=method))
    rows = list(everything.query(IN_GRAPHS))
    iri, instrument = URIRef(str(rows[0][0])), str(rows[0][1])  # type: ignore[index]
    expected = httpx.get(
        f"{server}/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"}
    ).json()["results"]["bindings"][0]["n"]["value"]
    named = Graph(store=SPARQLStore(f"{server}/sparql", method=method), identifier=iri)
    assert len(named) == int(expected) > 100
    assert len(everything) > len(named)  # without a name: every graph, merged
    assert {str(s) for s in named.subjects(predicate=URIRef(f"{XW}citation"))}
    assert all(str(s).startswith(instrument) for s in named.subjects(predicate=URIRef(f"{XW}citation")))
