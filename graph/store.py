"""The `Store` protocol every analysis runs on, its result types, and `open_store(url)`.

A store URL picks the implementation by its scheme (`store_kind`, no plugin machinery):

- a directory path or ``oxigraph:DIR`` — the embedded pyoxigraph store on disk (the default);
- ``memory:`` — an embedded store in memory, gone when the process ends;
- ``http://…`` or ``https://…`` — any SPARQL 1.1 endpoint (query URL; see `remote`).

Any other scheme is refused, so a typo never becomes a folder:

>>> store_kind("ftp://x")
Traceback (most recent call last):
...
crosswalk.graph.errors.InputError: cannot open store 'ftp://x': unknown scheme ftp:; use a directory, ...
>>> store_kind("oxigraph:/srv/store")
('embedded', '/srv/store')
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import platformdirs
from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from .errors import EmptyStore, InputError, QueryError

Term = Identifier
Triple = tuple[Node, Node, Node]  # what iterating an rdflib Graph yields


@dataclass(frozen=True)
class Rows:
    """SELECT results: variable names and rows of rdflib terms (None where unbound)."""

    vars: list[str]
    rows: list[tuple[Term | None, ...]]

    def dicts(self) -> list[dict[str, Term | None]]:
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


QueryResult = Rows | bool | Graph


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs on, as the SPARQL 1.1 Protocol names it: `default-graph-uri`
    (the graphs merged into the default graph) and `named-graph-uri` (the graphs GRAPH sees).
    Empty (false): the query's own FROM / FROM NAMED, else every graph, merged as the default."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


@runtime_checkable
class Store(Protocol):
    """Where instrument graphs live. Both implementations pass tests/test_store_contract.py."""

    url: str

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; `bindings` pre-bind variables by name (never pasted as text).
        Past `timeout` seconds it raises QueryTimeout, past `max_rows` results ResultTooLarge."""
        ...

    def replace_graph(self, name: URIRef, triples: Iterable[Triple]) -> None:
        """Make named graph `name` hold exactly `triples` (a Graph or any iterable of them), in one
        transaction."""
        ...

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """`replace_graph` for several graphs at once, in one transaction."""
        ...

    def drop_graph(self, name: URIRef) -> bool:
        """Remove a named graph; True if it existed."""
        ...

    def writing(self) -> AbstractContextManager[object]:
        """The lock every write of this process takes; hold it to check the store and then write
        with no other write in between (a re-entrant lock)."""
        ...

    def graphs(self) -> list[URIRef]:
        """The named graphs in the store."""
        ...

    def close(self) -> None: ...


def default_store_url() -> str:
    """`CROSSWALK_STORE`, else an embedded store in the per-user data directory."""
    configured = os.environ.get("CROSSWALK_STORE")
    if configured:
        return configured
    return str(platformdirs.user_data_path("crosswalk") / "store")


# A URL scheme: a letter, then letters, digits, + - . (RFC 3986), then ':'. One letter is a
# Windows drive (C:\\store), so a path.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def store_kind(url: str) -> tuple[str, str]:
    """What a store URL names: ("memory", ""), ("embedded", DIR) or ("remote", URL). An unknown
    scheme (`ftp://x`) is refused: read as a path it would silently make a folder named `ftp:`."""
    if url == "memory:":
        return "memory", ""
    match = _SCHEME.match(url)
    if match is None:
        return "embedded", url
    scheme, rest = match.group(1).lower(), url[match.end() :]
    if scheme in ("http", "https"):
        return "remote", url
    if scheme == "oxigraph" and rest:
        return "embedded", rest
    problem = {
        "oxigraph": "oxigraph: needs a directory, as in oxigraph:DIR",
        "memory": "memory: takes nothing after it",
    }
    raise InputError(
        f"cannot open store {url!r}: {problem.get(scheme, f'unknown scheme {scheme}:')}; "
        "use a directory, oxigraph:DIR, memory: or http(s)://HOST/sparql"
    )


def open_store(url: str | None = None) -> Store:
    """Open the store a URL names (see the module docstring and `store_kind`)."""
    kind, where = store_kind(url or default_store_url())
    if kind == "remote":
        from .remote import RemoteStore  # httpx and the engine client: 30 ms a process that never needs them

        return RemoteStore(where)
    from .embedded import EmbeddedStore

    return EmbeddedStore(Path(where) if kind == "embedded" else None)


@contextmanager
def opened(url: str | None = None) -> Iterator[Store]:
    """`open_store` for one unit of work, closed afterwards (the CLI commands use it)."""
    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


HAS_DATA = "ASK { ?i a <https://w3id.org/crosswalk/ontology#Instrument> }"


@contextmanager
def with_data(url: str | None = None) -> Iterator[Store]:
    """`opened`, refusing a store with no instrument in it: the analysis commands would answer an
    empty store with an empty finding and exit 0, which reads as "nothing regulated"."""
    with opened(url) as store:
        if store.query(HAS_DATA) is not True:
            where = url or default_store_url()
            raise EmptyStore(
                f"store is empty ({where}): run `crosswalk ingest` to load the bundled corpus, "
                "or point --store / CROSSWALK_STORE at the store that holds it"
            )
        yield store


def select_values(store: Store, sparql: str) -> tuple[list[str], list[tuple[str | None, ...]]]:
    """A SELECT's variable names and rows as plain strings (IRIs, literals' lexical forms; None
    where unbound). The analysis reads tens of thousands of rows and needs no rdflib terms; the
    embedded store answers without building any (`select_values` there), others via `query`."""
    fast = getattr(store, "select_values", None)
    if fast is not None:
        names, rows = fast(sparql)
        return names, rows
    result = store.query(sparql)
    if not isinstance(result, Rows):
        raise QueryError("select_values needs a SELECT query")
    return result.vars, [tuple(None if t is None else str(t) for t in row) for row in result.rows]
