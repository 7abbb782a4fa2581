"""The embedded store: pyoxigraph, on disk (or in memory). Transactional and nothing to start.

>>> from rdflib import Graph, URIRef, Literal
>>> store = EmbeddedStore(None)
>>> g = Graph(); _ = g.add((URIRef("urn:s"), URIRef("urn:p"), Literal("o")))
>>> store.replace_graph(URIRef("urn:g"), g)
>>> store.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
rdflib.term.Literal('o')
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef

from . import ntriples
from .answers import Answer, Formats, answer
from .binding import bind
from .errors import QueryError, QueryTimeout, ResultTooLarge, StoreUnavailable
from .query_text import bound
from .store import Dataset, QueryResult, Rows, Term, Triple
from .terms import from_ox

T = TypeVar("T")
_SERIALS = itertools.count()


def _limited(items: Iterator[T], deadline: float | None, max_rows: int | None) -> Iterator[T]:
    """Stream results, stopping loudly at the time or row limit (checked between results)."""
    for n, item in enumerate(items, start=1):
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout("the query ran past its time limit and was stopped; narrow it or add a LIMIT")
        if max_rows is not None and n > max_rows:
            raise ResultTooLarge(f"the result has more than {max_rows} rows; add a LIMIT")
        yield item


class EmbeddedStore:
    """A pyoxigraph store at `path`, or in memory when `path` is None.

    Queries see the union of all named graphs as their default graph, the convention remote
    endpoints follow too (Oxigraph `serve --union-default-graph`, GraphDB, Virtuoso).
    """

    concurrent_reads = True  # pyoxigraph stores answer queries from several threads at once

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.url = f"oxigraph:{path}" if path else "memory:"
        # Bumped on every write. Oxigraph locks an on-disk store to one process, so this counter
        # sees every change and lets readers cache query results safely (queries/compare.py).
        self.generation = 0
        self._serial = next(_SERIALS)
        self._read_only = False
        self._write_lock = threading.Lock()  # "absent, so load" must not race another writer
        try:
            if path is not None:
                path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            if "lock" in str(exc).lower():
                # Oxigraph lets one process open an on-disk store: a running `crosswalk serve`
                # holds it, and answers the same questions over HTTP
                raise StoreUnavailable(
                    f"the embedded store at {path} is in use by another process (a running `crosswalk "
                    "serve`?): ask that server with --store http://127.0.0.1:PORT/sparql, or stop it"
                ) from None
            raise StoreUnavailable(f"cannot open the embedded store at {path}: {exc}") from None

    @classmethod
    def read_only(cls, path: Path) -> EmbeddedStore:
        """A read-only view of an on-disk store another process writes to, as of opening it
        (the query sandbox's workers use one each)."""
        store = cls.__new__(cls)
        store.path, store.url, store.generation, store._serial = path, f"oxigraph:{path}", 0, next(_SERIALS)
        try:
            store._store = ox.Store.read_only(str(path))
        except OSError as exc:
            raise StoreUnavailable(f"cannot open the embedded store at {path} read-only: {exc}") from None
        store._read_only = True
        return store

    @property
    def cache_key(self) -> tuple[int, int]:
        """Identifies this store's current content within the process (serial, writes so far)."""
        return (self._serial, self.generation)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        # Oxigraph's parser crashes the process on deep nesting: measure the text first (the
        # caller's text, before bound parameters are added to it)
        bound(sparql)
        # Parameters are bound with a VALUES block of serialised terms, as on a remote endpoint:
        # measured faster than `substitutions=` in Oxigraph 0.5 (decision 0002), and the same
        # semantics on both stores.
        sparql = bind(sparql, bindings)
        deadline = time.monotonic() + timeout if timeout else None
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True)
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = [tuple(from_ox(s[i]) for i in range(len(names))) for s in _limited(result, deadline, max_rows)]
                return Rows(names, rows)
            graph = Graph()
            for triple in _limited(result, deadline, max_rows):
                graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))  # type: ignore[arg-type]
            return graph
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None

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
        """The `/sparql` answer: the result written as bytes in the format asked for, on the
        protocol's dataset, within the caps (graph/answers.py)."""
        bound(sparql)
        deadline = time.monotonic() + timeout if timeout else None
        return answer(
            self._store,
            sparql,
            formats,
            dataset,
            own_dataset=own_dataset,
            base_iri=base_iri,
            max_rows=max_rows,
            max_bytes=max_bytes,
            deadline=deadline,
        )

    def select_values(self, sparql: str) -> tuple[list[str], list[tuple[str | None, ...]]]:
        """SELECT rows as plain strings, straight from Oxigraph's terms (see store.select_values)."""
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("select_values needs a SELECT query")
        names = [v.value for v in result.variables]
        return names, [tuple(None if t is None else t.value for t in solution) for solution in result]

    def replace_graph(self, name: URIRef, triples: Iterable[Triple]) -> None:
        # One SPARQL Update is one transaction in Oxigraph: readers see the old graph or the
        # new one, never a half-loaded mix, and a failure leaves the old graph in place.
        body = ntriples.serialize(triples)
        node = ox.NamedNode(str(name))
        with self._write_lock:
            if self._store.contains_named_graph(node):
                self._store.update(f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}")
            else:
                # Nothing to replace, so a load (itself one transaction) is enough; on disk it
                # writes 2.5 times faster than the same triples as a SPARQL Update.
                try:
                    self._store.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=node)
                except SyntaxError as exc:
                    raise QueryError(f"cannot store graph {name}: {exc}") from None
        self._store.flush()  # read-only views (the query sandbox) open from what is on disk
        self.generation += 1

    def drop_graph(self, name: URIRef) -> bool:
        node = ox.NamedNode(str(name))
        if not self._store.contains_named_graph(node):
            return False
        self._store.remove_graph(node)
        self._store.flush()
        self.generation += 1
        return True

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def close(self) -> None:
        if not self._read_only:
            self._store.flush()
        del self._store
