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
TOTALS = "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }"


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
    totals = store.query(TOTALS)
    assert isinstance(per, Rows) and isinstance(totals, Rows)
    rows = [(str(code), int(i), int(p)) for code, i, p in per.rows]  # type: ignore[arg-type]
    triples, graphs = (int(x) for x in totals.rows[0])  # type: ignore[arg-type]
    return Stats(
        instruments=sum(r[1] for r in rows),
        jurisdictions=len(rows),
        provisions=sum(r[2] for r in rows),
        triples=triples,
        graphs=graphs,
        per_jurisdiction=rows,
    )
