"""SPARQL 1.1 query results in the standard formats: JSON, XML, CSV and TSV.

CSV is written with a header row and UTF-8 BOM-free text so it opens in a spreadsheet; TSV
uses N-Triples-style terms as the SPARQL 1.1 TSV format requires.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef

from crosswalk.graph.store import Rows

SELECT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
}


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def to_json(result: Rows | bool) -> str:
    if isinstance(result, bool):
        return json.dumps({"head": {}, "boolean": result})
    bindings = [
        {n: _json_term(v) for n, v in zip(result.vars, row, strict=True) if v is not None} for row in result.rows
    ]
    return json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}}, ensure_ascii=False)


def to_xml(result: Rows | bool) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if isinstance(result, bool):
        out += ["<head/>", f"<boolean>{str(result).lower()}</boolean>", "</sparql>"]
        return "\n".join(out)
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.vars) + "</head>")
    out.append("<results>")
    for row in result.rows:
        cells = []
        for name, term in zip(result.vars, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                inner = f"<uri>{escape(str(term))}</uri>"
            elif isinstance(term, BNode):
                inner = f"<bnode>{escape(str(term))}</bnode>"
            else:
                assert isinstance(term, Literal)
                attr = (
                    f" xml:lang={quoteattr(term.language)}"
                    if term.language
                    else f" datatype={quoteattr(str(term.datatype))}"
                    if term.datatype
                    else ""
                )
                inner = f"<literal{attr}>{escape(str(term))}</literal>"
            cells.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        out.append("<result>" + "".join(cells) + "</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out)


def to_csv(result: Rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow(["" if t is None else str(t) for t in row])
    return buffer.getvalue()


def to_tsv(result: Rows) -> str:
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3() for t in row))
    return "\n".join(lines) + "\n"
