"""HTTP surface benchmark (`make bench-surface`): starts `crosswalk serve` on loopback and times
what an anonymous client could make expensive before issue 15: 1,000 party codes, a date
slider over one epoch, the service description, a hostile party list, and a burst of identical
and of distinct report requests against the analysis queue. One run, figures in seconds."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from serve_load import free_port


def timed(f: Callable[[], httpx.Response], n: int = 1) -> tuple[httpx.Response, list[float]]:
    out, r = [], None
    for _ in range(n):
        start = time.perf_counter()
        r = f()
        out.append(time.perf_counter() - start)
    assert r is not None
    return r, out


def main() -> None:
    beside = Path(sys.executable).parent / "crosswalk"
    exe = str(beside) if beside.exists() else shutil.which("crosswalk")
    assert exe, "install crosswalk first"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [exe, "serve", "--port", str(port), "--store", f"{tmp}/store"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            c = httpx.Client(timeout=300)
            for _ in range(600):
                try:
                    if c.get(f"{base}/queries", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            codes = [j["code"] for j in c.get(f"{base}/jurisdictions").json()]
            many = [("j", codes[i % len(codes)]) for i in range(1000)]
            table = Table("request", "status", "seconds", title="Crosswalk HTTP surface")

            def row(label: str, f: Callable[[], httpx.Response], n: int = 1) -> None:
                r, s = timed(f, n)
                table.add_row(label, str(r.status_code), " / ".join(f"{x:.3f}" for x in s))

            row(
                "/matrix, 1,000 codes (all 38, repeated), cold",
                lambda: c.get(f"{base}/matrix", params=[*many, ("as_of", "2030-06-01")]),
            )
            row(
                "the same, another date of its epoch",
                lambda: c.get(f"{base}/matrix", params=[*many, ("as_of", "2030-06-02")]),
                3,
            )
            row(
                "/queries/baseline js= 1,000 x EU",
                lambda: c.get(f"{base}/queries/baseline", params={"js": ",".join(["EU"] * 1000)}),
                3,
            )
            row(
                "/matrix, 1,000 unknown codes",
                lambda: c.get(f"{base}/matrix", params=[("j", f"Z{i}") for i in range(1000)]),
                3,
            )
            row("service description", lambda: c.get(f"{base}/sparql", headers={"accept": "text/turtle"}), 4)
            days = [f"2027-02-{d:02d}" for d in range(3, 28)]
            pair = [("j", "EU"), ("j", "US-CO")]
            for label in ("/compare over 25 days of one epoch, total", "the same again, total"):
                start = time.perf_counter()
                statuses = {c.get(f"{base}/compare", params=[*pair, ("as_of", d)]).status_code for d in days}
                table.add_row(label, ",".join(map(str, sorted(statuses))), f"{time.perf_counter() - start:.3f}")
            report = [("j", "EU"), ("j", "KR"), ("j", "CN"), ("format", "pdf")]

            def burst(params_of: Callable[[int], list[tuple[str, str]]], n: int) -> tuple[list[int], float]:
                start = time.perf_counter()
                with ThreadPoolExecutor(n) as pool:
                    statuses = list(
                        pool.map(
                            lambda i: c.get(f"{base}/reports/harmonization", params=params_of(i)).status_code, range(n)
                        )
                    )
                return statuses, time.perf_counter() - start

            same, seconds = burst(lambda i: [*report, ("as_of", "2026-12-01")], 20)
            table.add_row("20 identical 3-party PDF requests at once", f"{same.count(200)}x200", f"{seconds:.1f}")
            distinct, seconds = burst(lambda i: [*report, ("as_of", f"2026-10-{i + 1:02d}")], 20)
            busy = distinct.count(503)
            table.add_row(
                "20 distinct 3-party PDF requests at once", f"{distinct.count(200)}x200 {busy}x503", f"{seconds:.1f}"
            )
            Console().print(table)
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
