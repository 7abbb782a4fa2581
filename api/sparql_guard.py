"""What the public SPARQL endpoint refuses, decided on a parse of the query, never on its words.

rdflib's SPARQL 1.1 parser reads the query into a syntax tree; the endpoint runs the query only
if it parses as a query (not an update) and its tree holds no SERVICE pattern. Anything the
parser cannot read is refused: a query we cannot check does not run. Before the parse, line ends
are normalised to LF in the text that is both checked and run, because rdflib ends a comment
only at LF while Oxigraph also ends one at CR: without it `#\\rSERVICE …` reads as a comment to
one and as a call to the other. (A CR inside a long string literal becomes an LF: a change no
real query depends on.)

This is the decision, not the only wall: the worker processes that run `/sparql` queries have
no network at all (graph/sandbox.isolate_network), so a parser disagreement we have not found
still cannot make the engine call out.

>>> check("SELECT * WHERE { ?service a <http://www.w3.org/ns/sparql-service-description#Service> }")
>>> check("SELECT * WHERE { SERVICE <http://127.0.0.1:8080/x> { ?s ?p ?o } }")
Traceback (most recent call last):
...
crosswalk.graph.errors.QueryRefused: SERVICE (federated queries to other endpoints) is not allowed on this endpoint
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from crosswalk.graph.errors import QueryError, QueryRefused

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


def _parses_as_update(sparql: str) -> bool:
    try:
        parseUpdate(sparql)
    except (ParseBaseException, RecursionError):
        return False
    return True


@lru_cache(maxsize=2048)  # a query seen once is decided once (clients repeat theirs)
def _decide(sparql: str) -> tuple[str, str] | None:
    try:
        tree = parseQuery(sparql)
    except RecursionError:
        return "bad", TOO_DEEP
    except ParseBaseException as exc:
        if _parses_as_update(sparql):
            return "refused", UPDATE
        return "bad", f"the query does not parse as SPARQL 1.1: error at {exc.lineno}:{exc.col}: {exc.msg}"
    if _holds(tree, "ServiceGraphPattern"):
        return "refused", SERVICE
    return None


def check(sparql: str) -> None:
    """Raise QueryRefused (403) or QueryError (400) unless the read-only endpoint may run this
    text; pass it `normalise`d, and run the same normalised text."""
    decision = _decide(sparql)
    if decision is None:
        return
    kind, reason = decision
    raise QueryRefused(reason) if kind == "refused" else QueryError(reason)


def refusal(sparql: str) -> str | None:
    """Why the endpoint refuses this text (403 or 400), or None if it may run."""
    decision = _decide(normalise(sparql))
    return decision[1] if decision else None


__all__ = ["check", "normalise", "refusal"]
