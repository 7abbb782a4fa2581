"""A verified in-memory copy of Crosswalk's graphs on a remote engine, for the queries that
engine is known to answer wrongly (decision 0010).

The engine stays the store of record. Where an engine is *known* (documented in docs/deploy.md,
held by the contract suite) to answer a query shape wrongly, Crosswalk answers that query from
a copy of its own graphs, read from the engine by the one shape every engine answers right: all
triples of one named graph (``SELECT ?s ?p ?o WHERE { GRAPH <g> { ?s ?p ?o } }``, paged under
a row cap; the read every write is verified by, `RemoteStore.graph_rows`). Used for

- the named queries marked ``# copy-on: ENGINE`` (queries/registry.py), and
- every read with ``CROSSWALK_DATASET=own`` on an engine whose profile says its answers over a
  dataset of many graphs are wrong (`Engine.wrong_over_datasets`: Virtuoso 7.2).

Each graph is verified before it is answered from: its size and content digest
(remote_write.digest) must equal the digest Crosswalk recorded for it when it wrote it
(remote_write.DIGESTS, kept on an engine whose `Engine.uses_copy`). A graph cut short, changed
on the engine behind Crosswalk's back, or written by something else (a bulk loader) fails the
copy with a `StoreError` naming it (exit 1, one line), and `crosswalk ingest` rewrites it.
Nothing is answered from a partial copy.

The copy is an embedded in-memory store (graph/embedded.py), so queries on it see the union
default graph and answer exactly as the embedded store does. One copy is kept per version of
the engine's content (the recorded digests of Crosswalk's stamped graphs, read again after
`FRESH_SECONDS` or at once after this process writes), one at a time: a second query at the same
version reads nothing from the engine but those two small listings.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rdflib import URIRef

from .embedded import EmbeddedStore
from .errors import StoreError
from .remote_dataset import FRESH_SECONDS, ours
from .remote_write import digest
from .store import Term

Row = tuple[Term | None, ...]


@dataclass(frozen=True)
class Version:
    """What the engine holds of Crosswalk's, as the recorded digests say: graph -> "SIZE SHA"
    ("" where a stamped graph has no recorded digest)."""

    digests: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        h = hashlib.sha256()
        for graph, recorded in self.digests:
            h.update(f"{graph} {recorded}\n".encode())
        return h.hexdigest()


class VerifiedCopies:
    """The current verified copy of one remote store's graphs (see the module docstring).

    `stamped()` lists the engine's stamped graphs (unscoped), `recorded()` the digests graph
    (graph -> "SIZE SHA"), `rows(g)` every triple of graph g as the engine returns it, terms as
    Crosswalk wrote them (remote.RemoteStore supplies all three)."""

    def __init__(
        self,
        stamped: Callable[[], Sequence[str]],
        recorded: Callable[[], dict[str, str]],
        rows: Callable[[URIRef], list[Row]],
        where: str,
    ) -> None:
        self._stamped, self._recorded, self._rows, self._where = stamped, recorded, rows, where
        self._lock = threading.Lock()  # one build at a time; readers of a built copy never wait
        self._version: Version | None = None
        self._checked_at = -FRESH_SECONDS
        self._copy: EmbeddedStore | None = None
        self._copy_key: str | None = None
        self.builds = 0  # copies built so far (the tests count them)

    def drop(self) -> None:
        """Forget the copy held: the next `get` builds one (bench/engines.py times that)."""
        with self._lock:
            self._copy, self._copy_key, self._version = None, None, None

    def stale(self) -> None:
        """This process wrote to the engine: read the version again before the next answer."""
        self._checked_at = -FRESH_SECONDS

    def _current(self) -> Version:
        if self._version is None or time.monotonic() - self._checked_at >= FRESH_SECONDS:
            recorded = self._recorded()
            graphs = ours(self._stamped())
            self._version = Version(tuple((g, recorded.get(g, "")) for g in graphs))
            self._checked_at = time.monotonic()
        return self._version

    def get(self) -> EmbeddedStore:
        """The copy of the engine's current version, built (and verified) if it is not held."""
        with self._lock:
            version = self._current()
            if self._copy is not None and self._copy_key == version.key:
                return self._copy
            copy = self._build(version)
            old, self._copy, self._copy_key = self._copy, copy, version.key
            self.builds += 1
        if old is not None:
            old.close()  # in memory: a query still running on it keeps its own handle
        return copy

    def _build(self, version: Version) -> EmbeddedStore:
        copy = EmbeddedStore(None)
        try:
            for graph, recorded in version.digests:
                rows = self._rows(URIRef(graph))
                size, sha = digest(rows)
                if not recorded:
                    raise StoreError(
                        f"graph {graph} on {self._where} has no digest recorded by Crosswalk (written before "
                        "Crosswalk recorded them, or by another tool such as a bulk loader), so a copy of it cannot "
                        "be verified: run `crosswalk ingest` to write it again"
                    )
                if recorded != f"{size} {sha}":
                    want_size, _, want_sha = recorded.partition(" ")
                    raise StoreError(
                        f"graph {graph} on {self._where} reads as {size} triples with digest {sha[:12]}, not the "
                        f"{want_size} triples ({want_sha[:12]}) Crosswalk wrote: it was changed outside Crosswalk or "
                        "written only in part; no answer was given from it. Run `crosswalk ingest` to write it again"
                    )
                copy.replace_graph(URIRef(graph), [row for row in rows if None not in row])  # type: ignore[misc]
        except BaseException:
            copy.close()
            raise
        return copy


__all__ = ["VerifiedCopies", "Version"]
