"""Crosswalk benchmarks: `python bench/run.py` (or `make bench`) prints one table.

Measured, not asserted: ingest throughput of generated data (build + store, SHACL excluded),
`compare` on one real pair in memory and on disk (the shipped configuration), the `crosswalk
compare` process with its import breakdown, the pairwise matrix on generated data in memory and
on disk (alone, and with the bundled corpus in the same store; the first matrix of a store
version, and a later one whose reads an earlier process kept beside the store, also in a new
process), and the matrix with rdflib's own
SPARQL engine as the query engine, the baseline a user would otherwise reach for, on the
generated data and on the real corpus. Each figure is printed with the load average, since the
development machine is shared, and CPU time beside wall time where the neighbours would
otherwise be measured.

`make bench` runs the defaults: Oxigraph at the targets' size (50 jurisdictions x 1,000
provisions), rdflib's engine on 4 of the generated jurisdictions and on the whole real corpus,
three runs a matrix figure; about 3-4 minutes on the shared 2-core machine. The full run adds
rdflib on all 50 jurisdictions and the re-ingest: `python bench/run.py --baseline-jurisdictions
50 --repeat 5 --reingest` (docs/performance.md gives its cost). `--jurisdictions 3 --provisions
20 --repeat 1` runs every row in about a minute (tests/test_bench.py).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import synthetic
from rdflib import Dataset, URIRef
from rich.console import Console
from rich.table import Table

from crosswalk.api import epochs
from crosswalk.api.warm import warm
from crosswalk.graph import reads
from crosswalk.graph.build import build, graph_iri
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ensure_reference, ingest_all, rule_files
from crosswalk.graph.store import Rows
from crosswalk.graph.terms import from_ox
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import JUR, alignments_graph, reference_graph
from crosswalk.queries.compare import (
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
    return [wall for wall, _ in timed_cpu(fn, repeat)]


def timed_cpu(fn: Callable[[], object], repeat: int = 1) -> list[tuple[float, float]]:
    """Wall and CPU seconds of each run (CPU of the whole process, every thread: Oxigraph's
    evaluation runs outside the GIL). On a shared machine the CPU time is the steadier figure."""
    out = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - start, time.process_time() - cpu))
    return out


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def cli_process(store: Path, repeat: int = 7) -> list[tuple[str, str, str]]:
    """`crosswalk compare EU US-CO` as a user runs it: a new process, the store on disk, byte
    code compiled (as pip installs it), and what its imports cost."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"CROSSWALK_STORE": str(store)}
    exe = Path(sys.executable).parent / "crosswalk"
    subprocess.run([exe, "compare", "EU", "US-CO"], env=env, capture_output=True, check=True)  # byte code written
    runs, cpu = [], []
    for _ in range(repeat):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([exe, "compare", "EU", "US-CO"], env=env, capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append(time.perf_counter() - start)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    # what `compare` imports: the command line and its own module (api/cli.py imports a command's module on use)
    imports = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import crosswalk.api.cli, crosswalk.api.analysis_cli"],
        env=env,
        capture_output=True,
        text=True,
    ).stderr
    cumulative = {m: int(us) for us, m in re.findall(r"\|\s*(\d+) \|\s*(\S+)$", imports, re.M)}
    parts = [
        "crosswalk.api.cli", "crosswalk.api.analysis_cli", "typer", "rich.console", "rdflib", "pyoxigraph",
        "crosswalk.queries.compare",
    ]  # fmt: skip
    shown = ", ".join(f"{m} {cumulative[m] / 1000:.0f} ms" for m in parts if m in cumulative)
    return [
        (
            "`crosswalk compare EU US-CO`, a new process, store on disk",
            f"median of {repeat}",
            f"{statistics.median(runs):.2f} s, CPU {statistics.median(cpu):.2f} s; {load()}",
        ),
        ("  of which imports (-X importtime, cumulative)", "one run", shown),
    ]


