"""Results written from rdflib terms: CSV for the CLI's named queries, and the RDF formats of
the linked-data pages. (`/sparql` answers are written by Oxigraph in the worker that ran the
query: graph/answers.py.)

CSV is written with a header row and UTF-8 BOM-free text so it opens in a spreadsheet; blank
nodes as `_:label`, as the SPARQL 1.1 CSV format says.
"""

from __future__ import annotations

import csv
import io

from rdflib import BNode

from crosswalk.graph.store import Rows

GRAPH_TYPES = {
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
}


def to_csv(result: Rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row])
    return buffer.getvalue()
