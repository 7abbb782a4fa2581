"""Writing one named graph to a SPARQL engine, so that every tested engine holds it exactly.

Two routes, tried in this order:

1. the SPARQL 1.1 Graph Store Protocol: one ``PUT`` of the graph as N-Triples (Oxigraph
   ``/store?graph=``, Virtuoso ``/sparql-graph-crud-auth?graph=``, Fuseki ``/data?graph=``);
   blank nodes and every literal go through the engine's own RDF parser;
2. where the endpoint has no graph store (404, 405, 501): ``DROP`` then ``INSERT DATA`` in chunks
   of `CHUNK_TRIPLES` lines, well under Virtuoso's 10,000-line limit on one SQL statement, with
   blank nodes skolemised (Virtuoso refuses blank nodes in ``INSERT DATA``).

Neither route is one transaction on every engine (Virtuoso applies a PUT as it parses, and
chunks are separate requests), so a write is *verified*: the graph is read back and its size and
content digest must equal what was sent, else the write fails loudly (exit 1). `ingest` checks
the size again before calling an unchanged file "unchanged" (graph/ingest.py), so a graph a
crash left half-written is repaired, not trusted.

Literals an engine cannot keep are written in a form it keeps (`Engine.carriers`): Virtuoso 7
turns ``"P1Y6M"^^xsd:duration`` into a number ("18", months; "P30D" becomes seconds) and fails
on it in ``INSERT DATA``; it stores the same lexical form under a Crosswalk datatype, which the
reader (graph/remote.py) turns back into ``xsd:duration``.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import httpx
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from . import ntriples
from .credentials import Credentials
from .errors import StoreError, StoreUnavailable
from .store import Triple

CHUNK_TRIPLES = 2000
SKOLEM = "https://w3id.org/crosswalk/.well-known/genid/"
# What Crosswalk keeps on an engine for itself, never read as data: the carrier datatype below
# and the digests graph.
ENGINE_NS = "https://w3id.org/crosswalk/engine#"
# The datatype Virtuoso stores an xsd:duration's lexical form under (see the module docstring).
DURATION_CARRIER = URIRef(ENGINE_NS + "xsdDuration")
# The digests graph, on an engine where some answers come from a verified copy (`Engine.uses_copy`):
# for each graph Crosswalk writes, `<g> DIGEST_PROPERTY "SIZE SHA-256"` (`digest` of what it sent),
# recorded before the graph is written. The copy (graph/remote_copy.py) checks every graph it
# reads against it. Outside the graph prefix, so never in a CROSSWALK_DATASET=own dataset, and
# left out of the graph list, `stats` and `export` like an engine's system graphs. Not written on
# other engines: their union default graph holds exactly the graphs Crosswalk lists.
DIGESTS = URIRef(ENGINE_NS + "digests")
DIGEST_PROPERTY = URIRef(ENGINE_NS + "digest")


@dataclass(frozen=True)
class Engine:
    """What Crosswalk must know about the engine behind an endpoint (from its Server header)."""

    name: str
    carriers: dict[URIRef, URIRef] = field(default_factory=dict)  # datatype -> the one it is stored as
    system_graph_prefixes: tuple[str, ...] = ()
    read_page: int | None = None  # rows per request when a graph is read back (under a row cap)
    # Answers queries over a protocol dataset of many graphs (CROSSWALK_DATASET=own) wrongly:
    # there Crosswalk reads from a verified copy of its graphs instead (graph/remote_copy.py)
    wrong_over_datasets: bool = False
    # Some answers come from a verified copy here (the above, or a named query's `# copy-on:`),
    # so each write records its graph's digest (DIGESTS) for the copy to check
    uses_copy: bool = False

    def to_engine(self, term: Node) -> Node:
        if isinstance(term, Literal) and term.datatype in self.carriers:
            return Literal(str(term), datatype=self.carriers[term.datatype])
        return term

    def from_engine(self, term: Node) -> Node:
        if isinstance(term, Literal) and term.datatype is not None:
            for original, carrier in self.carriers.items():
                if term.datatype == carrier:
                    return Literal(str(term), datatype=original)
        return term

    def is_system_graph(self, iri: str) -> bool:
        """The engine's own graphs, and Crosswalk's bookkeeping on it (DIGESTS): never data."""
        return iri.startswith(self.system_graph_prefixes) or iri.startswith(ENGINE_NS)


GENERIC = Engine("SPARQL 1.1")
VIRTUOSO = Engine(
    "Virtuoso",
    carriers={XSD.duration: DURATION_CARRIER},
    # graphs a fresh Virtuoso 7 holds: its RDF views' metadata, LDP and URIQA; never Crosswalk's
    system_graph_prefixes=("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/"),
    read_page=5000,  # under its default ResultSetMaxRows of 10,000
    wrong_over_datasets=True,  # docs/deploy.md, "A dataset per deployment"
    uses_copy=True,
)


def engine_of(server_header: str) -> Engine:
    return VIRTUOSO if server_header.lower().startswith("virtuoso") else GENERIC


def canonical(term: Node | None) -> str:
    """A term as every engine reads it back: blank nodes anonymous (engines rename them),
    numbers and booleans by value (Virtuoso answers "1e+06" for "1000000.0"), other literals
    by lexical form, datatype and language."""
    if term is None:
        return "-"
    if isinstance(term, BNode) or str(term).startswith(SKOLEM):
        return "_"
    if isinstance(term, URIRef):
        return f"<{term}>"
    assert isinstance(term, Literal)
    text, datatype = str(term), term.datatype
    if datatype == XSD.string:  # RDF 1.1: "x"^^xsd:string is "x"; engines answer either way
        datatype = None
    if datatype in (XSD.double, XSD.float):
        text = repr(float(text))
    elif datatype in (XSD.decimal, XSD.integer):
        with contextlib.suppress(InvalidOperation):
            text = str(Decimal(text).normalize())
    elif datatype == XSD.boolean:
        text = str(text in ("1", "true"))
    return f"{text!r}^^{datatype}@{term.language}"


def digest(triples: Iterable[Sequence[Node | None]]) -> tuple[int, str]:
    """Size and SHA-256 of a graph's triples in `canonical` form (order-free)."""
    lines = sorted(" ".join(canonical(t) for t in triple) for triple in triples)
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode() + b"\n")
    return len(lines), h.hexdigest()


