"""Untrusted SPARQL in worker processes that can be killed: the public endpoint's hard time limit.

Oxigraph evaluates an aggregate or an ORDER BY over a cross join to the end before it yields a
first row, and nothing can interrupt it inside the process; a thread that timed out would burn
a core (and memory) until it finished. So `/sparql` runs each query in one of a few worker
processes, each holding a read-only view of the on-disk store. Past the deadline the worker is
killed and replaced, and the caller gets QueryTimeout. Each worker's memory is capped
(RLIMIT_DATA): a query that needs more dies alone, and the server keeps serving.

Workers reopen their view when the store's write count (`EmbeddedStore.generation`) moves, so
they never answer from before a write. The analysis layer, whose queries are our own, runs in
process as before.

Workers run without a network (`isolate_network`): SPARQL SERVICE is executed by Oxigraph's own
HTTP client, and a worker that cannot reach any host cannot be made to call one.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import queue
import resource
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from rdflib import Graph

from . import errors
from .errors import CrosswalkError, QueryTimeout, StoreError, StoreUnavailable
from .store import QueryResult

_CONTEXT = multiprocessing.get_context("spawn")  # no fork: the server holds threads and a RocksDB handle


def _cap_memory(limit_bytes: int | None) -> None:
    if limit_bytes:
        # Since Linux 4.7 RLIMIT_DATA counts anonymous mappings too, i.e. what an allocator gets.
        resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))


CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def isolate_network() -> bool:
    """Move this process into a network namespace of its own, with no interface but a loopback
    that is down: no socket it opens reaches any host, the server's own loopback included.
    Oxigraph runs SPARQL SERVICE calls with its own HTTP client, so whatever a query's text
    slips past the endpoint's check, the engine in a worker cannot call out (issue 15: defence
    in depth, not the decision). As root a network namespace alone; otherwise inside a user
    namespace where the kernel allows one. False where neither is allowed (then only the
    endpoint's parse stands between a query and the network)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


def _serve(conn: Connection, path: str, limit_bytes: int | None) -> None:
    """The worker loop: (sparql, max_rows, generation) in, one payload out per query. The first
    message out says whether the worker's network is cut off."""
    from .embedded import EmbeddedStore

    conn.send(("isolated", isolate_network()))
    _cap_memory(limit_bytes)
    store: EmbeddedStore | None = None
    generation: int | None = None
    while True:
        try:
            sparql, max_rows, wanted = conn.recv()
        except (EOFError, OSError):
            return
        payload: tuple[Any, ...]
        try:
            if store is None or wanted != generation:
                if store is not None:
                    store.close()
                store, generation = EmbeddedStore.snapshot(Path(path), wanted), wanted  # that version, consistent
            result = store.query(sparql, max_rows=max_rows)
            payload = ("graph", list(result)) if isinstance(result, Graph) else ("ok", result)
        except CrosswalkError as exc:
            payload = ("error", type(exc).__name__, str(exc))
        except MemoryError:
            payload = ("error", "ResultTooLarge", "the query needs more memory than one query may use; narrow it")
        conn.send(payload)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    isolated: bool | None = None  # None until the worker's first message is read

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QuerySandbox:
    """A pool of killable query workers over the embedded store at `path`."""

    def __init__(self, path: Path, workers: int = 2, memory_mb: int | None = 2048) -> None:
        self.path = path
        self._limit = memory_mb * 1024 * 1024 if memory_mb else None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for _ in range(workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_serve, args=(child, str(self.path), self._limit), daemon=True)
        process.start()  # returns at once; the child imports while it waits for its first query
        child.close()
        return _Worker(process, parent)

    def network_isolated(self, timeout: float = 60.0) -> bool:
        """Whether the workers run without a network: asks a fresh one (it says so first)."""
        worker = self._spawn()
        try:
            return worker.conn.poll(timeout) and worker.conn.recv() == ("isolated", True)
        finally:
            worker.kill()

    def query(self, sparql: str, *, generation: int, timeout: float, max_rows: int | None) -> QueryResult:
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for {timeout:g} s; try again") from None
        try:
            if worker.isolated is None:  # the worker's first message: whether its network is cut off
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    raise EOFError
                worker.isolated = worker.conn.recv()[1]
            worker.conn.send((sparql, max_rows, generation))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker.kill()
                worker = self._spawn()
                raise QueryTimeout(
                    f"the query ran past its time limit of {timeout:g} s and was stopped; narrow it or add a LIMIT"
                )
            payload = worker.conn.recv()
        except (EOFError, OSError):
            worker.kill()
            worker = self._spawn()
            raise StoreUnavailable(
                "the query stopped its worker (it may need more memory than one query may use); narrow it"
            ) from None
        finally:
            self._idle.put(worker)
        if payload[0] == "error":
            _, name, message = payload
            raise getattr(errors, name, StoreError)(message)
        if payload[0] == "graph":
            graph = Graph()
            for triple in payload[1]:
                graph.add(triple)
            return graph
        result: QueryResult = payload[1]
        return result

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


__all__ = ["QuerySandbox", "isolate_network"]
