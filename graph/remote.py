"""A remote store: any SPARQL 1.1 endpoint, through SPARQLWrapper (queries) and httpx (writes).

The store URL is the endpoint's *query* URL; the URLs to write to are derived from it (`_urls`)
or set: ``CROSSWALK_UPDATE_URL``, ``CROSSWALK_GRAPH_STORE_URL``. Graphs are written through the
Graph Store Protocol where the endpoint offers it, else by chunked SPARQL Update, and verified
after writing (graph/remote_write.py). Credentials come from settings or a netrc, never from the
URL (graph/credentials.py). ``CROSSWALK_DATASET=own`` scopes every query and write to
Crosswalk's own graphs on an engine shared with other data (graph/remote_dataset.py). Where the
engine is known to answer a query wrongly (a named query's ``# copy-on:``, or every read of
``CROSSWALK_DATASET=own`` on an engine whose `Engine.wrong_over_datasets`), the query runs on a
verified in-memory copy of Crosswalk's graphs instead (graph/remote_copy.py, decision 0010).
docs/deploy.md says what each tested engine needs.

Parameters are bound with a ``VALUES`` block of serialised terms inserted at the top of the
query's outer ``WHERE`` group: user text is never pasted into the query as SPARQL.
"""

from __future__ import annotations

import ast
import contextlib
import http.client
import io
import math
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any

import httpx
from rdflib import BNode, Graph, Literal, URIRef
from SPARQLWrapper import DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from .answers import GRAPH_FORMATS, SELECT_FORMATS, Answer, Formats
from .binding import bind
from .credentials import for_url, refuse_userinfo
from .embedded import EmbeddedStore
from .errors import QueryError, QueryTimeout, ResultTooLarge, StoreError, StoreUnavailable
from .remote_copy import Row, VerifiedCopies
from .remote_dataset import LISTING, OwnGraphs, check_write, dataset_mode
from .remote_write import DIGEST_PROPERTY, DIGESTS, GENERIC, Engine, GraphWriter, digest, engine_message, engine_of
from .store import Dataset, QueryResult, Rows, Term, Triple

DEFAULT_TIMEOUT = 60.0  # seconds; CROSSWALK_REMOTE_TIMEOUT
MAX_HEADERS = 100_000  # response headers read (see RemoteStore.__init__); about two per graph
_LABEL = re.compile(r"[^A-Za-z0-9_]")
_FORM = re.compile(r"^\s*(?:(?:PREFIX|BASE)\s+[^\n]*\n|#[^\n]*\n|\s)*(\w+)", re.IGNORECASE)


def _term(cell: dict[str, str], engine: Engine) -> Term:
    kind = cell["type"]
    if kind == "uri":
        return URIRef(cell["value"])
    if kind == "bnode":  # Virtuoso labels them "nodeID://b10000", not a valid blank node label
        return BNode(_LABEL.sub("_", cell["value"].removeprefix("nodeID://")))
    if "xml:lang" in cell:
        return Literal(cell["value"], lang=cell["xml:lang"])
    if "datatype" in cell:  # "literal" or SPARQL 1.0's "typed-literal" (Virtuoso)
        return engine.from_engine(Literal(cell["value"], datatype=URIRef(cell["datatype"])))  # type: ignore[return-value]
    return Literal(cell["value"])


def _urls(url: str, authenticated: bool) -> tuple[str, str | None]:
    """The update URL and the graph store URL (None: none) an endpoint's query URL implies:
    Oxigraph and Fuseki ``…/query`` → ``…/update`` and ``…/store`` (Fuseki: ``…/data``, set it);
    Virtuoso ``…/sparql`` → itself and ``…/sparql-graph-crud``, with credentials ``…/sparql-auth``
    and ``…/sparql-graph-crud-auth`` (its anonymous endpoints write only if granted to anyone);
    otherwise the query URL and no graph store. The settings override either."""
    update, store = url, None
    if url.endswith("/query"):
        update, store = url[: -len("/query")] + "/update", url[: -len("/query")] + "/store"
    elif url.endswith("/sparql"):
        auth = "-auth" if authenticated else ""
        update, store = url + auth, url + "-graph-crud" + auth
    update = os.environ.get("CROSSWALK_UPDATE_URL") or update
    configured = os.environ.get("CROSSWALK_GRAPH_STORE_URL")
    if configured:
        store = None if configured.strip().lower() == "none" else configured
    return update, store