def skolemised(name: URIRef, triples: Iterable[Triple]) -> Iterator[Triple]:
    """Blank nodes as IRIs under the graph's own skolem prefix (RDF 1.1 §3.5)."""
    prefix = SKOLEM + hashlib.sha256(str(name).encode()).hexdigest()[:16] + "/"

    def iri(term: Node) -> Node:
        return URIRef(prefix + str(term)) if isinstance(term, BNode) else term

    for s, p, o in triples:
        yield iri(s), p, iri(o)


class GraphWriter:
    """Replaces named graphs at an endpoint (see the module docstring)."""

    def __init__(
        self,
        update_url: str,
        graph_store_url: str | None,
        credentials: Credentials | None,
        timeout: float,
        engine: Engine,
    ) -> None:
        self.update_url = update_url
        self.graph_store_url = graph_store_url  # None: no graph store, INSERT DATA only
        self.auth = credentials.auth() if credentials else None
        self.timeout = timeout
        self.engine = engine

    def _post(self, url: str, **kwargs: object) -> httpx.Response:
        try:
            with httpx.Client(auth=self.auth, timeout=self.timeout) as client:  # type: ignore[arg-type]
                return client.request(url=url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise StoreError(f"the SPARQL endpoint at {url} did not finish the write in {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL endpoint at {url}: {exc}") from None

    def put(self, name: URIRef, triples: Sequence[Triple]) -> None:
        """Write `triples` as graph `name`, by the graph store if there is one."""
        converted = [(s, p, self.engine.to_engine(o)) for s, p, o in triples]
        if self.graph_store_url is not None:
            response = self._post(
                self.graph_store_url,
                method="PUT",
                params={"graph": str(name)},
                content=ntriples.serialize(converted).encode(),
                headers={"Content-Type": "application/n-triples"},
            )
            if response.status_code not in (404, 405, 501):
                _check(response, f"writing graph {name}")
                return
            self.graph_store_url = None  # no graph store here: use SPARQL Update from now on
        self._insert_chunks(name, list(skolemised(name, converted)))

    def record(self, name: URIRef, size: int, sha: str) -> None:
        """Record in DIGESTS what graph `name` is about to hold (before it is written: a write cut
        short then leaves a graph that fails its digest, loudly, never a stale digest beside a
        whole graph)."""
        entry = f'"{size} {sha}"'
        self.update(
            f"DELETE {{ GRAPH <{DIGESTS}> {{ <{name}> <{DIGEST_PROPERTY}> ?d }} }} "
            f"WHERE {{ GRAPH <{DIGESTS}> {{ <{name}> <{DIGEST_PROPERTY}> ?d }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{DIGESTS}> {{ <{name}> <{DIGEST_PROPERTY}> {entry} }} }}"
        )

    def forget(self, name: URIRef) -> None:
        self.update(
            f"DELETE {{ GRAPH <{DIGESTS}> {{ <{name}> <{DIGEST_PROPERTY}> ?d }} }} "
            f"WHERE {{ GRAPH <{DIGESTS}> {{ <{name}> <{DIGEST_PROPERTY}> ?d }} }}"
        )

    def _insert_chunks(self, name: URIRef, triples: list[Triple]) -> None:
        self.update(f"DROP SILENT GRAPH <{name}>")
        for start in range(0, len(triples), CHUNK_TRIPLES):
            body = ntriples.serialize(triples[start : start + CHUNK_TRIPLES])
            self.update(f"INSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}")

    def update(self, sparql: str) -> None:
        response = self._post(self.update_url, method="POST", data={"update": sparql})
        _check(response, "the update")


def _check(response: httpx.Response, what: str) -> None:
    if response.is_success:
        return
    if response.status_code in (401, 403):
        raise StoreError(
            f"the SPARQL endpoint refused {what} ({response.status_code}): it needs credentials with "
            "update rights (CROSSWALK_STORE_USER / CROSSWALK_STORE_PASSWORD or a netrc entry; docs/deploy.md)"
        )
    raise StoreError(f"the SPARQL endpoint failed {what} ({response.status_code}): {engine_message(response.text)}")


def engine_message(text: str) -> str:
    """An engine's error text on one line, without its HTML or the query it echoes back."""
    if text.lstrip().startswith("<"):  # an HTML error page: its text, not its markup
        text = re.sub(r"<[^>]*>", " ", text)
    for marker in ("SPARQL query:", "SPARQL update:"):
        if marker in text and text.index(marker) > 0:
            text = text[: text.index(marker)]
    return " ".join(text.split())[:500] or "no message"
