"""Crosswalk on each engine, in one run: `python bench/engines.py` prints one table.

For the embedded store (on disk), a real `oxigraph serve` and a real Virtuoso 7 (skipped where
it is not installed), each started fresh on loopback by the same code as the tests
(tests/engine_servers.py), it measures:

- ingest of generated data (J x P, bench/synthetic.py): build + Crosswalk's write, which on a
  remote engine includes the read-back that verifies each graph (SHACL excluded, as bench/run.py);
- the pairwise matrix of those J jurisdictions, cold (caches cleared);
- `compare EU US-CO` on the bundled corpus loaded beside the generated data (a store of that
  size; the generated jurisdictions are outside the vocabulary, which `compare` takes), then on
  the bundled corpus alone; cold, median of 3;
- on a server, building the verified in-memory copy of every graph (graph/remote_copy.py,
  decision 0010) at 50 x 1,000 and of the bundled corpus alone.

Measured, not asserted (docs/performance.md records the figures).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import synthetic
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.engine_servers

from crosswalk.graph.build import build, graph_iri
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ensure_reference, prepare, rule_files
from crosswalk.graph.remote import RemoteStore
from crosswalk.graph.store import Store
from crosswalk.ontology import JUR
from crosswalk.queries.compare import clear_cache, compare, pairwise
from tests import engine_servers

WHEN = date(2026, 11, 24)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@contextmanager
def engine_store(name: str, folder: Path) -> Iterator[Store]:
    """A fresh, empty store of the named kind; a server is stopped afterwards."""
    if name == "embedded":
        store = EmbeddedStore(folder / "store")
        yield store
        store.close()
        return
    if name == "oxigraph":
        binary = str(Path(sys.executable).parent / "oxigraph")
        engine = engine_servers.oxigraph(binary, folder)
    else:
        virtuoso = engine_servers.virtuoso_binary()
        assert virtuoso
        # the matrix reads every provision in one answer: past the shipped cap of 10,000 rows,
        # which Crosswalk refuses to answer from (docs/deploy.md), so the cap is raised here
        engine = engine_servers.virtuoso(virtuoso, folder, max_rows=10_000_000)
    engine.start()
    try:
        yield engine.client()
    finally:
        engine.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jurisdictions", type=int, default=50)
    parser.add_argument("--provisions", type=int, default=1000, help="provisions per jurisdiction")
    parser.add_argument("--engines", default="embedded,oxigraph,virtuoso")
    args = parser.parse_args()
    engines = args.engines.split(",")
    if "virtuoso" in engines and engine_servers.virtuoso_binary() is None:
        print("note: Virtuoso is not installed (apt-get install virtuoso-opensource): not measured")
        engines.remove("virtuoso")

    files = synthetic.corpus(args.jurisdictions, args.provisions)
    generated = [(graph_iri(f.instrument.id), build(f)) for f in files]
    triples = sum(len(g) for _, g in generated)
    codes = [synthetic.jurisdiction_code(i) for i in range(args.jurisdictions)]
    real = [(graph_iri(r.instrument.id), g) for r, g in map(prepare, rule_files([bundled_corpus()]))]

    table = Table("engine", "what", "time", header_style="bold")
    console = Console()

    def record(*cells: str) -> None:
        table.add_row(*cells)
        console.print(" | ".join(cells))  # as it comes: a later engine may fail

    for name in engines:
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp, engine_store(name, Path(tmp)) as store:
            ensure_reference(store)

            def ingest(store: Store = store) -> None:
                for graph_name, graph in generated:
                    store.replace_graph(graph_name, graph)

            seconds = timed(ingest)
            record(
                name,
                f"ingest {args.jurisdictions} x {args.provisions} (build excluded)",
                f"{seconds:.1f} s ({triples / seconds:,.0f} triples/s)",
            )

            if isinstance(store, RemoteStore):  # what of the ingest was the verifying read-back

                def verify(store: RemoteStore = store) -> None:
                    for graph_name, _ in generated:
                        store.graph_digest(graph_name)

                record(name, "  of which: reading every graph back (verification)", f"{timed(verify):.1f} s")

                def copy(store: RemoteStore = store) -> None:
                    store.copies.drop()
                    store.verified_copy()

                record(name, "verified copy of every graph (decision 0010), built cold", f"{timed(copy):.1f} s")

            def matrix(store: Store = store) -> None:
                clear_cache()
                pairwise(store, [JUR[c] for c in codes], WHEN)

            record(name, f"matrix {args.jurisdictions} jurisdictions, cold", f"{timed(matrix):.2f} s")

            for graph_name, graph in real:
                store.replace_graph(graph_name, graph)

            def pair(store: Store = store) -> None:
                clear_cache()
                compare(store, ["EU", "US-CO"], WHEN)

            record(
                name,
                f"compare EU US-CO, corpus beside the {args.jurisdictions} x {args.provisions}, cold, median of 3",
                f"{statistics.median(timed(pair) for _ in range(3)):.3f} s",
            )
            for graph_name, _ in generated:
                store.drop_graph(graph_name)
            if isinstance(store, RemoteStore):
                record(name, "verified copy of the bundled corpus alone, built cold", f"{timed(copy):.2f} s")
            record(
                name,
                "compare EU US-CO, bundled corpus alone, cold, median of 3",
                f"{statistics.median(timed(pair) for _ in range(3)):.3f} s",
            )
    console.print(table)


if __name__ == "__main__":
    main()
