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
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef

from . import ntriples, reads, snapshots
from .answers import Answer, Formats, answer
from .binding import bind
from .errors import QueryError, QueryTimeout, ResultTooLarge, StoreUnavailable
from .query_text import bound
from .store import Dataset, QueryResult, Rows, Term, Triple
from .terms import from_ox

log = logging.getLogger(__name__)
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

    Writes: one writer at a time (`writing()`, a lock every write takes), each write one
    transaction, then `generation` moves. Each query reads one consistent state (Oxigraph runs
    it on a RocksDB snapshot). Other processes read the version they are told through
    `snapshot(path, generation)` once `publish_snapshots()` is on (graph/snapshots.py).
    """

    concurrent_reads = True  # pyoxigraph stores answer queries from several threads at once

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.url = f"oxigraph:{path}" if path else "memory:"
        # Bumped on every write. Oxigraph locks an on-disk store to one process, so this counter
        # sees every change and lets readers cache query results safely (queries/compare.py).
        self.generation = 0
        self._serial = next(_SERIALS)
        self._read_only: str | None = None  # why writes are unavailable, when they are
        self._lease: snapshots.Lease | None = None
        self._publishing = False  # whether each version is checkpointed for other processes
        self._failed_write = False  # a write failed: RocksDB keeps refusing until reopened
        self._write_lock = threading.RLock()  # "check, then write" must not race another writer
        if path is None:
            self._store = ox.Store()
            return
        if path.is_dir() and not os.access(path, os.W_OK):
            # Nobody can write here, so reading it read-only is safe (and all we can do).
            if not (path / "CURRENT").exists():  # RocksDB's pointer to its current state
                raise StoreUnavailable(
                    f"{path} is read-only and holds no store: nothing to read, nothing can be written"
                )
            self._store = _open_read_only(path)
            self._read_only = f"the embedded store at {path} is read-only (no write permission)"
            return
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot open the embedded store at {path}: {exc.strerror or exc}") from None
        self._store = _open(path)

    @classmethod
    def read_only(cls, path: Path) -> EmbeddedStore:
        """A read-only view of an on-disk store, as of opening it. Defined only while no other
        process writes to it: for a store a server writes, use `snapshot`."""
        store = cls.__new__(cls)
        store.path, store.url, store.generation, store._serial = path, f"oxigraph:{path}", 0, next(_SERIALS)
        store._store = _open_read_only(path)
        store._read_only, store._lease, store._publishing = f"the store at {path} was opened read-only", None, False
        store._failed_write, store._write_lock = False, threading.RLock()
        return store

    @classmethod
    def snapshot(cls, path: Path, generation: int) -> EmbeddedStore:
        """A read-only view of version `generation` of the on-disk store at `path`, as another
        process (the query sandbox's workers) reads it while the server writes: a checkpoint
        nobody writes to, held until `close()` (graph/snapshots.py). If that version is gone
        already, the newest one. A store that publishes no checkpoints is opened read-only as
        it is (a store no process writes to)."""
        try:
            held = snapshots.lease(path, generation)
        except OSError as exc:
            raise StoreUnavailable(f"cannot read a version of the store: {exc}") from None
        if held is None:
            return cls.read_only(path)
        try:
            store = cls.read_only(held.checkpoint)
        except BaseException:
            held.release()
            raise
        store.path, store.url, store._lease = path, f"oxigraph:{path}", held
        store.generation = int(held.checkpoint.name)
        return store

    def publish_snapshots(self) -> None:
        """From now on, checkpoint every version for readers in other processes (`snapshot`);
        the current one at once. The server turns this on for its query workers."""
        if self.path is None or self._read_only:
            return
        with self._write_lock:
            snapshots.reset(self.path)
            snapshots.publish(self._store, self.path, self.generation)
            self._publishing = True

    @contextmanager
    def reading(self) -> Iterator[EmbeddedStore]:
        """One version of this store, for a reader that needs several queries to see the same one
        (the analysis's per-version reads, queries/compare.py): the checkpoint of the current
        version when the store publishes them, the one the query workers read (decision 0004);
        else the store itself, and the reader compares `cache_key` before and after. The view's
        `cache_key` names the version it holds."""
        if not self._publishing or self.path is None:
            yield self
            return
        view = EmbeddedStore.snapshot(self.path, self.generation)
        view._serial = self._serial  # the same store, at the version the checkpoint holds
        try:
            yield view
        finally:
            view.close()

    def kept(self, name: str, *, peek: bool = False) -> Any | None:
        """A read of this version kept by an earlier process (`keep`, graph/reads.py), or None:
        always None for a store in memory or opened read-only (another process may write it).
        With `peek`, only whether it is there."""
        if self.path is None or self._read_only:
            return None
        from .version import data_version  # a query; only where a kept read can be used

        return reads.load(self.path, name, data_version(self), peek=peek)

    def keep(self, name: str, version: tuple[int, int], data: Any) -> None:
        """Keep `data`, read from version `version` of this store (its `cache_key`), for the next
        process, unless a write came since: checked and written under the write lock, which every
        write holds from before it removes the kept reads to after it counts itself."""
        if self.path is None or self._read_only:
            return
        from .version import data_version

        with self._write_lock:
            if self.cache_key == version and not self._failed_write:
                reads.save(self.path, name, data_version(self), data)

    def writing(self) -> threading.RLock:
        """The write lock, for work that must check the store and then write to it (an ingest's
        "is this id taken?") with no other write in between. Every write takes it too."""
        return self._write_lock

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
        self.replace_graphs({name: triples})

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Make each named graph hold exactly its triples, all in one transaction: readers see
        the old graphs or the new ones, never a mix, and a failure leaves the old ones."""
        if not graphs:
            return
        with self._write_lock:
            self._ready_to_write()
            nodes = {name: ox.NamedNode(str(name)) for name in graphs}
            (name, triples), *more = graphs.items()
            try:
                if not more and not self._store.contains_named_graph(nodes[name]):
                    # Nothing to replace, so a load (itself one transaction) is enough; on disk it
                    # writes 2.5 times faster than the same triples as a SPARQL Update.
                    body = ntriples.serialize(triples)
                    self._store.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=nodes[name])
                else:
                    # One SPARQL Update is one transaction in Oxigraph, however many operations.
                    self._store.update(
                        " ;\n".join(
                            f"DROP SILENT GRAPH {ntriples.term(URIRef(n))} ;\n"
                            f"INSERT DATA {{ GRAPH {ntriples.term(URIRef(n))} {{\n{ntriples.serialize(t)}\n}} }}"
                            for n, t in graphs.items()
                        )
                    )
            except SyntaxError as exc:
                raise QueryError(f"cannot store graph {name}: {exc}") from None
            except OSError as exc:
                raise self._write_failed(exc) from None
            self._committed()

    def drop_graph(self, name: URIRef) -> bool:
        node = ox.NamedNode(str(name))
        with self._write_lock:
            self._ready_to_write()
            if not self._store.contains_named_graph(node):
                return False
            try:
                self._store.remove_graph(node)  # one transaction
            except OSError as exc:
                raise self._write_failed(exc) from None
            self._committed()
        return True

    def _ready_to_write(self) -> None:
        if self._read_only:
            raise StoreUnavailable(f"{self._read_only}: writes are unavailable, reading works")
        if self.path is not None:
            try:
                reads.forget(self.path)  # no read of the version this write ends may outlive it
            except OSError as exc:
                raise StoreUnavailable(
                    f"cannot remove the reads kept beside {self.path} ({exc}): nothing was written"
                ) from None
        if self._failed_write:
            # RocksDB refuses every write after one failed (a full disk, say) until the store is
            # reopened, even once the cause is gone: reopen it now, so writes recover by themselves.
            assert self.path is not None
            del self._store  # releases RocksDB's lock (queries still running keep their own handle)
            try:
                self._store = _open(self.path)
            except StoreUnavailable:
                self._store = _open_read_only(self.path)  # keep answering queries meanwhile
                raise
            self._failed_write = False

    def _write_failed(self, exc: OSError) -> StoreUnavailable:
        self._failed_write = self.path is not None
        return StoreUnavailable(f"cannot write to the store at {self.path or 'memory:'}: {exc}; nothing was changed")

    def _committed(self) -> None:
        """After a write: durable, checkpointed for other processes, then visible as a new version."""
        try:
            self._store.flush()
            if self._publishing:
                assert self.path is not None
                snapshots.publish(self._store, self.path, self.generation + 1)
        except OSError as exc:
            # The write itself is committed; the query workers keep reading the last version
            # published until a later write publishes again.
            self._failed_write = True
            log.warning("the write to %s is committed but could not be checkpointed: %s", self.path, exc)
        self.generation += 1

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def close(self) -> None:
        if not self._read_only and not self._failed_write:
            self._store.flush()
        del self._store
        if self._publishing and self.path is not None:
            shutil.rmtree(snapshots.directory(self.path), ignore_errors=True)  # its readers are gone too
        if self._lease is not None:
            self._lease.release()


def _open(path: Path) -> ox.Store:
    try:
        return ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            # Oxigraph lets one process open an on-disk store: a running `crosswalk serve`
            # holds it, and answers the same questions over HTTP
            raise StoreUnavailable(
                f"the embedded store at {path} is in use by another process (a running `crosswalk "
                "serve`?): ask that server with --store http://127.0.0.1:PORT/sparql, or stop it"
            ) from None
        raise StoreUnavailable(f"cannot open the embedded store at {path}: {exc}") from None


def _open_read_only(path: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreUnavailable(f"cannot open the embedded store at {path} read-only: {exc}") from None
