"""Export every graph of a store as RDF, serialised by Oxigraph's own writers."""

from __future__ import annotations

import pyoxigraph as ox

from .errors import QueryError
from .store import Rows, Store
from .terms import to_ox

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
QUAD_FORMATS = ("nq", "trig")


def export(store: Store, fmt: str) -> tuple[bytes, int]:
    """The store's quads in `fmt` (graph names kept in nq and trig), and how many quads."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    # graph by graph: `graphs()` leaves an engine's system graphs out, and each answer stays
    # under a remote engine's row cap (Virtuoso: 10,000), which the whole store would pass
    quads = []
    for graph in store.graphs():
        rows = store.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph})
        assert isinstance(rows, Rows)
        quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(graph)) for s, p, o in rows.rows]  # type: ignore[arg-type]
    if fmt in QUAD_FORMATS:
        data = ox.serialize(quads, format=FORMATS[fmt])
    else:
        data = ox.serialize({q.triple for q in quads}, format=FORMATS[fmt])
    return data or b"", len(quads)
