"""`crosswalk assess` for one profile in ten markets, cold: `python bench/assess.py` (part of
`make bench`). Prints one table.

Cold means a new `crosswalk assess` process each time over an on-disk store that already holds
the corpus (ingestion is not counted): Python's imports, opening the store, HermiT's JVM and
reasoning, the duty reads and the crosswalk. The same work in-process, warm, is split into the
reasoner and the rest, to say what dominates.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files
from crosswalk.graph.profile import read_profile
from crosswalk.queries.assess import assess
from crosswalk.queries.assess.classify import classify

PROFILE = Path(__file__).parent / "ten-markets.yaml"
WHEN = date(2027, 12, 3)
REPEAT = 5


def main() -> None:
    exe = shutil.which("crosswalk", path=str(Path(sys.executable).parent))
    assert exe, "the crosswalk console script is not installed"
    with tempfile.TemporaryDirectory(prefix="crosswalk-bench-assess-") as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        ingest_all(store, rule_files([bundled_corpus()]))
        store.close()
        command = [exe, "assess", str(PROFILE), "--store", str(Path(tmp) / "store"), "--as-of", WHEN.isoformat()]
        cold = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            cold.append(time.perf_counter() - start)
        profile = read_profile(PROFILE)
        reasoner, whole = [], []
        db = EmbeddedStore(Path(tmp) / "store")
        for _ in range(REPEAT):
            reasoner.append(classify(profile, list(profile.markets), WHEN).seconds)
            start = time.perf_counter()
            result = assess(db, profile, WHEN)
            whole.append(time.perf_counter() - start)
        db.close()
    table = Table(title=f"assess: one profile in {len(profile.markets)} markets (median of {REPEAT})")
    for column in ("what", "seconds"):
        table.add_column(column)
    table.add_row("cold CLI run (new process, store on disk, HermiT included)", f"{statistics.median(cold):.2f}")
    table.add_row("in-process assess, warm", f"{statistics.median(whole):.2f}")
    table.add_row("  of which HermiT (JVM start + classification)", f"{statistics.median(reasoner):.2f}")
    placements = sum(1 for _ in classify(profile, list(profile.markets), WHEN).placements)
    table.add_row(
        f"placements given to HermiT: {placements}; duties found: {sum(len(m.duties) for m in result.markets)}", ""
    )
    Console().print(table)


if __name__ == "__main__":
    main()
