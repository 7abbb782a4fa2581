"""Crosswalk benchmarks: `python bench/run.py` (or `make bench`) prints one table.

Measured, not asserted: ingest throughput of generated data (build + store, SHACL excluded),
`compare` on one real pair, the pairwise matrix on generated data, and the same matrix with
rdflib's own SPARQL engine as the query engine, the baseline a user would otherwise reach for.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import synthetic
from rdflib import Dataset, URIRef
from rich.console import Console
from rich.table import Table

from crosswalk.graph.build import build, graph_iri
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ensure_reference, ingest_all, rule_files
from crosswalk.graph.store import Rows
from crosswalk.ontology import JUR, alignments_graph, reference_graph
from crosswalk.queries.compare import (
    _CACHE,
    _cyclic_gc_paused,
    clear_cache,
    compare,
    context,
    in_force_of,
    pairwise,
    sides_in_force,
)
from crosswalk.queries.registry import get
from crosswalk.queries.verdicts import Side, table

WHEN = date(2026, 11, 24)


class RdflibStore:
    """rdflib's in-memory Dataset with its own SPARQL engine, behind the same query call."""

    def __init__(self) -> None:
        self.ds = Dataset(default_union=True)
        self.url = "rdflib:memory"
        self.seconds = 0.0  # spent in rdflib's engine (query and results), for the engine's share

    def load(self, name: URIRef, graph) -> None:  # type: ignore[no-untyped-def]
        target = self.ds.graph(name)
        for triple in graph:
            target.add(triple)

    def query(self, sparql: str, bindings=None):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = self.ds.query(sparql, initBindings=bindings or {})
        names = [str(v) for v in result.vars]
        rows = Rows(names, [tuple(row) for row in result])
        self.seconds += time.perf_counter() - start
        return rows


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def matrix_on(store, codes: list[str]) -> int:  # type: ignore[no-untyped-def]
    # what matrix() does, for jurisdictions outside the shipped vocabulary
    return len(pairwise(store, [JUR[c] for c in codes], WHEN))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jurisdictions", type=int, default=50)
    parser.add_argument("--provisions", type=int, default=1000, help="provisions per jurisdiction")
    parser.add_argument(
        "--baseline-jurisdictions",
        type=int,
        default=50,
        help="jurisdictions for the rdflib comparison (all by default: it takes about 1.5 min and 4 GB)",
    )
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    # 1. ingest throughput (build RDF + one transaction per instrument; SHACL, and the rdflib
    # Graph built only for it, excluded). In memory (what the matrix below runs on), then on disk
    # (what `crosswalk ingest` writes to), first ingest and re-ingest (replace) apart.
    files = synthetic.corpus(args.jurisdictions, args.provisions)
    store = EmbeddedStore(None)
    ensure_reference(store)

    def ingest(target: EmbeddedStore) -> tuple[int, float, float]:
        start = time.perf_counter()
        triples, building = 0, 0.0
        for f in files:
            t0 = time.perf_counter()
            graph = build(f)
            building += time.perf_counter() - t0
            triples += len(graph)
            target.replace_graph(graph_iri(f.instrument.id), graph)
        return triples, time.perf_counter() - start, building

    triples, seconds, building = ingest(store)
    rows.append(
        (
            "ingest generated data in memory (build + store, no SHACL)",
            f"{triples:,} triples in {seconds:.2f} s ({building / seconds:.0%} building)",
            f"{triples / seconds:,.0f} triples/s",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        disk = EmbeddedStore(Path(tmp))
        ensure_reference(disk)
        for label in ("first ingest", "re-ingest, replacing"):
            triples, seconds, building = ingest(disk)
            rows.append(
                (
                    f"ingest generated data on disk, {label}",
                    f"{triples:,} triples in {seconds:.2f} s ({building / seconds:.0%} building)",
                    f"{triples / seconds:,.0f} triples/s",
                )
            )
        disk.close()

    # 2. compare one pair on the real corpus
    real = EmbeddedStore(None)
    ingest_all(real, rule_files([bundled_corpus()]))

    def cold() -> None:
        clear_cache()  # measure the queries, not the cache
        compare(real, ["EU", "US-CO"], WHEN)

    def cold_sides() -> None:
        _CACHE.clear()  # the sides' queries run; the per-store-version attribute index stays built
        compare(real, ["EU", "US-CO"], WHEN)

    compare(real, ["EU", "US-CO"], WHEN)
    for label, fn in (
        ("cold: every query run, attribute index rebuilt", cold),
        ("cold sides: attribute index of this store version built", cold_sides),
        ("warm: sides cached", lambda: compare(real, ["EU", "US-CO"], WHEN)),
    ):
        runs = timed(fn, repeat=30)
        p90 = sorted(runs)[int(len(runs) * 0.9)] * 1000
        rows.append(
            (
                f"compare EU vs US-CO, real corpus ({label})",
                f"median of {len(runs)}",
                f"{statistics.median(runs) * 1000:.1f} ms (p90 {p90:.1f} ms)",
            )
        )

    # 3. the pairwise matrix on generated data, on Oxigraph and on rdflib's engine. Both engines
    # hold the same k jurisdictions (all of them by default), and both run cold (rdflib's store
    # has no write counter, so nothing is memoised for it; ours has its caches cleared), so the
    # ratio compares the engines under the same queries and the same Python.
    codes = [synthetic.jurisdiction_code(i) for i in range(args.jurisdictions)]
    n_pairs = len(codes) * (len(codes) - 1) // 2
    k = min(args.baseline_jurisdictions, args.jurisdictions)
    sub_codes = codes[:k]
    if k == args.jurisdictions:
        sub = store
    else:
        sub = EmbeddedStore(None)
        ensure_reference(sub)
        for f in files[:k]:
            sub.replace_graph(graph_iri(f.instrument.id), build(f))
    rdf = RdflibStore()
    rdf.load(URIRef("urn:x-crosswalk:reference"), reference_graph())
    rdf.load(URIRef("urn:x-crosswalk:alignments"), alignments_graph())
    for f in files[:k]:
        rdf.load(graph_iri(f.instrument.id), build(f))
    # Everything loaded so far (the generated rule files, rdflib's millions of triples) is kept
    # out of the garbage collector's walks, so neither side pays for the benchmark's own data.
    gc.collect()
    gc.freeze()

    read: dict[URIRef, Side] = {}

    def cold_fetch() -> None:
        clear_cache()
        with _cyclic_gc_paused():  # as pairwise() reads them
            read.update(sides_in_force(store, [JUR[c] for c in codes], WHEN, context()))

    def cold_classify() -> None:
        context().pairs.clear()  # the memo of bucket pairs starts empty, as in a cold matrix
        with _cyclic_gc_paused():  # as pairwise(): the index with inherited law, then own law only
            sides = [read[JUR[c]] for c in codes]
            table(sides, context(), WHEN)
            table([s.own(c, context()) for s, c in zip(sides, codes, strict=True)], context(), None)

    def cold_matrix() -> None:
        clear_cache()  # the per-store-version attribute index is rebuilt too
        matrix_on(store, codes)

    fetch = statistics.median(timed(cold_fetch, repeat=5))
    classify = statistics.median(timed(cold_classify, repeat=5))
    total = statistics.median(timed(cold_matrix, repeat=5))
    indexed = statistics.median(timed(lambda: matrix_on(store, codes), repeat=3))
    label = f"matrix {args.jurisdictions} jurisdictions x {args.provisions} provisions (Oxigraph)"
    rows.append(
        (
            label + ", cold",
            f"{n_pairs:,} pairs, median of 5",
            f"{total:.2f} s (apart: {fetch:.2f} s reading sides, {classify:.2f} s classifying)",
        )
    )
    rows.append((label + ", attribute index built", f"{n_pairs:,} pairs, median of 3", f"{indexed:.2f} s"))

    def cold_sub() -> None:
        clear_cache()
        matrix_on(sub, sub_codes)

    ours_sub = total if sub is store else statistics.median(timed(cold_sub, repeat=5))

    def cold_rdflib() -> None:
        clear_cache()
        matrix_on(rdf, sub_codes)

    rdf.seconds = 0.0
    theirs_sub = timed(cold_rdflib)[0]
    rows.append(
        (
            f"matrix {k} jurisdictions x {args.provisions}, rdflib SPARQL engine vs Oxigraph",
            f"{theirs_sub:.2f} s vs {ours_sub:.2f} s",
            f"Oxigraph {theirs_sub / ours_sub:,.0f}x faster",
        )
    )
    if sub is store:  # the engines alone: rdflib's time in its queries, ours reading the sides
        rows.append(
            (
                "  of which rdflib's queries vs ours reading and indexing the sides",
                f"{rdf.seconds:.2f} s vs {fetch:.2f} s (medians of 1 and 5)",
                f"{rdf.seconds / fetch:,.0f}x",
            )
        )
    in_force_rdflib = timed(lambda: in_force_of(rdf, JUR[sub_codes[0]], WHEN))[0]
    in_force_ox = statistics.median(timed(lambda: in_force_of(sub, JUR[sub_codes[0]], WHEN), repeat=5))
    rows.append(
        (
            f"named in-force query, one jurisdiction of {k}",
            f"rdflib {in_force_rdflib * 1000:.0f} ms",
            f"Oxigraph {in_force_ox * 1000:.1f} ms ({in_force_rdflib / in_force_ox:,.0f}x)",
        )
    )

    # 5. the named per-kind queries on the real corpus
    for name in ("concept-verdicts", "matching-provisions", "conflicts", "gaps"):
        runs = timed(lambda n=name: get(n).run(real, {"a": "EU", "b": "US-CO", "at": WHEN.isoformat()}), repeat=5)
        rows.append((f"named query {name} (EU, US-CO)", "median of 5", f"{statistics.median(runs) * 1000:.1f} ms"))

    printed = Table("measure", "size", "result", title="Crosswalk benchmarks", header_style="bold")
    for row in rows:
        printed.add_row(*row)
    Console().print(printed)


if __name__ == "__main__":
    main()
