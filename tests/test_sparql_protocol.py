"""The W3C SPARQL 1.1 Protocol test cases that apply to a read-only query endpoint, each named
after its id in the W3C manifest (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl), run
against a real `crosswalk serve` on loopback over a store holding the manifest's three data
graphs.

Deviations, each on purpose:
- the manifest's data files are not copied here: each graph `<…/dataN.rdf>` holds the one triple
  `<…/dataN.rdf> a foaf:Document`, which is what the manifest's ASK queries look for (its update
  tests insert the same triple);
- requests go to `/sparql` (the manifest writes `/sparql/`);
- `query_multiple_dataset`: the manifest's URL escapes its `&` (`…data1.rdf%26named-graph-uri%3D…`),
  a known slip that makes one IRI of two; the case is sent as the two parameters it means;
- the update cases (`update_post_form`, `update_post_direct`) expect 2xx from an update service;
  this endpoint is read-only, so they must be refused (403) and change nothing. The `bad_update_*`
  cases expect a 4xx and get one.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, RDF

from crosswalk.graph.embedded import EmbeddedStore
from tests.conftest import _free_port, _serving, executable

DATA = "http://kasei.us/2009/09/sparql/data/"
D0, D1, D2, D3 = (f"{DATA}data{n}.rdf" for n in range(4))
SELECT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RDF_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("protocol") / "store"
    store = EmbeddedStore(directory)
    for iri in (D1, D2, D3):
        graph = Graph()
        graph.add((URIRef(iri), RDF.type, FOAF.Document))
        store.replace_graph(URIRef(iri), graph)
    store.close()
    exe = executable("crosswalk")
    assert exe
    port = _free_port()
    env = {**os.environ, "CROSSWALK_INGEST_IF_EMPTY": "false", "CROSSWALK_QUERY_TIMEOUT": "10"}
    base = f"http://127.0.0.1:{port}"
    yield from _serving(
        [exe, "serve", "--port", str(port), "--store", str(directory)],
        env,
        lambda: httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200,
        "crosswalk serve (protocol)",
        seconds=90,
        then=f"{base}/sparql",
    )


def _q(**params: str | list[str]) -> str:
    parts = []
    for name, value in params.items():
        for one in value if isinstance(value, list) else [value]:
            parts.append(f"{name.replace('_', '-')}={quote(one, safe='')}")
    return "?" + "&".join(parts)


FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
ASK_BOTH = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
ASK_FULL = f"ASK {{\n  <{D3}> a ?type\n  GRAPH ?g1 {{ <{D1}> a ?type }}\n  GRAPH ?g2 {{ <{D2}> a ?type }}\n}}"

# id: (method, query string, headers, body, expectation): True = the boolean true, "tabular",
# "boolean", "RDF", or an HTTP status class / code
CASES: dict[str, tuple[str, str, dict[str, str], bytes | None, object]] = {
    "query_post_form": ("POST", _q(default_graph_uri=D0), FORM, b"query=ASK%20%7B%7D", True),
    "query_dataset_default_graphs_get": ("GET", _q(query=ASK_BOTH, default_graph_uri=[D1, D2]), {}, None, True),
    "query_dataset_default_graphs_post": ("POST", _q(default_graph_uri=[D1, D2]), DIRECT, ASK_BOTH.encode(), True),
    "query_dataset_named_graphs_post": ("POST", _q(named_graph_uri=[D1, D2]), DIRECT, ASK_NAMED.encode(), True),
    "query_dataset_named_graphs_get": ("GET", _q(query=ASK_NAMED, named_graph_uri=[D1, D2]), {}, None, True),
    "query_dataset_full": ("POST", _q(default_graph_uri=D3, named_graph_uri=[D1, D2]), DIRECT, ASK_FULL.encode(), True),
    "query_multiple_dataset": (
        "POST",
        _q(named_graph_uri=[D1, D2]),
        DIRECT,
        f"ASK FROM <{D3}> {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}".encode(),
        True,
    ),
    "query_get": ("GET", _q(query="ASK {}", default_graph_uri=D0), {}, None, True),
    "query_content_type_select": ("POST", _q(default_graph_uri=D0), DIRECT, b"SELECT (1 AS ?value) {}", "tabular"),
    "query_content_type_ask": ("POST", _q(default_graph_uri=D0), DIRECT, b"ASK {}", "boolean"),
    "query_content_type_describe": ("POST", _q(default_graph_uri=D0), DIRECT, b"DESCRIBE <http://example.org/>", "RDF"),
    "query_content_type_construct": (
        "POST",
        _q(default_graph_uri=D0),
        DIRECT,
        b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        "RDF",
    ),
    "query_post_direct": ("POST", "", DIRECT, b"ASK {}", True),
    "bad_query_method": ("PUT", _q(query="ASK {}", default_graph_uri=D0), FORM, b"", "4xx"),
    "bad_multiple_queries": ("GET", _q(query=["ASK {}", "SELECT * {}"]), {}, None, "4xx"),
    "bad_query_wrong_media_type": ("POST", "", {"content-type": "text/plain"}, b"ASK {}", "4xx"),
    "bad_query_missing_form_type": ("POST", "", {}, b"query=ASK%20%7B%7D", "4xx"),
    "bad_query_missing_direct_type": ("POST", "", {}, b"ASK {}", "4xx"),
    "bad_query_non_utf8": (
        "POST",
        "",
        {"content-type": "application/sparql-query; charset=UTF-16"},
        "ASK {}".encode("utf-16"),
        "4xx",
    ),
    "bad_query_syntax": ("GET", "?query=ASK%20%7B", {}, None, "4xx"),
    "bad_update_get": ("GET", "?update=CLEAR%20ALL", {}, None, "4xx"),
    "bad_multiple_updates": ("POST", "", FORM, b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", "4xx"),
    "bad_update_wrong_media_type": ("POST", "", {"content-type": "text/plain"}, b"CLEAR NAMED", "4xx"),
    "bad_update_missing_form_type": ("POST", "", {}, b"update=CLEAR%20NAMED", "4xx"),
    "bad_update_non_utf8": (
        "POST",
        "",
        {"content-type": "application/sparql-update; charset=UTF-16"},
        "CLEAR NAMED".encode("utf-16"),
        "4xx",
    ),
    "bad_update_syntax": ("POST", "", FORM, b"update=CLEAR%20XYZ", "4xx"),
    "bad_update_dataset_conflict": (
        "POST",
        _q(using_named_graph_uri="http://example/people"),
        {"content-type": "application/sparql-update"},
        b"WITH <http://example/addresses> DELETE { ?p <urn:n> 'Bill' } INSERT { ?p <urn:n> 'William' } "
        b"WHERE { ?p <urn:n> 'Bill' }",
        "4xx",
    ),
    # read-only: the update service's success cases must be refused
    "update_post_form": ("POST", "", FORM, b"update=CLEAR+ALL", 403),
    "update_post_direct": ("POST", "", {"content-type": "application/sparql-update"}, b"CLEAR ALL", 403),
}


def _boolean(response: httpx.Response) -> bool:
    kind = response.headers["content-type"].split(";")[0]
    if kind == "application/sparql-results+json":
        return bool(response.json()["boolean"])
    result = ox.parse_query_results(response.content, ox.QueryResultsFormat.from_media_type(kind))
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


@pytest.mark.parametrize("case", list(CASES))
def test_w3c_protocol_case(endpoint: str, case: str) -> None:
    method, query_string, headers, body, expected = CASES[case]
    response = httpx.request(method, endpoint + query_string, headers=headers, content=body, timeout=30)
    status = response.status_code
    if expected == "4xx":
        assert 400 <= status < 500, (case, status, response.text[:200])
        return
    if isinstance(expected, int) and not isinstance(expected, bool):
        assert status == expected, (case, status, response.text[:200])
        assert _boolean(httpx.get(endpoint, params={"query": f"ASK {{ GRAPH <{D1}> {{ ?s ?p ?o }} }}"}))
        return
    assert 200 <= status < 400, (case, status, response.text[:300])
    kind = response.headers["content-type"].split(";")[0]
    if expected is True:
        assert _boolean(response) is True
    elif expected == "boolean":
        assert kind in SELECT_TYPES[:2]
        _boolean(response)
    elif expected == "tabular":
        assert kind in SELECT_TYPES
        rows = list(ox.parse_query_results(response.content, ox.QueryResultsFormat.from_media_type(kind)))  # type: ignore[arg-type]
        assert [row["value"].value for row in rows] == ["1"]
    else:
        assert kind in RDF_TYPES
        triples = list(ox.parse(response.content, ox.RdfFormat.from_media_type(kind)))  # type: ignore[arg-type]
        if case == "query_content_type_construct":
            # `<s>` is relative: resolved against the endpoint's base IRI
            assert [str(t.subject.value) for t in triples] == ["https://w3id.org/crosswalk/s"]


# ---------------------------------------------------------------- beyond the manifest
def test_only_the_named_default_graph_is_queried(endpoint: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**params: str | list[str]) -> int:
        r = httpx.get(endpoint + _q(query=count, **params))
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    assert n() == 3  # no dataset named: every graph, merged
    assert n(default_graph_uri=D1) == 1
    assert n(default_graph_uri=[D1, D2]) == 2
    assert n(named_graph_uri=D1) == 0  # only named graphs given: an empty default graph
    # FROM in the query text, and the protocol's dataset over it
    assert (
        httpx.get(endpoint, params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{D3}> WHERE {{ ?s ?p ?o }}"}).json()[
            "results"
        ]["bindings"][0]["n"]["value"]
        == "1"
    )
    graphs = httpx.get(
        endpoint + _q(query="SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graph_uri=[D1, D2])
    ).json()
    assert {b["g"]["value"] for b in graphs["results"]["bindings"]} == {D1, D2}
    bad = httpx.get(endpoint + _q(query="ASK {}", default_graph_uri="not an iri"))
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("params", "accept", "media"),
    [
        # what SPARQLWrapper appends by default, and Virtuoso / Fuseki style names
        ({"format": "json", "output": "json", "results": "json"}, "", "application/sparql-results+json"),
        (
            {"format": ["tsv", "text/tab-separated-values"], "output": "tsv", "results": "tsv"},
            "",
            "text/tab-separated-values",
        ),
        ({"format": "csv"}, "", "text/csv"),
        ({"output": "xml"}, "", "application/sparql-results+xml"),
        ({"format": "application/sparql-results+xml"}, "", "application/sparql-results+xml"),
        ({"format": "turtle", "output": "turtle"}, "*/*", "application/sparql-results+json"),  # no SELECT format
        ({"format": "nonsense", "debug": "on", "timeout": "0"}, "text/csv", "text/csv"),  # unknown: ignored
        ({}, "text/html;q=0.1, application/sparql-results+xml", "application/sparql-results+xml"),
        ({}, "application/sparql-results+json;q=0.5, text/csv;q=0.9", "text/csv"),
    ],
)
def test_format_parameters_and_accept(
    endpoint: str, params: dict[str, str | list[str]], accept: str, media: str
) -> None:
    r = httpx.get(endpoint + _q(query="SELECT ?x WHERE { BIND(1 AS ?x) }", **params), headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize(
    ("params", "media"),
    [
        ({"format": "turtle", "output": "turtle", "results": "turtle"}, "text/turtle"),
        ({"format": ["rdf+xml", "application/rdf+xml"]}, "application/rdf+xml"),
        ({"format": ["json-ld", "application/ld+json,application/x-json+ld"]}, "application/ld+json"),
        ({"format": "n3"}, "text/turtle"),
        ({"format": "xml"}, "application/rdf+xml"),
        ({"format": "json"}, "application/ld+json"),
        ({"format": "csv"}, "text/turtle"),  # no graph format: the default
    ],
)
def test_construct_format_names(endpoint: str, params: dict[str, str | list[str]], media: str) -> None:
    query = f"CONSTRUCT WHERE {{ <{D1}> ?p ?o }}"
    r = httpx.get(endpoint + _q(query=query, **params))
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    assert len(list(ox.parse(r.content, ox.RdfFormat.from_media_type(media)))) == 1  # type: ignore[arg-type]


def test_protocol_errors(endpoint: str) -> None:
    both = httpx.post(endpoint + "?query=ASK%20%7B%7D", data={"query": "ASK {}"})
    assert both.status_code == 400 and "2 queries" in both.json()["detail"]
    no_type = httpx.post(endpoint, content=b"ASK {}")
    assert no_type.status_code == 400 and "Content-Type" in no_type.json()["detail"]
    assert httpx.post(endpoint, content=b"ASK {}", headers={"content-type": "text/plain"}).status_code == 415
    assert httpx.put(endpoint, content=b"").status_code == 405


# ---------------------------------------------------------------- the writers, read back by real parsers
TRICKY = 'SELECT ?text ?b WHERE { BIND("tab\\there\\nnew line, \\"quoted\\"" AS ?text) BIND(BNODE() AS ?b) }'


def test_tsv_escapes_tabs_and_newlines(endpoint: str) -> None:
    r = httpx.get(endpoint, params={"query": TRICKY, "format": "tsv"})
    assert r.status_code == 200 and '"""' not in r.text
    assert len(r.text.strip("\n").split("\n")) == 2  # header and one row: the newline is escaped
    rows = list(ox.parse_query_results(r.content, ox.QueryResultsFormat.TSV))  # type: ignore[arg-type]
    assert rows[0]["text"].value == 'tab\there\nnew line, "quoted"'
    assert isinstance(rows[0]["b"], ox.BlankNode)