def rdflib_from(store: EmbeddedStore) -> RdflibStore:
    """An rdflib Dataset holding every quad of an embedded store, graph by graph."""
    rdf = RdflibStore()
    for quad in store._store.quads_for_pattern(None, None, None, None):
        rdf.ds.graph(from_ox(quad.graph_name)).add(
            (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
        )
    return rdf


NEW_PROCESS = """
import sys, time
from datetime import date
from pathlib import Path
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.ontology import JUR
from crosswalk.queries.compare import pairwise
start, cpu = time.perf_counter(), time.process_time()
store = EmbeddedStore(Path(sys.argv[1]))
pairwise(store, [JUR[c] for c in sys.argv[3:]], date.fromisoformat(sys.argv[2]))
print(time.perf_counter() - start, time.process_time() - cpu)
store.close()
"""


def matrix_in_new_process(path: Path, codes: list[str]) -> tuple[float, float]:
    """A cold matrix in a process of its own (wall and CPU seconds, imports excluded)."""
    out = subprocess.run(
        [sys.executable, "-c", NEW_PROCESS, str(path), WHEN.isoformat(), *codes],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def matrix_on(store, codes: list[str]) -> int:  # type: ignore[no-untyped-def]
    # what matrix() does, for jurisdictions outside the shipped vocabulary
    return len(pairwise(store, [JUR[c] for c in codes], WHEN))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="The full run (rdflib at the full size as well): --baseline-jurisdictions 50 --repeat 5 --reingest "
        "(docs/performance.md says what it costs).",
    )
    parser.add_argument("--jurisdictions", type=int, default=50)
    parser.add_argument("--provisions", type=int, default=1000, help="provisions per jurisdiction")
    parser.add_argument(
        "--baseline-jurisdictions",
        type=int,
        default=4,
        help="jurisdictions of the generated data for the rdflib comparison (4 by default, about 30 s; "
        "all 50 take about 10 min and 4 GB of rdflib alone). The real corpus is always compared whole.",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per matrix figure (medians); compare runs 10x")
    parser.add_argument(
        "--reingest",
        action="store_true",
        help="also time re-ingesting the generated data on disk, replacing every graph (about 2 min at full size)",
    )
    args = parser.parse_args()
    began = time.perf_counter()
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
    disk_dir = Path(tempfile.mkdtemp(prefix="crosswalk-bench-generated-"))  # kept for the matrix on disk
    disk = EmbeddedStore(disk_dir / "store")
    ensure_reference(disk)
    for label in ("first ingest", "re-ingest, replacing") if args.reingest else ("first ingest",):
        triples, seconds, building = ingest(disk)
        rows.append(
            (
                f"ingest generated data on disk, {label}",
                f"{triples:,} triples in {seconds:.2f} s ({building / seconds:.0%} building); {load()}",
                f"{triples / seconds:,.0f} triples/s",
            )
        )

    # 2. compare one pair on the real corpus, in memory and on disk (what `crosswalk` runs on)
    real = EmbeddedStore(None)
    ingest_all(real, rule_files([bundled_corpus()]))
    real_dir = Path(tempfile.mkdtemp(prefix="crosswalk-bench-corpus-"))
    real_disk = EmbeddedStore(real_dir / "store")
    ingest_all(real_disk, rule_files([bundled_corpus()]))
    dates = iter([WHEN - timedelta(days=i) for i in range(1, 2_000)])  # the law of WHEN, nearly: like for like
    for where, target in (("in memory", real), ("on disk", real_disk)):

        def first(target: EmbeddedStore = target) -> None:
            clear_cache()  # the first call of a store version: every read runs
            compare(target, ["EU", "US-CO"], WHEN)

        compare(target, ["EU", "US-CO"], WHEN)
        for label, fn in (
            ("first call of a store version: every read", first),
            (
                "a new date each call: the version's rows held",
                lambda t=target: compare(t, ["EU", "US-CO"], next(dates)),
            ),
            ("the same date again", lambda t=target: compare(t, ["EU", "US-CO"], WHEN)),
        ):
            both = timed_cpu(fn, repeat=10 * args.repeat)
            runs = [w for w, _ in both]
            p90 = sorted(runs)[int(len(runs) * 0.9)] * 1000
            rows.append(
                (
                    f"compare EU vs US-CO, real corpus {where} ({label})",
                    f"median of {len(runs)}",
                    f"{statistics.median(runs) * 1000:.1f} ms (p90 {p90:.1f} ms), "
                    f"CPU {medians(both)[1] * 1000:.1f} ms; {load()}",
                )
            )

    # what the server does at start and after each write (api/warm.py): read the version for
    # every jurisdiction, so that no request meets that read
    def warm_all(target: EmbeddedStore = real_disk) -> None:
        clear_cache()
        epochs._DATED.clear()  # the dated facts the response cache keys dates by, per version
        warm(target)

    wall, cpu = medians(timed_cpu(warm_all, repeat=args.repeat))
    rows.append(
        (
            "reading a version for every jurisdiction, on disk (the server's warm, at start and after a write)",
            f"median of {args.repeat}",
            f"{wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms; {load()}",
        )
    )
    real_disk.close()
    rows.extend(cli_process(real_dir / "store", 2 * args.repeat + 1))

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

    fetch = statistics.median(timed(cold_fetch, repeat=args.repeat))
    classify = statistics.median(timed(cold_classify, repeat=args.repeat))
    total, total_cpu = medians(timed_cpu(cold_matrix, repeat=args.repeat))
    indexed = statistics.median(timed(lambda: matrix_on(store, codes), repeat=args.repeat))
    label = f"matrix {args.jurisdictions} jurisdictions x {args.provisions} provisions (Oxigraph)"
    rows.append(
        (
            label + ", cold, in memory",
            f"{n_pairs:,} pairs, median of {args.repeat}",
            f"{total:.2f} s, CPU {total_cpu:.2f} s (apart: {fetch:.2f} s reading sides, {classify:.2f} s classifying)",
        )
    )
    rows.append(
        (label + ", attribute index built", f"{n_pairs:,} pairs, median of {args.repeat}", f"{indexed:.2f} s; {load()}")
    )

    # the same matrix on disk, as shipped: alone in its store, then with the bundled corpus beside
    # it. Each cold twice: the first matrix of a version (after a write, which removes the reads
    # kept beside the store: it reads the store and keeps them), and a later one, whose reads an
    # earlier process kept (decision 0009); then in a new process, as `crosswalk` runs it.
    def after_write() -> None:
        clear_cache()
        reads.forget(disk_dir / "store")  # what every write does first
        matrix_on(disk, codes)

    def cold_disk() -> None:
        clear_cache()
        matrix_on(disk, codes)

    on_disk_label = label.replace("(Oxigraph)", "(Oxigraph on disk)")
    for other in ("", ", the bundled corpus in the same store"):
        if other:
            ingest_all(disk, rule_files([bundled_corpus()]))
        for what, run in (("the first after a write", after_write), ("its reads kept", cold_disk)):
            wall, cpu = medians(timed_cpu(run, repeat=args.repeat))
            rows.append(
                (
                    f"{on_disk_label}, cold, {what}{other}",
                    f"median of {args.repeat}",
                    f"{wall:.2f} s, CPU {cpu:.2f} s; {load()}",
                )
            )
    disk.close()
    wall, cpu = medians([matrix_in_new_process(disk_dir / "store", codes) for _ in range(args.repeat)])
    rows.append(
        (
            f"{on_disk_label}, a new process, its reads kept (the corpus beside)",
            f"median of {args.repeat}; opening the store and the matrix, imports excluded",
            f"{wall:.2f} s, CPU {cpu:.2f} s; {load()}",
        )
    )

    def cold_sub() -> None:
        clear_cache()
        matrix_on(sub, sub_codes)

    ours_sub = total if sub is store else statistics.median(timed(cold_sub, repeat=args.repeat))

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

    # 4. the real corpus: the matrix of every jurisdiction with provisions, cold, on rdflib's engine
    # against Oxigraph on disk (as shipped) and in memory, the same queries and the same Python
    made = {
        str(j)
        for (j,) in real.select_values(
            "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT DISTINCT ?j WHERE { ?p xw:jurisdiction ?j }"
        )[1]
    }
    real_codes = sorted(c for c, iri in vocabulary().jurisdictions.members.items() if str(iri) in made)
    real_iris = [vocabulary().jurisdictions.iri(c) for c in real_codes]
    real_rdf = rdflib_from(real)
    gc.collect()
    gc.freeze()
    real_disk = EmbeddedStore(real_dir / "store")

    def real_matrix(target: object) -> float:
        def run() -> None:
            clear_cache()
            pairwise(target, real_iris, WHEN)  # type: ignore[arg-type]

        return statistics.median(timed(run, repeat=args.repeat if target is not real_rdf else 1))

    theirs, ours_disk, ours_memory = real_matrix(real_rdf), real_matrix(real_disk), real_matrix(real)
    rows.append(
        (
            f"matrix of the real corpus ({len(real_codes)} jurisdictions), rdflib vs Oxigraph on disk / in memory",
            f"{theirs:.2f} s vs {ours_disk:.2f} s / {ours_memory:.2f} s",
            f"on disk {theirs / ours_disk:,.0f}x, in memory {theirs / ours_memory:,.0f}x faster; {load()}",
        )
    )
    real_disk.close()

    # 5. the named per-kind queries on the real corpus
    for name in ("concept-verdicts", "matching-provisions", "conflicts", "gaps"):
        runs = timed(lambda n=name: get(n).run(real, {"a": "EU", "b": "US-CO", "at": WHEN.isoformat()}), repeat=5)
        rows.append((f"named query {name} (EU, US-CO)", "median of 5", f"{statistics.median(runs) * 1000:.1f} ms"))

    shutil.rmtree(disk_dir, ignore_errors=True)
    shutil.rmtree(real_dir, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    rows.append(
        (
            "this run",
            f"--jurisdictions {args.jurisdictions} --provisions {args.provisions} "
            f"--baseline-jurisdictions {args.baseline_jurisdictions} --repeat {args.repeat}",
            f"{time.perf_counter() - began:.0f} s, peak {peak:,.0f} MB; {load()}",
        )
    )
    printed = Table("measure", "size", "result", title="Crosswalk benchmarks", header_style="bold")
    for row in rows:
        printed.add_row(*row)
    Console(width=max(Console().width, 150)).print(printed)  # one line a row, also into a file


if __name__ == "__main__":
    main()
