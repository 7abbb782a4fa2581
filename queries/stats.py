"""Store statistics for `crosswalk stats`, from two small SPARQL queries."""

from __future__ import annotations

from dataclasses import dataclass

from crosswalk.graph.store import Rows, Store

PER_JURISDICTION = """
PREFIX xw: <https://w3id.org/crosswalk/ontology#>
SELECT ?code (COUNT(DISTINCT ?ins) AS ?instruments) (COUNT(DISTINCT ?p) AS ?provisions)
WHERE {
  ?ins a xw:Instrument ; xw:jurisdiction/xw:code ?code .
  OPTIONAL { ?p xw:partOf ?ins ; xw:citation ?c }
}
GROUP BY ?code ORDER BY ?code
"""
# per graph, so that an engine's own graphs (Virtuoso's system graphs) are left out by name
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class Stats:
    instruments: int
    jurisdictions: int
    provisions: int
    triples: int
    graphs: int
    per_jurisdiction: list[tuple[str, int, int]]


def collect(store: Store) -> Stats:
    per = store.query(PER_JURISDICTION)
    per_graph = store.query(PER_GRAPH)
    assert isinstance(per, Rows) and isinstance(per_graph, Rows)
    rows = [(str(code), int(i), int(p)) for code, i, p in per.rows]  # type: ignore[arg-type]
    engine = getattr(store, "engine", None)  # a remote store's engine knows its system graphs
    counts = [int(n) for g, n in per_graph.rows if engine is None or not engine.is_system_graph(str(g))]  # type: ignore[arg-type]
    triples, graphs = sum(counts), len(counts)
    return Stats(
        instruments=sum(r[1] for r in rows),
        jurisdictions=len(rows),
        provisions=sum(r[2] for r in rows),
        triples=triples,
        graphs=graphs,
        per_jurisdiction=rows,
    )
