"""What the public SPARQL endpoint refuses, decided on a parse of the query, never on its words.

rdflib's SPARQL 1.1 parser reads the query into a syntax tree; the endpoint runs the query only
if it parses as a query (not an update) and its tree holds no SERVICE pattern. Anything the
parser cannot read is refused: a query we cannot check does not run. Before the parse, line ends
are normalised to LF in the text that is both checked and run, because rdflib ends a comment
only at LF while Oxigraph also ends one at CR: without it `#\\rSERVICE …` reads as a comment to
one and as a call to the other. (A CR inside a long string literal becomes an LF: a change no
real query depends on.)

Before the parse the text is measured (graph/query_text.bound: length and nesting depth, by a
lexer), and the parse itself runs in a thread of its own with a deep stack and a raised recursion
limit: pyparsing recurses about ten Python frames per triple pattern and ~35 per nesting level,
so at Python's default limit of 1,000 it refused ordinary queries (40 nested groups, 100 triple
patterns in one group). Measured limits are in docs/security.md.

This is the decision, not the only wall: the worker processes that run `/sparql` queries have
no network at all (graph/sandbox.isolate_network), so a parser disagreement we have not found
still cannot make the engine call out.

>>> check("SELECT * WHERE { ?service a <http://www.w3.org/ns/sparql-service-description#Service> }")
False
>>> check("SELECT * WHERE { SERVICE <http://127.0.0.1:8080/x> { ?s ?p ?o } }")
Traceback (most recent call last):
...
crosswalk.graph.errors.QueryRefused: SERVICE (federated queries to other endpoints) is not allowed on this endpoint
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections import OrderedDict
from typing import Any

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from crosswalk.graph.errors import QueryError, QueryRefused
from crosswalk.graph.query_text import bound

UPDATE = "SPARQL Update is not allowed: this endpoint is read-only"
SERVICE = "SERVICE (federated queries to other endpoints) is not allowed on this endpoint"
TOO_DEEP = (
    "the query is too large or too deeply nested for the endpoint's parser to check "
    "(it checks every query before it runs); split it or flatten its groups"
)


def normalise(sparql: str) -> str:
    """The text that is checked and run: CR LF and lone CR become LF."""
    return sparql.replace("\r\n", "\n").replace("\r", "\n")


def _holds(node: Any, name: str) -> bool:
    """Whether the parse tree below `node` holds a `name` node (iteratively: trees run deep)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == name:
                return True
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif hasattr(item, "as_list") and not isinstance(item, str):  # pyparsing ParseResults
            stack.extend(list(item))
    return False


# The parse runs in a fresh thread with this much stack, under this recursion limit: 60,000
# frames used about 30 MB of C stack in pyparsing (measured), so 256 MB leaves a wide margin, and
# a thread's stack is unmapped when it ends (no resident memory stays behind). The limit is
# process-wide in CPython, so it is raised only while the lock is held, for one parse at a time.
_STACK_BYTES = 256 * 1024 * 1024
_FRAMES = 60_000
_DEEP = threading.Lock()


def _deep(parse: Any, sparql: str) -> Any:
    """`parse(sparql)`, one at a time (rdflib's pyparsing grammar shares state between threads:
    two concurrent parses failed with a wrong "Expected SelectQuery"); where that needs more than
    Python's default recursion limit, again in a thread with a deep stack (its exception, if any,
    re-raised here). Parsing holds the GIL anyway, so the lock costs no throughput."""
    with _DEEP:
        try:
            return parse(sparql)
        except RecursionError:
            pass
        outcome: list[Any] = []

        def run() -> None:
            try:
                outcome.append(("ok", parse(sparql)))
            except BaseException as exc:  # handed back to the caller as is
                outcome.append(("error", exc))

        previous_limit, previous_stack = sys.getrecursionlimit(), threading.stack_size(_STACK_BYTES)
        try:
            sys.setrecursionlimit(_FRAMES)
            thread = threading.Thread(target=run, name="sparql-guard-parse")
            thread.start()
            thread.join()
        finally:
            threading.stack_size(previous_stack)
            sys.setrecursionlimit(previous_limit)
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value


