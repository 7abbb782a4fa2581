"""Stage 4 of ingestion: validate an instrument graph against the SHACL shapes with pySHACL."""

from __future__ import annotations

from collections.abc import Iterable

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from crosswalk.ontology import ID, reference_graph, shapes_graph

from .store import Triple


def violations(data: Iterable[Triple]) -> list[str]:
    """Readable lines, one per violation: the node, the path, the shape's message."""
    # Mix the reference data in ourselves: pySHACL's ont_graph is only mixed in when inferencing,
    # and `sh:class` checks need the vocabulary's rdf:type triples.
    graph = Graph()
    graph += reference_graph()
    for triple in data:
        graph.add(triple)
    conforms, report, _ = shacl_validate(
        graph,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    if conforms:
        return []
    assert isinstance(report, Graph)
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage) or "constraint violated"
        shape = report.value(result, SH.sourceShape)
        where = _short(focus) + (f" {_short(path)}" if isinstance(path, URIRef) else "")
        named = f" [{_short(shape)}]" if isinstance(shape, URIRef) else ""
        lines.append(f"{where}: {message}{named}")
    return sorted(lines)


def _short(term: object) -> str:
    text = str(term)
    for prefix, base in (
        ("", str(ID)),
        ("xw:", "https://w3id.org/crosswalk/ontology#"),
        ("xws:", "https://w3id.org/crosswalk/shapes#"),
    ):
        if text.startswith(base):
            return prefix + text[len(base) :]
    return text
