"""N-Triples text for triples of rdflib terms: the form both stores are written in.

rdflib's own serializer goes through a Graph and formats every term afresh; ingestion writes
each instrument's triples once and the same IRIs recur on almost every line, so terms are
formatted here once and cached. The output is plain N-Triples 1.1 (tested against rdflib's
parser on the whole corpus).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from rdflib import BNode, Literal, URIRef

from .store import Triple

# Characters N-Triples forbids inside <…> (besides controls and space).
_IRI_FORBIDDEN = frozenset('<>"{}|^`\\')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_NEEDS_ESCAPE = frozenset(_ESCAPES)


class Triples:
    """The triples of one built graph: an ordered set of rdflib-term triples.

    Building into a plain set costs a fraction of rdflib's Graph (which indexes every triple
    three ways); a Graph is made only where one is read, by the SHACL validator.
    """

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: dict[Triple, None] = {}

    def add(self, triple: Triple) -> None:
        self._items[triple] = None

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._items)


@lru_cache(maxsize=65536)
def _iri(value: str) -> str:
    if any(c in _IRI_FORBIDDEN or c <= " " for c in value):
        raise ValueError(f"not writable as an N-Triples IRI: {value!r}")
    return f"<{value}>"


def _lexical(value: str) -> str:
    if _NEEDS_ESCAPE.isdisjoint(value):
        return f'"{value}"'
    return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'


@lru_cache(maxsize=65536)
def _literal(value: str, datatype: str | None, language: str | None) -> str:
    if language:
        return f"{_lexical(value)}@{language}"
    if datatype:
        return f"{_lexical(value)}^^{_iri(datatype)}"
    return _lexical(value)


def term(t: URIRef | Literal | BNode) -> str:
    """One term as N-Triples writes it."""
    if isinstance(t, URIRef):
        return _iri(str(t))
    if isinstance(t, Literal):
        args = (str(t), str(t.datatype) if t.datatype else None, t.language)
        # Long literals (summaries) rarely repeat: caching them would only evict the IRIs.
        return _literal(*args) if len(args[0]) <= 64 else _literal.__wrapped__(*args)
    if isinstance(t, BNode):
        return f"_:{t}"
    raise TypeError(f"cannot write {t!r} as an N-Triples term")


def serialize(triples: Iterable[Triple]) -> str:
    """N-Triples text, one line per triple."""
    return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples)  # type: ignore[arg-type]