def remote_timeout() -> float:
    text = os.environ.get("CROSSWALK_REMOTE_TIMEOUT")
    try:
        value = float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        raise QueryError(f"CROSSWALK_REMOTE_TIMEOUT must be a number of seconds, not {text!r}") from None
    if value <= 0:
        raise QueryError("CROSSWALK_REMOTE_TIMEOUT must be more than 0 seconds")
    return value


class RemoteStore:
    """A SPARQL 1.1 endpoint at `url` (its query URL)."""

    concurrent_reads = True  # each query is its own HTTP request
    # Writes are verified but not atomic on every engine: `ingest` re-checks a graph's size
    # before it trusts an unchanged content hash (graph/ingest.py).
    atomic_writes = False

    def __init__(self, url: str) -> None:
        refuse_userinfo(url)
        self.url = url
        self.credentials = for_url(url)
        self.timeout = remote_timeout()
        self.update_url, self.graph_store_url = _urls(url, self.credentials is not None)
        self._write_lock = threading.RLock()
        self._writer_thread: int | None = None  # the thread holding the write lock, if any
        self._write_depth = 0
        self.copies = VerifiedCopies(self._stamped, self._recorded, self.graph_rows, url)
        # None: the endpoint's default dataset; else Crosswalk's own graphs on a shared engine
        self.own: OwnGraphs | None = None
        if dataset_mode(os.environ) == "own":
            self.own = OwnGraphs(self._stamped)
            # Virtuoso echoes each graph of a request's dataset as a response header
            # (X-SPARQL-default-graph, X-SPARQL-named-graph), and Python's http.client, under
            # SPARQLWrapper and `answer`, refuses a response with over 100 headers
            http.client._MAXHEADERS = max(http.client._MAXHEADERS, MAX_HEADERS)  # type: ignore[attr-defined]

    def _via_copy(self) -> bool:
        """Whether a scoped read goes to the verified copy: with CROSSWALK_DATASET=own on an
        engine that answers over a dataset of many graphs wrongly (Virtuoso 7.2 answered `compare
        EU US-CO` wrongly over the dataset of our 108 graphs, where it answers right over its
        union; docs/deploy.md). Not while this thread writes: ingest's own checks name one graph
        each, and must see a graph a crash left half-written (the copy refuses it) to repair it."""
        return self.own is not None and self.engine.wrong_over_datasets and self._writer_thread != threading.get_ident()

    def verified_copy(self) -> EmbeddedStore:
        """The verified in-memory copy of Crosswalk's graphs at the engine's current version
        (graph/remote_copy.py): for the queries this engine is known to answer wrongly."""
        if not self.engine.uses_copy:  # no digests are recorded there to verify a copy by
            raise StoreError(f"no verified copy is kept on {self.engine.name}: it answers Crosswalk's queries itself")
        return self.copies.get()

    def _stamped(self) -> list[str]:
        """Every graph that carries a Crosswalk stamp (remote_dataset.LISTING), unscoped."""
        result = self.query(LISTING, scoped=False)
        assert isinstance(result, Rows)
        return [str(row[0]) for row in result.rows if isinstance(row[0], URIRef)]

    def _recorded(self) -> dict[str, str]:
        """The digest recorded for each graph Crosswalk wrote (remote_write.DIGESTS), unscoped."""
        result = self.query(f"SELECT ?g ?d WHERE {{ GRAPH <{DIGESTS}> {{ ?g <{DIGEST_PROPERTY}> ?d }} }}", scoped=False)
        assert isinstance(result, Rows)
        return {str(g): str(d) for g, d in result.rows if g is not None and d is not None}

    @cached_property
    def engine(self) -> Engine:
        """The engine behind the endpoint, from the Server header of a first small query."""
        try:
            response = httpx.post(
                self.url,
                data={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+json"},
                auth=self.credentials.auth() if self.credentials else None,  # type: ignore[arg-type]
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL endpoint at {self.url}: {exc}") from None
        return engine_of(response.headers.get("server", "")) if response.is_success else GENERIC

    @cached_property
    def _writer(self) -> GraphWriter:
        return GraphWriter(self.update_url, self.graph_store_url, self.credentials, self.timeout, self.engine)

    def _client(self, endpoint: str, timeout: float | None = None, scoped: bool = True) -> SPARQLWrapper:
        client = SPARQLWrapper(endpoint, agent="crosswalk")
        if scoped and self.own is not None:
            dataset = self.own.dataset()
            for graph in dataset.default:
                client.addDefaultGraph(graph)
            for graph in dataset.named:
                client.addNamedGraph(graph)
        client.setMethod(POST)
        client.setTimeout(max(1, math.ceil(timeout or self.timeout)))  # whole seconds; 0 would mean none
        if self.credentials is not None:
            if self.credentials.scheme == "digest":
                client.setHTTPAuth(DIGEST)
            client.setCredentials(self.credentials.user, self.credentials.password)
        return client

    def _call(self, client: SPARQLWrapper) -> Any:
        try:
            result = client.query()
        except QueryBadFormed as exc:
            # an engine answers 400 also to SPARQL 1.1 it cannot compile (Virtuoso: SQ074): bad
            # input (exit 2) only if the query does not parse as SPARQL 1.1, else the engine's failure
            if _is_sparql(client.queryString):
                raise StoreError(f"the SPARQL endpoint at {client.endpoint} failed the query: {_reason(exc)}") from None
            raise QueryError(f"the endpoint rejected the query: {_reason(exc)}") from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)  # urllib wraps a socket timeout in a URLError
            if isinstance(reason, TimeoutError):
                raise QueryTimeout(f"the SPARQL endpoint at {client.endpoint} did not answer in time") from None
            raise StoreUnavailable(f"cannot reach the SPARQL endpoint at {client.endpoint}: {reason}") from None
        except SPARQLWrapperException as exc:
            raise StoreError(f"the SPARQL endpoint at {client.endpoint} failed: {_reason(exc)}") from None
        except http.client.HTTPException as exc:  # a response Python cannot read
            raise StoreError(f"the SPARQL endpoint at {client.endpoint} sent a bad response: {exc}") from None
        # Virtuoso answers at most ResultSetMaxRows rows, silently but for this header: an
        # analysis must never run on a partial result
        cap = result.response.headers.get("X-SPARQL-MaxRows")
        if cap is not None:
            raise StoreError(
                f"the SPARQL endpoint at {client.endpoint} cut the result at {cap} rows (its row cap, Virtuoso's "
                "ResultSetMaxRows): raise the cap (docs/deploy.md); no answer was given from partial data"
            )
        return result

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        scoped: bool = True,
    ) -> QueryResult:
        """See `Store.query`; `scoped=False` reads the endpoint's default dataset even where
        CROSSWALK_DATASET=own (the listing of Crosswalk's graphs does)."""
        if scoped and self._via_copy():
            return self.verified_copy().query(sparql, bindings, timeout=timeout, max_rows=max_rows)
        sparql = bind(sparql, bindings)
        client = self._client(self.url, timeout, scoped)
        client.setQuery(sparql)
        match = _FORM.match(sparql)
        if match and match.group(1).upper() in ("CONSTRUCT", "DESCRIBE"):
            client.setReturnFormat(TURTLE)
            response = self._call(client).response.read()
            parsed = Graph().parse(io.BytesIO(response), format="turtle")
            graph = Graph()
            for s, p, o in parsed:
                graph.add((s, p, self.engine.from_engine(o)))
            return graph
        client.setReturnFormat(JSON)
        data = self._call(client).convert()
        if "boolean" in data:
            return bool(data["boolean"])
        names = data["head"].get("vars", [])
        engine = self.engine
        rows = [
            tuple(_term(binding[n], engine) if n in binding else None for n in names)
            for binding in data["results"]["bindings"]
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
        `max_bytes`. The endpoint applies its own time and row limits, FROM and base IRI. With
        CROSSWALK_DATASET=own, the query runs on Crosswalk's graphs only (OwnGraphs.scoped)."""
        del base_iri, max_rows  # the remote endpoint reads these from the query itself
        form = [("query", sparql)]
        dataset = dataset or Dataset()
        if self.own is not None:
            # a client's own query goes to the engine, as it asked (only Crosswalk's queries use
            # the verified copy); the engine's limits bound it
            dataset = self.own.scoped(dataset, own_dataset)
        form += [("default-graph-uri", g) for g in dataset.default]
        form += [("named-graph-uri", g) for g in dataset.named]
        accept = f"{SELECT_FORMATS[formats.select][0]}, {GRAPH_FORMATS[formats.graph][0]};q=0.9"
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "crosswalk"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
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
        except http.client.HTTPException as exc:
            raise StoreError(f"the SPARQL endpoint at {self.url} sent a bad response: {exc}") from None
        if max_bytes is not None and len(body) > max_bytes:
            raise ResultTooLarge(
                f"the result is larger than {max_bytes:,} bytes; add a LIMIT or select fewer variables"
            )
        return Answer(media, body)

    def _update(self, sparql: str) -> None:
        self._writer.update(sparql)

    def replace_graph(self, name: URIRef, triples: Iterable[Triple]) -> None:
        if self.own is not None:
            check_write(str(name))
        with self.writing():
            sent = list(dict.fromkeys(triples))  # a graph holds each triple once
            expected = digest(sent)
            self.copies.stale()
            # recorded first: a write cut short leaves a graph that fails its digest (the copy
            # refuses it, ingest rewrites it), never a stale digest beside a whole graph
            if self.engine.uses_copy:
                self._writer.record(name, *expected)
            self._writer.put(name, sent)
            if self.own is not None:
                self.own.written(str(name))  # read back below, so in the dataset from now on
            stored = self.graph_digest(name)
            if stored != expected:
                raise StoreError(
                    f"graph {name} reads back as {stored[0]} triples with content digest {stored[1][:12]}, not "
                    f"the {expected[0]} triples ({expected[1][:12]}) written: the engine did not store it intact"
                )

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        # One verified write per graph (Graph Store Protocol PUT or chunked INSERT DATA): not one
        # transaction across graphs on a remote engine (atomic_writes is False, so ingest checks
        # each graph's size before it calls one unchanged); the lock keeps this process's writers
        # one at a time.
        with self.writing():
            for n, t in graphs.items():
                self.replace_graph(URIRef(n), t)

    def graph_size(self, name: URIRef) -> int:
        """How many triples graph `name` holds now."""
        # unscoped: it names the graph (and a graph a write cut short carries no stamp yet)
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}", scoped=False)
        assert isinstance(result, Rows)
        return int(result.rows[0][0]) if result.rows and result.rows[0][0] is not None else 0  # type: ignore[call-overload]

    def graph_digest(self, name: URIRef) -> tuple[int, str]:
        """Size and content digest of graph `name` as the engine returns it (remote_write.digest)."""
        return digest(self.graph_rows(name))

    def holds(self, name: URIRef, triples: Iterable[Triple]) -> bool:
        """Whether graph `name` holds exactly `triples` (and, where a verified copy is used, its
        recorded digest says so, which the copy checks): `ingest` asks before it calls a file
        "unchanged", so a graph cut short, changed behind Crosswalk's back or not recorded is
        written again."""
        size, sha = digest(list(dict.fromkeys(triples)))
        if self.engine.uses_copy and self._recorded().get(str(name)) != f"{size} {sha}":
            return False
        return self.graph_digest(name) == (size, sha)

    def graph_rows(self, name: URIRef) -> list[Row]:
        """Every triple of graph `name` as the engine returns it, with Crosswalk's terms (durations
        as xsd:duration again); unscoped."""
        size, rows = self.graph_size(name), []
        # On an engine with a row cap (Engine.read_page), a graph larger than a page is read in
        # pages of one ordered answer, each under the cap (Virtuoso's default: 10,000). The ORDER
        # BY sits in a subquery: Virtuoso sorts at most that many rows for an outer ORDER BY with
        # OFFSET. A page overlapping another would change the digest, so a reader that did not
        # keep the order fails the check, loudly. Elsewhere one request: sorting the graph for
        # every page cost Oxigraph 90% of an ingest of 50 graphs of 29,000 triples (bench/engines.py),
        # and an engine that cut the answer without saying so fails the same check.
        text = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        step = self.engine.read_page or max(size, 1)
        if size > step:
            text = f"SELECT ?s ?p ?o WHERE {{ {{ {text} ORDER BY ?s ?p ?o }} }}"
        for offset in range(0, max(size, 1), step):
            page = f" LIMIT {step} OFFSET {offset}" if size > step else ""
            result = self.query(text + page, scoped=False)
            assert isinstance(result, Rows)
            rows += result.rows
        return rows

    def drop_graph(self, name: URIRef) -> bool:
        if self.own is not None:
            check_write(str(name))
        with self.writing():
            existed = self.query(f"ASK {{ GRAPH <{name}> {{ ?s ?p ?o }} }}", scoped=False) is True
            if existed:
                self.copies.stale()
                self._update(f"DROP SILENT GRAPH <{name}>")  # Virtuoso: plain DROP fails on a graph a PUT made
                if self.engine.uses_copy:
                    self._writer.forget(name)
                if self.own is not None:
                    self.own.dropped(str(name))
        return existed

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Writers of this process, one at a time (other processes writing the same endpoint are
        the endpoint's business). Re-entrant; it notes the thread that holds it (`_via_copy`)."""
        with self._write_lock:
            self._writer_thread = threading.get_ident()
            self._write_depth += 1
            try:
                yield
            finally:
                self._write_depth -= 1
                if self._write_depth == 0:
                    self._writer_thread = None

    def graphs(self) -> list[URIRef]:
        if self.own is not None:
            return [URIRef(g) for g in self.own.current(fresh=True)]
        # `GRAPH ?g {}` is the cheap form, but Virtuoso 7 answers it with no rows, and takes 13 s
        # over our corpus for SELECT DISTINCT ?g; grouped, 0.02 s (Oxigraph: the same either way)
        result = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(result, Rows)
        engine = self.engine
        return sorted(
            URIRef(str(row[0]))
            for row in result.rows
            if isinstance(row[0], URIRef) and not engine.is_system_graph(str(row[0]))
        )

    def close(self) -> None:
        """Nothing to release: every request opens its own connection."""


def _is_sparql(text: str) -> bool:
    """Whether `text` parses as a SPARQL 1.1 query (rdflib's parser)."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except (ParseBaseException, RecursionError):
        return False
    except TypeError:  # rdflib 7.6 cannot negate a decimal (`-0.5`) in valid SPARQL: not bad input
        return True
    return True


def _reason(exc: Exception) -> str:
    """The engine's own message from a SPARQLWrapper error, decoded (it quotes the response
    body as a bytes literal)."""
    text = str(exc).split("Response:", 1)[-1].strip()
    if text[:2] in ("b'", 'b"'):
        with contextlib.suppress(ValueError, SyntaxError):
            text = ast.literal_eval(text).decode("utf-8", "replace")
    return engine_message(text) if text else type(exc).__name__
