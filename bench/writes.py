"""What a write costs with the query workers' checkpoints on: `python bench/writes.py`.

On a copy of the bundled corpus on disk: the median time of one write (replacing the test
excerpt's graph) without and with a checkpoint per version (graph/snapshots.py), and of a
worker opening the newest checkpoint. Measured, not asserted (docs/performance.md).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from crosswalk.graph.build import graph_iri
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ingest_all, prepare, rule_files

EXCERPT = Path(__file__).parent.parent / "tests" / "data" / "excerpt.yaml"
ROUNDS = 40


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="crosswalk-bench-writes-") as tmp:
        path = Path(tmp) / "store"
        store = EmbeddedStore(path)
        ingest_all(store, rule_files([bundled_corpus()]))
        rules, graph = prepare(EXCERPT)
        name = graph_iri(rules.instrument.id)

        def writes() -> float:
            times = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                store.replace_graph(name, graph)
                times.append(time.perf_counter() - started)
            return statistics.median(times)

        plain = writes()
        store.publish_snapshots()
        checkpointed = writes()
        opens = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            reader = EmbeddedStore.snapshot(path, store.generation)
            opens.append(time.perf_counter() - started)
            reader.close()
        print(f"{len(graph)} triples replaced, median of {ROUNDS}:")
        print(f"  write without checkpoints  {plain * 1000:6.1f} ms")
        print(f"  write with a checkpoint    {checkpointed * 1000:6.1f} ms")
        print(f"  open the newest checkpoint {statistics.median(opens) * 1000:6.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
