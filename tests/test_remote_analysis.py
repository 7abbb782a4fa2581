"""The analysis gives the same answers on a real Oxigraph server as on the embedded store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files
from crosswalk.graph.remote import RemoteStore
from crosswalk.graph.store import Rows, Store
from crosswalk.queries.compare import baseline, compare
from crosswalk.queries.registry import get

WHEN = date(2026, 11, 24)


@pytest.fixture(scope="module")
def server_corpus(oxigraph_url: str) -> Iterator[Store]:
    store = RemoteStore(oxigraph_url)
    for graph in store.graphs():
        store.drop_graph(graph)
    ingest_all(store, rule_files([bundled_corpus()]))
    yield store


@pytest.mark.parametrize(("a", "b"), [("EU", "US-CO"), ("EU", "CN"), ("CN", "US-TX")])
def test_compare_is_the_same_on_both_stores(corpus: Store, server_corpus: Store, a: str, b: str) -> None:
    embedded = compare(corpus, [a, b], WHEN).to_dict()
    remote = compare(server_corpus, [a, b], WHEN).to_dict()
    assert remote == embedded


def test_baseline_is_the_same_on_both_stores(corpus: Store, server_corpus: Store) -> None:
    js = ["EU", "KR", "CN"]
    assert baseline(server_corpus, js, WHEN).to_dict() == baseline(corpus, js, WHEN).to_dict()


@pytest.mark.parametrize("name", ["concept-verdicts", "matching-provisions", "conflicts", "gaps"])
def test_named_queries_are_the_same_on_both_stores(corpus: Store, server_corpus: Store, name: str) -> None:
    params = {"a": "EU", "b": "US-CO", "at": WHEN.isoformat()}

    def rows(store: Store) -> list[tuple[str, ...]]:
        # GROUP_CONCAT order is unspecified in SPARQL: compare concatenations as sorted lists.
        result = get(name).run(store, params)
        assert isinstance(result, Rows)
        return sorted(tuple("; ".join(sorted(str(c).split("; "))) for c in row) for row in result.rows)

    assert rows(server_corpus) == rows(corpus)


def test_report_is_the_same_on_both_stores(corpus: Store, server_corpus: Store) -> None:
    # A remote store does not count its writes, so a report reads it through a per-report memo
    # (queries/report.py); the report must not differ for it, data version included.
    from crosswalk.queries.report import build_report

    parties = ["EU", "US-CO", "KR", "CN"]
    remote = build_report(server_corpus, parties, WHEN, generated_on=WHEN)
    assert remote == build_report(corpus, parties, WHEN, generated_on=WHEN)
