"""Report generation benchmark: `python bench/reports.py` (or `make bench-reports`).

For 3 and for 10 parties on the real corpus: the time to build the report (the analysis, with
the comparison cache cleared) plus the time to render each format. Targets on the 2-core
machine: 3-party HTML under 1 s, PDF under 5 s; 10-party PDF under 20 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from rich.console import Console
from rich.table import Table

from crosswalk.api.report_render import FORMATS, render
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files
from crosswalk.queries.compare import clear_cache
from crosswalk.queries.report import build_report

WHEN = date(2026, 11, 24)
PARTIES = {
    3: ["EU", "US-CO", "KR"],
    10: ["EU", "US-CO", "KR", "CN", "JP", "BR", "CA", "GB", "CoE", "US-TX"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    store = EmbeddedStore(None)
    ingest_all(store, rule_files([bundled_corpus()]))
    render(build_report(store, PARTIES[3], WHEN), "pdf")  # warm imports (WeasyPrint loads in ~0.7 s)
    table = Table("parties", "format", "size", "build (analysis)", "render", "total (median)", header_style="bold")
    table.title = f"Report generation, median of {args.repeat} (cold analysis cache each run)"
    for n, codes in PARTIES.items():
        for fmt in FORMATS:
            builds, renders, size = [], [], 0
            for _ in range(args.repeat):
                clear_cache()
                start = time.perf_counter()
                report = build_report(store, codes, WHEN)
                built = time.perf_counter()
                size = len(render(report, fmt))
                builds.append(built - start)
                renders.append(time.perf_counter() - built)
            totals = [b + r for b, r in zip(builds, renders, strict=True)]
            table.add_row(
                str(n),
                fmt,
                f"{size / 1024:,.0f} KiB",
                f"{statistics.median(builds):.2f} s",
                f"{statistics.median(renders):.2f} s",
                f"{statistics.median(totals):.2f} s",
            )
    Console().print(table)


if __name__ == "__main__":
    main()
