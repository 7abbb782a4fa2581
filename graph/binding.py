"""Binding parameters as a VALUES block of serialised RDF terms, never as pasted text.

Used by both stores for every parameter (decision 0002) and by named queries for list
parameters, which bind one variable to several values.

>>> from rdflib import Literal, URIRef
>>> bind_values("SELECT ?x WHERE { ?x ?p ?o }", ["x"], [[URIRef("urn:a")], [Literal('say "hi"')]])
'SELECT ?x WHERE {\\n  VALUES (?x) { (<urn:a>) ("say \\\\"hi\\\\"") }\\n ?x ?p ?o }'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rdflib.term import Identifier

from .errors import QueryError

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def values_block(names: Sequence[str], rows: Sequence[Sequence[Identifier]]) -> str:
    for name in names:
        if not _NAME.fullmatch(name):
            raise QueryError(f"invalid parameter name {name!r}")
    head = " ".join(f"?{n}" for n in names)
    body = " ".join("(" + " ".join(term.n3() for term in row) + ")" for row in rows)
    return f"VALUES ({head}) {{ {body} }}"


def bind_values(sparql: str, names: Sequence[str], rows: Sequence[Sequence[Identifier]]) -> str:
    """Insert a VALUES block at the start of every WHERE group: the outer query's and each
    subquery's, so a subquery is evaluated for the bound values only (as a pre-binding would)."""
    block = values_block(names, rows)
    matches = list(_WHERE.finditer(sparql)) or list(re.finditer(r"\{", sparql))[:1]
    if not matches:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    out, last = [], 0
    for match in matches:
        out.append(f"{sparql[last : match.end()]}\n  {block}\n")
        last = match.end()
    out.append(sparql[last:])
    return "".join(out)


def bind(sparql: str, bindings: Mapping[str, Identifier] | None) -> str:
    """The query with its named parameters bound (both stores call this)."""
    return bind_values(sparql, list(bindings), [list(bindings.values())]) if bindings else sparql
