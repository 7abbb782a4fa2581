"""Real SPARQL engines on loopback for the tests: `oxigraph serve` and Virtuoso 7.

Each runs from a scratch folder with its own free ports, can be stopped, killed and restarted
on the same data (the contract suite restarts them), and is stopped when the session ends.
Virtuoso starts from the config the repository ships (tests/engines/virtuoso.ini); where
Debian's `virtuoso-opensource` is not installed its cases are skipped, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from crosswalk.graph.remote import RemoteStore

VIRTUOSO_INI = Path(__file__).parent / "engines" / "virtuoso.ini"
# The `dba` account a fresh Virtuoso database creates; the writes go through its Digest endpoints.
VIRTUOSO_USER = ("dba", "dba")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class EngineProcess:
    """One engine server process over a data folder that outlives restarts."""

    name: str
    command: list[str]
    folder: Path
    url: str  # its SPARQL query URL
    env: dict[str, str] = field(default_factory=dict)  # what a Crosswalk client needs (credentials)
    process: subprocess.Popen[bytes] | None = None

    def start(self, seconds: float = 60) -> None:
        log = self.folder / "engine-output.log"
        with log.open("ab") as output:  # the child keeps its own descriptor
            self.process = subprocess.Popen(self.command, cwd=self.folder, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + seconds
        while not self.answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: see {log.name}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{self.name} did not answer within {seconds:g} s")
            time.sleep(0.2)

    def answers(self) -> bool:
        try:
            response = httpx.post(self.url, data={"query": "ASK {}"}, timeout=2)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def stop(self) -> None:
        """Stop as an operator would (SIGTERM; Virtuoso checkpoints first)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self) -> RemoteStore:
        """A Crosswalk client of the engine, with the credentials its writes need: RemoteStore
        reads them from the environment when it is made, so they are set only around that."""
        from crosswalk.graph.remote import RemoteStore

        saved = dict(os.environ)
        os.environ.update(self.env)
        try:
            return RemoteStore(self.url)
        finally:
            os.environ.clear()
            os.environ.update(saved)


def oxigraph(binary: str, folder: Path) -> EngineProcess:
    port = free_port()
    command = [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    return EngineProcess(
        "oxigraph serve", [*command, "--union-default-graph"], folder, f"http://127.0.0.1:{port}/query"
    )


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def virtuoso(binary: str, folder: Path, max_rows: int | None = None) -> EngineProcess:
    """A Virtuoso from the shipped config, with free ports and `folder` as its scratch folder
    (and `max_rows` as its row cap, where given: the benchmark's answers are larger)."""
    sql, http = free_port(), free_port()
    text = VIRTUOSO_INI.read_text(encoding="utf-8")
    if max_rows is not None:
        text = re.sub(r"ResultSetMaxRows\s*=\s*\d+", f"ResultSetMaxRows = {max_rows}", text)
    text = re.sub(r"127\.0\.0\.1:21111", f"127.0.0.1:{sql}", text)
    text = re.sub(r"127\.0\.0\.1:28890", f"127.0.0.1:{http}", text)
    (folder / "virtuoso.ini").write_text(text, encoding="utf-8")
    user, password = VIRTUOSO_USER
    env = {"CROSSWALK_STORE_USER": user, "CROSSWALK_STORE_PASSWORD": password, "CROSSWALK_STORE_AUTH": "digest"}
    return EngineProcess(
        "Virtuoso", [binary, "-f", "-c", "virtuoso.ini"], folder, f"http://127.0.0.1:{http}/sparql", env=env
    )


def client_env(engine: EngineProcess) -> dict[str, str]:
    """The environment a `crosswalk` process needs to use `engine` as its store."""
    return {**os.environ, "CROSSWALK_STORE": engine.url, **engine.env}
