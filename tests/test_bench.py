"""`make bench` keeps working: bench/run.py at a small size prints every row issue 18 asks for
(on disk beside in memory, the first call of a store version, the server's warm, the CLI process
with its imports, the matrix on disk, rdflib on generated data and on the real corpus). Nothing
is timed here: the figures are read by people, in docs/performance.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench"

ROWS = (
    "ingest generated data in memory",
    "ingest generated data on disk, first ingest",
    "compare EU vs US-CO, real corpus in memory (first call of a store version",
    "compare EU vs US-CO, real corpus on disk (first call of a store version",
    "compare EU vs US-CO, real corpus on disk (a new date each call",
    "reading a version for every jurisdiction, on disk",
    "`crosswalk compare EU US-CO`, a new process, store on disk",
    "of which imports",
    "(Oxigraph), cold, in memory",
    "(Oxigraph on disk), cold, the first after a write",
    "(Oxigraph on disk), cold, its reads kept",
    "(Oxigraph on disk), cold, its reads kept, the bundled corpus in the same store",
    "(Oxigraph on disk), a new process, its reads kept",
    "rdflib SPARQL engine vs Oxigraph",
    "matrix of the real corpus",
    "named query gaps",
    "this run",
)


def test_bench_at_a_small_size_prints_every_row(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "400", "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "run.py", "--jurisdictions", "3", "--provisions", "20", "--repeat", "1"],
        cwd=BENCH,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for row in ROWS:
        assert any(row in line for line in lines), (row, done.stdout[-3000:])
    # the stores it made are removed (the full run's are gigabytes)
    assert not any(p.name.startswith("crosswalk-bench-") for p in tmp_path.iterdir())
