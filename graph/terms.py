"""Conversions between rdflib terms (our public currency) and pyoxigraph terms."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier


def to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}: not an IRI, blank node or literal")


@lru_cache(maxsize=65536)
def _literal(value: str, datatype: str | None, language: str | None) -> Literal:
    # rdflib parses every literal it builds; result columns repeat values (dates, booleans,
    # labels), so building each distinct literal once saves most of the conversion time.
    if language:
        return Literal(value, lang=language)
    if datatype is None:
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


@lru_cache(maxsize=65536)
def _iri(value: str) -> URIRef:
    return URIRef(value)


def from_ox(term: object) -> Identifier | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        plain = term.language or datatype == "http://www.w3.org/2001/XMLSchema#string"
        return _literal(term.value, None if plain else datatype, term.language)
    raise TypeError(f"unsupported term {term!r}")