def test_csv_writes_blank_nodes_with_their_prefix(endpoint: str) -> None:
    r = httpx.get(endpoint, params={"query": TRICKY}, headers={"accept": "text/csv"})
    header, row = list(csv.reader(io.StringIO(r.text)))
    assert header == ["text", "b"]
    assert row[0] == 'tab\there\nnew line, "quoted"' and row[1].startswith("_:")


def test_xml_results_are_well_formed_or_refused(endpoint: str) -> None:
    from xml.dom.minidom import parseString

    r = httpx.get(endpoint, params={"query": TRICKY}, headers={"accept": "application/sparql-results+xml"})
    parseString(r.content)  # well-formed
    rows = list(ox.parse_query_results(r.content, ox.QueryResultsFormat.XML))  # type: ignore[arg-type]
    assert rows[0]["text"].value == 'tab\there\nnew line, "quoted"'
    control = 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }'
    refused = httpx.get(endpoint, params={"query": control}, headers={"accept": "application/sparql-results+xml"})
    assert refused.status_code == 400 and "U+0001" in refused.json()["detail"]
    as_json = httpx.get(endpoint, params={"query": control})
    assert json.loads(as_json.content)["results"]["bindings"][0]["x"]["value"] == "a\x01b"
    rdfxml = httpx.get(
        endpoint, params={"query": 'CONSTRUCT { <urn:s> <urn:p> "a\\u0001b" } WHERE {}', "format": "xml"}
    )
    assert rdfxml.status_code == 400 and "U+0001" in rdfxml.json()["detail"]


def test_relative_iris_resolve_against_the_endpoint_base(endpoint: str) -> None:
    r = httpx.get(endpoint, params={"query": "SELECT ?x WHERE { BIND(<id/jurisdiction/EU> AS ?x) }"})
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "https://w3id.org/crosswalk/id/jurisdiction/EU"


def test_update_via_the_query_endpoint_changes_nothing(endpoint: str) -> None:
    for form in ({"update": f"DROP GRAPH <{D1}>"}, {"query": f"DROP GRAPH <{D1}>"}):
        assert httpx.post(endpoint, data=form).status_code in (400, 403)
    assert _boolean(httpx.get(endpoint, params={"query": f"ASK {{ GRAPH <{D1}> {{ ?s ?p ?o }} }}"}))


def test_the_service_description_honours_q_values(endpoint: str) -> None:
    r = httpx.get(endpoint, headers={"accept": "text/html;q=0.2, text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    page = httpx.get(endpoint, headers={"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")  # a browser gets the editor
