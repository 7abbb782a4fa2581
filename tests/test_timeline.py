"""The analysis reads each jurisdiction once per store version and answers any date from memory
(queries/timeline.py). Held equal to the SPARQL it replaces: the sides of every jurisdiction,
and the comparison of every pair, at dates before, across and after the corpus's dated facts."""

from __future__ import annotations

import itertools
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from rdflib import URIRef

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files
from crosswalk.graph.store import Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.queries import compare as analysis
from crosswalk.queries import timeline
from crosswalk.queries.classify import compare_sides

# before the EU AI Act, its first and second application dates, the session's day, and later
DATES = [date(2023, 6, 1), date(2025, 2, 2), date(2025, 8, 2), date(2026, 12, 3), date(2028, 1, 1)]
LAYERS = ("in-force", "pending", "general-law")


def _codes(store: Store) -> list[str]:
    """Every jurisdiction of the vocabulary that has provisions of its own in the store."""
    rows = store.select_values(  # type: ignore[attr-defined]
        "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT DISTINCT ?j WHERE { ?p xw:jurisdiction ?j }"
    )[1]
    made = {str(j) for (j,) in rows}
    return sorted(c for c, iri in vocabulary().jurisdictions.members.items() if str(iri) in made)


@pytest.fixture(scope="module")
def asked(corpus: Store) -> dict[tuple[str, str, date], list[analysis.Provision]]:
    """Every jurisdiction's three layers at every date, as the named SPARQL reads them."""
    iri = vocabulary().jurisdictions.iri
    codes = _codes(corpus)
    out = {}
    for name, when in itertools.product(LAYERS, DATES):
        sides = analysis._asked(corpus, name, [iri(c) for c in codes], when)
        for c in codes:
            out[(name, c, when)] = sides[iri(c)]
    return out


def test_every_side_at_every_date_is_what_the_queries_give(corpus: Store, asked) -> None:
    analysis.clear_cache()
    codes = _codes(corpus)
    assert len(codes) > 20
    seen = 0
    for (name, code, when), expected in asked.items():
        got = analysis._sides(corpus, name, [code], when)[0]
        assert got == expected, (name, code, when)
        seen += len(got)
    assert seen > 5_000  # real sides, not empty ones compared with each other


@pytest.mark.parametrize("warmed", [False, True], ids=["read-per-pair", "warmed"])
def test_every_pair_compares_as_it_does_from_the_queries(corpus: Store, asked, warmed: bool) -> None:
    # read as each pair asks (the CLI), or once for every jurisdiction (the server's warm, api/warm.py)
    analysis.clear_cache()
    if warmed:
        assert analysis.warm(corpus)
    codes, ctx = _codes(corpus), analysis.context()
    declared = analysis.covered_groups_of(corpus, codes)
    for when in DATES[1::2] if not warmed else DATES[2:3]:  # three dates, one when warmed
        for a, b in itertools.combinations(codes, 2):
            ours = analysis.compare(corpus, [a, b], when).to_dict()
            theirs = compare_sides(
                a,
                b,
                when,
                asked[("in-force", a, when)],
                asked[("in-force", b, when)],
                {"a": declared[a], "b": declared[b]},
                ctx,
                asked[("pending", a, when)],
                asked[("pending", b, when)],
                asked[("general-law", a, when)],
                asked[("general-law", b, when)],
            ).to_dict()
            assert ours == theirs, (a, b, when)


def test_a_span_of_dates_gets_the_side_each_of_its_dates_would_get(corpus: Store) -> None:
    # compare.py keeps one side per span between the rows' turning dates (issue 18): every day
    # at, just before and just after each turning date, and between two, held equal to that
    # day's side filtered afresh (the memo emptied before each)
    analysis.clear_cache()
    iri = vocabulary().jurisdictions.iri
    asked = 0
    for code in ("EU", "US-CO", "US-CA", "KR", "CN", "GB"):
        dated = analysis._dated(corpus, [iri(code)])
        turns = sorted({t for rows in dated.values() for d in rows for t in timeline.turning_dates(d)})
        days: set[date] = set()
        for t in map(date.fromisoformat, turns):
            days |= {t - timedelta(days=1), t, t + timedelta(days=1), t + timedelta(days=9)}
        for name in LAYERS:
            for day in sorted(days):
                kept = analysis._sides(corpus, name, [code], day)[0]
                held = dict(analysis._SIDES)
                analysis._SIDES.clear()
                assert kept == analysis._sides(corpus, name, [code], day)[0], (code, name, day)
                analysis._SIDES.update(held)
                asked += 1
        assert len(turns) > 3, code
    spans = len(analysis._SIDES)
    assert 0 < spans < asked  # dates shared spans: the memo was used, not only filled


def graph_iri_of(store: EmbeddedStore, instrument: str) -> str:
    rows = store.select_values(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{instrument}> a ?type }} }}")[1]
    return str(rows[0][0])


def test_a_write_is_seen_by_the_next_read_and_a_checkpoint_serves_the_version(tmp_path: Path) -> None:
    # on disk with checkpoints, as `crosswalk serve` runs it: reads come from the version's checkpoint
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    ingest_all(store, rule_files([bundled_corpus() / "us", bundled_corpus() / "us-co"]))
    store.publish_snapshots()
    try:
        when = date(2026, 12, 3)
        before = analysis.in_force(store, "US-CO", when)
        assert before and analysis.in_force(store, "US-CO", when) is not before  # a list per call
        colorado = {p.instrument for p in before if p.jurisdiction == "US-CO"}
        assert colorado
        for instrument in colorado:  # each instrument is its own graph (graph/build.py graph_iri)
            assert store.drop_graph(URIRef(graph_iri_of(store, instrument)))
        after = analysis.in_force(store, "US-CO", when)
        assert {p.jurisdiction for p in after} <= {"US"}  # only inherited federal law is left
        assert len(after) < len(before)
    finally:
        store.close()
        shutil.rmtree(path, ignore_errors=True)
