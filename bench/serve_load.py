"""HTTP benchmark: `python bench/serve_load.py` starts `crosswalk serve` on loopback and measures
requests per second and p50/p99 latency for /compare and a typical /sparql SELECT, at bounded
concurrency. Every request loop is bounded in count; the server is stopped at the end."""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

SELECT = (
    "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT ?p ?citation WHERE { "
    "?p xw:jurisdiction <https://w3id.org/crosswalk/id/jurisdiction/EU> ; xw:citation ?citation } LIMIT 50"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load(url: str, params: object, requests: int, concurrency: int) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    errors = 0
    with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:

        def one(_: int) -> float:
            start = time.perf_counter()
            r = client.get(url, params=params)  # type: ignore[arg-type]
            r.raise_for_status()
            return time.perf_counter() - start

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            for result in pool.map(one, range(requests)):
                latencies.append(result)
        elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return requests / elapsed, statistics.median(latencies) * 1000, p99 * 1000, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    beside = Path(sys.executable).parent / "crosswalk"
    exe = str(beside) if beside.exists() else shutil.which("crosswalk")
    assert exe, "install crosswalk first"
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [exe, "serve", "--port", str(port), "--store", f"{tmp}/store"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/queries", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            # the /sparql worker processes import their libraries at start: let them finish first
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda _: httpx.get(f"{base}/sparql", params={"query": SELECT}, timeout=60), range(8)))
            table = Table("endpoint", "requests", "concurrency", "req/s", "p50 ms", "p99 ms", title="Crosswalk HTTP")
            cases = [
                ("/compare EU US-CO", f"{base}/compare", [("j", "EU"), ("j", "US-CO"), ("as_of", "2026-11-24")]),
                ("/sparql SELECT (EU citations)", f"{base}/sparql", {"query": SELECT}),
            ]
            for label, url, params in cases:
                httpx.get(url, params=params, timeout=30)  # warm up
                rps, p50, p99, _ = load(url, params, args.requests, args.concurrency)
                table.add_row(
                    label, str(args.requests), str(args.concurrency), f"{rps:,.0f}", f"{p50:.1f}", f"{p99:.1f}"
                )
            Console().print(table)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
