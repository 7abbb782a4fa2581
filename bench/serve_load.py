"""HTTP benchmark: `python bench/serve_load.py` starts `crosswalk serve` on loopback and measures

1. requests per second and p50/p99 latency for /compare and a typical /sparql SELECT, at bounded
   concurrency;
2. a cheap query's latency (`ASK {}`, one at a time) while two slow queries run, and while a
   three-party PDF report renders;
3. the server's resident memory (RSS): idle after start, after 10,000 requests, after an attack
   (large answers stopped at the byte cap, queries at the length and depth limits, bodies at the
   size limit, runaway queries killed at the deadline), and idle again afterwards.

Every request loop is bounded in count; the server is stopped at the end. Figures and the
configuration they were measured with: docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

SELECT = (
    "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT ?p ?citation WHERE { "
    "?p xw:jurisdiction <https://w3id.org/crosswalk/id/jurisdiction/EU> ; xw:citation ?citation } LIMIT 50"
)
SLOW = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"  # runs to the time limit
CHEAP = "ASK {}"
EXPLOSION = "SELECT * WHERE { " + " ".join(f"VALUES ?{v} {{ 0 1 2 3 4 5 6 7 8 9 }}" for v in "abcdefg") + " }"
PDF = "/reports/harmonization"
# three-party PDF reports, each set of parties a different report (a rendered one is cached)
PDF_PARTIES = [
    ("EU", "US-CO", "KR"),
    ("EU", "KR", "CN"),
    ("EU", "US-CO", "CN"),
    ("US-CO", "KR", "CN"),
    ("EU", "CN", "BR"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of the server process, MB (its query workers are separate processes)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def load(url: str, params: object, requests: int, concurrency: int) -> tuple[float, float, float]:
    latencies: list[float] = []
    with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        def one(_: int) -> float:
            start = time.perf_counter()
            r = client.get(url, params=params)  # type: ignore[arg-type]
            r.raise_for_status()
            return time.perf_counter() - start

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            latencies.extend(pool.map(one, range(requests)))
        elapsed = time.perf_counter() - started
    return requests / elapsed, statistics.median(latencies) * 1000, percentile(latencies, 0.99) * 1000


def cheap_while(base: str, background: Callable[[], None], copies: int, samples: int) -> tuple[float, float, int]:
    """p50 and p99 (ms) of `ASK {}`, one at a time, while `copies` of `background` run; and how
    many cheap queries did not answer 200."""
    stop = threading.Event()

    def repeat() -> None:
        while not stop.is_set():
            background()

    threads = [threading.Thread(target=repeat) for _ in range(copies)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    latencies, failures = [], 0
    with httpx.Client(timeout=60) as client:
        for _ in range(samples):
            start = time.perf_counter()
            r = client.get(f"{base}/sparql", params={"query": CHEAP})
            latencies.append(time.perf_counter() - start)
            failures += r.status_code != 200
            time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(120)
    return statistics.median(latencies) * 1000, percentile(latencies, 0.99) * 1000, failures


def attack(base: str, rounds: int) -> None:
    """What an anonymous client can send: every request refused or stopped at a limit."""
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 49_000
    deep = "SELECT * WHERE " + "{" * 60 + " ?s ?p ?o " + "}" * 60
    with httpx.Client(timeout=60) as client:
        for n in range(rounds):
            client.get(f"{base}/sparql", params={"query": EXPLOSION, "format": ("json", "xml", "csv", "tsv")[n % 4]})
            client.post(f"{base}/sparql", content=big, headers={"content-type": "application/sparql-query"})
            client.post(f"{base}/sparql", data={"query": deep + f" # {n}"})
            client.post(
                f"{base}/sparql", content=b"#" * 2_000_000, headers={"content-type": "application/sparql-query"}
            )
            client.get(f"{base}/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {5000 + n}"})
            if n % 10 == 0:
                client.get(f"{base}/sparql", params={"query": SLOW})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--total", type=int, default=10_000, help="requests before the second RSS reading")
    parser.add_argument("--attack-rounds", type=int, default=40)
    parser.add_argument("--store", help="an existing store directory (default: a fresh one, ingested on start)")
    args = parser.parse_args()
    beside = Path(sys.executable).parent / "crosswalk"
    exe = str(beside) if beside.exists() else shutil.which("crosswalk")
    assert exe, "install crosswalk first"
    port = free_port()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or f"{tmp}/store"
        env = {**os.environ, "CROSSWALK_QUERY_TIMEOUT": os.environ.get("CROSSWALK_QUERY_TIMEOUT", "2")}
        server = subprocess.Popen(
            [exe, "serve", "--port", str(port), "--store", store],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(1200):
                try:
                    if httpx.get(f"{base}/queries", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            # the /sparql worker processes import their libraries at start: let them finish first
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda _: httpx.get(f"{base}/sparql", params={"query": SELECT}, timeout=60), range(8)))
            memory = Table("moment", "server RSS MB", title="Memory of the server process")
            memory.add_row("idle after start", f"{rss_mb(server.pid):.0f}")

            table = Table("endpoint", "requests", "concurrency", "req/s", "p50 ms", "p99 ms", title="Crosswalk HTTP")
            cases = [
                ("/compare EU US-CO", f"{base}/compare", [("j", "EU"), ("j", "US-CO"), ("as_of", "2026-11-24")]),
                ("/sparql SELECT (EU citations)", f"{base}/sparql", {"query": SELECT}),
            ]
            done = 0
            for label, url, params in cases:
                httpx.get(url, params=params, timeout=60)  # warm up
                rps, p50, p99 = load(url, params, args.requests, args.concurrency)
                done += args.requests
                table.add_row(
                    label, str(args.requests), str(args.concurrency), f"{rps:,.0f}", f"{p50:.1f}", f"{p99:.1f}"
                )
            if args.total > done:  # the rest of the 10,000, cheap SPARQL
                load(f"{base}/sparql", {"query": SELECT}, args.total - done, args.concurrency)
            console.print(table)
            memory.add_row(f"after {max(args.total, done):,} requests", f"{rss_mb(server.pid):.0f}")

            cheap = Table("while", "samples", "p50 ms", "p99 ms", "not 200", title="A cheap query (ASK {}) under load")
            with httpx.Client(timeout=60) as client:
                samples = []
                for _ in range(100):
                    start = time.perf_counter()
                    client.get(f"{base}/sparql", params={"query": CHEAP})
                    samples.append(time.perf_counter() - start)
            cheap.add_row(
                "nothing else",
                "100",
                f"{statistics.median(samples) * 1000:.1f}",
                f"{percentile(samples, 0.99) * 1000:.1f}",
                "0",
            )

            def slow() -> None:
                httpx.get(f"{base}/sparql", params={"query": SLOW}, timeout=120)

            p50, p99, failed = cheap_while(base, slow, copies=2, samples=100)
            cheap.add_row("two slow queries run", "100", f"{p50:.1f}", f"{p99:.1f}", str(failed))

            parties = iter(PDF_PARTIES * 10)

            def pdf() -> None:
                params = [("j", code) for code in next(parties, PDF_PARTIES[0])] + [("format", "pdf")]
                httpx.get(f"{base}{PDF}", params=params, timeout=300)

            p50, p99, failed = cheap_while(base, pdf, copies=1, samples=100)
            cheap.add_row("a 3-party PDF report renders", "100", f"{p50:.1f}", f"{p99:.1f}", str(failed))
            console.print(cheap)
            memory.add_row("after the slow queries and PDF reports", f"{rss_mb(server.pid):.0f}")

            attack(base, args.attack_rounds)
            memory.add_row(f"right after the attack ({args.attack_rounds} rounds)", f"{rss_mb(server.pid):.0f}")
            time.sleep(10)
            memory.add_row("idle, 10 s later", f"{rss_mb(server.pid):.0f}")
            console.print(memory)
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
