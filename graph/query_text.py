"""Bounds on a SPARQL query's text, checked before any parser sees it.

Both parsers that read untrusted queries recurse once per nesting level: Oxigraph's (Rust)
overflows its stack and takes the whole process down at a few thousand nested `{` (a segfault,
measured: 1,000 levels pass, 10,000 crash), and rdflib's (pyparsing) needs ~35 Python frames
per level. So every query is measured first by a small lexer that follows the SPARQL 1.1
grammar's terminals (IRIREF, the four string forms, comments, PN_LOCAL_ESC escapes): it counts
how deep `{`, `(` and `[` nest outside strings and comments, and refuses text past
`MAX_DEPTH` or `MAX_CHARS`. Where the lexer could disagree with a parser it counts more, never
less: brackets inside an IRI are counted, and a quote that opens no well-formed string is an
ordinary character.

>>> bound("SELECT * WHERE { ?s ?p '{{{' }")
>>> depth("SELECT * WHERE { <urn:a(> ?p ?o FILTER((1)) }  # {{{{")
4
>>> bound("ASK " + "{" * 100 + "}" * 100)
Traceback (most recent call last):
...
crosswalk.graph.errors.QueryError: the query nests groups or brackets 100 deep; the limit is 64 (flatten it)
"""

from __future__ import annotations

import re

from .errors import QueryError

MAX_DEPTH = 64  # real queries nest under 10; Oxigraph's parser crashed at 10,000, rdflib's needs deep stacks
MAX_CHARS = 50_000  # about 1,000 triple patterns; rdflib needs up to 2 s to check this much (measured)

# One alternative per terminal of the SPARQL 1.1 grammar (section 19.8) that can hide a bracket,
# tried in this order at each position. Each alternative's repetitions are disjoint (a character
# can continue a token in one way only), so nothing backtracks. No possessive quantifiers: Debian
# 12's Python 3.11.2 matched them wrongly here (a long string's brackets were counted).
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<short>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<escape>\\.)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<other>[^#<'"\\{}()\[\]]+|.)
    """,
    re.VERBOSE | re.DOTALL,
)


def depth(sparql: str) -> int:
    """How deep `{`, `(` and `[` nest in the query, outside strings and comments; brackets in
    IRIs count too (conservative)."""
    level = deepest = 0
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind == "open":
            level += 1
            deepest = max(deepest, level)
        elif kind == "close":
            level = max(0, level - 1)
        elif kind == "iri":
            inner = match.group()
            level += inner.count("(") + inner.count("[")
            deepest = max(deepest, level)
            level = max(0, level - inner.count(")") - inner.count("]"))
    return deepest


def bound(sparql: str) -> None:
    """Raise QueryError (400, exit 2) for a query too long or too deeply nested to parse safely."""
    if len(sparql) > MAX_CHARS:
        raise QueryError(f"the query is {len(sparql):,} characters long; the limit is {MAX_CHARS:,}")
    levels = depth(sparql)
    if levels > MAX_DEPTH:
        raise QueryError(f"the query nests groups or brackets {levels} deep; the limit is {MAX_DEPTH} (flatten it)")


__all__ = ["MAX_CHARS", "MAX_DEPTH", "bound", "depth"]
