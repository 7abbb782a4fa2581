"""Findings as data (issue 14): `crosswalk findings --materialize` writes the pairwise findings
into their own graph, typed with STRM set relations and derived from their provisions; the
graph agrees with `compare` and leaves the data version alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, data_version, ingest_all, rule_files
from crosswalk.graph.store import Rows
from crosswalk.queries.compare import clear_cache, compare
from crosswalk.queries.materialize import FINDINGS_GRAPH, materialize

DAY = date(2026, 12, 2)
PREFIX = "PREFIX xw: <https://w3id.org/crosswalk/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "


def test_findings_graph_matches_compare_and_is_queryable(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    clear_cache()
    store = EmbeddedStore(tmp_path / "store")
    corpus = bundled_corpus()
    ingest_all(store, rule_files([corpus / d for d in ("eu", "kr", "us", "us-co")]))
    before = data_version(store)
    n = materialize(store, DAY, ["EU", "kr", "US-CO"])
    pairs = [compare(store, p, DAY) for p in (["EU", "KR"], ["EU", "US-CO"], ["KR", "US-CO"])]
    assert n == sum(len(c.findings) for c in pairs)
    assert data_version(store) == before  # derived data never changes what the data is
    # "every divergence involving KR" is one query, and says what compare says
    rows = store.query(
        PREFIX + "SELECT ?concept WHERE { GRAPH ?g { ?f a xw:Finding ; xw:findingKind 'divergent' ; "
        "xw:findingConcept ?concept ; xw:partyA|xw:partyB <https://w3id.org/crosswalk/id/jurisdiction/KR> } }",
        {"g": FINDINGS_GRAPH},
    )
    assert isinstance(rows, Rows)
    got = sorted(str(r[0]).rsplit("/", 1)[-1] for r in rows.rows)
    want = sorted(f.concept for c in pairs if "KR" in (c.a, c.b) for f in c.of("divergent"))
    assert got == want and got
    # typed with STRM relations and derived from its provisions
    typed = store.query(
        PREFIX + "ASK { GRAPH ?g { ?f xw:scopeRelation ?r ; prov:wasDerivedFrom ?p } ?r a xw:SetRelation . "
        "?p xw:citation ?c }",
        {"g": FINDINGS_GRAPH},
    )
    assert typed is True
    store.close()
    assert cli("findings", "--store", str(tmp_path / "store")).code == 2  # writing needs --materialize
