"""HTTP load as users meet it (issue 18): `make bench-http` runs this with Debian's `wrk` as the
load generator (C, event-driven: not the bottleneck, unlike a Python client on the same two cores).

It ingests the bundled corpus into an on-disk store, copies it, and starts side by side on
loopback `crosswalk serve` (default settings: the shipped configuration, on-disk store, query
workers, response cache) and a raw `oxigraph serve-read-only` on the copy. Then, each run for a
fixed time at a fixed concurrency, it reports requests per second, p50 / p99 latency and errors
(non-2xx answers and socket errors, as wrk counts them):

1. `/compare EU US-CO` with a new date on every request (a new party pair once the dates run
   out): never answered from the response cache; then the same URL again and again (cached);
2. `/jurisdictions`;
3. the same SPARQL SELECT on `/sparql` and on the raw Oxigraph server, in the same run;
4. a cheap query (`ASK {}`, one connection) alone, while two slow queries run (each stopped at
   the time limit and sent again at once), and while three-party PDF reports render.

The load average is printed with each figure: the development machine is shared.
Usage: python bench/http_load.py [--seconds 10] [--connections 16] [--only compare,cached]
[--against DIR [--rounds 2]]

`--against DIR` measures another version of the code in the same run, paired: DIR holds its
sources laid out as the package (`mkdir -p DIR/crosswalk && git archive COMMIT ontology graph
queries api | tar -x -C DIR/crosswalk`), served by a second `crosswalk serve` on its own copy of
the store (`PYTHONPATH=DIR`). Each `/compare` and `/jurisdictions` run is then measured on this
code and on that one, one after the other, the order swapped each round, so both meet the same
machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx

SELECT = (
    "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT ?p ?citation WHERE { "
    "?p xw:jurisdiction <https://w3id.org/crosswalk/id/jurisdiction/EU> ; xw:citation ?citation } LIMIT 50"
)
SLOW = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"  # runs to the time limit
PDF_PARTIES = [
    ("EU", "US-CO", "KR"),
    ("EU", "KR", "CN"),
    ("EU", "US-CO", "CN"),
    ("US-CO", "KR", "CN"),
    ("EU", "CN", "BR"),
]
BIN = Path(sys.executable).parent
RUNS = ("compare", "cached", "jurisdictions", "sparql", "ask")  # --only picks some

# A new date per request, per wrk thread (each thread its own share of the days), and a new pair
# once a thread has used every day from 2024-01-01 to the last ECB rate day (2026-10-30): before
# that day every date is its own cache epoch (api/epochs.py), so no request is served from cache.
NEW_DATES = r"""
local pairs = {"j=EU&j=US-CO", "j=EU&j=KR", "j=EU&j=CN", "j=US-CO&j=KR", "j=EU&j=BR", "j=KR&j=CN"}
local first, days = os.time{year=2024, month=1, day=1, hour=12}, 1034
local counter, n = 0, 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function request()
  local k = n * 2 + (id or 0)  -- `id`: this thread's number, set by setup()
  n = n + 1
  local day = os.date("!%Y-%m-%d", first + (k % days) * 86400)
  local pair = pairs[math.floor(k / days) % #pairs + 1]
  return wrk.format("GET", "/compare?" .. pair .. "&as_of=" .. day)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def wrk(
    url: str, seconds: int, connections: int, script: str | None = None, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """One wrk run: req/s, p50 and p99 in ms, errors (non-2xx/3xx answers plus socket errors)."""
    args = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script or "")
    if script:
        args += ["-s", lua.name]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)

    def ms(label: str) -> float:
        found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    requests = re.search(r"(\d+) requests in", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": errors,
        "requests": int(requests.group(1)) if requests else 0,
    }


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process so far, every thread (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def on_server(pid: int, url: str, seconds: int, connections: int, script: str | None) -> dict[str, float]:
    """A wrk run, with the server's CPU per request (ms) measured over it."""
    before = cpu_seconds(pid)
    r = wrk(url, seconds, connections, script)
    r["cpu"] = (cpu_seconds(pid) - before) * 1000 / max(1, r["requests"])
    return r


def show(name: str, r: dict[str, float]) -> None:
    latency = f"{r['p50']:.1f} / {r['p99']:.1f} ms"
    cpu = f"{r['cpu']:.2f} ms" if "cpu" in r else "—"
    done = f"{r['errors']:.0f} of {r['requests']:,}"
    print(f"| {name} | {r['rps']:,.0f} | {latency} | {done} | {cpu} | {load()} |", flush=True)


def looping(stop: threading.Event, send: Callable[[int], None]) -> threading.Thread:
    def run() -> None:
        i = 0
        while not stop.is_set():
            with contextlib.suppress(httpx.HTTPError):
                send(i)
            i += 1

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", help=f"comma-separated runs, of {','.join(RUNS)} (default: all)")
    parser.add_argument("--against", type=Path, help="another version's sources, measured paired (above)")
    parser.add_argument("--rounds", type=int, default=1, help="paired rounds with --against")
    opts = parser.parse_args()
    runs = opts.only.split(",") if opts.only else list(RUNS)
    if not set(runs) <= set(RUNS):
        raise SystemExit(f"--only takes {', '.join(RUNS)}")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package)")
    work = Path(tempfile.mkdtemp(prefix="crosswalk-http-load-"))
    store, raw = work / "store", work / "raw"
    subprocess.run([BIN / "crosswalk", "ingest", "--store", str(store)], check=True, capture_output=True)
    shutil.copytree(store, raw)
    port, raw_port = free_port(), free_port()
    env = {**os.environ, "CROSSWALK_STORE": str(store), "CROSSWALK_QUERY_TIMEOUT": "2"}
    server = subprocess.Popen([BIN / "crosswalk", "serve", "--port", str(port)], env=env)
    other, other_base = None, ""
    if opts.against is not None:
        shutil.copytree(store, work / "against")
        other_port = free_port()
        other_env = {**env, "CROSSWALK_STORE": str(work / "against"), "PYTHONPATH": str(opts.against.resolve())}
        other = subprocess.Popen([BIN / "crosswalk", "serve", "--port", str(other_port)], env=other_env)
        other_base = f"http://127.0.0.1:{other_port}"
    oxigraph = subprocess.Popen(
        [
            BIN / "oxigraph",
            "serve-read-only",
            "--location",
            str(raw),
            "--bind",
            f"127.0.0.1:{raw_port}",
            "--union-default-graph",
        ],
        stderr=subprocess.DEVNULL,
    )
    base, raw_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{raw_port}"
    try:
        wait_for(f"{base}/jurisdictions")
        wait_for(f"{raw_base}/query?query=ASK%7B%7D")
        if other is not None:
            wait_for(f"{other_base}/jurisdictions")
        s, c = opts.seconds, opts.connections
        print(f"\n{s} s per run, {c} connections, wrk; {os.cpu_count()} cores\n")
        print(
            "| request | req/s | p50 / p99 | errors | server CPU a request | machine |\n"
            "| --- | --- | --- | --- | --- | --- |"
        )
        paired = [
            ("compare", "/compare, a new date each request (uncached)", "", NEW_DATES),
            ("cached", "/compare EU US-CO, same URL (cached)", "/compare?j=EU&j=US-CO&as_of=2026-12-03", None),
            ("jurisdictions", "/jurisdictions", "/jurisdictions", None),
        ]
        for name, label, path, script in paired:
            if name not in runs:
                continue
            if other is None:
                show(f"{label}, c={c}", on_server(server.pid, base + path, s, c, script))
                continue
            for i in range(opts.rounds):
                order = [("this code", base, server.pid), ("--against", other_base, other.pid)]
                for who, at, pid in order if i % 2 == 0 else order[::-1]:
                    show(f"{label}, c={c}, {who}", on_server(pid, at + path, s, c, script))
        if not {"sparql", "ask"} & set(runs):
            return
        json = {"Accept": "application/sparql-results+json"}
        if "sparql" in runs:
            show(
                f"/sparql SELECT (crosswalk serve), c={c}",
                wrk(f"{base}/sparql?query={quote(SELECT)}", s, c, headers=json),
            )
            show(
                f"the same on raw `oxigraph serve`, c={c}",
                wrk(f"{raw_base}/query?query={quote(SELECT)}", s, c, headers=json),
            )
        if "ask" not in runs:
            return
        ask = f"{base}/sparql?query={quote('ASK {}')}"
        show("`ASK {}` alone, c=1", wrk(ask, s, 1, headers=json))
        stop = threading.Event()
        slow = [
            looping(stop, lambda _: httpx.get(f"{base}/sparql", params={"query": SLOW}, timeout=60)) for _ in range(2)
        ]
        show("`ASK {}` while two slow queries run, c=1", wrk(ask, s, 1, headers=json))
        stop.set()
        for t in slow:
            t.join()
        stop = threading.Event()
        pdf = looping(
            stop,
            lambda i: httpx.get(
                f"{base}/reports/harmonization",
                params={
                    "j": list(PDF_PARTIES[i % len(PDF_PARTIES)]),
                    "format": "pdf",
                    "as_of": f"2026-{1 + i % 12:02d}-15",
                },
                timeout=300,
            ),
        )
        show("`ASK {}` while PDF reports render, c=1", wrk(ask, s, 1, headers=json))
        stop.set()
        pdf.join()
    finally:
        for process in (server, oxigraph, other):
            if process is not None:
                process.terminate()
                process.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
