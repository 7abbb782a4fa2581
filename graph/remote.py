"""A remote store: any SPARQL 1.1 endpoint, through SPARQLWrapper.

The store URL is the endpoint's *query* URL. Writes go to its update URL, which is the query
URL with a trailing ``/query`` replaced by ``/update`` (Oxigraph, Fuseki) and otherwise the same
URL (Virtuoso, GraphDB, Neptune); set ``CROSSWALK_UPDATE_URL`` where neither fits. A graph is
replaced by one SPARQL Update request (DROP + INSERT DATA), which the SPARQL 1.1 Protocol
executes as one request and transactional servers such as Oxigraph apply atomically.

Parameters are bound with a ``VALUES`` block of serialised terms inserted at the top of the
query's outer ``WHERE`` group: user text is never pasted into the query as SPARQL.
"""

from __future__ import annotations

import io
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from . import ntriples
from .answers import GRAPH_FORMATS, SELECT_FORMATS, Answer, Formats
from .binding import bind
from .errors import QueryError, QueryTimeout, ResultTooLarge, StoreError, StoreUnavailable
from .store import Dataset, QueryResult, Rows, Term, Triple

TIMEOUT_SECONDS = 30
_FORM = re.compile(r"^\s*(?:(?:PREFIX|BASE)\s+[^\n]*\n|#[^\n]*\n|\s)*(\w+)", re.IGNORECASE)


def _term(cell: dict[str, str]) -> Term:
    kind = cell["type"]
    if kind == "uri":
        return URIRef(cell["value"])
    if kind == "bnode":
        return BNode(cell["value"])
    if "xml:lang" in cell:
        return Literal(cell["value"], lang=cell["xml:lang"])
    if "datatype" in cell:
        return Literal(cell["value"], datatype=URIRef(cell["datatype"]))
    return Literal(cell["value"])


class RemoteStore:
    """A SPARQL 1.1 endpoint at `url` (its query URL)."""

    concurrent_reads = True  # each query is its own HTTP request

    def __init__(self, url: str) -> None:
        self.url = url
        update = url[: -len("/query")] + "/update" if url.endswith("/query") else url
        self.update_url = os.environ.get("CROSSWALK_UPDATE_URL", update)
        self._write_lock = threading.RLock()

    def _client(self, endpoint: str, timeout: float | None = None) -> SPARQLWrapper:
        client = SPARQLWrapper(endpoint, agent="crosswalk")
        client.setMethod(POST)
        client.setTimeout(int(timeout) if timeout else TIMEOUT_SECONDS)
        return client

    def _call(self, client: SPARQLWrapper) -> Any:
        try:
            return client.query()
        except QueryBadFormed as exc:
            raise QueryError(f"the endpoint rejected the query: {_reason(exc)}") from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)  # urllib wraps a socket timeout in a URLError
            if isinstance(reason, TimeoutError):
                raise QueryTimeout(f"the SPARQL endpoint at {client.endpoint} did not answer in time") from None
            raise StoreUnavailable(f"cannot reach the SPARQL endpoint at {client.endpoint}: {reason}") from None
        except SPARQLWrapperException as exc:
            raise StoreError(f"the SPARQL endpoint at {client.endpoint} failed: {_reason(exc)}") from None

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        sparql = bind(sparql, bindings)
        client = self._client(self.url, timeout)
        client.setQuery(sparql)
        match = _FORM.match(sparql)
        if match and match.group(1).upper() in ("CONSTRUCT", "DESCRIBE"):
            client.setReturnFormat(TURTLE)
            response = self._call(client).response.read()
            return Graph().parse(io.BytesIO(response), format="turtle")
        client.setReturnFormat(JSON)
        data = self._call(client).convert()
        if "boolean" in data:
            return bool(data["boolean"])
        names = data["head"].get("vars", [])
        rows = [
            tuple(_term(binding[n]) if n in binding else None for n in names) for binding in data["results"]["bindings"]
        ]
        if max_rows is not None and len(rows) > max_rows:
            raise ResultTooLarge(f"the result has more than {max_rows} rows; add a LIMIT")
        return Rows(names, rows)

    def answer(
        self,
        sparql: str,
        formats: Formats,
        dataset: Dataset | None = None,
        *,
        own_dataset: bool = False,
        base_iri: str | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        max_bytes: int | None = None,
    ) -> Answer:
        """The `/sparql` answer, relayed: the query goes to the endpoint with the protocol's
        dataset parameters and an Accept naming both formats asked for (the endpoint knows the
        query's kind), and its body comes back as bytes, cut off with ResultTooLarge at
        `max_bytes`. The endpoint applies its own time and row limits, FROM and base IRI."""
        del own_dataset, base_iri, max_rows  # the remote endpoint reads these from the query itself
        form = [("query", sparql)]
        dataset = dataset or Dataset()
        form += [("default-graph-uri", g) for g in dataset.default]
        form += [("named-graph-uri", g) for g in dataset.named]
        accept = f"{SELECT_FORMATS[formats.select][0]}, {GRAPH_FORMATS[formats.graph][0]};q=0.9"
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "crosswalk"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout or TIMEOUT_SECONDS) as response:
                body = response.read(max_bytes + 1) if max_bytes is not None else response.read()
                media = response.headers.get("Content-Type", "application/octet-stream")
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
            if 400 <= exc.code < 500:
                raise QueryError(f"the endpoint rejected the query: {detail[:500]}") from None
            raise StoreError(f"the SPARQL endpoint at {self.url} failed ({exc.code}): {detail[:500]}") from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise QueryTimeout(f"the SPARQL endpoint at {self.url} did not answer in time") from None
            raise StoreUnavailable(f"cannot reach the SPARQL endpoint at {self.url}: {reason}") from None
        if max_bytes is not None and len(body) > max_bytes:
            raise ResultTooLarge(
                f"the result is larger than {max_bytes:,} bytes; add a LIMIT or select fewer variables"
            )
        return Answer(media, body)

    def _update(self, sparql: str) -> None:
        client = self._client(self.update_url)
        client.setQuery(sparql)
        self._call(client)

    def replace_graph(self, name: URIRef, triples: Iterable[Triple]) -> None:
        self.replace_graphs({name: triples})

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        # One update request: one transaction on Oxigraph server (and the engines that make a
        # request atomic); the lock keeps this process's writers one at a time.
        if not graphs:
            return
        with self._write_lock:
            self._update(
                " ;\n".join(
                    f"DROP SILENT GRAPH {ntriples.term(URIRef(n))} ;\n"
                    f"INSERT DATA {{ GRAPH {ntriples.term(URIRef(n))} {{\n{ntriples.serialize(t)}\n}} }}"
                    for n, t in graphs.items()
                )
            )

    def drop_graph(self, name: URIRef) -> bool:
        with self._write_lock:
            existed = name in self.graphs()
            if existed:
                self._update(f"DROP GRAPH {ntriples.term(name)}")
        return existed

    def writing(self) -> threading.RLock:
        """Writers of this process, one at a time (other processes writing the same endpoint are
        the endpoint's business)."""
        return self._write_lock

    def graphs(self) -> list[URIRef]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        assert isinstance(result, Rows)
        return sorted(URIRef(str(row[0])) for row in result.rows if isinstance(row[0], URIRef))

    def close(self) -> None:
        """Nothing to release: every request opens its own connection."""


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split("Response:", 1)[-1].strip().replace("\\n", " ")[:500] or type(exc).__name__