Decision = tuple[str, str] | None  # ("refused" | "bad", reason), or None: it runs
# Decisions of recent queries, keyed by a digest of the text (a key never holds the text, so up
# to 1,024 queries of 100 kB do not stay in memory): clients repeat their queries.
_DECIDED: OrderedDict[bytes, tuple[Decision, bool]] = OrderedDict()
_DECIDED_MAX = 1024
_DECIDED_LOCK = threading.Lock()


NEGATIVE_DECIMAL = (
    "the query could not be checked: the SPARQL parser fails on a negative decimal such as -0.5; "
    'write it as "-0.5"^^xsd:decimal'
)


def _parses_as_update(sparql: str) -> bool:
    try:
        _deep(parseUpdate, sparql)
    except (ParseBaseException, RecursionError, TypeError):  # TypeError: NEGATIVE_DECIMAL, below
        return False
    return True


def _key(sparql: str) -> bytes:
    return hashlib.blake2b(sparql.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _recall(key: bytes) -> tuple[Decision, bool] | None:
    with _DECIDED_LOCK:
        if key in _DECIDED:
            _DECIDED.move_to_end(key)
            return _DECIDED[key]
    return None


def _decide(sparql: str) -> tuple[Decision, bool]:
    """The decision on a text, and whether the query names its own dataset (FROM, FROM NAMED)."""
    key = _key(sparql)
    recalled = _recall(key)
    if recalled is not None:
        return recalled
    outcome = _parse_and_decide(sparql)
    with _DECIDED_LOCK:
        _DECIDED[key] = outcome
        while len(_DECIDED) > _DECIDED_MAX:
            _DECIDED.popitem(last=False)
    return outcome


def _parse_and_decide(sparql: str) -> tuple[Decision, bool]:
    try:
        bound(sparql)
    except QueryError as exc:
        return ("bad", str(exc)), False
    try:
        tree = _deep(parseQuery, sparql)
    except RecursionError:
        return ("bad", TOO_DEEP), False
    except TypeError:  # rdflib 7.6 fails to negate a decimal literal: no decision, so not run
        return ("bad", NEGATIVE_DECIMAL), False
    except ParseBaseException as exc:
        if _parses_as_update(sparql):
            return ("refused", UPDATE), False
        return ("bad", f"the query does not parse as SPARQL 1.1: error at {exc.lineno}:{exc.col}: {exc.msg}"), False
    if _holds(tree, "ServiceGraphPattern"):
        return ("refused", SERVICE), False
    # FROM / FROM NAMED belong to the outer query only (a subquery has none)
    return None, _holds(tree, "DatasetClause")


def check(sparql: str) -> bool:
    """Raise QueryRefused (403) or QueryError (400) unless the read-only endpoint may run this
    text; pass it `normalise`d, and run the same normalised text. Returns whether the query
    names its own dataset with FROM or FROM NAMED."""
    decision, declares_dataset = _decide(sparql)
    if decision is None:
        return declares_dataset
    kind, reason = decision
    raise QueryRefused(reason) if kind == "refused" else QueryError(reason)


def checked_before(sparql: str) -> bool | None:
    """`check(sparql)` from the decisions kept, without parsing: None when this text has not
    been decided yet (then call `check`, off the event loop: a parse takes milliseconds). A
    dictionary lookup, so the endpoint makes it on its event loop for a query clients repeat."""
    recalled = _recall(_key(sparql))
    if recalled is None:
        return None
    decision, declares_dataset = recalled
    if decision is None:
        return declares_dataset
    kind, reason = decision
    raise QueryRefused(reason) if kind == "refused" else QueryError(reason)


def refusal(sparql: str) -> str | None:
    """Why the endpoint refuses this text (403 or 400), or None if it may run."""
    decision, _ = _decide(normalise(sparql))
    return decision[1] if decision else None


__all__ = ["check", "checked_before", "normalise", "refusal"]
