"""Content negotiation, headers, CORS, HEAD, 405, redirects, errors and dereferencing, against the
real `crosswalk serve` process on loopback (`server`), or the app in process where a test needs
its own settings or a route of its own."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from crosswalk.api.app import create_app
from crosswalk.api.problems import EXPLAINED, TYPES, slug
from crosswalk.api.settings import Settings

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# what Comunica sends (its RDF and result types, text/html at a lower q)
COMUNICA = (
    "application/sparql-results+json,application/sparql-results+xml;q=0.9,text/turtle;q=0.9,"
    "application/n-triples;q=0.8,application/ld+json;q=0.8,application/rdf+xml;q=0.7,text/html;q=0.2,*/*;q=0.1"
)
CHROME = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


# ---------------------------------------------------------------- negotiation
@pytest.mark.parametrize(
    ("accept", "editor"),
    [(CHROME, True), ("text/html", True), (COMUNICA, False), ("*/*", False), ("", False), ("text/turtle", False)],
)
def test_sparql_gives_the_editor_only_to_who_prefers_html(server: str, accept: str, editor: bool) -> None:
    r = httpx.get(f"{server}/sparql", headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html") is editor
    if not editor:  # the service description, in an RDF type the client accepts
        assert (None, RDF_TYPE, URIRef(SD + "Service")) in Graph().parse(data=r.text, format="turtle")
    assert "Accept" in r.headers["vary"]


def test_q_values_and_wildcards_choose_the_rdf_format(server: str) -> None:
    iri = f"{server}/id/eu-ai-act/art50-1"
    jsonld = httpx.get(iri, headers={"accept": "text/turtle;q=0.5, application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    html = httpx.get(iri, headers={"accept": "text/turtle;q=0.5, text/*"})  # text/html by wildcard, q=1
    assert html.headers["content-type"].startswith("text/html")
    assert httpx.get(iri, headers={"accept": "*/*"}).headers["content-type"].startswith("text/turtle")
    no_html = httpx.get(f"{server}/concept/HumanOversight", headers={"accept": "text/html;q=0, */*"})
    assert no_html.headers["content-type"].startswith("text/turtle")
    onto = httpx.get(f"{server}/ontology", headers={"accept": "application/rdf+xml, text/html;q=0.5"})
    assert onto.headers["content-type"].startswith("application/rdf+xml")


@pytest.mark.parametrize("path", ["/id/eu-ai-act/art50-1", "/concept/HumanOversight", "/ontology", "/sparql"])
def test_nothing_acceptable_is_406(server: str, path: str) -> None:
    r = httpx.get(f"{server}{path}", headers={"accept": "image/png"})
    assert r.status_code == 406 and r.headers["content-type"].startswith("application/problem+json")
    assert "text/turtle" in r.json()["detail"]


# ---------------------------------------------------------------- headers
@pytest.mark.parametrize("path", ["/", "/sparql", "/jurisdictions", "/id/eu-ai-act/art50-1", "/nope", "/static/x"])
def test_security_headers_on_every_response(server: str, path: str) -> None:
    r = httpx.get(f"{server}{path}", headers={"accept": "text/html"})
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_no_page_runs_an_inline_script(server: str) -> None:
    import re

    for path in ("/", "/sparql", "/reports/harmonization", "/id/eu-ai-act/art50-1", "/ontology"):
        page = httpx.get(f"{server}{path}", headers={"accept": "text/html"}).text
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
            assert (
                "src=" in attrs or "application/json" in attrs or "application/ld+json" in attrs or not body.strip()
            ), path


def test_cors_on_sparql_for_get_post_and_preflight(server: str) -> None:
    origin = {"origin": "https://yasgui.example"}
    get = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers=origin)
    assert get.headers["access-control-allow-origin"] == "*"
    post = httpx.post(f"{server}/sparql", data={"query": "ASK {}"}, headers=origin)
    assert post.status_code == 200 and post.headers["access-control-allow-origin"] == "*"
    pre = httpx.options(
        f"{server}/sparql",
        headers={
            **origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]
    assert "content-type" in pre.headers["access-control-allow-headers"].lower()
    # only /sparql: the write routes never answer another origin's script
    assert "access-control-allow-origin" not in httpx.get(f"{server}/instruments", headers=origin).headers


@pytest.mark.parametrize(
    "path", ["/", "/jurisdictions", "/sparql", "/id/eu-ai-act/art50-1", "/static/editor/editor.js"]
)
def test_head_on_get_routes(server: str, path: str) -> None:
    get = httpx.get(f"{server}{path}")
    head = httpx.head(f"{server}{path}")
    assert head.status_code == get.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_405_says_what_is_allowed(server: str) -> None:
    r = httpx.put(f"{server}/sparql", content="x")
    assert r.status_code == 405 and {"GET", "POST"} <= set(r.headers["allow"].replace(" ", "").split(","))
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"] == f"{TYPES}method-not-allowed"
    assert "DELETE" in httpx.post(f"{server}/instruments/x").headers["allow"]


def test_redirects_do_not_echo_the_host_header(server: str) -> None:
    r = httpx.get(f"{server}/jurisdictions/", headers={"host": "evil.example"})
    assert r.status_code in (307, 308) and r.headers["location"] == "/jurisdictions"


def _in_process(corpus_dir: Path, path: str, **settings: object) -> httpx.Response:
    app = create_app(Settings(store=str(corpus_dir), query_workers=0, ingest_if_empty=False, **settings))  # type: ignore[arg-type]

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret path /home/operator/store and a traceback")

    async def main() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport) as client:
            return await client.get(f"http://evil.example{path}", headers={"accept": "text/turtle"})

    return asyncio.run(main())


def test_public_url_makes_redirects_and_the_endpoint_iri(corpus_dir: Path) -> None:
    public = "https://crosswalk.example.org/api"
    moved = _in_process(corpus_dir, "/jurisdictions/", public_url=public)
    assert moved.headers["location"] == f"{public}/jurisdictions"
    sd = Graph().parse(data=_in_process(corpus_dir, "/sparql", public_url=public).text, format="turtle")
    assert set(sd.objects(None, URIRef(SD + "endpoint"))) == {URIRef(f"{public}/sparql")}
    default = Graph().parse(data=_in_process(corpus_dir, "/sparql").text, format="turtle")
    assert set(default.objects(None, URIRef(SD + "endpoint"))) == {URIRef("https://w3id.org/crosswalk/sparql")}


def test_an_unhandled_error_is_problem_json_without_its_text(corpus_dir: Path) -> None:
    r = _in_process(corpus_dir, "/boom")
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/problem+json")
    assert set(r.json()) == {"type", "title", "status", "detail"}
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in r.headers


def test_deleting_a_missing_instrument_is_404(server: str) -> None:
    r = httpx.delete(f"{server}/instruments/no-such-instrument", headers={"authorization": "Bearer s3cret"})
    assert r.status_code == 404 and r.json()["type"] == f"{TYPES}not-found"


# ---------------------------------------------------------------- service description, dereferencing
def test_service_description_lists_the_default_and_named_graphs(server: str) -> None:
    g = Graph().parse(data=httpx.get(f"{server}/sparql", headers={"accept": "text/turtle"}).text, format="turtle")
    names = {str(n) for n in g.objects(None, URIRef(SD + "name"))}
    served = httpx.get(
        f"{server}/sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"accept": "application/sparql-results+json"},
    ).json()
    assert names == {b["g"]["value"] for b in served["results"]["bindings"]} and len(names) > 20
    assert {"https://w3id.org/crosswalk/graph/reference", "https://w3id.org/crosswalk/graph/eu-ai-act"} <= names
    dataset = next(g.objects(None, URIRef(SD + "defaultDataset")))
    assert g.value(dataset, URIRef(SD + "defaultGraph")) is not None
    counts = [int(g.value(graph, URIRef(VOID + "triples"))) for graph in g.objects(None, URIRef(SD + "graph"))]  # type: ignore[arg-type]
    default = g.value(dataset, URIRef(SD + "defaultGraph"))
    assert sum(counts) == int(g.value(default, URIRef(VOID + "triples")))  # type: ignore[arg-type]


def test_every_named_graph_dereferences(server: str) -> None:
    graphs = httpx.get(
        f"{server}/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
    ).json()["results"]["bindings"]
    base = "https://w3id.org/crosswalk/"
    for b in graphs:
        iri = b["g"]["value"]
        assert iri.startswith(base + "graph/"), iri
        page = httpx.get(f"{server}/{iri[len(base) :]}", headers={"accept": "text/html"})
        assert page.status_code == 200 and iri in page.text, iri
    ttl = httpx.get(f"{server}/graph/eu-ai-act", headers={"accept": "text/turtle"})
    graph = Graph().parse(data=ttl.text, format="turtle")
    assert (URIRef(base + "id/eu-ai-act/art50-1"), None, None) in graph
    assert not any(str(s).startswith(base + "id/us-co") for s in graph.subjects())  # that graph only
    assert httpx.get(f"{server}/graph/no-such-graph").status_code == 404


def test_the_ontology_version_iri_dereferences(server: str) -> None:
    onto = Graph().parse(data=httpx.get(f"{server}/ontology", headers={"accept": "text/turtle"}).text, format="turtle")
    version = onto.value(
        URIRef("https://w3id.org/crosswalk/ontology"), URIRef("http://www.w3.org/2002/07/owl#versionIRI")
    )
    assert version is not None
    path = str(version)[len("https://w3id.org/crosswalk") :]
    r = httpx.get(f"{server}{path}", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) == len(onto)
    assert httpx.get(f"{server}/ontology/0.0.0-nope").status_code == 404


def test_every_problem_type_dereferences(server: str) -> None:
    for status, (title, _) in EXPLAINED.items():
        page = httpx.get(f"{server}/problems/{slug(title)}", headers={"accept": "text/html"})
        assert page.status_code == 200 and f"{title} (HTTP {status})" in page.text
    md = httpx.get(f"{server}/problems/bad-request", headers={"accept": "text/markdown"})
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# Bad request")
    # and the type of a real error answer is one of them
    err = httpx.get(f"{server}/compare", params=[("j", "EU"), ("j", "XX")]).json()
    assert httpx.get(f"{server}/{err['type'][len('https://w3id.org/crosswalk/') :]}").status_code == 200
