"""Which of a remote engine's graphs Crosswalk reads: the dataset of one deployment.

``CROSSWALK_DATASET`` says it:

- ``endpoint`` (the default): whatever the endpoint serves as its default dataset. The engine
  must make the default graph the union of the named graphs (docs/deploy.md), and should hold
  Crosswalk's data alone, or an endpoint of its own: a dataset of an engine that has several
  (a Fuseki dataset, a GraphDB repository, a Stardog database) is one URL, so ``--store`` names
  it.
- ``own``: only Crosswalk's own named graphs, those under `PREFIX`, on an engine it shares with
  other data. Every query goes with the SPARQL 1.1 Protocol's ``default-graph-uri`` and
  ``named-graph-uri``, each listing those graphs: the default graph is their merge (no union
  setting needed) and ``GRAPH ?g`` sees them alone, so other graphs never mix into an answer,
  a count or the graph list. Writes outside the prefix are refused.

Crosswalk's graphs are found by the stamp each carries, a triple about the graph itself
(``<g> xw:contentHash …``; the findings graph: ``<g> xw:derivedFromDataVersion …``): an
index lookup on any engine, where grouping every quad by graph would scan the whole engine. A
graph without its stamp (a write cut short before it) is not read; `ingest` rewrites it. The
list is kept for `FRESH_SECONDS` and updated at once by this process's own writes; a graph
another process adds is seen within that time.

>>> dataset_mode({"CROSSWALK_DATASET": "own"})
'own'
>>> ours(["https://w3id.org/crosswalk/graph/eu-ai-act", "http://example.org/other"])
('https://w3id.org/crosswalk/graph/eu-ai-act',)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping

from crosswalk.ontology import GRAPH, XW

from .errors import QueryError, StoreError
from .store import Dataset

MODES = ("endpoint", "own")
PREFIX = str(GRAPH)  # every graph Crosswalk writes is named under it (graph/build.py, graph/ingest.py)
FRESH_SECONDS = 2.0
# A UNION of two patterns with a bound predicate each: both engines answer it from an index.
LISTING = (
    f"SELECT DISTINCT ?g WHERE {{ {{ GRAPH ?g {{ ?g <{XW.contentHash}> ?h }} }} "
    f"UNION {{ GRAPH ?g {{ ?g <{XW.derivedFromDataVersion}> ?v }} }} }}"
)
# The protocol cannot name an empty dataset (no graph named means "the endpoint's default"), so
# a deployment with no graph yet names this one, which no write ever creates: the namespace itself.
NOTHING = PREFIX


def dataset_mode(environ: Mapping[str, str]) -> str:
    value = (environ.get("CROSSWALK_DATASET") or "endpoint").strip().lower()
    if value not in MODES:
        raise QueryError(f"CROSSWALK_DATASET must be one of {', '.join(MODES)}, not {value!r}")
    return value


def ours(graphs: Iterable[str]) -> tuple[str, ...]:
    """The graphs of `graphs` that are Crosswalk's, sorted."""
    return tuple(sorted(g for g in graphs if g.startswith(PREFIX) and g != NOTHING))


def check_write(name: str) -> None:
    if not name.startswith(PREFIX) or name == NOTHING:
        raise StoreError(
            f"graph {name} is outside this deployment's dataset (CROSSWALK_DATASET=own: graphs under {PREFIX})"
        )


class OwnGraphs:
    """Crosswalk's graphs on a shared engine, listed by `list_stamped` (LISTING, unscoped)."""

    def __init__(self, list_stamped: Callable[[], Iterable[str]]) -> None:
        self._list = list_stamped
        self._graphs: set[str] = set()
        self._listed_at = -FRESH_SECONDS
        self._lock = threading.Lock()

    def current(self, fresh: bool = False) -> tuple[str, ...]:
        """The graphs, listed again if the list is older than FRESH_SECONDS (or `fresh`)."""
        with self._lock:
            if fresh or time.monotonic() - self._listed_at >= FRESH_SECONDS:
                self._graphs = set(ours(self._list()))
                self._listed_at = time.monotonic()
            return tuple(sorted(self._graphs))

    def written(self, name: str) -> None:
        with self._lock:
            self._graphs.add(name)

    def dropped(self, name: str) -> None:
        with self._lock:
            self._graphs.discard(name)

    def dataset(self) -> Dataset:
        """The protocol dataset of every query: our graphs, as the default graph and as named."""
        graphs = self.current() or (NOTHING,)
        return Dataset(default=graphs, named=graphs)

    def scoped(self, asked: Dataset, own_dataset: bool) -> Dataset:
        """The dataset a `/sparql` query runs on: the one its client named, if every graph in it
        is ours, else ours. A query's own FROM / FROM NAMED could name any graph of the engine,
        and engines differ on whether the protocol's dataset overrides it: refused."""
        if own_dataset:
            raise QueryError(
                "on this deployment name graphs with the default-graph-uri and named-graph-uri parameters, "
                "not FROM or FROM NAMED"
            )
        if not asked:
            return self.dataset()
        held = set(self.current())
        outside = [g for g in (*asked.default, *asked.named) if g not in held]
        if outside:
            raise QueryError(f"graph {outside[0]} is not one of this deployment's graphs")
        # a client that names default graphs only gets no named graphs (SPARQL 1.1 Protocol)
        return Dataset(default=asked.default or (NOTHING,), named=asked.named or (NOTHING,))


__all__ = ["FRESH_SECONDS", "LISTING", "MODES", "PREFIX", "OwnGraphs", "check_write", "dataset_mode", "ours"]
