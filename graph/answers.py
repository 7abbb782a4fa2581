"""A `/sparql` answer as bytes, written by Oxigraph's own serialisers and stopped at the caps.

The endpoint's answer is made where the query runs (a worker process, or the server's thread
when there are no workers): the format is chosen before the query starts, Oxigraph writes the
result in it, and what crosses back is bytes. No rdflib terms are built for a result, and a
result can never be larger than `max_bytes`: the writer counts what it is given and stops the
query with ResultTooLarge at the cap (a 200-byte query once produced 134 MB, issue 15).

Oxigraph's writers follow the specs where ours did not: TSV escapes a TAB or newline in a
literal (`\\t`, `\\n`), CSV writes blank nodes as `_:b…`. XML 1.0 cannot carry most control
characters (U+0001…U+001F but TAB, LF, CR; U+FFFE, U+FFFF) and Oxigraph writes them as they are,
so an XML answer (SPARQL XML results, RDF/XML) holding one is refused with a clear error
instead of being sent ill-formed: the same query answers in JSON, CSV or TSV.

>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("a\\tb"), ox.NamedNode("urn:g")))
>>> answer(store, "SELECT ?o WHERE { ?s ?p ?o }", Formats("tsv", "ttl")).body
b'?o\\n"a\\\\tb"\\n'
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TypeVar, cast

import pyoxigraph as ox

from .errors import QueryError, QueryTimeout, ResultTooLarge
from .store import Dataset

T = TypeVar("T")

SELECT_FORMATS = {  # key: (media type, Oxigraph's writer); SELECT and ASK results
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
}
GRAPH_FORMATS = {  # CONSTRUCT and DESCRIBE results
    "ttl": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
PREFIXES = {  # for Turtle answers: short names a reader recognises
    "xw": "https://w3id.org/crosswalk/ontology#",
    "xwc": "https://w3id.org/crosswalk/concept/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}
# Bytes XML 1.0 cannot carry (its Char production), as UTF-8: C0 controls but TAB/LF/CR, and
# U+FFFE/U+FFFF. A check of the serialised output, not of any query text.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


@dataclass(frozen=True)
class Formats:
    """The format keys the client asked for, one per kind of result (chosen before the query
    runs, when its kind is not yet known): `SELECT_FORMATS` and `GRAPH_FORMATS`."""

    select: str = "json"
    graph: str = "ttl"


@dataclass(frozen=True)
class Answer:
    media_type: str
    body: bytes


class _Capped(io.RawIOBase):
    """A binary sink for Oxigraph's writers that stops them at the byte cap or the deadline."""

    def __init__(self, max_bytes: int | None, deadline: float | None, xml: bool) -> None:
        self.data = bytearray()
        self.max_bytes, self.deadline, self.xml = max_bytes, deadline, xml

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTimeout("the query ran past its time limit and was stopped; narrow it or add a LIMIT")
        if self.max_bytes is not None and len(self.data) + len(chunk) > self.max_bytes:
            raise ResultTooLarge(
                f"the result is larger than {self.max_bytes:,} bytes; add a LIMIT or select fewer variables"
            )
        if self.xml:
            found = _NOT_XML.search(bytes(self.data[-2:]) + chunk)  # two bytes back: U+FFFE spans chunks
            if found:
                raise QueryError(
                    f"the result holds the character U+{ord(found.group().decode('utf-8')):04X}, which XML 1.0 "
                    "cannot carry; ask for JSON, CSV or TSV results (or JSON-LD, Turtle) instead"
                )
        self.data += chunk
        return len(chunk)


def _limited(items: Iterable[T], deadline: float | None, max_rows: int | None) -> Iterator[T]:
    for n, item in enumerate(items, start=1):
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout("the query ran past its time limit and was stopped; narrow it or add a LIMIT")
        if max_rows is not None and n > max_rows:
            raise ResultTooLarge(f"the result has more than {max_rows} triples; add a LIMIT")
        yield item


def run(
    store: ox.Store,
    sparql: str,
    dataset: Dataset | None = None,
    *,
    own_dataset: bool = False,
    base_iri: str | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a query on the dataset the protocol names; else on its own FROM / FROM NAMED; else on
    every graph, merged as the default graph (Oxigraph's union flag would override FROM)."""
    if dataset:  # None or empty: no dataset named in the protocol
        # Only default-graph-uri given: no named graphs; only named-graph-uri: an empty default
        # graph (SPARQL 1.1 Protocol, 2.1.4). The protocol's dataset wins over FROM in the text.
        return store.query(
            sparql,
            base_iri=base_iri,
            default_graph=[ox.NamedNode(g) for g in dataset.default],
            named_graphs=[ox.NamedNode(g) for g in dataset.named],
        )
    return store.query(sparql, base_iri=base_iri, use_default_graph_as_union=not own_dataset)


def answer(
    store: ox.Store,
    sparql: str,
    formats: Formats,
    dataset: Dataset | None = None,
    *,
    own_dataset: bool = False,
    base_iri: str | None = None,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    deadline: float | None = None,
) -> Answer:
    """Run `sparql` and write its result in the format asked for, within the caps. `max_rows`
    bounds the triples of a CONSTRUCT or DESCRIBE; every result is bounded by `max_bytes`."""
    try:
        result = run(store, sparql, dataset, own_dataset=own_dataset, base_iri=base_iri)
        if isinstance(result, ox.QueryTriples):
            media, rdf_format = GRAPH_FORMATS[formats.graph]
            sink = _Capped(max_bytes, deadline, xml=rdf_format == ox.RdfFormat.RDF_XML)
            ox.serialize(_limited(result, deadline, max_rows), cast(IO[bytes], sink), rdf_format, prefixes=PREFIXES)
        else:
            media, results_format = SELECT_FORMATS[formats.select]
            sink = _Capped(max_bytes, deadline, xml=results_format == ox.QueryResultsFormat.XML)
            result.serialize(cast(IO[bytes], sink), results_format)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from None
    return Answer(media, bytes(sink.data))


__all__ = ["GRAPH_FORMATS", "SELECT_FORMATS", "Answer", "Formats", "answer", "run"]
